"""The validation suite: every virtual experiment meets its published targets."""

import pytest

from oxysim.experiments.base import records, registered, run_experiment


def test_every_record_has_an_analysis_and_vice_versa() -> None:
    assert set(records()) == set(registered())


@pytest.mark.parametrize("experiment_id", sorted(records()))
def test_experiment_meets_its_targets(experiment_id: str) -> None:
    failures = [
        f"{r.metric.id}: simulated {r.simulated:.4g}, allowed [{r.metric.low}, {r.metric.high}]"
        for r in run_experiment(experiment_id)
        if not r.passed
    ]
    assert not failures, failures
