"""Streamed runs: chunks of subjects, written to Zarr, equal to the whole run bit for bit."""

import numpy as np
import pytest
import xarray as xr
from typer.testing import CliRunner

from oxysim import simulate
from oxysim.cli import app
from oxysim.engine.memory import MemoryPlanError, estimate_memory
from oxysim.engine.simulate import SolverOptions
from oxysim.engine.streaming import plan_chunk_subjects, simulate_chunks
from oxysim.io.netcdf import load_results
from oxysim.io.zarr import load_zarr, save_zarr_chunks
from oxysim.scenario import parse_scenario
from oxysim.summaries import summarise
from oxysim.system import STANDARD_RECORD, human_model

runner = CliRunner()
SCENARIO = """
name: streamed
duration: 90 min
record_every: 5 min
seed: 21
population: {size: 11, sex: {male: 0.5, female: 0.5}, hormonal_contraception: 0.5}
events: [{at: 20 min, stressor: {kind: tsst, duration: 15 min}}]
arms:
  placebo: {}
  oxytocin: {events: [{at: 0 min, oxytocin_dose: {route: intranasal, amount: 24 IU}}]}
"""


@pytest.fixture(scope="module")
def scenario():
    return parse_scenario(SCENARIO)


@pytest.mark.parametrize("chunk", [1, 4, 11])
def test_chunked_runs_equal_the_whole_run_bit_for_bit(scenario, chunk):
    whole = simulate(scenario, scenario_text=SCENARIO)
    chunks = list(simulate_chunks(scenario, chunk, scenario_text=SCENARIO))
    assert len(chunks) == -(-11 // chunk)
    joined = xr.concat(chunks, dim="subject")
    assert set(joined.data_vars) == set(whole.data_vars)
    for name, values in whole.data_vars.items():
        np.testing.assert_array_equal(joined[name].transpose(*values.dims).values, values.values)
    for name in whole.coords:
        np.testing.assert_array_equal(joined[name].values, whole[name].values)


def test_the_zarr_store_holds_the_whole_run(scenario, tmp_path):
    store = save_zarr_chunks(simulate_chunks(scenario, 4), tmp_path / "run.zarr")
    xr.testing.assert_equal(load_zarr(store).load(), simulate(scenario))


def test_a_failed_stream_leaves_nothing_behind(scenario, tmp_path):
    def failing():
        yield next(simulate_chunks(scenario, 4))
        raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        save_zarr_chunks(failing(), tmp_path / "run.zarr")
    assert list(tmp_path.iterdir()) == []


def test_chunks_are_sized_to_the_budget(scenario):
    solver = SolverOptions()
    n_variables = len(human_model().variables)

    def needed(subjects):
        return estimate_memory(scenario, 1.0, n_variables, len(STANDARD_RECORD), subjects).total

    assert plan_chunk_subjects(scenario, solver, 10**12) == 11
    assert plan_chunk_subjects(scenario, solver, needed(4)) == 4
    assert plan_chunk_subjects(scenario, solver, needed(5) - 1) == 4
    with pytest.raises(MemoryPlanError):
        plan_chunk_subjects(scenario, solver, needed(1) - 1)


def test_the_cli_streams_to_zarr_within_the_limit(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(SCENARIO)
    result = runner.invoke(
        app, ["run", str(path), "-o", str(tmp_path / "s.zarr"), "--memory-limit", "150KB"]
    )
    assert result.exit_code == 0, result.output
    expected = plan_chunk_subjects(parse_scenario(SCENARIO), SolverOptions(), 150_000)
    assert expected < 11 and f"{expected} subjects at a time" in result.output
    assert runner.invoke(app, ["run", str(path), "-o", str(tmp_path / "s.nc")]).exit_code == 0
    streamed, whole = load_zarr(tmp_path / "s.zarr").load(), load_results(tmp_path / "s.nc")
    xr.testing.assert_equal(streamed, whole)
    varying = {"created", "compile_seconds"}
    assert {k: v for k, v in streamed.attrs.items() if k not in varying} == {
        k: v for k, v in whole.attrs.items() if k not in varying
    }
    refused = runner.invoke(
        app, ["run", str(path), "-o", str(tmp_path / "t.zarr"), "--memory-limit", "10KB"]
    )
    assert refused.exit_code == 2 and not (tmp_path / "t.zarr").exists()


SUMMARIES = ["peak_salivary_cortisol", "auc_plasma_oxytocin", "rise_salivary_cortisol"]


def test_summaries_equal_those_of_the_recorded_run_and_keep_nothing_over_time(scenario):
    recorded = simulate(
        scenario.model_copy(update={"record": ("salivary_cortisol", "plasma_oxytocin")})
    )
    summarised = simulate(scenario.model_copy(update={"summaries": tuple(SUMMARIES)}))
    assert "time" not in summarised.dims
    assert set(summarised.data_vars) >= set(SUMMARIES)
    for name in SUMMARIES:
        xr.testing.assert_equal(summarised[name], summarise(recorded, name))
        assert summarised[name].dims == ("arm", "subject")
    chunks = simulate_chunks(scenario.model_copy(update={"summaries": tuple(SUMMARIES)}), 3)
    joined = xr.concat(list(chunks), dim="subject")
    for name in SUMMARIES:
        np.testing.assert_array_equal(joined[name].values, summarised[name].values)


def test_summaries_named_badly_are_refused_with_their_line():
    from oxysim.scenario import ScenarioError

    text = SCENARIO + "summaries: [peak_salivary_cortisol, top_plasma_oxytocin]\n"
    with pytest.raises(ScenarioError, match=r"summaries\[1\]: unknown summary 'top_plasma"):
        parse_scenario(text, known_variables=human_model().variables)


def test_a_target_that_is_not_a_store_and_the_reference_solver_are_refused(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(SCENARIO)
    notes = tmp_path / "notes.zarr"
    notes.mkdir()
    (notes / "keep.txt").write_text("mine")
    result = runner.invoke(app, ["run", str(path), "-o", str(notes)])
    assert result.exit_code == 2 and "not a Zarr store" in result.output
    assert (notes / "keep.txt").read_text() == "mine"
    reference = ["run", str(path), "-o", str(tmp_path / "r.zarr"), "--solver", "reference"]
    result = runner.invoke(app, reference)
    assert result.exit_code == 2 and not (tmp_path / "r.zarr").exists()
