"""Bodies lived stretch by stretch with per-person gains equal plain runs of the same timetable."""

import numpy as np
import pytest

from oxysim import SolverOptions, simulate
from oxysim.community.bodies import Bodies
from oxysim.engine.protocol import build_schedule
from oxysim.engine.simulate import prepare_run
from oxysim.scenario import parse_scenario

RECORD = ("salivary_cortisol", "plasma_acth", "stress_tsst")
PEOPLE = "subjects: [{id: a}, {id: b, sex: female, relationship: partnered}, {id: c, age: 60}]\n"


def two_days(*tsst_days: int) -> str:
    events = ", ".join(
        f"{{at: {day * 1440 + 120} min, stressor: {{kind: tsst, duration: 15 min}}}}"
        for day in tsst_days
    )
    return (
        "name: days\nduration: 2880 min\nrecord_every: 1 min\nstart_time: '08:00'\n"
        f"{PEOPLE}events: [{events}]\nrecord: [{', '.join(RECORD)}]\n"
    )


def test_people_living_their_share_of_each_day_equal_plain_runs() -> None:
    scenario = parse_scenario(two_days(0, 1))
    bodies = Bodies(prepare_run(scenario, SolverOptions()), ["stress_tsst"], scenario.start_time)
    day = parse_scenario(two_days(0).replace("2880 min", "1440 min"))
    timetable = build_schedule(day.events, 1440, 1.0)
    # a lives both TSSTs, b only the second, c only the first
    first = bodies.live(timetable, 1.0, {"stress_tsst": [1.0, 0.0, 1.0]}, RECORD)
    second = bodies.live(timetable, 1.0, {"stress_tsst": [1.0, 1.0, 0.0]}, RECORD)
    lived = {name: np.vstack([first[name][:-1], second[name]]) for name in RECORD}
    expected = {
        "a": simulate(scenario),
        "b": simulate(parse_scenario(two_days(1))),
        "c": simulate(parse_scenario(two_days(0))),
    }
    for index, person in enumerate("abc"):
        for name in RECORD:
            plain = expected[person][name].sel(arm="default", subject=person).values
            np.testing.assert_array_equal(lived[name][:, index], plain, err_msg=f"{person} {name}")
    assert bodies.clock == scenario.start_time + 2880


def test_unknown_gains_are_refused() -> None:
    scenario = parse_scenario(two_days(0))
    prepared = prepare_run(scenario, SolverOptions())
    with pytest.raises(ValueError, match="not protocol channels"):
        Bodies(prepared, ["stress_nothing"], scenario.start_time)
    bodies = Bodies(prepared, ["stress_tsst"], scenario.start_time)
    schedule = build_schedule(scenario.events, 60, 1.0)
    with pytest.raises(KeyError, match="no gain for"):
        bodies.live(schedule, 1.0, {"touch_hug": 1.0}, RECORD)
