"""The ``--evidence-floor`` command-line option, light to import (no model, no NumPy)."""

from __future__ import annotations

from typing import Annotated

import typer

from oxysim.model.grades import GRADES, check_grade


def validated_floor(grade: str | None) -> str | None:
    """Typer callback: ``grade`` if it is a known grade (or absent), else exit 2 naming them."""
    if grade is None:
        return None
    try:
        return check_grade(grade)
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None


#: The ``--evidence-floor GRADE`` option, to annotate a command parameter defaulting to None.
EvidenceFloorOption = Annotated[
    str | None,
    typer.Option(
        "--evidence-floor",
        help="switch off every mechanism graded below GRADE (one of "
        f"{', '.join(GRADES)}); explicit parameter overrides still apply",
        callback=validated_floor,
        metavar="GRADE",
    ),
]
