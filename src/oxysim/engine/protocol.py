"""Protocols: turn a timeline of events into input channels on the integration grid.

Every event kind maps to data: a channel switched on for the event's duration (stimuli,
stressors, infusions) or an amount added to a state at one instant (boluses). Channels are
piecewise constant on the step grid, so the integrator never loops over events inside a step.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from oxysim.model.pk import DOSE_TARGETS
from oxysim.model.submodel import Variable

_UNITLESS = "1"
PROTOCOL_CHANNELS: tuple[Variable, ...] = (
    Variable("time_of_day", "min", "clock time, minutes after midnight"),
    Variable("stress_tsst", _UNITLESS, "Trier Social Stress Test in progress (intensity)"),
    Variable("stress_conflict", _UNITLESS, "couple conflict discussion in progress (intensity)"),
    Variable("stress_generic", _UNITLESS, "other acute stressor in progress (intensity)"),
    Variable("support_partner", _UNITLESS, "supportive company of the partner"),
    Variable("support_friend", _UNITLESS, "supportive company of a friend"),
    Variable("support_stranger", _UNITLESS, "supportive company of a stranger"),
    Variable("touch_hug", _UNITLESS, "hug or warm partner contact"),
    Variable("touch_massage", _UNITLESS, "massage"),
    Variable("touch_hand_holding", _UNITLESS, "holding hands"),
    Variable("meditation", _UNITLESS, "meditation in progress"),
    Variable("music", _UNITLESS, "listening to music"),
    Variable("warm_bath", _UNITLESS, "warm bath"),
    Variable("iv_infusion_rate", "IU/min", "intravenous oxytocin infusion rate"),
)
TIMED_CHANNELS = tuple(v.name for v in PROTOCOL_CHANNELS if v.name != "time_of_day")


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


def _channel_of(event: Any) -> tuple[str, float] | None:
    """The channel an event drives and the value it holds while the event lasts."""
    kind = event.event_type
    if kind == "stressor":
        return f"stress_{event.kind}", float(event.intensity)
    if kind == "social_support":
        return f"support_{event.source}", 1.0
    if kind == "touch":
        return f"touch_{event.kind}", 1.0
    if kind in ("meditation", "music", "warm_bath"):
        return kind, 1.0
    if kind == "oxytocin_dose" and event.route == "iv_infusion":
        return "iv_infusion_rate", float(event.rate_iu_per_min)
    return None


def build_schedule(events: Sequence[Any], n_steps: int, step: float) -> Schedule:
    """Encode ``events`` (scenario event models) on a grid of ``n_steps`` steps of ``step`` min.

    A channel holds over step k when the step's midpoint lies inside the event; overlapping events
    on one channel add up. Placebo events carry no pharmacology and encode to nothing.
    """
    channels = {name: np.zeros(n_steps) for name in TIMED_CHANNELS}
    midpoints = (np.arange(n_steps) + 0.5) * step
    boluses: list[Bolus] = []
    for event in events:
        start = float(event.at)
        encoded = _channel_of(event)
        if encoded is not None:
            name, value = encoded
            end = start + float(event.duration)
            channels[name] += np.where((midpoints >= start) & (midpoints < end), value, 0.0)
        elif event.event_type == "oxytocin_dose":
            state, per_iu = DOSE_TARGETS[event.route]
            index = min(int(round(start / step)), n_steps - 1)
            boluses.append(Bolus(index, state, float(event.amount_iu) * per_iu))
    return Schedule(channels, tuple(boluses))


def empty_schedule(n_steps: int) -> Schedule:
    """A schedule with no events: the subject at rest."""
    return Schedule({name: np.zeros(n_steps) for name in TIMED_CHANNELS}, ())
