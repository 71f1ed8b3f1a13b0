"""A community's day: one shared timetable of events, of which each person lives a share.

The timetable is written in scenario-file events, so each slot drives the channels its event
kind declares (:mod:`oxysim.scenario.events`). The community layer gives every person a gain per
gained channel for the day (:mod:`oxysim.community.bodies`): 1 lives the slot as written, 0
misses it, and the expression slot's gain is the valence of the expressions the person meets.
The day starts at the community's start time (07:00 by default):

========  ========================================================================
09:00     an acute stressor, 15 min (``stress_generic``), one's own or one's group's
11:15     intranasal oxytocin for those given it (a dose, not a channel)
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
"""

from __future__ import annotations

from functools import cache

from oxysim.engine.protocol import Schedule, build_schedule
from oxysim.scenario import parse_scenario

#: Minutes in a day, and the integration step of a community day (min).
DAY_MINUTES = 1440
STEP = 1.0
#: Minutes after the day's start of each slot.
STRESS_AT, MEETING_AT, GROUP_AT, CUE_AT, EVENING_AT = 120, 300, 600, 690, 720
#: Intranasal oxytocin is given 45 min before the meetings, as in most studies of it.
DOSE_AT = MEETING_AT - 45
SLOT_MINUTES = 30
#: When a person's reply at the meetings is read: the end of the meetings.
REPLY_AT = MEETING_AT + SLOT_MINUTES
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


@cache
def timetable_around_dose() -> tuple[Schedule, Schedule]:
    """The day's schedule before the oxytocin dose and from it on."""
    cut = round(DOSE_AT / STEP)
    return _part(slice(None, cut)), _part(slice(cut, None))


def _part(steps: slice) -> Schedule:
    return Schedule({name: values[steps] for name, values in timetable().channels.items()}, ())
