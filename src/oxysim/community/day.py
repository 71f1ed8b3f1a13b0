"""A community's day: one shared timetable of events, of which each person lives a share.

The timetable is written in scenario-file events, so each slot drives the channels its event
kind declares (:mod:`oxysim.scenario.events`). The community layer gives every person a gain per
gained channel for the day (:mod:`oxysim.community.bodies`): 1 lives the slot as written, 0
misses it, and the expression slot's gain is the valence of the expressions the person meets.
The day starts at the community's start time (07:00 by default):

========  ========================================================================
09:00     an acute stressor, 15 min (``stress_generic``) for those it strikes
12:00     meetings, 30 min: time with the own group and with others, the
          expressions of those met, and a friend's support for someone stressed
19:00     the evening with the partner, 30 min: time together, a hug, support
========  ========================================================================
"""

from __future__ import annotations

from functools import cache

from oxysim.engine.protocol import Schedule, build_schedule
from oxysim.scenario import parse_scenario

#: Minutes in a day, and the integration step of a community day (min).
DAY_MINUTES = 1440
STEP = 1.0
#: Minutes after the day's start of each slot, and how long it lasts.
STRESS_AT, MEETING_AT, EVENING_AT = 120, 300, 720
SLOT_MINUTES = 30
#: When a person's reply at the meetings is read: the end of the meetings.
REPLY_AT = MEETING_AT + SLOT_MINUTES
_TIMETABLE = f"""
name: community-day
duration: {DAY_MINUTES} min
events:
  - {{at: {STRESS_AT} min, stressor: {{kind: generic, duration: 15 min}}}}
  - {{at: {MEETING_AT} min, social_interaction: {{with: group, group: ingroup, duration: 30 min}}}}
  - {{at: {MEETING_AT} min, social_interaction: {{with: group, group: outgroup, duration: 30 min}}}}
  - {{at: {MEETING_AT} min, ambiguous_expression: {{valence: 1, formation: 0.5, duration: 30 min}}}}
  - {{at: {MEETING_AT} min, social_support: {{source: friend, duration: 30 min}}}}
  - {{at: {EVENING_AT} min, social_interaction: {{with: partner, duration: 30 min}}}}
  - {{at: {EVENING_AT} min, touch: {{kind: hug, duration: 10 min}}}}
  - {{at: {EVENING_AT} min, social_support: {{source: partner, duration: 30 min}}}}
"""
#: The channels each person gets a share of, day by day.
GAINED = (
    "stress_generic",
    "social_ingroup",
    "social_outgroup",
    "expression_valence",
    "support_friend",
    "social_partner",
    "touch_hug",
    "support_partner",
)


@cache
def timetable() -> Schedule:
    """The day's shared schedule, at :data:`STEP`."""
    scenario = parse_scenario(_TIMETABLE, source="community day")
    return build_schedule(scenario.events, round(DAY_MINUTES / STEP), STEP)
