"""Wall time and peak memory of one whole ``oxysim`` process, as the system counts them."""

from __future__ import annotations

import os
import subprocess
import sys
import time


def timed_oxysim(arguments: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident GiB of ``python -m oxysim ARGUMENTS`` (``wait4``)."""
    command = [sys.executable, "-m", "oxysim", *arguments]
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}")
    return seconds, usage.ru_maxrss / 2**20  # ru_maxrss is in KiB on Linux
