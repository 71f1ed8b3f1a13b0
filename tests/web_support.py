"""What the dashboard's API tests share: waiting for a job to finish."""

import time

from fastapi.testclient import TestClient


def finished(client: TestClient, path: str, seconds: float = 60) -> dict:
    """The status answer at ``path`` once the job is done or failed (fails after ``seconds``)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        answer = client.get(path).json()
        if answer["status"] in ("done", "failed"):
            return answer
        time.sleep(0.05)
    raise AssertionError(f"{path} did not finish in {seconds:g} s")
