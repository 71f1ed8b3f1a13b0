"""Virtual trials: the statistics, the designs, power against theory, the command."""

from pathlib import Path

import numpy as np
import pytest
import xarray as xr
from scipy import stats
from typer.testing import CliRunner

from oxysim.cli import app
from oxysim.scenario import ScenarioError
from oxysim.summaries import STATISTICS
from oxysim.trial.command import parse_sizes
from oxysim.trial.designs import crossover_fit, population_effect, run_replicates
from oxysim.trial.pool import Pool, simulate_pool, trial_scenario
from oxysim.trial.run import run_trial
from oxysim.trial.spec import Outcome, Statistic, load_trial
from oxysim.trial.statistics import least_squares, two_sample_power

runner = CliRunner()
EXAMPLES = Path(__file__).parent.parent / "examples" / "trials"

#: A small intranasal dose vs placebo, log plasma oxytocin 30 min later by extracted immunoassay:
#: a short scenario whose effect (d about 1.4) puts power mid-range at a dozen subjects.
SCENARIO = """
name: pk-pool
duration: 30 min
record_every: 5 min
seed: 1
population: {size: 10, sex: male, age: {mean: 25, sd: 3}}
arms:
  placebo: {events: [{at: 0 min, placebo: {route: intranasal}}]}
  oxytocin: {events: [{at: 0 min, oxytocin_dose: {route: intranasal, amount: 2 IU}}]}
record: [plasma_oxytocin]
"""
TRIAL = """
name: pk-trial
scenario: pk.yaml
arms: [placebo, oxytocin]
n: 12
outcome:
  {variable: plasma_oxytocin, times: [30 min], assay: plasma_oxytocin_eia_extracted, scale: log}
replicates: 2000
pool: 2000
seed: 5
"""


def _write(folder: Path, trial: str = TRIAL) -> Path:
    (folder / "pk.yaml").write_text(SCENARIO)
    path = folder / "trial.yaml"
    path.write_text(trial)
    return path


@pytest.fixture(scope="module")
def pk_pool(tmp_path_factory: pytest.TempPathFactory):
    path = _write(tmp_path_factory.mktemp("trial"))
    spec = load_trial(path)
    return spec, simulate_pool(spec, trial_scenario(spec, path))


def test_walum_typical_study_has_about_16_percent_power() -> None:
    """Walum et al. 2016: d = 0.28 with about 49 subjects in two groups."""
    assert two_sample_power(0.28, 25, 24, 0.05) == pytest.approx(0.16, abs=0.01)
    assert two_sample_power(0.0, 25, 24, 0.05) == pytest.approx(0.05, abs=1e-9)
    assert two_sample_power(0.28, 201, 201, 0.05) == pytest.approx(0.80, abs=0.01)


def test_least_squares_t_test_matches_scipy() -> None:
    rng = np.random.default_rng(0)
    y = rng.normal(size=(5, 30)) + np.r_[np.zeros(14), np.full(16, 0.7)]
    treated = np.r_[np.zeros(14), np.ones(16)]
    design = np.stack([np.ones(30), treated], axis=-1)[None].repeat(5, axis=0)
    fit = least_squares(y, design, 1)
    expected = stats.ttest_ind(y[:, 14:], y[:, :14], axis=1)
    np.testing.assert_allclose(fit.p_value, expected.pvalue, rtol=1e-10)
    np.testing.assert_allclose(fit.estimate, y[:, 14:].mean(1) - y[:, :14].mean(1), rtol=1e-10)


def test_least_squares_rank_deficient_replicate_is_nan() -> None:
    y = np.arange(8.0).reshape(2, 4)
    treated = np.array([[0, 0, 1, 1], [0, 0, 0, 0]], dtype=float)
    design = np.stack([np.ones((2, 4)), treated], axis=-1)
    fit = least_squares(y, design, 1)
    assert np.isfinite(fit.p_value[0]) and np.isnan(fit.p_value[1])


def test_outcome_statistics_match_the_summaries() -> None:
    assert set(Statistic.__args__) == set(STATISTICS)


def test_simulated_power_matches_the_analytic_t_test(pk_pool) -> None:
    """The issue's check: within 2 percentage points, 3 standard errors at 5000 replicates."""
    spec, pool = pk_pool
    result = run_trial(spec.model_copy(update={"replicates": 5000}), pool, [spec.n])
    power = float(result.power[0])
    analytic = float(result.analytic_power[0])
    assert 0.3 < analytic < 0.8
    assert power == pytest.approx(analytic, abs=0.02)


