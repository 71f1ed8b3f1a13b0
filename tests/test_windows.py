"""Summaries-only runs in windows of time: equal to the whole recorded run, memory flat in time."""

from collections.abc import Callable

import numpy as np
import pytest

from oxysim.engine.memory import estimate_memory
from oxysim.engine.protocol import Bolus, Schedule
from oxysim.engine.simulate import SolverOptions, in_windows, run_memory, simulate
from oxysim.engine.windows import window_schedule
from oxysim.scenario import Scenario
from oxysim.summaries import STATISTICS, WINDOW_RECORDS

SUMMARIES = [
    f"{statistic}_{variable}"
    for statistic in STATISTICS
    for variable in ("plasma_oxytocin", "salivary_cortisol")
]


def three_day_scenario(make_scenario: Callable[..., Scenario], **fields: object) -> Scenario:
    """Two window boundaries (1440 and 2880 min at 1-min records), with events on both."""
    return make_scenario(
        duration="3000 min",
        record_every="1 min",
        seed=4,
        population={"size": 5, "sex": {"male": 0.5, "female": 0.5}},
        events=[
            # a dose on the first boundary step and a stressor starting on the second
            {"at": "1440 min", "oxytocin_dose": {"route": "iv_bolus", "amount": "10 IU"}},
            {"at": "2880 min", "stressor": {"kind": "tsst", "duration": "15 min"}},
            {"at": "600 min", "touch": {"kind": "massage", "duration": "20 min"}},
        ],
        **fields,
    )


def test_windowed_summaries_equal_the_whole_recorded_run(
    make_scenario: Callable[..., Scenario],
) -> None:
    windowed = three_day_scenario(make_scenario, summaries=SUMMARIES)
    recorded = three_day_scenario(
        make_scenario, summaries=SUMMARIES, record=["plasma_oxytocin", "salivary_cortisol"]
    )
    assert in_windows(windowed, SolverOptions()) and not in_windows(recorded, SolverOptions())
    assert 2 * WINDOW_RECORDS < 3000
    a, b = simulate(windowed), simulate(recorded)
    assert "time" not in a.dims
    for name in SUMMARIES:
        np.testing.assert_array_equal(a[name].values, b[name].values, err_msg=name)
        assert a[name].attrs == b[name].attrs
    # the dose at 1440 min shows in the summaries: its plasma peak is far above the rest
    assert float(a["peak_plasma_oxytocin"].min()) > 10 * float(b.plasma_oxytocin[..., 0].max())


def test_window_schedule_keeps_its_own_steps_and_boluses() -> None:
    channels = {"x": np.arange(10.0)}
    boluses = (Bolus(3, "s", 1.0), Bolus(5, "s", 2.0), Bolus(9, "s", 3.0))
    piece = window_schedule(Schedule(channels, boluses), 5, 4)
    np.testing.assert_array_equal(piece.channels["x"], [5.0, 6.0, 7.0, 8.0])
    assert piece.boluses == (Bolus(0, "s", 2.0),)


@pytest.mark.parametrize("days", [1, 30, 300])
def test_summaries_only_memory_does_not_grow_with_duration(
    make_scenario: Callable[..., Scenario], days: int
) -> None:
    scenario = make_scenario(
        duration=f"{days * 24} h",
        population={"size": 1000},
        summaries=["peak_salivary_cortisol", "auc_plasma_oxytocin"],
    )
    estimate = run_memory(scenario, SolverOptions())
    one_day = estimate_memory(scenario, 1.0, 300, 8, windowed=True)
    # records: 2 copies x 1 arm x 2 variables x 1000 subjects x (1440 + 1) records x 8 bytes
    assert estimate.record_bytes == one_day.record_bytes == 2 * 2 * 1000 * 1441 * 8
    with_records = make_scenario(
        duration=f"{days * 24} h", population={"size": 1000}, record=["salivary_cortisol"]
    )
    assert (
        run_memory(with_records, SolverOptions()).record_bytes == 2 * 1000 * (days * 1440 + 1) * 8
    )
