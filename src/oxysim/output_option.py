"""The one output option of every command: ``-o/--output FILE``, with its figure beside it.

Commands that write results and a figure (trial, sensitivity, demo) take the results file; the
figure is the same path with ``.png``. Without ``-o`` they write ``out/<name>.nc``.
"""

from __future__ import annotations

import re
from pathlib import Path

from oxysim.terminal import fail

DEFAULT_FOLDER = Path("out")


def results_path(output: Path | None, name: str) -> Path:
    """The results file: ``output`` (refused unless it ends in .nc) or ``out/<name>.nc``."""
    if output is None:
        return DEFAULT_FOLDER / (re.sub(r"[^A-Za-z0-9_.-]+", "_", name) + ".nc")
    if output.suffix != ".nc":
        raise fail(f"--output must end in .nc, got {output}", 2)
    return output


def beside(path: Path, suffix: str, tag: str = "") -> Path:
    """A file next to ``path``: the same stem (with ``_tag``) and another suffix."""
    return path.with_name(f"{path.stem}{'_' + tag if tag else ''}{suffix}")
