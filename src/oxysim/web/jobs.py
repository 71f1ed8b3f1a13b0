"""The dashboard's work: jobs validated, bounded, queued and cached by what they were asked.

A job (a scenario run, a trial, a community, the validation) is keyed by the SHA-256 of its kind,
its text and its evidence floor, so the same request asked again (or viewed again) is not
recomputed. Work beyond :class:`Limits` is refused before anything runs, with the limit named;
jobs wait in a bounded queue of worker threads.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Literal

from oxysim.web.limits import Limits

Status = Literal["queued", "running", "done", "failed"]
#: A job's progress callback: (done, total) in any unit.
Progress = Callable[[int, int], None]


class LimitError(ValueError):
    """A request over one of the :class:`Limits`; ``limit`` names it."""

    def __init__(self, limit: str, message: str, status_code: int) -> None:
        super().__init__(message)
        self.limit = limit
        self.status_code = status_code


@dataclass
class Job:
    """One job: its key, the text asked for, its progress and, when done, result (or error)."""

    key: str
    text: str
    evidence_floor: str | None
    status: Status = "queued"
    done_steps: int = 0
    total_steps: int = 1
    result: Any = None
    error: str = ""

    def progress(self) -> float:
        """Share of the work done, 0-1."""
        return 1.0 if self.status == "done" else min(1.0, self.done_steps / self.total_steps)

    def answer(self) -> dict[str, Any]:
        """What every status answer starts with: id, status, progress and any error."""
        answer: dict[str, Any] = {
            "id": self.key,
            "status": self.status,
            "progress": self.progress(),
        }
        if self.status == "failed":
            answer["error"] = self.error
        return answer


def job_key(kind: str, text: str, evidence_floor: str | None) -> str:
    """The cache key of a request of ``kind`` for ``text`` under an evidence floor."""
    return hashlib.sha256(f"{kind}\n{evidence_floor or ''}\n{text}".encode()).hexdigest()[:16]


class JobQueue:
    """Jobs by key: a bounded pool of workers and a cache of the finished."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(limits.workers, thread_name_prefix="oxysim-job")

    def submit(
        self,
        kind: str,
        text: str,
        evidence_floor: str | None,
        work: int,
        compute: Callable[[Progress], Any],
    ) -> Job:
        """The job of ``kind`` for ``text`` (the cached one if any), queued; over a limit raises.

        ``work`` is the job's size in the unit of :attr:`Limits.max_work` (subject-steps);
        ``compute(progress)`` returns the result, run under the evidence floor.
        """
        if work > self.limits.max_work:
            raise LimitError(
                "max_work",
                f"the {kind} is {work} subject-steps (subjects x steps x arms), over the limit "
                f"max_work = {self.limits.max_work}; use fewer subjects, a shorter duration or "
                "the command line",
                422,
            )
        key = job_key(kind, text, evidence_floor)
        with self._lock:
            if key in self._jobs and self._jobs[key].status != "failed":
                self._jobs.move_to_end(key)
                return self._jobs[key]
            waiting = sum(job.status in ("queued", "running") for job in self._jobs.values())
            if waiting >= self.limits.max_queued:
                raise LimitError(
                    "max_queued",
                    f"{waiting} jobs are queued or running, the limit max_queued = "
                    f"{self.limits.max_queued}; try again when one has finished",
                    429,
                )
            job = Job(key, text, evidence_floor)
            self._jobs[key] = job
            self._forget_oldest()
        self._pool.submit(self._compute, job, compute)
        return job

    def get(self, key: str) -> Job | None:
        """The job of ``key``, if the server still holds it."""
        with self._lock:
            return self._jobs.get(key)

    def _forget_oldest(self) -> None:
        finished = [k for k, j in self._jobs.items() if j.status in ("done", "failed")]
        for key in finished[: max(0, len(self._jobs) - self.limits.cached_runs)]:
            del self._jobs[key]

    @staticmethod
    def _compute(job: Job, compute: Callable[[Progress], Any]) -> None:
        from oxysim.evidence.floor import evidence_floor

        def progress(done: int, total: int) -> None:
            job.done_steps, job.total_steps = done, max(total, 1)

        job.status = "running"
        try:
            with evidence_floor(job.evidence_floor):
                job.result = compute(progress)
            job.status = "done"
        except Exception as error:  # noqa: BLE001 - any failure of a job is reported to the page
            job.error = str(error) or type(error).__name__
            job.status = "failed"

    def close(self) -> None:
        """Stop taking jobs; wait for those computing."""
        self._pool.shutdown(wait=True, cancel_futures=True)
