"""The evidence floor: switch off every mechanism graded below a chosen grade.

A floor of grade G keeps every parameter graded G or stronger and sets every weaker parameter that
declares a ``neutral`` value (a gain at 0, a relative factor at 1) to that value, so the
mechanism it carries has no effect. Only parameters whose mechanism itself rests on their weak
grade declare one. Parameters without a neutral value are structural (half-lives, volumes,
baselines, half-saturation constants) or scale a mechanism shown in humans whose size alone is
weakly graded (a stressor's potency, a stimulant's dopamine release): they are kept whatever
their grade, and :func:`kept_parameters` lists them so a report can say so. A neutralised
parameter takes its one neutral value for every species (grades are per parameter).

The floor is set for a block of code with :func:`evidence_floor`; :func:`oxysim.simulate` reads it,
so it reaches every simulation inside the block, those of the virtual experiments included.
Overrides passed explicitly to ``simulate(parameters=...)`` win over the floor: a user who sets a
value has chosen it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

from oxysim.model.grades import check_grade as check_grade
from oxysim.model.grades import grade_rank

if TYPE_CHECKING:
    from oxysim.model.parameters import Parameter

_FLOOR: ContextVar[str | None] = ContextVar("evidence_floor", default=None)


def below_floor(parameter: Parameter, floor: str | None) -> bool:
    """True when ``parameter`` is graded weaker than ``floor`` (never with no floor)."""
    return floor is not None and grade_rank(parameter.grade) > grade_rank(check_grade(floor))


def neutralised_parameters(
    parameters: Collection[Parameter], floor: str | None, keep: Collection[str] = ()
) -> dict[str, float]:
    """Neutral value of each parameter below ``floor`` that has one, by name.

    ``keep`` names parameters left alone (those the user set explicitly).
    """
    return {
        p.name: p.neutral
        for p in parameters
        if p.neutral is not None and below_floor(p, floor) and p.name not in keep
    }


def kept_parameters(parameters: Collection[Parameter], floor: str | None) -> list[Parameter]:
    """Parameters below ``floor`` kept at their value: structural, with no neutral value."""
    return [p for p in parameters if p.neutral is None and below_floor(p, floor)]


def current_floor() -> str | None:
    """The evidence floor in force (``None``: every mechanism on)."""
    return _FLOOR.get()


@contextmanager
def evidence_floor(grade: str | None) -> Iterator[str | None]:
    """Simulate with ``grade`` as the evidence floor inside the block (``None``: no floor)."""
    token = _FLOOR.set(None if grade is None else check_grade(grade))
    try:
        yield grade
    finally:
        _FLOOR.reset(token)