def test_same_seed_same_trials_and_winners_curse(pk_pool) -> None:
    spec, pool = pk_pool
    small = spec.model_copy(update={"replicates": 400})
    first = run_trial(small, pool, [6, 12, 24])
    second = run_trial(small, pool, [6, 12, 24])
    xr.testing.assert_identical(first, second)
    other = run_trial(small.model_copy(update={"seed": 6}), pool, [6, 12, 24])
    assert not np.array_equal(first.p_value, other.p_value)
    exaggeration = first.exaggeration.to_numpy()
    assert exaggeration[0] > 1.3 and np.all(np.diff(exaggeration) < 0)
    assert np.all(np.diff(first.power.to_numpy()) > 0)
    assert first.attrs["seed"] == spec.seed


def test_the_figure_and_the_table_show_one_mean_d_of_the_significant(pk_pool) -> None:
    import matplotlib.pyplot as plt

    from oxysim.trial.command import power_table
    from oxysim.trial.plot import _effects

    spec, pool = pk_pool
    trial = run_trial(spec.model_copy(update={"replicates": 200}), pool, [6])
    shown = f"{float(trial.mean_d_significant.sel(n=6)):.3f}"
    figure, axis = plt.subplots()
    _effects(axis, trial.sel(n=6), trial.attrs["population_d"])
    labels = axis.get_legend_handles_labels()[1]
    plt.close(figure)
    assert f"mean d | significant = {shown}" in labels
    table = power_table(trial)
    assert "mean d | significant" in [column.header for column in table.columns]
    assert shown in list(table.columns[[c.header for c in table.columns].index(
        "mean d | significant")]._cells)  # fmt: skip


def _synthetic_pool(
    outcome: np.ndarray, baseline: np.ndarray, a_alleles: np.ndarray | None = None
) -> Pool:
    """A pool with given true outcomes ``(arms, subjects)`` and baselines, sampled once."""
    samples = xr.DataArray(
        outcome[..., None], dims=("arm", "subject", "time"), coords={"time": [30.0]}
    )
    genotypes = np.zeros(outcome.shape[1], dtype=int) if a_alleles is None else a_alleles
    return Pool(samples, xr.DataArray(baseline, dims=("arm", "subject")), genotypes)


def test_ancova_variance_falls_by_one_minus_rho_squared(tmp_path: Path) -> None:
    """With a baseline correlated rho = 0.8 with the outcome, Var(estimate) x (1 - rho^2)."""
    rng = np.random.default_rng(3)
    level = rng.normal(size=4000)
    noise = rng.normal(size=4000)
    outcome = np.stack([level, level + 0.3])
    baseline = np.stack([0.8 * level + 0.6 * noise] * 2)
    pool = _synthetic_pool(outcome, baseline)
    spec = load_trial(_write(tmp_path)).model_copy(update={"outcome": _plain_outcome()})
    orders = np.argsort(rng.random((3000, 4000)), axis=1)[:, :40]
    t_test = run_replicates(spec, pool, orders, np.random.default_rng(1))
    ancova = run_replicates(
        spec.model_copy(update={"analysis": "ancova"}), pool, orders, np.random.default_rng(1)
    )
    ratio = np.var(ancova.estimate) / np.var(t_test.estimate)
    assert ratio == pytest.approx(1 - 0.8**2, abs=0.05)


def _plain_outcome() -> Outcome:
    """The outcome read as sampled: no assay, linear scale."""
    return Outcome(variable="plasma_oxytocin", times=("30 min",))


def test_crossover_analyses_equal_the_textbook_tests() -> None:
    rng = np.random.default_rng(4)
    first, second = rng.normal(size=(2, 3, 20)) + np.array([0.0, 0.5])[:, None, None]
    sequence = rng.integers(2, size=(3, 20))
    paired = crossover_fit(first, second, sequence, "t_test")
    treated = np.where(sequence == 1, first, second)
    reference = np.where(sequence == 1, second, first)
    expected = stats.ttest_rel(treated, reference, axis=1)
    np.testing.assert_allclose(paired.p_value, expected.pvalue, rtol=1e-10)
    mixed = crossover_fit(first, second, sequence, "mixed")
    for r in range(3):
        differences = second[r] - first[r]
        by_sequence = stats.ttest_ind(differences[sequence[r] == 0], differences[sequence[r] == 1])
        assert mixed.p_value[r] == pytest.approx(by_sequence.pvalue, rel=1e-10)


def test_false_positive_rate_is_alpha_without_an_effect(tmp_path: Path) -> None:
    level = np.random.default_rng(5).lognormal(0.0, 0.5, 3000)
    pool = _synthetic_pool(np.stack([level, level]), np.stack([level, level]))
    spec = load_trial(_write(tmp_path)).model_copy(
        update={"outcome": _plain_outcome(), "replicates": 4000}
    )
    result = run_trial(spec, pool, [20])
    assert float(result.power[0]) == pytest.approx(0.05, abs=0.01)


