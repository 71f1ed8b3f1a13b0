"""Sweeps: layout, same subjects, sampled points, resuming, bad files, and a killed Dask worker."""

import os
import signal
import threading
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
import yaml
from typer.testing import CliRunner

from oxysim.cli import app
from oxysim.scenario import ScenarioError
from oxysim.sweep import load_sweep, run_sweep
from oxysim.sweep.points import parse_field_path
from oxysim.sweep.reference import sweep_markdown
from oxysim.sweep.run import SweepPartsError, parts_folder

SCENARIO = {
    "name": "small-dose",
    "duration": "90 min",
    "record_every": "5 min",
    "seed": 3,
    "population": {"size": 6, "sex": "male", "rs53576": {"GG": 0.5, "AA": 0.5}},
    "events": [{"at": "30 min", "stressor": {"kind": "tsst", "duration": "15 min"}}],
    "arms": {
        "oxytocin": {
            "events": [{"at": "0 min", "oxytocin_dose": {"route": "intranasal", "amount": "24 IU"}}]
        },
        "placebo": {"events": [{"at": "0 min", "placebo": {"route": "intranasal"}}]},
    },
}
GRID = {
    "dose": {"field": "arms.oxytocin.events[0].oxytocin_dose.amount", "values": ["8 IU", "40 IU"]},
    "genotype": {"field": "population.rs53576", "values": ["GG", "AA"]},
}


def write_sweep(folder: Path, **fields: object) -> Path:
    (folder / "scenario.yaml").write_text(yaml.safe_dump(SCENARIO, sort_keys=False))
    spec = {
        "name": "test-sweep",
        "scenario": "scenario.yaml",
        "seed": 9,
        "chunk_subjects": 4,
        "summaries": ["peak_plasma_oxytocin", "peak_salivary_cortisol"],
        "grid": GRID,
        **fields,
    }
    path = folder / "sweep.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    return path


@pytest.fixture(scope="module")
def serial(tmp_path_factory: pytest.TempPathFactory) -> xr.Dataset:
    folder = tmp_path_factory.mktemp("serial")
    return run_sweep(load_sweep(write_sweep(folder)), folder / "out.nc")


def test_grid_has_one_dimension_per_factor_in_file_order(serial: xr.Dataset) -> None:
    assert dict(serial.peak_plasma_oxytocin.sizes) == {
        "dose": 2,
        "genotype": 2,
        "arm": 2,
        "subject": 6,
    }
    assert serial.dose.values.tolist() == [8.0, 40.0]
    assert serial.dose.attrs["units"] == "IU"
    assert serial.genotype.values.tolist() == ["GG", "AA"]
    assert serial.peak_plasma_oxytocin.attrs["units"] == "pg/mL"
    # subjects s0004, s0005 are the second chunk, labelled as in one run of the scenario
    assert serial.subject.values.tolist() == [f"s{i:04d}" for i in range(6)]
    # the genotype factor sets every subject's rs53576: it varies by point, ages do not
    assert serial.rs53576.dims == ("genotype", "subject")
    assert (serial.rs53576.sel(genotype="AA") == "AA").all()
    assert serial.age.dims == ("subject",)


def test_same_subjects_at_every_point(serial: xr.Dataset) -> None:
    placebo = serial.peak_plasma_oxytocin.sel(arm="placebo")
    # the dose is given in the oxytocin arm only: placebo is the same people, bit for bit
    np.testing.assert_array_equal(placebo.sel(dose=8.0), placebo.sel(dose=40.0))
    oxytocin = serial.peak_plasma_oxytocin.sel(arm="oxytocin")
    ratio = oxytocin.sel(dose=40.0) / oxytocin.sel(dose=8.0)
    # a five-fold dose raises every subject's plasma peak (linear absorption: about five-fold)
    assert float(ratio.min()) > 2.5


def test_new_subjects_at_every_point(tmp_path: Path) -> None:
    path = write_sweep(tmp_path, same_subjects=False, grid={"dose": GRID["dose"]})
    results = run_sweep(load_sweep(path), tmp_path / "out.nc")
    placebo = results.peak_plasma_oxytocin.sel(arm="placebo")
    assert not np.array_equal(placebo.sel(dose=8.0), placebo.sel(dose=40.0))


