"""How many threads the compiled engine uses (light: the CLI checks it before a run)."""

from __future__ import annotations

import os


def default_threads() -> int:
    """``$OXYSIM_THREADS``, else every core this process may run on."""
    configured = os.environ.get("OXYSIM_THREADS", "").strip()
    if configured:
        if not configured.isdigit() or int(configured) < 1:
            raise ValueError(f"OXYSIM_THREADS must be a whole number >= 1, got {configured!r}")
        return int(configured)
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1
