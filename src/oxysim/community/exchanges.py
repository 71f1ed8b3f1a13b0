"""A day's exchanges between people, drawn along the ties as array operations.

:func:`draw_day` draws what happens to whom: which ties meet, who meets a stressor (alone or with
their group), which couples spend the evening together and whether it is a conflict, who goes
to the support group and who meets a drug cue. Its draws are the same in number and order
whatever the arm, so every arm sees the same stream. :func:`day_gains` turns a day into each
person's share of the timetable (:mod:`oxysim.community.day`), with ``np.bincount`` over the
tie ends: there are no per-person Python objects.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from oxysim.community.network import Network
from oxysim.community.spec import Life

Array = NDArray[np.float64]
Mask = NDArray[np.bool_]
Indices = NDArray[np.int64]


@dataclass(frozen=True)
class Roles:
    """Who may live which slot: set once per community and arm."""

    dosed: Mask  # given intranasal oxytocin every day
    history: Mask  # with an addiction history (past or current)
    member: Mask  # in the support group


@dataclass(frozen=True)
class Day:
    """One day's draws for everyone."""

    met: Indices  # the ties met, as indices into the network's tie ends
    stressed: Mask  # one's own stressor or one's group's
    together: Mask
    conflict: Mask  # the evening together is a conflict
    attended: Mask  # goes to the support group
    cue: Mask  # meets a drug cue


def assign_roles(rng: np.random.Generator, life: Life, history: Mask) -> Roles:
    """Who is dosed and who joins the support group; nested by share across arms."""
    dosing, joining = rng.random(history.size), rng.random(history.size)
    return Roles(dosing < life.oxytocin_share, history, history & (joining < life.support_group))


def draw_day(rng: np.random.Generator, network: Network, life: Life, roles: Roles) -> Day:
    """The day's draws, in a fixed order and size whatever the arm (the same stream per arm)."""
    size, partner = network.size, network.partner
    meeting = rng.random(len(network.tie_ends[0]))
    stress, evening, quarrel = rng.random(size), rng.random(size), rng.random(size)
    attend, cue = rng.random(size), rng.random(size)
    threat, threatened = rng.random(), rng.integers(network.group.max() + 1)
    couples = np.flatnonzero(np.arange(size) < partner)  # one draw per couple, the lower number
    together = _couple_shared(couples, partner, evening < life.evening_together, size)
    conflict = together & _couple_shared(couples, partner, quarrel < life.conflict, size)
    group_hit = network.group == threatened if threat < life.group_threat else np.zeros(size, bool)
    return Day(
        met=np.flatnonzero(meeting < life.meet),
        stressed=(stress < life.stress) | group_hit,
        together=together,
        conflict=conflict,
        attended=roles.member & (attend < life.support_group_attendance),
        cue=roles.history & (cue < life.drug_cue),
    )


def _couple_shared(couples: Indices, partner: Indices, drawn: Mask, size: int) -> Mask:
    """The couple's draw (made by its lower-numbered partner) for both partners."""
    shared = np.zeros(size, dtype=bool)
    shared[couples] = drawn[couples]
    shared[partner[couples]] = shared[couples]
    return shared


def day_gains(
    network: Network, day: Day, expression: Array, life: Life
) -> tuple[dict[str, Array], Array]:
    """Each person's share of the day's timetable, and the number of ties each met.

    ``expression`` is what each person shows at the meetings (their reply of the day before).
    """
    a, b = network.tie_ends
    a, b = a.take(day.met), b.take(day.met)
    size = network.size

    def over_ties(ends: tuple[Indices, Indices], values: Array | None = None) -> Array:
        """Per person, the ties met among ``ends``, or the sum of ``values`` at their other ends."""
        first, second = ends
        at_second, at_first = (None, None) if values is None else (values[second], values[first])
        counts = np.bincount(first, at_second, size) + np.bincount(second, at_first, size)
        return counts.astype(float, copy=False)

    same = network.group[a] == network.group[b]
    met = over_ties((a, b))
    within = over_ties((a[same], b[same]))
    between = met - within
    stressed = day.stressed.astype(float)
    seen, strained = over_ties((a, b), expression), over_ties((a, b), stressed)
    together = day.together & ~day.conflict
    partner_stressed = np.where(network.partner >= 0, stressed[network.partner], 0.0)
    support, empathy = float(life.support), float(life.empathy)
    share_met = np.maximum(met, 1.0)
    gains = {
        "stress_generic": stressed,
        "social_ingroup": np.minimum(within, 1.0),
        "social_outgroup": np.minimum(between, 1.0),
        "expression_valence": seen / share_met,
        "support_friend": stressed * (met > 0) * support,
        "observed_stress_friend": empathy * strained / share_met,
        "support_group": day.attended.astype(float),
        "drug_cue": day.cue.astype(float),
        "social_partner": day.together.astype(float),
        "touch_hug": together.astype(float),
        "support_partner": together * stressed * support,
        "observed_stress_partner": empathy * day.together * partner_stressed,
        "stress_conflict": day.conflict.astype(float),
    }
    return gains, met