def test_sampled_points_are_seeded_and_within_range(tmp_path: Path) -> None:
    sample = {
        "points": 3,
        "factors": {
            "clearance_scale": {"parameter": "release_gain_stress", "uniform": [0.5, 2.0]},
            "dose": {
                "field": "arms.oxytocin.events[0].oxytocin_dose.amount",
                "log_uniform": [4, 64],
                "unit": "IU",
            },
        },
    }
    path = write_sweep(tmp_path, grid=None, sample=sample, chunk_subjects=6)
    sweep = load_sweep(path)
    again = load_sweep(path)
    assert [p.values for p in sweep.points] == [p.values for p in again.points]
    results = run_sweep(sweep, tmp_path / "out.zarr")
    assert results.peak_plasma_oxytocin.dims == ("point", "arm", "subject")
    assert ((results.dose >= 4) & (results.dose <= 64)).all()
    assert ((results.clearance_scale >= 0.5) & (results.clearance_scale <= 2.0)).all()
    stored = xr.open_zarr(tmp_path / "out.zarr", zarr_format=2)
    xr.testing.assert_equal(stored.peak_plasma_oxytocin, results.peak_plasma_oxytocin)


def test_a_stopped_sweep_resumes_where_it_was(
    tmp_path: Path, serial: xr.Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    sweep = load_sweep(write_sweep(tmp_path))
    output = tmp_path / "out.nc"

    def stop_after_three(done: int, _total: int) -> None:
        if done == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_sweep(sweep, output, progress=stop_after_three)
    assert not output.exists()
    assert len(list(parts_folder(output).glob("p*.npz"))) == 3
    import oxysim.sweep.run as runner

    ran = []
    monkeypatch.setattr(runner, "run_task", lambda task: ran.append(task) or _run(task))
    resumed = run_sweep(sweep, output)
    assert len(ran) == 8 - 3  # 4 points x 2 chunks, 3 of them done before the stop
    xr.testing.assert_equal(resumed, serial)
    assert not parts_folder(output).exists()


def _run(task: object) -> xr.Dataset:
    from oxysim.sweep.tasks import run_task

    return run_task(task)  # type: ignore[arg-type]


def test_parts_of_another_sweep_are_refused(tmp_path: Path) -> None:
    output = tmp_path / "out.nc"
    parts_folder(output).mkdir()
    (parts_folder(output) / "sweep.json").write_text('{"fingerprint": "something else"}')
    with pytest.raises(SweepPartsError, match="another sweep"):
        run_sweep(load_sweep(write_sweep(tmp_path)), output)


def test_field_paths() -> None:
    assert parse_field_path("arms.a.events[0].at") == ("arms", "a", "events", 0, "at")
    for bad in ("a..b", "[0].a", "a.0", "a[x]", "", "a."):
        with pytest.raises(ValueError, match="not a field path"):
            parse_field_path(bad)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"grid": {"dose": {**GRID["dose"], "values": ["8 IU", "lots"]}}}, "grid.dose", "values"),
        (
            {"grid": {"dose": {"field": "arms.nothing.events[0].at", "values": [1]}}},
            "grid.dose",
            "no `arms.nothing",
        ),
        (
            {"grid": {"k": {"parameter": "no_such_parameter", "values": [1.0]}}},
            "grid.k.parameter",
            "unknown parameter",
        ),
        (
            {"grid": {"k": {"parameter": "release_gain_stress", "values": [1e9]}}},
            "grid.k.values[0]",
            "bounds",
        ),
        ({"grid": {"arm": GRID["dose"]}}, "grid.arm", "factor names"),
        ({"summaries": ["peak_nothing"]}, "summaries[0]", "unknown summary"),
        (
            {"grid": {"dose": {**GRID["dose"], "uniform": [1, 2]}}},
            "grid.dose.values",
            "exactly one",
        ),
        ({"sample": {"points": 2, "factors": GRID}}, "grid", "either `grid` or `sample`"),
        ({"plot": "peak_plasma_cortisol"}, "plot", "one of the summaries"),
        ({"grid": {"n": {"field": "population.size", "values": [4, 6]}}}, "grid", "other subjects"),
        ({"grid": {"peak_plasma_oxytocin": GRID["dose"]}}, "grid.peak_plasma_oxytocin", "names a"),
        ({"grid": {"age": GRID["dose"]}}, "grid.age", "subject characteristic"),
        ({"grid": {"dose": {**GRID["dose"], "values": ["8 IU", "8.0 IU"]}}}, "values", "twice"),
        ({"grid": {"s": {"field": "seed", "values": [1, 2]}}}, "grid.s.field", "own `seed`"),
        (
            {"grid": {"r": {"field": "record_every", "values": ["5 min", "1.5 min"]}}},
            "grid",
            "whole multiples of the solver step",
        ),
    ],
)
def test_bad_sweep_files_name_the_field_and_line(
    tmp_path: Path, change: dict[str, object], field: str, message: str
) -> None:
    path = write_sweep(tmp_path, **change)
    with pytest.raises(ScenarioError) as raised:
        load_sweep(path)
    text = str(raised.value)
    assert f"{path}:" in text and field in text and message in text
    runner = CliRunner()
    output = tmp_path / "out.nc"
    result = runner.invoke(app, ["sweep", str(path), "-o", str(output), "--scheduler", "serial"])
    assert result.exit_code == 2
    assert not output.exists() and not parts_folder(output).exists()


