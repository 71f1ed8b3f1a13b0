"""The project's matplotlib figures as PNG bytes for the dashboard, drawn one at a time.

The figures are the command line's own (one drawing per figure, wherever it is shown); pyplot
keeps global state, so drawings from the server's threads take turns.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

_DRAWING = threading.Lock()


def png_of(draw: Callable[[Path], object]) -> bytes:
    """The PNG that ``draw(path)`` writes, as bytes."""
    with _DRAWING, tempfile.TemporaryDirectory(prefix="oxysim-figure-") as folder:
        path = Path(folder) / "figure.png"
        draw(path)
        return path.read_bytes()
