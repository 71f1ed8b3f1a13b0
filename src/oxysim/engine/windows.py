"""Runs without time courses, integrated in windows of time: memory flat in the duration.

A run that keeps summaries or bands and no per-subject time courses integrates one arm in
windows of :data:`~oxysim.summaries.WINDOW_RECORDS` records: each window records only what the
summaries and bands need, feeds it to their running reductions and band counts, and goes on
from the window's final state. A window's last record is the next window's first (same step,
same state), so it is taken from the next window, where that step's boluses and channels apply
as in one whole run. With whole
minutes for the step and the clock, every window's clock is exact, and the summaries equal
those of the whole recorded run bit for bit (tests/test_windows.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from oxysim.bands import BandCounts
from oxysim.engine.protocol import Schedule
from oxysim.engine.solvers import Grid, Integrator, Progress
from oxysim.engine.status import InvalidStateError
from oxysim.summaries import WINDOW_RECORDS, RunningSummary, summary_variables

Array = NDArray[np.float64]


def window_schedule(schedule: Schedule, start: int, steps: int) -> Schedule:
    """The steps ``start:start + steps`` of ``schedule``, counted from the window's start."""
    channels = {name: values[start : start + steps] for name, values in schedule.channels.items()}
    boluses = tuple(
        type(bolus)(bolus.step - start, bolus.state, bolus.amount)
        for bolus in schedule.boluses
        if start <= bolus.step < start + steps
    )
    return Schedule(channels, boluses)


def integrate_in_windows(
    integrate: Integrator,
    y0: Array,
    schedule: Schedule,
    grid: Grid,
    summaries: Sequence[str],
    bands: Mapping[str, BandCounts],
    progress: Progress | None = None,
) -> dict[str, Array]:
    """Each of ``summaries`` per subject, integrating window by window from ``y0``.

    Every window's records of the variables in ``bands`` are counted into them as it goes.
    """
    variables = tuple(dict.fromkeys((*summary_variables(summaries), *bands)))
    running = {name: RunningSummary(name.partition("_")[0]) for name in summaries}
    window = WINDOW_RECORDS * grid.record_every
    y = np.array(y0, dtype=float)
    for start in range(0, grid.n_steps, window):
        steps = min(window, grid.n_steps - start)
        last = start + steps == grid.n_steps
        clock = grid.start_time_of_day + start * grid.step
        piece = Grid(steps, grid.step, clock, grid.record_every)
        end = np.empty_like(y)
        try:
            records = integrate(
                y, window_schedule(schedule, start, steps), piece, variables, progress, end
            )
        except InvalidStateError as error:
            raise InvalidStateError(
                error.state, error.subject, error.step + start, error.reason == "negative"
            ) from error
        kept = len(piece.record_steps) - (0 if last else 1)
        times = (start + piece.record_steps[:kept]).astype(float) * grid.step
        for name, summary in running.items():
            summary.add(times, records[name.partition("_")[2]][:kept].T)
        for name, counts in bands.items():
            counts.add(start // grid.record_every, records[name][:kept].T)
        y = end
    return {name: summary.result() for name, summary in running.items()}
