"""The answers every page's job routes share: a job queued, its status, its downloads."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from fastapi.responses import JSONResponse, Response

from oxysim.web.errors import refusal
from oxysim.web.jobs import Job, JobQueue


def accepted(job: Job) -> JSONResponse:
    """202 with the job's id and status."""
    return JSONResponse({"id": job.key, "status": job.status}, status_code=202)


def status_answer(
    queue: JobQueue, key: str, what: str, payload: Callable[[Any], dict[str, Any] | JSONResponse]
) -> JSONResponse:
    """The job's status and progress; when done, with ``payload(result)`` (or its refusal)."""
    job = queue.get(key)
    if job is None:
        return refusal("id", f"no {what} {key!r} on this server", 404)
    answer = job.answer()
    if job.status == "done":
        shown = payload(job.result)
        if isinstance(shown, JSONResponse):
            return shown
        answer |= shown
    return JSONResponse(answer)


def finished_job(queue: JobQueue, key: str, what: str) -> Job | JSONResponse:
    """The finished job of ``key``, or a 404 naming the id."""
    job = queue.get(key)
    if job is None or job.status != "done":
        return refusal("id", f"no finished {what} {key!r}", 404)
    return job


def download_answer(
    queue: JobQueue,
    key: str,
    what: str,
    kind: str,
    downloads: Sequence[str],
    write: Callable[[Job, str], Response],
) -> Response:
    """A finished job's file ``kind`` (one of ``downloads``) as ``write`` gives it, else a 404."""
    job = finished_job(queue, key, what)
    if isinstance(job, JSONResponse):
        return job
    if kind not in downloads:
        return refusal("kind", f"downloads: {', '.join(downloads)}", 404)
    return write(job, kind)