def test_gene_environment_interaction_is_recovered(tmp_path: Path) -> None:
    """Support lowers the outcome by 2 in GG subjects and by 0.5 in A carriers."""
    a_alleles = np.random.default_rng(6).binomial(2, 0.37, 600)
    lowered = np.where(a_alleles > 0, 0.5, 2.0)
    outcome = np.stack([np.full(600, 10.0), 10.0 - lowered])
    gxe = TRIAL.replace("arms: [placebo", "design: gene_environment\nn: 40\narms: [placebo")
    spec = load_trial(_write(tmp_path, gxe.replace("n: 12\n", ""))).model_copy(
        update={"outcome": _plain_outcome()}
    )
    pool = _synthetic_pool(outcome, outcome, a_alleles)
    truth = population_effect(spec, pool, np.random.default_rng(1))
    assert float(truth.estimate[0]) == pytest.approx(1.5, abs=1e-9)
    environment = spec.model_copy(update={"effect": "environment"})
    main = population_effect(environment, pool, np.random.default_rng(1))
    carriers = float(np.mean(a_alleles > 0))
    assert float(main.estimate[0]) == pytest.approx(-(2.0 + 0.5) / 2, abs=1e-9)
    assert 0 < carriers < 1


def test_results_at_a_size_do_not_depend_on_the_other_sizes(pk_pool) -> None:
    spec, pool = pk_pool
    small = spec.model_copy(update={"replicates": 200})
    alone = run_trial(small, pool, [12])
    together = run_trial(small, pool, [6, 12])
    np.testing.assert_array_equal(alone.p_value.sel(n=12), together.p_value.sel(n=12))


def test_sizes_are_distinct_and_sorted() -> None:
    assert parse_sizes("40,12,12", 49) == [12, 40]
    assert parse_sizes("20:60:20", 49) == [20, 40, 60]
    with pytest.raises(ValueError, match="8-"):
        parse_sizes("6", 49, smallest=8)


@pytest.mark.parametrize(
    ("replace", "by", "message"),
    [
        ("n: 12", "n: 12\ndesign: crossover\nanalysis: ancova", "allows mixed, t_test"),
        ("arms: [placebo, oxytocin]", "arms: [placebo, oxytocin, placebo]", "listed twice"),
        ("arms: [placebo, oxytocin]", "arms: [placebo, oxytocin, vasopressin]", "has 2 arms"),
        ("times: [30 min]", "times: [30 min], statistic: rise", "has no log"),
        ("n: 12", "n: 3000", "at least n"),
        ("n: 12", "n: 6\ndesign: factorial", "at least 8 subjects"),
        ("times: [30 min]", "times: [30 min], statistic: auc", "two sampling times"),
        ("pool: 2000", "pool: 10", "pool"),
        ("assay: plasma_oxytocin_eia_extracted", "assay: trust_game_transfer", "reads"),
        ("assay: plasma_oxytocin_eia_extracted", "assay: saliva_magic", "unknown assay"),
        (
            "n: 12",
            "n: 12\nfactors: [{name: a, arms: [placebo, oxytocin]},"
            " {name: b, arms: [oxytocin, placebo]}]",
            "factorial",
        ),
    ],
)
def test_bad_trial_files_name_the_field(
    tmp_path: Path, replace: str, by: str, message: str
) -> None:
    path = _write(tmp_path, TRIAL.replace(replace, by))
    with pytest.raises(ScenarioError, match=message):
        load_trial(path)


def test_trial_command_rejects_a_missing_arm_and_writes_nothing(tmp_path: Path) -> None:
    path = _write(tmp_path, TRIAL.replace("[placebo, oxytocin]", "[placebo, vasopressin]"))
    result = runner.invoke(app, ["trial", str(path), "-o", str(tmp_path / "out" / "trial.nc")])
    assert result.exit_code == 2
    assert "arms" in result.output and "vasopressin" in result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_trial_example_runs(example: Path, tmp_path: Path) -> None:
    args = ["trial", str(example), "--n", "20,40", "--replicates", "30", "--pool", "60"]
    result = runner.invoke(app, [*args, "-o", str(tmp_path / "trial.nc")])
    assert result.exit_code == 0, result.output
    (written,) = tmp_path.glob("*.nc")
    with xr.open_dataset(written, engine="h5netcdf") as trial:
        assert trial.sizes == {"n": 2, "replicate": 30}
        assert np.all((trial.power >= 0) & (trial.power <= 1))
    assert next(tmp_path.glob("*.png")).stat().st_size > 10_000


