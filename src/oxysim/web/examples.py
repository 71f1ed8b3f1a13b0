"""The example files the dashboard offers: scenarios, trials and communities, by name.

They are the project's own ``examples/`` (shipped in the wheel as ``oxysim/examples``; read from
the source tree in a checkout). The client picks one by name; it never sends a path.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

#: Subfolders of the examples by kind; scenarios are the top level.
KINDS = {"scenario": ".", "trial": "trials", "community": "communities"}


def examples_folder() -> Path:
    """The packaged examples, else those of the source checkout the package runs from."""
    packaged = Path(str(resources.files("oxysim").joinpath("examples")))
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "examples"


@cache
def examples(kind: str) -> dict[str, str]:
    """The example files of ``kind`` (a key of :data:`KINDS`): name to text, sorted by name."""
    folder = examples_folder() / KINDS[kind]
    return {path.stem: path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.yaml"))}
