"""Runs of the dashboard: validated, bounded, queued, cached by the scenario's hash.

A run is keyed by the SHA-256 of its scenario text and evidence floor, so the same scenario
asked again (or viewed again) is not recomputed. Work beyond :class:`Limits` is refused before
anything runs, with the limit named; runs wait in a bounded queue of worker threads.
"""

from __future__ import annotations

import hashlib
import math
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Literal

import xarray as xr

from oxysim.reports import SUMMARY_COLUMNS, course_summaries
from oxysim.scenario import Scenario
from oxysim.web.limits import Limits

Status = Literal["queued", "running", "done", "failed"]


class LimitError(ValueError):
    """A request over one of the :class:`Limits`; ``limit`` names it."""

    def __init__(self, limit: str, message: str, status_code: int) -> None:
        super().__init__(message)
        self.limit = limit
        self.status_code = status_code


@dataclass
class Run:
    """One run: its key, scenario, progress and, when done, results (or the error)."""

    key: str
    scenario: Scenario
    text: str
    evidence_floor: str | None
    status: Status = "queued"
    done_steps: int = 0
    total_steps: int = 1
    results: xr.Dataset | None = None
    error: str = ""

    def progress(self) -> float:
        """Share of the integration done, 0-1."""
        return 1.0 if self.status == "done" else min(1.0, self.done_steps / self.total_steps)


def run_key(text: str, evidence_floor: str | None) -> str:
    """The cache key of a scenario text under an evidence floor."""
    return hashlib.sha256(f"{evidence_floor or ''}\n{text}".encode()).hexdigest()[:16]


def work_of(scenario: Scenario) -> int:
    """Subjects x integration steps x arms of ``scenario``: what :attr:`Limits.max_work` bounds."""
    subjects = (
        scenario.population.size
        if scenario.population is not None
        else len(scenario.subjects or ())
    )
    step = scenario.step or min(1.0, scenario.record_every)
    return max(1, subjects) * math.ceil(scenario.duration / step) * len(scenario.arms)


class RunQueue:
    """Runs by key: a bounded pool of workers and a cache of the finished."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self._runs: OrderedDict[str, Run] = OrderedDict()
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(limits.workers, thread_name_prefix="oxysim-run")

    def submit(self, scenario: Scenario, text: str, evidence_floor: str | None) -> Run:
        """The run of ``scenario`` (the cached one if any), queued; over a limit raises."""
        work = work_of(scenario)
        if work > self.limits.max_work:
            raise LimitError(
                "max_work",
                f"the run is {work} subject-steps (subjects x steps x arms), over the limit "
                f"max_work = {self.limits.max_work}; use fewer subjects, a shorter duration or "
                "the command line",
                422,
            )
        key = run_key(text, evidence_floor)
        with self._lock:
            if key in self._runs and self._runs[key].status != "failed":
                self._runs.move_to_end(key)
                return self._runs[key]
            waiting = sum(run.status in ("queued", "running") for run in self._runs.values())
            if waiting >= self.limits.max_queued:
                raise LimitError(
                    "max_queued",
                    f"{waiting} runs are queued or running, the limit max_queued = "
                    f"{self.limits.max_queued}; try again when one has finished",
                    429,
                )
            run = Run(key, scenario, text, evidence_floor)
            self._runs[key] = run
            self._forget_oldest()
        self._pool.submit(self._compute, run)
        return run

    def get(self, key: str) -> Run | None:
        """The run of ``key``, if the server still holds it."""
        with self._lock:
            return self._runs.get(key)

    def _forget_oldest(self) -> None:
        finished = [k for k, r in self._runs.items() if r.status in ("done", "failed")]
        for key in finished[: max(0, len(self._runs) - self.limits.cached_runs)]:
            del self._runs[key]

    def _compute(self, run: Run) -> None:
        from oxysim.engine.simulate import simulate
        from oxysim.evidence.floor import evidence_floor

        def progress(done: int, total: int) -> None:
            run.done_steps, run.total_steps = done, max(total, 1)

        run.status = "running"
        try:
            with evidence_floor(run.evidence_floor):
                run.results = simulate(run.scenario, progress=progress, scenario_text=run.text)
            run.status = "done"
        except Exception as error:  # noqa: BLE001 - any failure of a run is reported to the page
            run.error = str(error) or type(error).__name__
            run.status = "failed"

    def close(self) -> None:
        """Stop taking runs; wait for those computing."""
        self._pool.shutdown(wait=True, cancel_futures=True)


def band_payload(results: xr.Dataset, by: str | None) -> dict[str, Any]:
    """Per variable, arm and group: the mean and interquartile band, and the summary table.

    The summary rows (start, peak, rise, AUC) are :func:`oxysim.reports.course_summaries`, the
    numbers the terminal and the HTML report show.
    """
    time = results.time.values.tolist()
    courses: dict[str, Any] = {}
    for name, values in results.data_vars.items():
        if not {"time", "subject"} <= set(values.dims):
            continue
        lines = []
        for arm in results.arm.values:
            chosen = values.sel(arm=arm)
            groups = [("all", chosen)] if by is None else list(chosen.groupby(by))
            for key, group in groups:
                low, high = group.quantile([0.25, 0.75], dim="subject").values
                lines.append(
                    {
                        "arm": str(arm),
                        "group": str(key),
                        "n": int(group.sizes["subject"]),
                        "mean": group.mean("subject").values.tolist(),
                        "q25": low.tolist(),
                        "q75": high.tolist(),
                    }
                )
        courses[str(name)] = {
            "units": values.attrs.get("units", ""),
            "lines": lines,
            "summary": course_summaries(results, str(name), by),
        }
    return {"time": time, "courses": courses, "summary_columns": SUMMARY_COLUMNS}
