"""Protocols: turn a timeline of events into input channels on the integration grid.

Every event kind maps to data, as the kind itself declares: a channel switched on for the
event's duration (stimuli, stressors, infusions) or an amount added to a state at one instant
(boluses). Channels are piecewise constant on the step grid, so the integrator never loops over
events inside a step.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from oxysim.model.submodel import Variable
from oxysim.scenario.events import event_kinds


def _event_channels() -> tuple[Variable, ...]:
    """Every channel some event kind drives, in the order the kinds are declared."""
    seen: dict[str, Variable] = {}
    for kind in event_kinds().values():
        for channel in kind.channels:
            seen.setdefault(channel.name, channel)
    return tuple(seen.values())


#: The clock and every event channel: derived from the event kinds' declarations.
PROTOCOL_CHANNELS: tuple[Variable, ...] = (
    Variable("time_of_day", "min", "clock time, minutes after midnight"),
    *_event_channels(),
)
TIMED_CHANNELS = tuple(v.name for v in PROTOCOL_CHANNELS if v.name != "time_of_day")
#: A per-subject constant named ``gain_<channel>`` multiplies that channel for that subject:
#: the protocol is shared, how much of it each subject gets is theirs (people in a community).
GAIN_PREFIX = "gain_"


def channel_gain(channel: str) -> str:
    """The name of the per-subject gain of ``channel``."""
    return GAIN_PREFIX + channel


@dataclass(frozen=True)
class Bolus:
    """An amount added to a state at the start of step ``step``."""

    step: int
    state: str
    amount: float


@dataclass(frozen=True)
class Schedule:
    """Channel values per step (``channels[name][k]`` holds over step k) and the boluses."""

    channels: dict[str, NDArray[np.float64]]
    boluses: tuple[Bolus, ...]

    def breakpoints(self) -> NDArray[np.int64]:
        """Step indices where any channel changes or a bolus lands (for the reference solver)."""
        changes = {0}
        for values in self.channels.values():
            changes.update((np.flatnonzero(np.diff(values)) + 1).tolist())
        changes.update(b.step for b in self.boluses)
        return np.array(sorted(changes), dtype=np.int64)


def build_schedule(events: Sequence[Any], n_steps: int, step: float) -> Schedule:
    """Encode ``events`` (scenario event models) on a grid of ``n_steps`` steps of ``step`` min.

    A channel holds over step k when the step's midpoint lies inside the event (from the event
    to the end for kinds held to the end); overlapping events on one channel add up, within the
    kind's cap. Each kind's channels and doses are its own declaration (:mod:`oxysim.scenario.
    events`); a placebo encodes to nothing.
    """
    channels = {name: np.zeros(n_steps) for name in TIMED_CHANNELS}
    midpoints = (np.arange(n_steps) + 0.5) * step
    boluses: list[Bolus] = []
    caps: dict[str, float] = {}
    for event in events:
        start = float(event.at)
        end = np.inf if event.held_to_end else start + float(event.duration)
        active = (midpoints >= start) & (midpoints < end)
        for name, value in event.channel_values():
            channels[name] += np.where(active, value, 0.0)
            if event.channel_cap is not None:
                caps[name] = event.channel_cap
        boluses.extend(
            Bolus(min(int(round(at / step)), n_steps - 1), state, amount)
            for at, state, amount in event.doses()
        )
    for name, cap in caps.items():
        np.minimum(channels[name], cap, out=channels[name])
    return Schedule(channels, tuple(boluses))


def empty_schedule(n_steps: int) -> Schedule:
    """A schedule with no events: the subject at rest."""
    return Schedule({name: np.zeros(n_steps) for name in TIMED_CHANNELS}, ())
