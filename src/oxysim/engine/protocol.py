"""Protocols: turn a timeline of events into input channels on the integration grid.

Every event kind maps to data: a channel switched on for the event's duration (stimuli,
stressors, infusions) or an amount added to a state at one instant (boluses). Channels are
piecewise constant on the step grid, so the integrator never loops over events inside a step.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, get_args

import numpy as np
from numpy.typing import NDArray

from oxysim.model.endocrine import THERAPY_DEPOTS
from oxysim.model.nutrients import NUTRIENT_STORES, NUTRIENT_UNITS
from oxysim.model.pk import DOSE_TARGETS
from oxysim.model.submodel import Variable
from oxysim.scenario.events import DrugSubstance

_UNITLESS = "1"
DRUG_SUBSTANCES = get_args(DrugSubstance)
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
    Variable("social_partner", _UNITLESS, "time with the partner"),
    Variable("social_stranger", _UNITLESS, "time with a stranger"),
    Variable("social_ingroup", _UNITLESS, "time with the own group"),
    Variable("social_outgroup", _UNITLESS, "time with another group"),
    Variable("expression_valence", _UNITLESS, "valence of an expression being shown (-1..1)"),
    Variable("expression_formation", _UNITLESS, "how far that expression has formed (0..1)"),
    Variable("mating", _UNITLESS, "mating in progress"),
    Variable("sexual_activity", _UNITLESS, "sexual activity in progress"),
    Variable("orgasm", _UNITLESS, "orgasm (a one-minute burst)"),
    Variable("suckling", _UNITLESS, "an infant suckling"),
    Variable("labour", _UNITLESS, "spontaneous labour in progress"),
    Variable("oxtr_antagonist_central", _UNITLESS, "fraction of brain OXTR blocked"),
    Variable("oxtr_antagonist_peripheral", _UNITLESS, "fraction of peripheral OXTR blocked"),
    Variable("pvn_vta_activation", _UNITLESS, "optogenetic activation of PVN->VTA terminals"),
    Variable("pvn_vta_silencing", _UNITLESS, "optogenetic silencing of PVN->VTA terminals"),
    Variable("support_group", _UNITLESS, "a support-group meeting"),
    Variable("natural_reward", _UNITLESS, "a non-social reward (food, drink)"),
    *(
        Variable(f"drug_{substance}", "1/min", f"{substance} taken, standard doses per minute")
        for substance in DRUG_SUBSTANCES
    ),
    Variable("drug_cue", _UNITLESS, "a drug cue present"),
    Variable("abstinence", _UNITLESS, "1 after the start of abstinence (withdrawal event)"),
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


ChannelValues = list[tuple[str, float]]

#: For each event kind that lasts, the channels it holds while it lasts and their values.
_CHANNELS_OF: dict[str, Callable[[Any], ChannelValues]] = {
    "stressor": lambda e: [(f"stress_{e.kind}", float(e.intensity))],
    "social_support": lambda e: [(f"support_{e.source}", 1.0)],
    "touch": lambda e: [(f"touch_{e.kind}", 1.0)],
    "meditation": lambda e: [("meditation", 1.0)],
    "music": lambda e: [("music", 1.0)],
    "warm_bath": lambda e: [("warm_bath", 1.0)],
    "oxytocin_dose": lambda e: (
        [("iv_infusion_rate", float(e.rate_iu_per_min))] if e.route == "iv_infusion" else []
    ),
    "social_interaction": lambda e: [(f"social_{e.group if e.with_ == 'group' else e.with_}", 1.0)],
    "ambiguous_expression": lambda e: [
        ("expression_valence", float(e.valence)),
        ("expression_formation", float(e.formation)),
    ],
    "mating": lambda e: [("mating", 1.0)],
    "sexual_activity": lambda e: [("sexual_activity", 1.0)],
    "orgasm": lambda e: [("orgasm", 1.0)],
    "suckling": lambda e: [("suckling", 1.0)],
    "labour": lambda e: [("labour", 1.0)],
    "oxtr_antagonist": lambda e: [
        (f"oxtr_antagonist_{site}", float(e.blockade))
        for site in (("central", "peripheral") if e.site == "both" else (e.site,))
    ],
    "pvn_vta_stimulation": lambda e: [
        ("pvn_vta_activation" if e.mode == "activate" else "pvn_vta_silencing", 1.0)
    ],
    "support_group": lambda e: [("support_group", 1.0)],
    "natural_reward": lambda e: [("natural_reward", 1.0)],
    "drug": lambda e: [(f"drug_{e.substance}", float(e.dose) / float(e.duration))],
    "drug_cue": lambda e: [("drug_cue", 1.0)],
    "placebo": lambda e: [],
}


#: For each scheduled-dose kind (hormone therapy or nutrient): the state a dose is added to, and
#: the state's mass unit.
_DOSE_DEPOTS: dict[str, tuple[str, str]] = {
    **THERAPY_DEPOTS,
    **{kind: (NUTRIENT_STORES[kind], unit) for kind, (_, unit) in NUTRIENT_UNITS.items()},
}
_PER_MG = {"mg": 1.0, "ug": 1000.0}


def _boluses_of(event: Any) -> list[tuple[float, str, float]]:
    """When an event adds to a state, which state, and how much."""
    if event.event_type == "oxytocin_dose" and event.route in DOSE_TARGETS:
        state, per_iu = DOSE_TARGETS[event.route]
        return [(event.at, state, float(event.amount_iu) * per_iu)]
    if event.event_type == "muscle_injury":
        return [(event.at, "muscle_damage", float(event.severity))]
    if event.event_type in ("hormone_therapy", "nutrient"):
        state, unit = _DOSE_DEPOTS[event.kind]
        amount = float(event.dose_mg) * _PER_MG[unit]
        return [(at, state, amount) for at in event.dose_times]
    return []


def build_schedule(events: Sequence[Any], n_steps: int, step: float) -> Schedule:
    """Encode ``events`` (scenario event models) on a grid of ``n_steps`` steps of ``step`` min.

    A channel holds over step k when the step's midpoint lies inside the event; overlapping events
    on one channel add up (antagonist blockades are capped at 1). Placebo encodes to nothing.
    """
    channels = {name: np.zeros(n_steps) for name in TIMED_CHANNELS}
    midpoints = (np.arange(n_steps) + 0.5) * step
    boluses: list[Bolus] = []
    for event in events:
        start = float(event.at)
        active = (midpoints >= start) & (midpoints < start + float(event.duration))
        if event.event_type == "withdrawal":
            channels["abstinence"] = np.maximum(channels["abstinence"], midpoints >= start)
        for name, value in _CHANNELS_OF.get(event.event_type, lambda e: [])(event):
            channels[name] += np.where(active, value, 0.0)
        boluses.extend(
            Bolus(min(int(round(at / step)), n_steps - 1), state, amount)
            for at, state, amount in _boluses_of(event)
        )
    for name in ("oxtr_antagonist_central", "oxtr_antagonist_peripheral"):
        np.minimum(channels[name], 1.0, out=channels[name])
    return Schedule(channels, tuple(boluses))


def empty_schedule(n_steps: int) -> Schedule:
    """A schedule with no events: the subject at rest."""
    return Schedule({name: np.zeros(n_steps) for name in TIMED_CHANNELS}, ())
