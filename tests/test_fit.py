"""`oxysim fit`: interval calibration, parameter recovery, identifiability flags, bad input.

The intervals, the batching and its error paths are checked fast, on a model linear in its
parameters (no simulation), against the exact regression intervals. Every simulation of oxysim
costs seconds whatever its batch size, so the slow checks share one fit: the example
(examples/fit_pk.yaml, a 1 IU IV bolus) with data simulated at known values
(plasma_clearance 1.5 L/min, central_volume 7 L; declared 1.12 and 5) plus 10 % log-normal noise
(seed 11), fitted together with a parameter that cannot affect the data (nasal_absorption_rate:
no intranasal dose).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
import yaml
from scipy.stats import t as student_t
from typer.testing import CliRunner

from oxysim.cli import app
from oxysim.evidence.floor import current_floor, evidence_floor
from oxysim.fitting import FitOptions, fit_parameters, read_data
from oxysim.fitting.batching import FitOutcome, FitProblem, fit_all
from oxysim.fitting.data import DataError, FitData
from oxysim.fitting.fit import MIN_REPLICATES
from oxysim.fitting.identifiability import local_diagnostics
from oxysim.fitting.intervals import bootstrap_intervals, profile_intervals, wald_intervals
from oxysim.fitting.objective import Objective
from oxysim.fitting.synthetic import synthetic_rows
from oxysim.model.parameters import GRADES
from oxysim.scenario import Scenario, load_scenario
from oxysim.system import human_model

runner = CliRunner()
EXAMPLES = Path(__file__).parent.parent / "examples"
SCENARIO = EXAMPLES / "fit_pk.yaml"
DATA = EXAMPLES / "data" / "fit_pk.csv"
TRUTH = {"plasma_clearance": 1.5, "central_volume": 7.0}
DECLARED = {"plasma_clearance": 1.12, "central_volume": 5.0}
TIMES = [0, 6, 7, 8, 10, 12, 15, 20, 25, 30, 40, 50, 60]
NOISE_CV, NOISE_SEED = 0.1, 11
NO_EFFECT = "nasal_absorption_rate"
#: Largest relative error of a recovered estimate (the noise gives about 3-5 % standard error).
RECOVERY_TOLERANCE = 0.10
UNITS = {name: variable.unit for name, variable in human_model().variables.items()}
#: Data sets drawn to measure the coverage of an interval (binomial SD 0.007 at 0.95).
COVERAGE_DATASETS = 1000


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
    assert document["attrs"]["condition_number"] is None  # infinite: JSON has no Infinity
    assert f"{NO_EFFECT} has no effect on these data" in " ".join(output.split())
    assert "warning:" in output
    assert "local minimum" not in output  # the profile fits found nothing better than the fit


def _one_compartment(self: Objective, internal: np.ndarray) -> np.ndarray:
    """Log plasma oxytocin of a 1000 pg bolus at 5 min in one compartment (no simulation)."""
    values = {
        **DECLARED,
        **dict(zip([p.name for p in self.parameters], self.natural(internal).T, strict=True)),
    }
    clearance, volume = (np.reshape(values[name], (-1, 1)) for name in DECLARED)
    after = np.maximum(self.data.time - 5.0, 0.0)
    return np.log(1000.0 / volume) - clearance / volume * after


@pytest.fixture
def fast_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Scenario, FitData]:
    """The example scenario with an analytic model in place of the simulation, and its data."""
    monkeypatch.setattr(Objective, "predict", _one_compartment)
    times = np.array(TIMES[1:], dtype=float)
    clearance, volume = TRUTH["plasma_clearance"], TRUTH["central_volume"]
    clean = 1000.0 / volume * np.exp(-clearance / volume * (times - 5.0))
    noisy = clean * np.exp(np.random.default_rng(NOISE_SEED).normal(0.0, NOISE_CV, times.size))
    rows = [
        f"mean,default,{t:g},plasma_oxytocin,{v:.4g},pg/mL\n"
        for t, v in zip(times, noisy, strict=True)
    ]
    data = tmp_path / "analytic.csv"
    data.write_text(CSV_HEADER + "".join(rows))
    scenario = load_scenario(SCENARIO)
    return scenario, read_data(data, scenario, UNITS)


def test_bootstrap_intervals_record_the_seed_and_warn_below_1000(
    fast_model: tuple[Scenario, FitData],
) -> None:
    scenario, data = fast_model
    # the fewest replicates allowed, to keep the test fast: the results warn about it
    options = FitOptions(intervals="bootstrap", replicates=MIN_REPLICATES, seed=3)
    fit = fit_parameters(scenario, data, list(TRUTH), options=options)
    again = fit_parameters(scenario, data, list(TRUTH), options=options)
    assert fit.attrs["seed"] == 3 and fit.attrs["replicates"] == MIN_REPLICATES
    assert fit.attrs["replicates_converged"] == MIN_REPLICATES
    assert fit.bootstrap_estimate.shape == (MIN_REPLICATES, 2)
    np.testing.assert_array_equal(fit.bootstrap_estimate, again.bootstrap_estimate)
    assert f"only {MIN_REPLICATES} bootstrap replicates" in fit.attrs["warnings"]
    for name, truth in TRUTH.items():
        row = fit.sel(parameter=name)
        assert abs(float(row.estimate) / truth - 1) < RECOVERY_TOLERANCE
        assert float(row.lower) < float(row.estimate) < float(row.upper)
    # 10 % noise on 12 points: standard errors of a few per cent
    spread = fit.bootstrap_estimate.std("replicate").values / fit.estimate.values
    assert np.all((spread > 0.005) & (spread < 0.2)), spread


def test_one_parameter_fit_has_a_profile_interval(fast_model: tuple[Scenario, FitData]) -> None:
    scenario, data = fast_model
    fit = fit_parameters(scenario, data, ["plasma_clearance"])
    # the volume stays at its declared 5 L, so the clearance absorbs the misfit; the profile of a
    # single parameter is its sum of squares alone (no refits)
    row = fit.sel(parameter="plasma_clearance")
    assert float(row.lower) < float(row.estimate) < float(row.upper)
    assert int(row.identifiable) == 1
    assert fit.correlation.shape == (1, 1)


def test_profile_fits_that_fail_are_left_out_with_a_warning(
    fast_model: tuple[Scenario, FitData], monkeypatch: pytest.MonkeyPatch
) -> None:
    scenario, data = fast_model

    def breaks_at_high_clearance(self: Objective, internal: np.ndarray) -> np.ndarray:
        values = _one_compartment(self, internal)
        values[self.natural(np.atleast_2d(internal))[:, 0] > 1.9] = np.nan
        return values

    monkeypatch.setattr(Objective, "predict", breaks_at_high_clearance)
    fit = fit_parameters(scenario, data, list(TRUTH))
    # the grid point at the declared upper bound of the clearance (2 L/min) cannot be fitted
    assert "profile fits did not converge and were left out" in fit.attrs["warnings"]
    row = fit.sel(parameter="plasma_clearance")
    assert float(row.lower) < float(row.estimate) < float(row.upper) < 1.9


def test_non_finite_model_at_the_declared_values_is_an_error(
    fast_model: tuple[Scenario, FitData], monkeypatch: pytest.MonkeyPatch
) -> None:
    scenario, data = fast_model
    monkeypatch.setattr(Objective, "predict", lambda self, x: np.full((len(x), data.size), np.nan))
    with pytest.raises(FloatingPointError, match="non-finite values at the start"):
        fit_parameters(scenario, data, list(TRUTH))


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
        (["--params", "plasma_clearance", "--replicates", "3"], DATA, "at least 40"),
        (["--params", "plasma_clearance", "--replicates", "100000"], DATA, "at most 2000"),
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


# --- Fast checks with a model linear in its parameters (no simulation) ---------------------------
#
# For y = X b + Gaussian noise the exact 95 % interval of each coefficient is
# b_hat +- t_0.975(n - p) SE; the profile and Wald intervals must reproduce it.

LINEAR_TRUTH = np.array([1.0, 0.5])
LINEAR_NOISE_SD = 0.3
WIDE = (np.full(2, -100.0), np.full(2, 100.0))


@dataclass(frozen=True)
class LinearCase:
    """Data from a straight line in time, and the exact regression results."""

    design: np.ndarray
    observed: np.ndarray

    @classmethod
    def draw(cls, n: int, rng: np.random.Generator, columns: int = 2) -> LinearCase:
        design = np.column_stack([np.ones(n), np.linspace(0.0, 1.0, n)])[:, -columns:]
        noise = rng.normal(0.0, LINEAR_NOISE_SD, n)
        return cls(design, design @ LINEAR_TRUTH[-columns:] + noise)

    def predict(self, points: np.ndarray) -> np.ndarray:
        return points @ self.design.T

    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        p = self.design.shape[1]
        return WIDE[0][:p], WIDE[1][:p]

    def exact(self) -> tuple[np.ndarray, np.ndarray]:
        """Least-squares coefficients and the half-width of their exact t interval."""
        n, p = self.design.shape
        coefficients, ssr, *_ = np.linalg.lstsq(self.design, self.observed)
        covariance = ssr[0] / (n - p) * np.linalg.inv(self.design.T @ self.design)
        return coefficients, student_t.ppf(0.975, n - p) * np.sqrt(np.diag(covariance))

    def fit(self) -> tuple[FitOutcome, np.ndarray]:
        p = self.design.shape[1]
        problem = FitProblem(np.zeros(p), np.ones(p, dtype=bool), self.observed)
        (estimate,) = fit_all([problem], self.bounds(), self.predict)
        local = local_diagnostics(estimate.jacobian, estimate.residuals, ["a", "b"][-p:])
        return estimate, local.covariance


@pytest.mark.parametrize(("n", "columns"), [(8, 2), (13, 2), (6, 1)])
def test_profile_and_wald_intervals_are_the_exact_t_interval(n: int, columns: int) -> None:
    case = LinearCase.draw(n, np.random.default_rng(n), columns)
    coefficients, half = case.exact()
    estimate, covariance = case.fit()
    np.testing.assert_allclose(estimate.x, coefficients, atol=1e-6)
    profile = profile_intervals(estimate, covariance, case.bounds(), case.predict)
    wald = wald_intervals(estimate, covariance, case.bounds())
    for found in (profile, wald):
        # least_squares stops at relative tolerances of 1e-4: ends within 0.1 % of the width
        np.testing.assert_allclose(found.lower, coefficients - half, atol=1e-3 * half.max())
        np.testing.assert_allclose(found.upper, coefficients + half, atol=1e-3 * half.max())
        assert not found.lower_open.any() and not found.upper_open.any()
    assert profile.not_converged == 0 and not profile.lower_fit_found


def test_wald_coverage_is_95_percent_with_8_observations() -> None:
    rng = np.random.default_rng(8)
    cases = [LinearCase.draw(8, rng) for _ in range(COVERAGE_DATASETS)]
    # the same times in every data set: one batched fit of them all
    problems = [FitProblem(np.zeros(2), np.ones(2, bool), c.observed) for c in cases]
    covered = []
    for estimate in fit_all(problems, WIDE, cases[0].predict):
        covariance = local_diagnostics(estimate.jacobian, estimate.residuals, ["a", "b"]).covariance
        wald = wald_intervals(estimate, covariance, WIDE)
        covered.append((wald.lower < LINEAR_TRUTH) & (wald.upper > LINEAR_TRUTH))
    # binomial SD 0.007; the chi-square / normal calibration gave 0.90 here
    np.testing.assert_allclose(np.mean(covered, axis=0), 0.95, atol=0.02)


def test_bootstrap_spread_matches_the_regression_standard_error() -> None:
    case = LinearCase.draw(13, np.random.default_rng(13))
    coefficients, half = case.exact()
    se = half / student_t.ppf(0.975, 11)
    estimate, _ = case.fit()
    rng = np.random.default_rng(5)
    found = bootstrap_intervals(estimate, np.zeros(13, int), 400, rng, case.bounds(), case.predict)
    assert found.replicates is not None and found.replicates.shape == (400, 2)
    assert found.not_converged == 0
    # the SD of 400 replicates is within about 4 % of the truth (1 / sqrt(2 * 400)); the
    # resampled residuals have variance SSR / n, not SSR / (n - p), without the inflation
    np.testing.assert_allclose(found.replicates.std(axis=0), se, rtol=0.12)
    # percentile ends about 1.96 SE from the estimate (normal, not t: narrower with few data)
    for end, sign in ((found.lower, -1), (found.upper, 1)):
        distance = sign * (end - coefficients) / se
        assert np.all((distance > 1.5) & (distance < 2.4)), distance


def test_a_failing_profile_fit_is_left_out_and_counted() -> None:
    case = LinearCase.draw(13, np.random.default_rng(1))
    estimate, covariance = case.fit()

    def breaks_above_3(points: np.ndarray) -> np.ndarray:
        values = case.predict(points)
        values[points[:, 1] > 3.0] = np.nan  # the slope's declared upper bound lies beyond
        return values

    bounds = (np.array([-100.0, -100.0]), np.array([100.0, 5.0]))
    found = profile_intervals(estimate, covariance, bounds, breaks_above_3)
    coefficients, half = case.exact()
    assert found.not_converged >= 1  # the grid point at the bound 5
    np.testing.assert_allclose(found.upper, coefficients + half, atol=1e-3 * half.max())
    (outcome,) = fit_all(
        [FitProblem(np.array([0.0, 4.0]), np.ones(2, bool), case.observed)], bounds, breaks_above_3
    )
    assert not outcome.converged and outcome.sum_of_squares == np.inf


def _finishes(target: Callable[[], object], timeout: float = 10.0) -> Exception | None:
    """Run ``target`` in a thread; the error it raised, failing the test if it hangs."""
    raised: list[Exception] = []

    def run() -> None:
        try:
            target()
        except Exception as error:  # handed back to the test
            raised.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout)
    assert not thread.is_alive(), "fit_all hangs"
    return raised[0] if raised else None


def _three_fits(case: LinearCase) -> list[FitProblem]:
    return [FitProblem(np.full(2, start), np.ones(2, bool), case.observed) for start in (0, 1, 2)]


def test_a_failing_prediction_reaches_every_fit_without_a_hang() -> None:
    case = LinearCase.draw(8, np.random.default_rng(2))

    def broken(points: np.ndarray) -> np.ndarray:
        raise RuntimeError("solver exploded")

    error = _finishes(lambda: fit_all(_three_fits(case), case.bounds(), broken))
    assert isinstance(error, RuntimeError) and "solver exploded" in str(error)


def test_a_failing_progress_callback_raises_without_a_hang() -> None:
    case = LinearCase.draw(8, np.random.default_rng(3))
    rounds = []

    def progress() -> None:
        rounds.append(1)
        if len(rounds) == 2:
            raise RuntimeError("progress bar closed")

    error = _finishes(lambda: fit_all(_three_fits(case), case.bounds(), case.predict, progress))
    assert isinstance(error, RuntimeError) and "progress bar closed" in str(error)


def test_the_evidence_floor_reaches_predictions_in_fitting_threads() -> None:
    case = LinearCase.draw(8, np.random.default_rng(4))
    seen = set()

    def predict(points: np.ndarray) -> np.ndarray:
        seen.add(current_floor())
        return case.predict(points)

    floor = GRADES[1]
    with evidence_floor(floor):
        fit_all(_three_fits(case), case.bounds(), predict)
    assert seen == {floor}
