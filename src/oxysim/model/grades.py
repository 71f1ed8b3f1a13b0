"""Evidence grades, strongest first (see :mod:`oxysim.model.parameters` for what each means).

Kept apart from the parameters so that command-line help can name them without loading units.
"""

from __future__ import annotations

from typing import Literal, get_args

Grade = Literal["established", "human-single", "animal", "contested", "assumption", "claim"]
GRADES: tuple[str, ...] = get_args(Grade)


def check_grade(grade: str) -> str:
    """``grade`` if it is one of :data:`GRADES`, else a ``ValueError`` listing them."""
    if grade not in GRADES:
        raise ValueError(f"evidence floor must be one of {', '.join(GRADES)}; got {grade!r}")
    return grade


def grade_rank(grade: str) -> int:
    """Strength of a grade: 0 for ``established`` up to 5 for ``claim``."""
    return GRADES.index(grade)
