"""The bodies of a community's people: the whole physiology, stepped stretch by stretch.

The community layer decides what each person meets: a share of a shared timetable of protocol
channels, one ``gain_<channel>`` per person (:mod:`oxysim.engine.protocol`). The bodies integrate
each stretch (a day, say) for everyone at once with the compiled engine, from where the last
stretch ended. The equations are the sub-models' own, as in any run; nothing here re-implements
physiology. A person whose gains are all 1 lives exactly the timetable: their records equal
those of a plain run of it, bit for bit (tests/test_community_bodies.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from oxysim.engine.compiled import CompiledRun
from oxysim.engine.initial import initial_state
from oxysim.engine.protocol import TIMED_CHANNELS, Schedule, channel_gain
from oxysim.engine.simulate import PreparedRun
from oxysim.engine.solvers import Grid, SystemEvaluator
from oxysim.engine.status import InvalidStateError, SimulationError
from oxysim.population.covariates import covariate_inputs

Array = NDArray[np.float64]


class Bodies:
    """Everyone's state, advanced stretch by stretch with per-person shares of the timetable."""

    def __init__(
        self,
        prepared: PreparedRun,
        gained: Sequence[str],
        start_time_of_day: float,
        threads: int | None = None,
    ):
        unknown = sorted(set(gained) - set(TIMED_CHANNELS))
        if unknown:
            raise ValueError(f"not protocol channels: {unknown}; channels: {TIMED_CHANNELS}")
        self.ids = np.asarray(prepared.table["id"]).astype(str)
        self._state_index = {name: i for i, name in enumerate(prepared.model.state_names)}
        self.gained = tuple(gained)
        size = len(self.ids)
        covariates = covariate_inputs(prepared.table)
        covariates.update({channel_gain(channel): np.ones(size) for channel in self.gained})
        evaluator = SystemEvaluator(prepared.model, prepared.params, covariates)
        self._run = CompiledRun.build(evaluator, threads)
        self.state: Array = initial_state(
            prepared.model, evaluator, start_time_of_day, self._run.integrate
        )
        #: Clock time now, in minutes (the start's time of day plus the minutes lived).
        self.clock = float(start_time_of_day)
        self.start_time_of_day = float(start_time_of_day)

    def dose(self, state: str, amounts: ArrayLike) -> None:
        """Add each person's amount to ``state`` now (a dose into a depot, say)."""
        self.state[self._state_index[state]] += np.asarray(amounts, dtype=float)

    def live(
        self,
        schedule: Schedule,
        step: float,
        gains: Mapping[str, ArrayLike],
        record: Sequence[str],
        record_every: int = 1,
    ) -> dict[str, Array]:
        """Integrate the steps of ``schedule``; each person gets ``gains[channel]`` of a channel.

        Channels not in ``gains`` are lived as the timetable has them (gain 1). Returns the
        records ``{name: (n_records, people)}``, the last at the end of the stretch (the next
        stretch's first).
        """
        unknown = sorted(set(gains) - set(self.gained))
        if unknown:
            raise KeyError(f"no gain for {unknown}: the bodies were made with {self.gained}")
        values = {channel_gain(c): np.asarray(gains.get(c, 1.0), float) for c in self.gained}
        steps = len(next(iter(schedule.channels.values())))
        grid = Grid(steps, step, self.clock, record_every)
        end = np.empty_like(self.state)
        try:
            records = self._run.with_values(values).integrate(
                self.state, schedule, grid, record, None, end
            )
        except InvalidStateError as error:
            when = (self.clock - self.start_time_of_day + error.step * step) / 1440.0
            raise SimulationError(
                f"{error.state} became {error.reason} for person {self.ids[error.subject]} "
                f"on day {when:.2f}; check that person's parameters and what they met"
            ) from error
        self.state = end
        self.clock += steps * step
        return records
