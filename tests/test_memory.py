"""The memory plan: estimate before running, refuse what does not fit, with ways to shrink."""

import pytest
from typer.testing import CliRunner

from oxysim import simulate
from oxysim.cli import app
from oxysim.engine.memory import (
    MemoryPlanError,
    check_memory,
    estimate_memory,
    format_bytes,
    parse_memory_size,
)
from oxysim.engine.protocol import TIMED_CHANNELS
from oxysim.system import STANDARD_RECORD, human_model

runner = CliRunner()
#: The issue's case: valid by the schema, far beyond any machine.
LARGE = "name: large\nduration: 300 d\nrecord_every: 1 min\npopulation: {size: 10000}\n"


@pytest.mark.parametrize(
    ("text", "size"),
    [("4GB", 4 * 10**9), ("512 MiB", 512 * 2**20), ("1.5GiB", int(1.5 * 2**30)), ("1000", 1000)],
)
def test_memory_sizes_are_read_with_their_unit(text, size):
    assert parse_memory_size(text) == size


@pytest.mark.parametrize("text", ["4XB", "GB", "-1GB", "0"])
def test_bad_memory_sizes_are_refused(text):
    with pytest.raises(ValueError, match="memory size"):
        parse_memory_size(text)


def test_the_estimate_counts_records_protocol_and_working_state(make_scenario):
    scenario = make_scenario(
        duration="2 h",
        record_every="5 min",
        population={"size": 300},
        record=["plasma_oxytocin", "salivary_cortisol"],
        arms={"a": {}, "b": {}, "c": {}},
    )
    n_variables = len(human_model().variables)
    estimate = estimate_memory(scenario, 1.0, n_variables, len(STANDARD_RECORD))
    records = 120 // 5 + 1
    assert estimate.record_bytes == 2 * 3 * 2 * 300 * records * 8  # two copies, float64
    assert estimate.protocol_bytes == len(TIMED_CHANNELS) * 120 * 8
    assert estimate.working_bytes == 8 * n_variables * 300 * 8
    assert (
        estimate.total == estimate.record_bytes + estimate.protocol_bytes + estimate.working_bytes
    )


def test_a_run_over_budget_is_refused_with_the_estimate_and_ways_to_shrink(make_scenario):
    scenario = make_scenario(duration="1 d", record_every="1 min", population={"size": 1000})
    estimate = estimate_memory(scenario, 1.0, 100, len(STANDARD_RECORD))
    check_memory(estimate, estimate.total)  # exactly at the budget: fits
    with pytest.raises(MemoryPlanError) as refused:
        check_memory(estimate, estimate.total // 10)
    message = str(refused.value)
    assert format_bytes(estimate.total) in message
    assert "--memory-limit" in message and "record_every" in message and "fewer subjects" in message
    with pytest.raises(MemoryPlanError):
        simulate(scenario, memory_limit=10**6)


def test_the_cli_refuses_the_large_run_with_exit_2_and_writes_nothing(tmp_path):
    scenario, output = tmp_path / "large.yaml", tmp_path / "out.nc"
    scenario.write_text(LARGE)
    result = runner.invoke(app, ["run", str(scenario), "-o", str(output), "--memory-limit", "8GB"])
    assert result.exit_code == 2
    assert "needs about 515." in result.output and "7.5 GiB" in result.output  # records 515.0 GiB
    assert not output.exists() and list(tmp_path.iterdir()) == [scenario]


def test_the_cli_names_an_unreadable_memory_limit(tmp_path):
    scenario = tmp_path / "large.yaml"
    scenario.write_text(LARGE)
    result = runner.invoke(app, ["run", str(scenario), "-o", "x.nc", "--memory-limit", "lots"])
    assert result.exit_code == 2 and "--memory-limit" in result.output
