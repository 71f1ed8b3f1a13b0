"""`oxysim fit`: parameter recovery from synthetic data, identifiability flags, bad input.

Every simulation costs seconds whatever its batch size, so the slow checks share one fit: the
example (examples/fit_pk.yaml, a 1 IU IV bolus) with data simulated at known values
(plasma_clearance 1.5 L/min, central_volume 7 L; declared 1.12 and 5) plus 10 % log-normal noise
(seed 11), fitted together with a parameter that cannot affect the data (nasal_absorption_rate:
no intranasal dose).
"""

import json
from pathlib import Path

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from oxysim.cli import app
from oxysim.fitting import FitOptions, fit_parameters, read_data
from oxysim.fitting.data import DataError
from oxysim.fitting.synthetic import synthetic_rows
from oxysim.scenario import load_scenario
from oxysim.system import human_model

runner = CliRunner()
EXAMPLES = Path(__file__).parent.parent / "examples"
SCENARIO = EXAMPLES / "fit_pk.yaml"
DATA = EXAMPLES / "data" / "fit_pk.csv"
TRUTH = {"plasma_clearance": 1.5, "central_volume": 7.0}
TIMES = [0, 6, 7, 8, 10, 12, 15, 20, 25, 30, 40, 50, 60]
NOISE_CV, NOISE_SEED = 0.1, 11
NO_EFFECT = "nasal_absorption_rate"
#: Largest relative error of a recovered estimate (the noise gives about 3-5 % standard error).
RECOVERY_TOLERANCE = 0.10
UNITS = {name: variable.unit for name, variable in human_model().variables.items()}


@pytest.fixture(scope="module")
def cli_fit(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, str]:
    folder = tmp_path_factory.mktemp("fit")
    out, figure = folder / "fit.json", folder / "fit.png"
    params = ",".join([*TRUTH, NO_EFFECT])
    result = runner.invoke(
        app,
        [
            "fit",
            str(SCENARIO),
            str(DATA),
            "--params",
            params,
            "-o",
            str(out),
            "--plot",
            str(figure),
        ],
    )
    assert result.exit_code == 0, result.output
    assert figure.read_bytes()[:4] == b"\x89PNG"
    return json.loads(out.read_text()), result.output


def test_example_data_are_the_documented_simulation() -> None:
    rows = synthetic_rows(
        load_scenario(SCENARIO), TRUTH, "plasma_oxytocin", TIMES, NOISE_CV, NOISE_SEED
    )
    committed = DATA.read_text().splitlines()[1:]
    assert [",".join(row.values()) for row in rows] == committed


def test_fit_recovers_known_parameters_with_profile_intervals(cli_fit: tuple[dict, str]) -> None:
    document, output = cli_fit
    rows = {row["parameter"]: row for row in document["parameters"]}
    for name, truth in TRUTH.items():
        row = rows[name]
        assert abs(row["estimate"] / truth - 1) < RECOVERY_TOLERANCE, row
        assert row["lower"] < truth < row["upper"], row
        assert row["lower"] > row["lower_bound"] and row["upper"] < row["upper_bound"], row
        assert row["identifiable"] == 1
    # 10 % CV noise: the residual SD on the log scale is about 0.1
    assert 0.05 < document["attrs"]["residual_sd"] < 0.15
    assert document["attrs"]["intervals"] == "profile"
    assert "plasma_clearance" in output and "identifiable" in output


def test_parameter_without_effect_is_flagged(cli_fit: tuple[dict, str]) -> None:
    document, output = cli_fit
    row = next(r for r in document["parameters"] if r["parameter"] == NO_EFFECT)
    assert row["identifiable"] == 0
    assert (row["lower"], row["upper"]) == (row["lower_bound"], row["upper_bound"])
    assert document["attrs"]["condition_number"] == float("inf")
    assert f"{NO_EFFECT} has no effect on these data" in " ".join(output.split())
    assert "warning:" in output
    assert "local minimum" not in output  # the profile fits found nothing better than the fit


