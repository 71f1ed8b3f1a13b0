"""Measurement models: noise, limits, the extraction problem, rating scales, reproducibility."""

import numpy as np
import pytest
import xarray as xr
from typer.testing import CliRunner

from oxysim.cli import app
from oxysim.measurement import assay_catalogue, measure
from oxysim.system import human_model


def constant(value: float, n: int = 20_000, unit: str | None = None) -> xr.DataArray:
    attrs = {} if unit is None else {"units": unit}
    return xr.DataArray(np.full(n, value), dims=("subject",), attrs=attrs)


def population(n: int, seed: int) -> xr.DataArray:
    """Resting extracted-scale plasma oxytocin: log-normal, median 3.2 pg/mL, CV 50 %."""
    rng = np.random.default_rng(seed)
    values = 3.2 * rng.lognormal(0.0, 0.47, n)
    return xr.DataArray(values, dims=("subject",), name="plasma_oxytocin")


def test_every_assay_reads_a_model_variable_in_its_unit() -> None:
    variables = human_model().variables
    for assay in assay_catalogue().values():
        assert assay.variable in variables, assay.name
        assert variables[assay.variable].unit == assay.variable_unit, assay.name
        assert all(p.name.startswith(f"{assay.name}.") for p in assay.parameters)


@pytest.mark.parametrize(
    "name, true_value",
    [
        ("salivary_cortisol_lcmsms", 12.0),
        ("plasma_oxytocin_eia_extracted", 20.0),
        ("plasma_oxytocin_ria_extracted", 20.0),
    ],
)
def test_empirical_cv_of_repeats_matches_declared_cv(name: str, true_value: float) -> None:
    declared = assay_catalogue()[name].noise.cv.value
    measured = measure(constant(true_value), name, np.random.default_rng(1)).to_numpy()
    empirical = measured.std() / measured.mean()
    assert empirical == pytest.approx(declared, rel=0.05)
    assert measured.mean() == pytest.approx(true_value, rel=0.01)


def test_cortisol_immunoassay_reads_the_published_bias_above_lcmsms() -> None:
    # AACC abstract A-030: ELISA above LC-MS/MS by a mean 3.4 nmol/L
    true = constant(8.0, unit="nmol/L")
    elisa = measure(true, "salivary_cortisol_immunoassay", np.random.default_rng(2))
    lcms = measure(true, "salivary_cortisol_lcmsms", np.random.default_rng(3))
    assert float(elisa.mean() - lcms.mean()) == pytest.approx(3.4, abs=0.15)


def test_values_below_lloq_are_censored_and_flagged() -> None:
    lloq = assay_catalogue()["salivary_cortisol_lcmsms"].limits[0]
    true = xr.DataArray([0.1, 0.2, 12.0, 500.0], dims=("subject",))
    result = measure(true, "salivary_cortisol_lcmsms", np.random.default_rng(4))
    assert result.censored.to_numpy().tolist() == [True, True, False, True]
    assert result.to_numpy()[:2].tolist() == [lloq, lloq]
    assert result.to_numpy()[3] == 100.0
    assert result.attrs["units"] == "nmol/L"
    assert result.attrs["assay"] == "salivary_cortisol_lcmsms"


def test_unextracted_oxytocin_reads_100_fold_higher_and_uncorrelated() -> None:
    # Szeto 2011 (n = 39): unextracted EIA > 100-fold extracted, Spearman rho = -0.10.
    # McCullough 2013: unextracted values 10-100 times the extracted ones.
    true = population(4000, seed=5)
    extracted = measure(true, "plasma_oxytocin_eia_extracted", np.random.default_rng(6))
    unextracted = measure(true, "plasma_oxytocin_eia_unextracted", np.random.default_rng(7))
    fold = float(unextracted.median() / extracted.median())
    assert 80 <= fold <= 150
    r_unextracted = np.corrcoef(true, unextracted)[0, 1]
    r_extracted = np.corrcoef(true, extracted)[0, 1]
    assert abs(r_unextracted) < 0.1  # 95 % interval of rho = -0.10 at n = 39 spans 0
    assert r_extracted > 0.9


def test_interference_is_a_property_of_the_person_not_the_draw() -> None:
    true = xr.DataArray(np.full((500, 2), 3.0), dims=("subject", "time"), name="plasma_oxytocin")
    reading = measure(true, "plasma_oxytocin_eia_unextracted", np.random.default_rng(8))
    first, second = reading.isel(time=0), reading.isel(time=1)
    # only the 15 % analytic CV separates the two samples of one person
    ratio = (second / first).to_numpy()
    assert np.std(np.log(ratio)) == pytest.approx(np.sqrt(2 * np.log1p(0.15**2)), rel=0.1)


def test_likert_scores_are_integers_in_range_and_track_the_latent_value() -> None:
    latent = xr.DataArray(np.repeat([0.2, 0.5, 0.8], 4000), dims=("subject",), name="craving")
    score = measure(latent, "craving_pacs", np.random.default_rng(9))
    values = score.to_numpy()
    assert np.array_equal(values, np.rint(values))
    assert values.min() >= 0 and values.max() <= 30
    means = score.groupby(latent.rename("level")).mean().to_numpy()
    np.testing.assert_allclose(means, 30 * np.array([0.2, 0.5, 0.8]), atol=0.3)


def test_scale_floor_and_ceiling_are_flagged() -> None:
    latent = xr.DataArray([-1.0, 0.5, 2.0], dims=("subject",), name="pair_bond_strength")
    score = measure(latent, "closeness_ios", np.random.default_rng(10))
    assert score.to_numpy().tolist()[0::2] == [1.0, 7.0]
    assert score.censored.to_numpy().tolist() == [True, False, True]


def test_trust_game_transfers_take_the_published_values() -> None:
    invest = xr.DataArray(np.linspace(0, 1, 1000), dims=("subject",), name="investment_fraction")
    transfer = measure(invest, "trust_game_transfer", np.random.default_rng(11))
    assert set(np.unique(transfer)) <= {0.0, 4.0, 8.0, 12.0}
    assert float(transfer.mean()) == pytest.approx(6.0, abs=0.3)


def test_same_seed_same_output_and_dataset_input() -> None:
    results = xr.Dataset({"plasma_oxytocin": population(100, seed=12)})
    first = measure(results, "plasma_oxytocin_eia_unextracted", np.random.default_rng(13))
    again = measure(results, "plasma_oxytocin_eia_unextracted", np.random.default_rng(13))
    other = measure(results, "plasma_oxytocin_eia_unextracted", np.random.default_rng(14))
    xr.testing.assert_identical(first, again)
    assert not np.array_equal(first, other)


def test_unknown_assay_and_missing_variable_are_named() -> None:
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="unknown assay 'elisa'.*salivary_cortisol_lcmsms"):
        measure(constant(1.0), "elisa", rng)
    with pytest.raises(ValueError, match="'salivary_cortisol'.*lacks"):
        measure(xr.Dataset({"craving": constant(1.0)}), "salivary_cortisol_lcmsms", rng)
    with pytest.raises(ValueError, match="in 'nmol/L', got 'ug/dL'"):
        measure(constant(1.0, unit="ug/dL"), "salivary_cortisol_lcmsms", rng)


def test_cli_lists_the_assays() -> None:
    result = CliRunner().invoke(app, ["assays"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    for name in assay_catalogue():
        assert name in result.output
