"""Quantile bands: within a bin of numpy's quantiles, and the same however a run is cut."""

import numpy as np
import pytest
import xarray as xr

from oxysim import simulate
from oxysim.bands import GROWTH, QUANTILES, BandCounts
from oxysim.engine.streaming import simulate_chunks
from oxysim.io.zarr import load_zarr, save_zarr_chunks
from oxysim.scenario import ScenarioError, parse_scenario
from oxysim.system import human_model

#: Half a bin: the largest relative distance of a band from the exact quantile.
HALF_BIN = np.sqrt(GROWTH) - 1
SCENARIO = """
name: banded
duration: 120 min
record_every: 5 min
seed: 8
population: {size: 40, sex: {male: 0.5, female: 0.5}}
events: [{at: 30 min, stressor: {kind: tsst, duration: 15 min}}]
arms:
  placebo: {}
  oxytocin: {events: [{at: 0 min, oxytocin_dose: {route: intranasal, amount: 24 IU}}]}
bands: [salivary_cortisol, plasma_oxytocin]
"""


def lower_quantiles(values: np.ndarray) -> np.ndarray:
    """numpy's quantiles of ``values[subject, ...]`` taking the lower of two neighbours."""
    return np.quantile(values, QUANTILES, axis=0, method="lower")


def test_counts_give_the_quantiles_within_half_a_bin() -> None:
    rng = np.random.default_rng(1)
    values = rng.lognormal(2.0, 1.0, size=(1000, 7))
    values[:50, 3] = 0.0
    values[:300, 5] *= -1.0  # negative values are binned by magnitude
    counts = BandCounts(7)
    counts.add(0, values[:400])
    counts.add(0, values[400:])
    exact = lower_quantiles(values)
    relative = np.abs(counts.quantiles() - exact) / np.maximum(np.abs(exact), 1e-12)
    assert float(relative.max()) <= HALF_BIN
    # chunks of subjects and windows of time add up to the same counts, bit for bit
    windows = BandCounts(7)
    windows.add(0, values[:, :3])
    windows.add(3, values[:, 3:])
    np.testing.assert_array_equal(windows.quantiles(), counts.quantiles())


def test_non_finite_values_are_refused() -> None:
    with pytest.raises(ValueError, match="finite"):
        BandCounts(2).add(0, np.array([[1.0, np.nan]]))


@pytest.fixture(scope="module")
def with_records() -> xr.Dataset:
    scenario = parse_scenario(SCENARIO + "record: [salivary_cortisol, plasma_oxytocin]\n")
    return simulate(scenario)


def test_bands_follow_the_recorded_courses(with_records: xr.Dataset) -> None:
    band = with_records.band_salivary_cortisol
    assert band.dims == ("arm", "quantile", "time")
    assert band["quantile"].values.tolist() == list(QUANTILES)
    assert band.attrs["units"] == with_records.salivary_cortisol.attrs["units"]
    for name in ("salivary_cortisol", "plasma_oxytocin"):
        courses = with_records[name].transpose("subject", "arm", "time").values
        exact = np.moveaxis(lower_quantiles(courses), 0, 1)  # arm, quantile, time
        relative = np.abs(with_records[f"band_{name}"].values - exact) / exact
        assert float(relative.max()) <= HALF_BIN, name


def test_bands_without_records_equal_them_and_stream_the_same(
    with_records: xr.Dataset, tmp_path
) -> None:
    scenario = parse_scenario(SCENARIO)
    alone = simulate(scenario)
    assert "salivary_cortisol" not in alone  # no course per subject is kept
    for name in ("band_salivary_cortisol", "band_plasma_oxytocin"):
        xr.testing.assert_equal(alone[name], with_records[name])
    store = save_zarr_chunks(simulate_chunks(scenario, 7), tmp_path / "bands.zarr")
    streamed = load_zarr(store).load()
    for name in ("band_salivary_cortisol", "band_plasma_oxytocin"):
        xr.testing.assert_equal(streamed[name], alone[name])


def test_unknown_band_variables_are_refused_with_their_line() -> None:
    text = SCENARIO.replace("plasma_oxytocin]", "plasma_happiness]")
    with pytest.raises(ScenarioError, match=r":11: bands\[1\]: unknown variable 'plasma_happ"):
        parse_scenario(text, known_variables=human_model().variables)


def test_bands_are_plotted_as_median_and_quartiles(tmp_path) -> None:
    from oxysim.plotting import plot_results

    alone = simulate(parse_scenario(SCENARIO))
    plot_results(alone, tmp_path / "bands.png")
    assert (tmp_path / "bands.png").stat().st_size > 10_000
    with pytest.raises(ValueError, match="no subjects to group"):
        plot_results(alone, tmp_path / "by_sex.png", by="sex")


def test_a_run_without_courses_writes_its_file_from_the_command_line(tmp_path) -> None:
    from typer.testing import CliRunner

    from oxysim.cli import app

    path = tmp_path / "bands.yaml"
    path.write_text(SCENARIO.replace("size: 40", "size: 4"))
    output = tmp_path / "bands.nc"
    result = CliRunner().invoke(app, ["run", str(path), "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert "band_salivary_cortisol" in xr.open_dataset(output)
