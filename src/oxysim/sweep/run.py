"""Running a sweep: its tasks in this process or on a Dask cluster, resumable, then combined.

Each finished task is written at once under a stable name in ``OUT.parts/`` (beside the output),
with the sweep's fingerprint in ``sweep.json``; a sweep run again after a stop skips the tasks
whose parts are there. When every task is done, the parts are combined into one Dataset with
the sweep's dimensions, written atomically to the output, and the parts folder is removed.
On a cluster the workers send their results back and this process writes them, so the workers
need no shared disk.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from oxysim._version import __version__
from oxysim.engine.memory import check_memory, default_budget
from oxysim.engine.simulate import SolverOptions, run_memory
from oxysim.io.netcdf import save_results, write_atomically
from oxysim.io.zarr import check_zarr_target, save_zarr_chunks
from oxysim.sweep.parts import load_part, save_part
from oxysim.sweep.points import Sweep
from oxysim.sweep.spec import coordinate
from oxysim.sweep.tasks import Task, run_task, sweep_tasks

Progress = Callable[[int, int], None]
#: The file in a parts folder that names the sweep the parts belong to.
MANIFEST = "sweep.json"
OUTPUT_SUFFIXES = (".nc", ".zarr")


class SweepPartsError(ValueError):
    """A parts folder left by a different sweep (or not by oxysim) where this one would go."""


def parts_folder(output: Path) -> Path:
    """Where the finished tasks of the sweep written to ``output`` are kept until it is done."""
    return output.with_name(output.name + ".parts")


def run_sweep(
    sweep: Sweep,
    output: str | Path,
    *,
    client: Any | None = None,
    threads: int = 1,
    memory_limit: int | None = None,
    progress: Progress | None = None,
) -> xr.Dataset:
    """Run every task of ``sweep`` not yet done, combine them and write ``output``.

    ``client``: a ``distributed.Client`` to run the tasks on; none runs them here, one after
    another. ``threads``: compiled-engine threads per task. ``memory_limit``: bytes one task may
    plan to hold (default: half the memory available here); every task is checked against it
    before any runs. ``progress`` gets ``(tasks done, tasks in all)``.
    """
    output = Path(output)
    check_output(output)
    tasks = sweep_tasks(sweep, threads, memory_limit)
    budget = memory_limit or default_budget()
    for task in tasks:
        check_memory(run_memory(task.scenario, SolverOptions(threads=threads)), budget)
    folder = _open_parts(output, sweep)
    pending = [task for task in tasks if not _part(folder, task).exists()]
    done = len(tasks) - len(pending)
    if progress is not None:
        progress(done, len(tasks))
    for task, result in _results(pending, client, sweep.fingerprint):
        save_part(result, _part(folder, task))
        done += 1
        if progress is not None:
            progress(done, len(tasks))
    combined = combine(sweep, tasks, folder)
    if output.suffix == ".zarr":
        save_zarr_chunks([combined], output)
    else:
        save_results(combined, output)
    shutil.rmtree(folder)
    return combined


def _part(folder: Path, task: Task) -> Path:
    """The file of ``task``'s finished part in ``folder``."""
    return folder / f"{task.name}.npz"


def check_output(output: Path) -> None:
    """Refuse (``ValueError``) an output that is neither .nc nor .zarr, or a non-store .zarr."""
    if output.suffix not in OUTPUT_SUFFIXES:
        raise ValueError(f"the output must end in .nc or .zarr, got {output}")
    if output.suffix == ".zarr":
        check_zarr_target(output)


def _open_parts(output: Path, sweep: Sweep) -> Path:
    """The parts folder of ``output``, created for ``sweep`` or checked to be its own."""
    folder = parts_folder(output)
    manifest = folder / MANIFEST
    record = {"sweep": sweep.spec.name, "fingerprint": sweep.fingerprint, "oxysim": __version__}
    if folder.exists():
        try:
            found = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            found = {}
        if found.get("fingerprint") != sweep.fingerprint:
            raise SweepPartsError(
                f"{folder} holds parts of another sweep (or of this one before its files "
                "changed); remove it to start again, or choose another output"
            )
        return folder
    folder.mkdir(parents=True)
    write_atomically(manifest, lambda temporary: temporary.write_text(json.dumps(record)))
    return folder


