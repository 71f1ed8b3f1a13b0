from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
import yaml
from typer.testing import CliRunner

from oxysim.cli import app
from oxysim.engine.compose import Model
from oxysim.engine.simulate import simulate
from oxysim.scenario import Scenario, load_scenario
from oxysim.sensitivity import SensitivityOptions, select_factors, sensitivity_analysis
from oxysim.sensitivity.factors import upstream_submodels
from oxysim.sensitivity.sampling import batch_scenario, typical_subject

runner = CliRunner()
EXAMPLE = Path(__file__).parent.parent / "examples" / "sensitivity_tsst.yaml"
TSST = {
    "duration": "40 min",
    "record_every": "1 min",
    "seed": 7,
    "subjects": [{"sex": "male", "age": 25}],
    "events": [{"at": "5 min", "stressor": {"kind": "tsst", "duration": "15 min"}}],
    "record": ["salivary_cortisol"],
}
UTERINE = "uterine_estradiol_half_max"
HPA = ("cortisol_half_life", "stress_crh_gain", "salivary_free_fraction")


@pytest.fixture(scope="module")
def tsst(make_scenario: Callable[..., Scenario]) -> Scenario:
    return make_scenario(**TSST)


@pytest.fixture
def tsst_file(tmp_path: Path) -> Path:
    path = tmp_path / "tsst.yaml"
    path.write_text(yaml.safe_dump({"name": "tsst", **TSST}, sort_keys=False))
    return path


def test_per_subject_parameters_equal_separate_runs(tsst: Scenario) -> None:
    half_lives = np.array([50.0, 110.0])
    gains = np.array([3.0, 40.0])
    batch = simulate(
        batch_scenario(tsst, 2, "default", "salivary_cortisol"),
        parameters={"cortisol_half_life": half_lives, "stress_crh_gain": gains},
        variability=False,
    )
    for index in range(2):
        alone = simulate(
            tsst,
            parameters={"cortisol_half_life": half_lives[index], "stress_crh_gain": gains[index]},
            variability=False,
        )
        expected = alone.salivary_cortisol.isel(subject=0).values
        got = batch.salivary_cortisol.isel(subject=index).values
        np.testing.assert_allclose(got, expected, rtol=1e-9, atol=0)
    np.testing.assert_allclose(batch.param_cortisol_half_life.values, half_lives)
    peaks = batch.salivary_cortisol.max("time").values[0]
    assert peaks[1] > 1.5 * peaks[0]  # longer half-life and stronger drive: a larger peak


