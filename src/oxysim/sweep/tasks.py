"""The tasks of a sweep: one point x one chunk of its subjects, each run on its own.

A task's draws come from ``SeedSequence(sweep seed, spawn_key=(1, point, chunk))`` (point 0 for
every point when the sweep keeps the same subjects), so its result depends on nothing but the
sweep file: not on the workers, the order the tasks finish in, or how often one is retried.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
import xarray as xr

from oxysim.engine.simulate import SolverOptions, prepare_run, run_prepared
from oxysim.engine.status import SimulationError
from oxysim.evidence.floor import evidence_floor
from oxysim.scenario import Scenario
from oxysim.sweep.points import Point, Sweep, subject_ids

#: First spawn-key entry of the tasks' streams (the sampled points use 0).
TASKS_STREAM = 1


@dataclass(frozen=True)
class Task:
    """What a worker needs to run one point x chunk: picklable, and small."""

    point: int
    chunk: int
    scenario: Scenario
    parameters: Mapping[str, float]
    seed: int
    spawn_key: tuple[int, ...]
    subject_ids: tuple[str, ...]
    threads: int = 1
    memory_limit: int | None = None
    floor: str | None = None

    @property
    def name(self) -> str:
        """Stable name of the task and of its part file."""
        return f"p{self.point:05d}-c{self.chunk:05d}"


def sweep_tasks(sweep: Sweep, threads: int = 1, memory_limit: int | None = None) -> list[Task]:
    """Every task of ``sweep``, point by point and chunk by chunk."""
    size = sweep.spec.chunk_subjects
    tasks = []
    for point in sweep.points:
        ids = subject_ids(point.scenario)
        key_point = 0 if sweep.spec.same_subjects else point.index
        for chunk, start in enumerate(range(0, len(ids), size)):
            stop = min(start + size, len(ids))
            tasks.append(
                Task(
                    point.index,
                    chunk,
                    _narrowed(point, start, stop),
                    point.parameters,
                    sweep.spec.seed,
                    (TASKS_STREAM, key_point, chunk),
                    tuple(ids[start:stop]),
                    threads,
                    memory_limit,
                    sweep.floor,
                )
            )
    return tasks


def run_task(task: Task) -> xr.Dataset:
    """The summaries of one task's subjects, by arm, with their characteristics.

    The task runs under the sweep's evidence floor, and its subjects carry their ids in the
    whole point (in its results and in the message of a run that stops).
    """
    solver = SolverOptions(threads=task.threads)
    seed = np.random.SeedSequence(task.seed, spawn_key=task.spawn_key)
    with evidence_floor(task.floor):
        prepared = prepare_run(
            task.scenario,
            solver,
            parameters=task.parameters,
            memory_limit=task.memory_limit,
            seed=seed,
        )
        table = {**prepared.table, "id": np.asarray(task.subject_ids)}
        try:
            results = run_prepared(replace(prepared, table=table), task.scenario, solver)
        except SimulationError as error:
            raise SimulationError(f"point {task.point}, chunk {task.chunk}: {error}") from error
    drawn = [name for name in results.data_vars if str(name).startswith("param_")]
    results = results.drop_vars(drawn)
    results.attrs = {}
    return results


def _narrowed(point: Point, start: int, stop: int) -> Scenario:
    """The point's scenario with only the subjects ``start:stop``."""
    scenario = point.scenario
    if scenario.population is not None:
        population = scenario.population.model_copy(update={"size": stop - start})
        return scenario.model_copy(update={"population": population})
    subjects = scenario.subjects or ()
    return scenario.model_copy(update={"subjects": subjects[start:stop] or None})