def _results(
    tasks: list[Task], client: Any | None, fingerprint: str
) -> Iterator[tuple[Task, xr.Dataset]]:
    """Each task with its result, as they finish (in order when run here).

    On a cluster a task's key is the sweep's fingerprint and the task's name: a task is the same
    computation wherever and however often it runs.
    """
    if client is None:
        for task in tasks:
            yield task, run_task(task)
        return
    from distributed import as_completed

    futures = {
        client.submit(run_task, task, key=f"oxysim-sweep-{fingerprint}-{task.name}"): task
        for task in tasks
    }
    for future in as_completed(futures):
        task = futures.pop(future)
        yield task, future.result()
        future.release()


def combine(sweep: Sweep, tasks: list[Task], folder: Path) -> xr.Dataset:
    """The parts as one Dataset: dims (factors..., arm, subject), or (point, arm, subject).

    Subject characteristics that differ between points (a factor sets them) get the point's
    dimensions too.
    """
    points = []
    for point in sweep.points:
        chunks = [load_part(_part(folder, t)) for t in tasks if t.point == point.index]
        points.append(xr.concat(chunks, "subject", combine_attrs="drop_conflicts"))
    stacked = xr.concat(points, "point", coords="different", compat="equals", join="exact")
    factors = sweep.spec.factors
    for name, factor in factors.items():
        values, unit = coordinate([point.values[name] for point in sweep.points])
        attrs = {"long_name": factor.target} | ({"units": unit} if unit else {})
        stacked = stacked.assign_coords({name: ("point", values, attrs)})
    if sweep.spec.grid is None:
        stacked = stacked.assign_coords(point=np.arange(len(sweep.points)))
        stacked = stacked.transpose("point", "arm", "subject")
    else:
        stacked = _grid_dimensions(stacked, list(factors))
    stacked.attrs = {
        "title": f"oxysim sweep: {sweep.spec.name}",
        "oxysim_version": __version__,
        "sweep_name": sweep.spec.name,
        "sweep": sweep.text,
        "scenario": sweep.scenario_text,
        "seed": int(sweep.spec.seed),
        "seeds": "the subjects of point p, chunk c come from SeedSequence(seed, spawn_key=(1, "
        + ("0, c)) at every point: the same subjects" if sweep.spec.same_subjects else "p, c))"),
        "chunk_subjects": int(sweep.spec.chunk_subjects),
        "fingerprint": sweep.fingerprint,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "note": "Simulation output for research and teaching; not medical advice.",
    }
    return stacked


def _grid_dimensions(stacked: xr.Dataset, factors: list[str]) -> xr.Dataset:
    """The ``point`` dimension of a grid as one dimension per factor, values in file order."""
    in_order = {name: list(dict.fromkeys(stacked[name].to_numpy().tolist())) for name in factors}
    attrs = {name: stacked[name].attrs for name in factors}
    if len(factors) == 1:
        gridded = stacked.swap_dims(point=factors[0])
    else:
        gridded = stacked.set_index(point=factors).unstack("point").sel(in_order)
    for name in factors:
        gridded[name].attrs = attrs[name]
    return _only_varying_dimensions(gridded, factors).transpose(*factors, "arm", "subject", ...)


def _only_varying_dimensions(gridded: xr.Dataset, factors: list[str]) -> xr.Dataset:
    """Subject characteristics keep only the factor dimensions along which they change."""
    for name, values in gridded.coords.items():
        if name in gridded.dims:
            continue
        for factor in factors:
            if factor in values.dims and bool((values == values.isel({factor: 0})).all()):
                values = values.isel({factor: 0}, drop=True)
        gridded = gridded.assign_coords({name: values})
    return gridded