@pytest.mark.parametrize(
    ("values", "match"),
    [
        ({"cortisol_half_life": np.array([50.0, 500.0])}, "cortisol_half_life = 500.0 outside"),
        ({"cortisol_half_life": np.array([50.0, 60.0, 70.0])}, "one per subject"),
    ],
)
def test_per_subject_parameters_are_checked(tsst: Scenario, values: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        simulate(batch_scenario(tsst, 2, "default", "salivary_cortisol"), parameters=values)


def test_morris_cli_ranks_hpa_above_a_parameter_without_a_path(
    model: Model, tmp_path: Path
) -> None:
    params = ",".join((UTERINE, "cortisol_half_life", "stress_crh_gain"))
    out = tmp_path / "out"
    args = ["sensitivity", str(EXAMPLE), "--summary", "peak_salivary_cortisol"]
    options = ["--params", params, "--samples", "4", "--seed", "3", "-o", str(out / "tsst.nc")]
    result = runner.invoke(app, [*args, *options])
    assert result.exit_code == 0, result.output
    assert "stress_crh_gain" in result.output and "mu_star" in result.output
    assert (out / "tsst.png").read_bytes()[:4] == b"\x89PNG"
    with xr.open_dataset(out / "tsst.nc", engine="h5netcdf") as ds:
        indices = ds.load()
    assert indices.attrs["seed"] == 3 and indices.attrs["runs"] == 4 * 4
    assert indices.mu_star.attrs["units"] == "nmol/L"
    mu_star = indices.mu_star.to_series()
    assert mu_star[UTERINE] <= 1e-9 * mu_star.max()
    assert mu_star["stress_crh_gain"] > 1.0 and mu_star["cortisol_half_life"] > 0.1  # nmol/L
    assert indices["rank"].sel(factor=UTERINE) == 3
    assert list(indices.factor.values[:2]) == ["stress_crh_gain", "cortisol_half_life"]
    # the same seed through the Python API gives the same indices
    factors = select_factors(model, "salivary_cortisol", names=params.split(","))
    again = sensitivity_analysis(
        load_scenario(EXAMPLE),
        "peak_salivary_cortisol",
        factors,
        options=SensitivityOptions(samples=4, seed=3),
    )
    for name in ("mu_star", "sigma", "mu", "mu_star_conf"):
        np.testing.assert_array_equal(again[name].values, indices[name].values)
    np.testing.assert_array_equal(again.sample_value.values, indices.sample_value.values)


def test_sobol_total_order_at_least_first_order(tsst: Scenario, model: Model) -> None:
    factors = select_factors(model, "salivary_cortisol", names=HPA)
    options = SensitivityOptions(method="sobol", samples=32, seed=1)
    indices = sensitivity_analysis(tsst, "peak_salivary_cortisol", factors, options=options)
    assert indices.attrs["runs"] == 32 * (len(HPA) + 2)
    assert bool((indices.S1 - indices.S1_conf <= indices.ST).all())
    assert bool((indices.ST >= 0).all()) and float(indices.ST.max()) < 1.5
    assert float(indices.ST.sel(factor="stress_crh_gain")) > 0.1


@pytest.mark.parametrize(
    ("extra", "named", "allowed"),
    [
        (["--summary", "peak_happiness"], "--summary", "peak_<variable>"),
        (["--summary", "highest_salivary_cortisol"], "--summary", "salivary_cortisol"),
        (
            ["--summary", "peak_salivary_cortisol", "--params", "cortisol_halflife"],
            "--params",
            "cortisol_half_life",
        ),
        (["--summary", "peak_salivary_cortisol", "--submodel", "liver"], "--submodel", "hpa"),
        (["--summary", "peak_salivary_cortisol", "--method", "fast"], "--method", "sobol"),
        (
            ["--summary", "peak_salivary_cortisol", "--method", "sobol", "--samples", "48"],
            "--samples",
            "power of 2",
        ),
        (["--summary", "peak_salivary_cortisol", "--arm", "x"], "--arm", "default"),
        (
            ["--summary", "peak_salivary_cortisol", "--params", "stress_potency_tsst"],
            "--params",
            "fixed bounds",
        ),
    ],
)
def test_bad_options_exit_2_and_write_nothing(
    tsst_file: Path, tmp_path: Path, extra: list[str], named: str, allowed: str
) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["sensitivity", str(tsst_file), *extra, "-o", str(out / "s.nc")])
    assert result.exit_code == 2, result.output
    assert named in result.output and allowed in result.output
    assert not out.exists()


def test_default_factors_follow_the_output(model: Model) -> None:
    upstream = upstream_submodels(model, "salivary_cortisol")
    assert {"hpa", "stimuli", "receptor", "release", "pk"} <= set(upstream)
    assert "social" in upstream  # closeness scales empathic stress
    assert "bonding" not in upstream
    factors = {f.name: f for f in select_factors(model, "salivary_cortisol")}
    assert "stress_potency_tsst" not in factors  # bounds [1, 1]: nothing to vary
    assert "bond_formation_rate" not in factors  # bonding: no path to cortisol
    assert factors["progesterone_half_inhibition"].log_scale  # 1-1000 ng/mL
    assert not factors["cortisol_half_life"].log_scale  # 45-120 min
    values = factors["progesterone_half_inhibition"].values(np.array([0.0, 1.5, 3.0]))
    np.testing.assert_allclose(values, [1.0, 1000.0**0.5, 1000.0])
    hpa_only = select_factors(model, "salivary_cortisol", submodel="hpa", exclude=["basal_acth"])
    assert {f.submodel for f in hpa_only} == {"hpa"} and "basal_acth" not in {
        f.name for f in hpa_only
    }


def test_typical_subject_of_a_population(make_scenario: Callable[..., Scenario]) -> None:
    scenario = make_scenario(
        duration="10 min",
        population={
            "size": 50,
            "sex": {"male": 0.3, "female": 0.7},
            "age": {"mean": 40, "sd": 5},
            "rs53576": {"GG": 0.2, "AG": 0.5, "AA": 0.3},
        },
    )
    subject = typical_subject(scenario)
    assert (subject.sex, subject.rs53576, subject.age) == ("female", "AG", 40.0)
    batch = batch_scenario(scenario, 3, "default", "plasma_oxytocin")
    assert batch.population is None and len(batch.subjects) == 3
    assert batch.record == ("plasma_oxytocin",)
