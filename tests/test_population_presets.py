"""Population presets: reproducible sampling, genotype and attachment shares, hormone spreads."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from oxysim.engine.simulate import simulate
from oxysim.population import SUBJECT_COLUMNS, sample_population
from oxysim.population.covariates import BASELINE_LEVELS, reproductive_state, typical_hormones
from oxysim.population.presets import (
    HORMONES,
    hardy_weinberg,
    hormone_sigmas,
    lognormal_sigma,
    population_presets,
    preset_names,
)
from oxysim.scenario import PopulationSpec, ScenarioError, parse_scenario

DOCS = Path(__file__).parents[1] / "docs" / "populations.md"
SIZE = 10_000
SEED = 20240
#: Smallest p-value of a goodness-of-fit test accepted as "within sampling error".
ALPHA = 1e-3


def draw(spec: PopulationSpec, seed: int = SEED) -> dict[str, np.ndarray]:
    return sample_population(spec, np.random.default_rng(seed))


@pytest.fixture(scope="module", params=preset_names())
def preset_sample(request: pytest.FixtureRequest) -> tuple[str, dict[str, np.ndarray]]:
    name = request.param
    return name, draw(PopulationSpec(preset=name, size=SIZE))


def assert_shares_match(values: np.ndarray, expected: dict[str, float]) -> None:
    """Chi-square goodness of fit of the observed categories to the expected shares."""
    categories = list(expected)
    observed = np.array([np.sum(values == c) for c in categories])
    assert observed.sum() == len(values), "a category outside the expected ones"
    result = stats.chisquare(observed, np.array(list(expected.values())) * len(values))
    assert result.pvalue > ALPHA, (observed, expected)


def test_there_are_european_east_asian_and_african_presets() -> None:
    assert {"european", "east_asian", "african"} <= set(preset_names())
    documented = DOCS.read_text()
    for name, preset in population_presets().items():
        assert preset.rs53576_a_allele.source and preset.rs53576_a_allele.grade
        assert f"`{name}`" in documented and f"`{name}`" in (PopulationSpec.__doc__ or ""), name


def test_same_seed_gives_identical_population(preset_sample) -> None:
    name, table = preset_sample
    again = draw(PopulationSpec(preset=name, size=SIZE))
    assert list(again) == list(SUBJECT_COLUMNS)
    for column in SUBJECT_COLUMNS:
        np.testing.assert_array_equal(again[column], table[column], err_msg=column)


def test_another_seed_gives_another_population() -> None:
    spec = PopulationSpec(preset="european", size=SIZE)
    first, other = draw(spec), draw(spec, SEED + 1)
    assert not np.array_equal(first["rs53576"], other["rs53576"])
    assert not np.allclose(first["testosterone"], other["testosterone"])


def test_genotypes_match_hardy_weinberg_frequencies(preset_sample) -> None:
    name, table = preset_sample
    a_allele = population_presets()[name].rs53576_a_allele.value
    assert_shares_match(table["rs53576"], hardy_weinberg(a_allele))
    copies = {"GG": 0, "AG": 1, "AA": 2}
    observed = np.mean([copies[g] for g in table["rs53576"]]) / 2
    standard_error = math.sqrt(a_allele * (1 - a_allele) / (2 * SIZE))
    assert abs(observed - a_allele) < 4 * standard_error


def test_attachment_shares_are_the_renormalised_survey_shares(preset_sample) -> None:
    _, table = preset_sample
    # Mickelson 1997: 59 % secure, 25 % avoidant, 11 % anxious; 5 % unclassified left out.
    expected = {"secure": 0.59 / 0.95, "avoidant": 0.25 / 0.95, "anxious": 0.11 / 0.95}
    assert_shares_match(table["attachment"], expected)


def test_sex_is_even_and_ages_span_adulthood(preset_sample) -> None:
    _, table = preset_sample
    assert_shares_match(table["sex"], {"male": 0.5, "female": 0.5})
    assert table["age"].min() >= 18 and table["age"].max() <= 65
    women = table["sex"] == "female"
    np.testing.assert_array_equal(table["menopausal"], women & (table["age"] >= 51))


def test_hormone_spread_is_recovered_for_each_state(preset_sample) -> None:
    _, table = preset_sample
    typical = typical_hormones(table)
    states = reproductive_state(table)
    for hormone in HORMONES:
        for state, sigma in hormone_sigmas(hormone).items():
            log_ratio = np.log(table[hormone][states == state] / typical[hormone][states == state])
            n = len(log_ratio)
            assert n > 300, (state, n)
            assert abs(np.median(log_ratio)) < 4 * 1.25 * sigma / math.sqrt(n), (hormone, state)
            assert abs(log_ratio.std() - sigma) < 4 * sigma / math.sqrt(2 * n), (hormone, state)


def test_sourced_intervals_give_the_expected_sigma() -> None:
    # Travison 2017: 2.5th-97.5th percentile 264-916 ng/dL in young men.
    sigma = lognormal_sigma({"low": 264, "high": 916, "coverage": 0.95})
    assert sigma == pytest.approx(math.log(916 / 264) / (2 * 1.959964), rel=1e-6)
    cv = math.sqrt(math.exp(lognormal_sigma({"cv": 0.5}) ** 2) - 1)
    assert cv == pytest.approx(0.5)
    assert sum(hardy_weinberg(0.37).values()) == pytest.approx(1.0)
    assert hardy_weinberg(0.37)["AA"] == pytest.approx(0.1369)


def test_keys_beside_a_preset_override_it() -> None:
    spec = PopulationSpec(preset="east_asian", size=SIZE, sex="female", hormone_variability=False)
    table = draw(spec)
    assert set(table["sex"]) == {"female"}
    assert np.isnan(table["estradiol"]).all()
    assert_shares_match(table["rs53576"], hardy_weinberg(0.62))


def test_plain_population_leaves_hormones_to_the_model() -> None:
    spec = PopulationSpec(size=50, sex={"male": 0.5, "female": 0.5})
    assert spec.hormone_variability is False
    table = draw(spec)
    for hormone in HORMONES:
        assert np.isnan(table[hormone]).all()
    assert np.isfinite(
        draw(spec.model_copy(update={"hormone_variability": True}))["estradiol"]
    ).all()


def test_unknown_preset_is_rejected_with_the_choices() -> None:
    text = "name: x\nduration: 10 min\npopulation: {preset: martian, size: 5}\n"
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text)
    (issue,) = caught.value.issues
    assert issue.field == "population.preset"
    assert "martian" in issue.message
    for name in preset_names():
        assert name in issue.message


def test_sampled_subjects_and_seed_are_written_to_the_results() -> None:
    text = (
        "name: presets\nduration: 10 min\nrecord_every: 5 min\nseed: 3\n"
        "population: {preset: african, size: 12}\nrecord: [testosterone]\n"
    )
    scenario = parse_scenario(text)
    results = simulate(scenario, submodels=("endocrine",))
    assert results.attrs["seed"] == 3
    assert len(results.subject) == 12
    for column in SUBJECT_COLUMNS[1:]:
        name = f"baseline_{column}" if column in BASELINE_LEVELS else column
        assert results[name].dims == ("subject",), column
    drawn = results["baseline_testosterone"].values
    assert np.isfinite(drawn).all() and np.unique(drawn).size == 12
    # The drawn levels reach the model: serum testosterone starts at each subject's own level.
    np.testing.assert_allclose(results["testosterone"].values[0, :, 0], drawn, rtol=1e-3)
    again = simulate(scenario, submodels=("endocrine",))
    np.testing.assert_array_equal(
        again["baseline_estradiol"].values, results["baseline_estradiol"].values
    )