def test_evidence_floor_reruns_the_trial_and_reports_the_change(tmp_path: Path) -> None:
    path = _write(tmp_path)
    args = ["trial", str(path), "--n", "12", "--replicates", "50", "--pool", "40"]
    floor = ["--evidence-floor", "established", "-o", str(tmp_path / "pk-trial.nc")]
    result = runner.invoke(app, [*args, *floor])
    assert result.exit_code == 0, result.output
    assert "power at floor established" in result.output
    with (
        xr.open_dataset(tmp_path / "pk-trial.nc", engine="h5netcdf") as plain,
        xr.open_dataset(tmp_path / "pk-trial_floor_established.nc", engine="h5netcdf") as floored,
    ):
        assert (plain.attrs["evidence_floor"], floored.attrs["evidence_floor"]) == (
            "none",
            "established",
        )
        assert floored.attrs["population_d"] != plain.attrs["population_d"]
    bad = runner.invoke(app, [*args, "--evidence-floor", "rumour"])
    assert bad.exit_code == 2


def _additive_pool(n_subjects: int = 50) -> Pool:
    """Four arms whose outcome adds 1 (first factor) and 2 (second) to a subject's own level."""
    level = np.random.default_rng(0).normal(10.0, 1.0, n_subjects)
    added = np.array([0.0, 2.0, 1.0, 3.0])  # neither, second on, first on, both on
    samples = xr.DataArray(
        (level[None, :] + added[:, None])[..., None],
        dims=("arm", "subject", "time"),
        coords={"time": [0.0]},
        attrs={"units": "nmol/L"},
    )
    genotypes = np.zeros(n_subjects, dtype=int)
    return Pool(samples, samples.isel(time=0), genotypes)


@pytest.mark.parametrize(("effect", "expected"), [("a", 1.0), ("b", 2.0), ("interaction", 0.0)])
def test_factorial_main_effects_average_over_the_other_factor(
    tmp_path: Path, effect: str, expected: float
) -> None:
    factorial = TRIAL.replace(
        "arms: [placebo, oxytocin]",
        "design: factorial\narms: [neither, b_on, a_on, both]\n"
        "factors: [{name: a, arms: [a_on, both]}, {name: b, arms: [b_on, both]}]\n"
        f"effect: {effect}",
    ).replace(", assay: plasma_oxytocin_eia_extracted, scale: log", "")
    spec = load_trial(_write(tmp_path, factorial))
    truth = population_effect(spec, _additive_pool(), np.random.default_rng(1))
    assert float(truth.estimate[0]) == pytest.approx(expected, abs=1e-9)


def test_effect_is_only_for_factorial_and_gene_environment(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="only a factorial or gene_environment"):
        load_trial(_write(tmp_path, TRIAL + "effect: interaction\n"))
    gxe = TRIAL.replace("arms: [placebo", "design: gene_environment\neffect: sex\narms: [placebo")
    with pytest.raises(ScenarioError, match="environment, genotype, interaction"):
        load_trial(_write(tmp_path, gxe))


@pytest.mark.parametrize(
    ("groups", "expected"), [("carrier", 2.0), ("homozygous", 4.0), ("additive", 2.0)]
)
def test_gene_environment_groups_genotypes_as_asked(
    tmp_path: Path, groups: str, expected: float
) -> None:
    """Support helps by 1, plus 4 in AA only: each grouping sees its own share of that."""
    gxe = TRIAL.replace(
        "arms: [placebo, oxytocin]",
        f"design: gene_environment\ngenotype_groups: {groups}\narms: [alone, support]",
    ).replace(", assay: plasma_oxytocin_eia_extracted, scale: log", "")
    spec = load_trial(_write(tmp_path, gxe))
    a_alleles = np.tile([0, 1, 2], 40)
    level = np.random.default_rng(0).normal(10.0, 1.0, a_alleles.size)
    added = np.stack([np.zeros_like(level), 1.0 + 4.0 * (a_alleles == 2)])
    samples = xr.DataArray(
        (level[None, :] + added)[..., None],
        dims=("arm", "subject", "time"),
        coords={"time": [0.0]},
        attrs={"units": "nmol/L"},
    )
    truth = population_effect(
        spec, Pool(samples, samples.isel(time=0), a_alleles), np.random.default_rng(1)
    )
    # A carriers (AG 1, AA 5) vs GG 1: 2; AA 5 vs G carriers 1: 4; per A allele (1, 1, 5): 2
    assert float(truth.estimate[0]) == pytest.approx(expected, abs=1e-6)