def test_bootstrap_intervals_contain_the_truth_and_record_the_seed() -> None:
    scenario = load_scenario(SCENARIO)
    data = read_data(DATA, scenario, UNITS)
    options = FitOptions(intervals="bootstrap", replicates=10, seed=3)
    fit = fit_parameters(scenario, data, list(TRUTH), options=options)
    assert fit.attrs["seed"] == 3 and fit.attrs["replicates"] == 10
    assert fit.bootstrap_estimate.shape == (10, 2)
    for name, truth in TRUTH.items():
        row = fit.sel(parameter=name)
        assert abs(float(row.estimate) / truth - 1) < RECOVERY_TOLERANCE
        # 10 replicates give a rough interval: it must at least be a proper one around the estimate
        assert float(row.lower) < float(row.estimate) < float(row.upper)
    spread = fit.bootstrap_estimate.std("replicate").values / fit.estimate.values
    assert np.all((spread > 0.005) & (spread < 0.2)), spread


CSV_HEADER = "subject,arm,time,variable,value,unit\n"


@pytest.mark.parametrize(
    ("body", "column", "hint"),
    [
        ("mean,default,10,plasma_oxytocine,50,pg/mL", "variable", "did you mean plasma_oxytocin"),
        ("mean,default,10,plasma_oxytocin,50,kg", "unit", "'kg' cannot be converted to pg/mL"),
        ("mean,default,90,plasma_oxytocin,50,pg/mL", "time", "outside the scenario's 0-60 min"),
        ("mean,placebo,10,plasma_oxytocin,50,pg/mL", "arm", "allowed: default"),
        ("s0007,default,10,plasma_oxytocin,50,pg/mL", "subject", "allowed: mean, s0000"),
        ("mean,default,10,plasma_oxytocin,high,pg/mL", "value", "not a finite number"),
        ("mean,default,10,plasma_oxytocin,50", "5 cells", "expected 6"),
    ],
)
def test_bad_rows_are_named_by_line_and_column(
    tmp_path: Path, body: str, column: str, hint: str
) -> None:
    data = tmp_path / "bad.csv"
    data.write_text(f"{CSV_HEADER}mean,default,20,plasma_oxytocin,10,pg/mL\n{body}\n")
    with pytest.raises(DataError) as error:
        read_data(data, load_scenario(SCENARIO), UNITS)
    message = str(error.value)
    assert f"{data}:3: {column}" in message
    assert hint in message
    assert f"{data}:2" not in message  # the good row is not blamed


def test_molar_oxytocin_is_converted(tmp_path: Path) -> None:
    data = tmp_path / "molar.csv"
    data.write_text(CSV_HEADER + "mean,default,20,plasma_oxytocin,10,pmol/L\n")
    values = read_data(data, load_scenario(SCENARIO), UNITS).value
    np.testing.assert_allclose(values, [10.07190], rtol=1e-6)  # 1007.19 g/mol


def test_cli_rejects_bad_input_with_exit_2_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "fit.json"
    bad_header = tmp_path / "header.csv"
    bad_header.write_text("subject,arm,time,variable,Value,unit\n")
    one_row = tmp_path / "one.csv"
    one_row.write_text(CSV_HEADER + "mean,default,20,plasma_oxytocin,10,pg/mL\n")
    cases = [
        (["--params", "plasma_clearence"], DATA, "did you mean plasma_clearance"),
        (["--params", "plasma_clearance"], bad_header, "missing columns ['value']"),
        (["--params", "plasma_clearance", "--intervals", "jackknife"], DATA, "profile, bootstrap"),
        (["--params", "plasma_clearance", "--replicates", "3"], DATA, "at least 10"),
        (["--params", "plasma_clearance"], one_row, "1 observations cannot determine 1"),
    ]
    for options, data, message in cases:
        result = runner.invoke(app, ["fit", str(SCENARIO), str(data), *options, "-o", str(out)])
        assert result.exit_code == 2, result.output
        assert message in " ".join(result.output.split()), result.output
    assert not out.exists()


def test_population_scenarios_take_only_mean_data(tmp_path: Path) -> None:
    scenario = tmp_path / "population.yaml"
    text = yaml.safe_load(SCENARIO.read_text())
    text.pop("subjects")
    text["population"] = {"size": 5, "sex": "male"}
    scenario.write_text(yaml.safe_dump(text))
    data = tmp_path / "data.csv"
    data.write_text(CSV_HEADER + "s0000,default,20,plasma_oxytocin,10,pg/mL\n")
    with pytest.raises(DataError, match="subject: unknown 's0000'; allowed: mean"):
        read_data(data, load_scenario(scenario), UNITS)