def test_killed_worker_does_not_change_the_result(tmp_path: Path, serial: xr.Dataset) -> None:
    distributed = pytest.importorskip("distributed")
    sweep = load_sweep(write_sweep(tmp_path))
    killed: list[int] = []
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):

        def kill_one_worker(done: int, total: int) -> None:
            if not killed and 0 < done < total:
                pid = next(iter(client.run(os.getpid).values()))
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)

        done: list[xr.Dataset] = []
        runner = threading.Thread(
            target=lambda: done.append(
                run_sweep(sweep, tmp_path / "out.nc", client=client, progress=kill_one_worker)
            )
        )
        runner.start()
        runner.join(timeout=180)  # a cluster that never recovers fails the test, not the suite
        hung = runner.is_alive()
    assert not hung, "the sweep did not finish within 3 minutes of killing a worker"
    assert killed
    xr.testing.assert_equal(done[0], serial)


def test_the_docs_hold_the_current_sweep_reference() -> None:
    docs = Path(__file__).parents[1] / "docs" / "scale.md"
    assert sweep_markdown() in docs.read_text(encoding="utf-8")


def test_the_example_sweep_runs_from_the_command_line(tmp_path: Path) -> None:
    example = Path(__file__).parents[1] / "examples" / "sweeps" / "dose_by_genotype.yaml"
    spec = yaml.safe_load(example.read_text())
    scenario = yaml.safe_load((example.parent / spec["scenario"]).read_text())
    scenario["population"]["size"] = 8  # the example's design, with fewer subjects
    (tmp_path / "scenario.yaml").write_text(yaml.safe_dump(scenario))
    spec["scenario"] = "scenario.yaml"
    path = tmp_path / "sweep.yaml"
    path.write_text(yaml.safe_dump(spec))
    output, figure = tmp_path / "sweep.nc", tmp_path / "sweep.png"
    arguments = ["sweep", str(path), "-o", str(output), "--plot", str(figure)]
    result = CliRunner().invoke(app, [*arguments, "--scheduler", "serial"])
    assert result.exit_code == 0, result.output
    assert figure.stat().st_size > 10_000
    results = xr.open_dataset(output)
    assert dict(results.peak_salivary_cortisol.sizes) == {
        "dose": 3,
        "genotype": 2,
        "arm": 2,
        "subject": 8,
    }
    bad = CliRunner().invoke(app, [*arguments, "--scheduler", "udp://nowhere"])
    assert bad.exit_code == 2 and "--scheduler must be" in bad.output
