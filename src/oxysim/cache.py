"""Where oxysim keeps what it can rebuild: compiled kernels and pint's parsed unit definitions."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    """``$OXYSIM_CACHE_DIR``, else ``oxysim`` in the user's cache folder (XDG)."""
    configured = os.environ.get("OXYSIM_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "oxysim"
