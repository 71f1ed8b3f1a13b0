"""Virtual experiments run with and without an evidence floor, metric by metric.

A metric's *conclusion* is whether its simulated value lies within the published tolerance. A
conclusion *changes* at a floor when that pass/fail flips once every mechanism below the floor is
neutralised. Runs are cached per (experiment, floor) within a process and can be spread over
worker processes (each sets the floor itself: a context variable does not cross processes).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import cache
from typing import Any

from oxysim.evidence.floor import check_grade, evidence_floor
from oxysim.experiments.base import MetricResult, records, run_experiment

#: One experiment's outcome: its checked metrics, or the message of the error it raised.
Outcome = tuple[MetricResult, ...] | str


class ExperimentFailed(RuntimeError):
    """An experiment failed without a floor: a broken model, not a conclusion of the floor."""


@dataclass(frozen=True)
class MetricComparison:
    """One metric without the floor (``baseline``) and with it (``floored``, or the error)."""

    baseline: MetricResult
    floored: MetricResult | None
    floor: str
    error: str = ""

    @property
    def survives(self) -> bool:
        """True when the metric is still within tolerance at the floor."""
        return self.floored is not None and self.floored.passed

    @property
    def changed(self) -> bool:
        """True when the floor flips the metric's pass/fail (an error counts as a fail)."""
        return self.baseline.passed != self.survives

    def as_dict(self) -> dict[str, Any]:
        """Plain dictionary for JSON output: the baseline metric plus its value at the floor."""
        return self.baseline.as_dict() | {
            "evidence_floor": self.floor,
            "simulated_at_floor": None if self.floored is None else self.floored.simulated,
            "pass_at_floor": self.survives,
            "changed": self.changed,
            "error_at_floor": self.error,
        }


@cache
def run_cached(experiment_id: str, floor: str | None) -> Outcome:
    """Run one experiment at ``floor`` (``None``: no floor), once per process.

    An experiment whose analysis breaks once its mechanisms are neutralised (a ratio of two
    effects that both vanish, say) is reported with its error instead of stopping the report.
    """
    with evidence_floor(floor):
        try:
            return tuple(run_experiment(experiment_id))
        except Exception as error:  # any analysis may break at the floor; reported, not raised
            return f"{type(error).__name__}: {error}"


def run_many(
    jobs: Sequence[tuple[str, str | None]], workers: int = 1
) -> dict[tuple[str, str | None], Outcome]:
    """Outcomes of (experiment, floor) jobs, in ``workers`` processes when more than one."""
    if workers <= 1 or len(jobs) <= 1:
        return {job: run_cached(*job) for job in jobs}
    with ProcessPoolExecutor(max_workers=workers) as pool:
        outcomes = pool.map(run_cached, *zip(*jobs, strict=True))
        return dict(zip(jobs, outcomes, strict=True))


def compare_experiments(
    experiment_ids: Iterable[str], floor: str, workers: int = 1
) -> list[MetricComparison]:
    """Every metric of the experiments, without and with ``floor``.

    Raises :class:`ExperimentFailed` when an experiment fails without the floor (a broken model,
    not a conclusion of the floor).
    """
    check_grade(floor)
    ids = list(experiment_ids)
    outcomes = run_many([(e, f) for e in ids for f in (None, floor)], workers)
    comparisons = []
    for experiment_id in ids:
        baseline, floored = outcomes[experiment_id, None], outcomes[experiment_id, floor]
        if isinstance(baseline, str):
            raise ExperimentFailed(f"experiment {experiment_id} failed without a floor: {baseline}")
        for index, result in enumerate(baseline):
            comparisons.append(
                MetricComparison(
                    result,
                    None if isinstance(floored, str) else floored[index],
                    floor,
                    floored if isinstance(floored, str) else "",
                )
            )
    return comparisons


def experiments_for(s_id: str) -> list[str]:
    """Ids of the experiments whose record lists ``s_id``."""
    return [r.id for r in records().values() if s_id in r.s_ids]
