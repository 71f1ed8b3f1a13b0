"""Streamed runs: subjects integrated chunk by chunk, each chunk's results handed on at once.

Subjects and their parameters are drawn once for the whole run (their draws do not depend on the
chunking), then integrated in chunks of subjects sized to the memory budget; a chunk's records
are labelled and passed to the caller (a Zarr writer) before the next chunk starts. Subjects are
integrated independently, so the concatenated chunks equal the unchunked run bit for bit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import xarray as xr

from oxysim.engine.memory import check_memory, default_budget, scenario_size
from oxysim.engine.simulate import (
    SolverOptions,
    band_dataset,
    prepare_run,
    run_bands,
    run_memory,
    run_prepared,
    subject_chunk,
)


def plan_chunk_subjects(scenario: Any, solver: SolverOptions, memory_limit: int | None) -> int:
    """The most subjects of ``scenario`` (built-in model) integrated together within the budget.

    The budget is ``memory_limit`` bytes or the default share of available memory. Raises
    :class:`MemoryPlanError` when not even one subject at a time fits.
    """
    budget = memory_limit or default_budget()
    one = run_memory(scenario, solver, subjects_at_once=1)
    check_memory(one, budget)
    fitting = (budget - one.shared_bytes) // max(one.per_subject, 1.0)
    return int(max(1, min(fitting, scenario_size(scenario))))


def simulate_chunks(
    scenario: Any,
    chunk_subjects: int,
    *,
    solver: SolverOptions | None = None,
    progress: Callable[[int, int], None] | None = None,
    scenario_text: str = "",
    memory_limit: int | None = None,
) -> Iterator[xr.Dataset]:
    """Yield the results of ``scenario`` for ``chunk_subjects`` subjects at a time, in order.

    The memory plan counts one chunk; ``progress`` gets ``(steps_done, steps_total)`` across
    all chunks. When the scenario has ``bands``, they are counted across the chunks and yielded
    last, as a Dataset without a ``subject`` dimension.
    """
    if chunk_subjects < 1:
        raise ValueError(f"chunk_subjects must be at least 1, got {chunk_subjects}")
    solver = solver or SolverOptions()
    prepared = prepare_run(
        scenario, solver, memory_limit=memory_limit, subjects_at_once=chunk_subjects
    )
    size = len(prepared.table["id"])
    starts = range(0, size, chunk_subjects)
    per_chunk = prepared.grid.n_steps * len(scenario.arms)
    bands = run_bands(scenario, prepared.grid)
    for index, start in enumerate(starts):
        offset = index * per_chunk

        def report(done: int, _total: int, offset: int = offset) -> None:
            if progress is not None:
                progress(offset + done, per_chunk * len(starts))

        chunk = subject_chunk(prepared, start, min(start + chunk_subjects, size))
        yield run_prepared(chunk, scenario, solver, report, scenario_text, bands)
    if scenario.bands:
        yield band_dataset(bands, prepared.model, prepared.grid)
