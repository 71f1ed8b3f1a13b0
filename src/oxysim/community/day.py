"""A community's day: one shared timetable of events, of which each person lives a share.

The timetable is written in scenario-file events, so each slot drives the channels its event
kind declares (:mod:`oxysim.scenario.events`). The community layer gives every person a gain per
gained channel for the day (:mod:`oxysim.community.bodies`): 1 lives the slot as written, 0
misses it, and the expression slot's gain is the valence of the expressions the person meets.
The day starts at the community's start time (07:00 by default):

========  ========================================================================
09:00     an acute stressor, 15 min (``stress_generic``), one's own or one's group's
11:16     intranasal oxytocin for those given it (a dose, not a channel)
12:00     meetings, 30 min: time with the own group and with others, the expressions
          of those met, a friend's support for someone stressed, and the strain of
          those met who were stressed (watched at half a TSST, 15 min)
17:00     the support group, 60 min, for its members who go that day
18:30     a drug cue, 5 min, for people with an addiction history who meet one
19:00     the evening with the partner, 30 min: time together, a hug, support, the
          partner's strain when they were stressed (half a TSST, 15 min), or instead
          of the hug and support a conflict (15 min)
========  ========================================================================

The watched strain's intensity (half a TSST) is an assumption: Engert 2014 measured watching
the stressor itself, and a day's strain seen later is taken to be weaker.

The day is lived in stretches (:func:`day_plan`). With ``multirate`` the quiet blocks between
exchanges take the longest step the model allows (:data:`COARSE_STEP`, 4 min); the blocks in
which an exchange starts or ends, and the time from the oxytocin dose to the meetings, take
1-min steps, so every change of the timetable falls on a step. With ``fine`` the whole day
takes 1-min steps. Either way a record is kept every :data:`RECORD_MINUTES`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from oxysim.engine.protocol import Schedule, build_schedule
from oxysim.scenario import parse_scenario
from oxysim.system import human_model

Steps = Literal["multirate", "fine"]
#: Minutes in a day; the fine step, and the coarse one: the longest any sub-model allows (min).
DAY_MINUTES = 1440
STEP = 1.0
COARSE_STEP = min(m.max_step for m in human_model().submodels)
#: Minutes between the records a day keeps while it is lived (one coarse step).
RECORD_MINUTES = round(COARSE_STEP)
#: Minutes after the day's start of each slot.
STRESS_AT, MEETING_AT, GROUP_AT, CUE_AT, EVENING_AT = 120, 300, 600, 690, 720
#: Intranasal oxytocin is given about 45 min before the meetings, as in most studies of it (on a
#: record, so that the day can be cut there).
DOSE_AT = MEETING_AT - 44
SLOT_MINUTES = 30
#: When a person's reply at the meetings is read: the last record within the meetings.
REPLY_AT = (MEETING_AT + SLOT_MINUTES - 1) // RECORD_MINUTES * RECORD_MINUTES
#: The strain of someone stressed that day, as watched at the meetings or in the evening (x TSST).
WATCHED_STRAIN = 0.5
_TIMETABLE = f"""
name: community-day
duration: {DAY_MINUTES} min
events:
  - {{at: {STRESS_AT} min, stressor: {{kind: generic, duration: 15 min}}}}
  - {{at: {MEETING_AT} min, social_interaction: {{with: group, group: ingroup, duration: 30 min}}}}
  - {{at: {MEETING_AT} min, social_interaction: {{with: group, group: outgroup, duration: 30 min}}}}
  - {{at: {MEETING_AT} min, ambiguous_expression: {{valence: 1, formation: 0.5, duration: 30 min}}}}
  - {{at: {MEETING_AT} min, social_support: {{source: friend, duration: 30 min}}}}
  - {{at: {MEETING_AT} min, observing_stress: {{of: friend, intensity: {WATCHED_STRAIN}}}}}
  - {{at: {GROUP_AT} min, support_group: {{duration: 60 min}}}}
  - {{at: {CUE_AT} min, drug_cue: {{duration: 5 min}}}}
  - {{at: {EVENING_AT} min, social_interaction: {{with: partner, duration: 30 min}}}}
  - {{at: {EVENING_AT} min, touch: {{kind: hug, duration: 10 min}}}}
  - {{at: {EVENING_AT} min, social_support: {{source: partner, duration: 30 min}}}}
  - {{at: {EVENING_AT} min, observing_stress: {{of: partner, intensity: {WATCHED_STRAIN}}}}}
  - {{at: {EVENING_AT} min, stressor: {{kind: conflict, duration: 15 min}}}}
"""
#: The channels each person gets a share of, day by day.
GAINED = (
    "stress_generic",
    "social_ingroup",
    "social_outgroup",
    "expression_valence",
    "support_friend",
    "observed_stress_friend",
    "support_group",
    "drug_cue",
    "social_partner",
    "touch_hug",
    "support_partner",
    "observed_stress_partner",
    "stress_conflict",
)


@cache
def timetable() -> Schedule:
    """The day's shared schedule, at :data:`STEP`."""
    scenario = parse_scenario(_TIMETABLE, source="community day")
    return build_schedule(scenario.events, round(DAY_MINUTES / STEP), STEP)


@dataclass(frozen=True)
class Stretch:
    """Part of a day lived at one step: its schedule, step, steps per record, and the dose."""

    schedule: Schedule
    step: float
    record_every: int
    dose_first: bool  # the oxytocin dose is given at the stretch's start


@cache
def day_plan(steps: Steps) -> tuple[Stretch, ...]:
    """The day's stretches, cut at the dose and, with ``multirate``, between fine and coarse."""
    whole = timetable().channels
    block = RECORD_MINUTES
    fine_block: NDArray[np.bool_] = np.ones(DAY_MINUTES // block, dtype=bool)
    if steps == "multirate":
        changes = np.zeros(DAY_MINUTES, dtype=bool)  # a channel changes at the start of minute k
        for values in whole.values():
            changes[1:] |= values[1:] != values[:-1]
        # fine where a change falls inside a block, not on its first minute, and while the
        # intranasal dose is absorbed (up to the meetings)
        fine_block = np.asarray(changes.reshape(-1, block)[:, 1:].any(axis=1))
        fine_block[DOSE_AT // block : MEETING_AT // block] = True
    switches = np.flatnonzero(np.diff(fine_block.astype(int))) + 1
    cuts = sorted({0, DOSE_AT, DAY_MINUTES} | {int(b) * block for b in switches})
    plan = []
    for start, stop in zip(cuts[:-1], cuts[1:], strict=True):
        is_fine = bool(fine_block[start // block])
        stride = 1 if is_fine else block
        schedule = Schedule({name: v[start:stop:stride] for name, v in whole.items()}, ())
        step = STEP if is_fine else COARSE_STEP
        plan.append(Stretch(schedule, step, block if is_fine else 1, start == DOSE_AT))
    return tuple(plan)
