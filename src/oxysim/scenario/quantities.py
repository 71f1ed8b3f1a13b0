"""Pydantic annotations for quantities with units, read from scenario files.

A field annotated ``Annotated[float, Quantity("min", gt=0)]`` accepts ``"15 min"``, ``"1 h"`` or
``"90 s"`` and stores the value as a float in its canonical unit (here minutes). Each annotation
also describes itself, so the schema documentation is generated from the same objects that
validate and cannot drift from them.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import pint
from pydantic_core import PydanticCustomError

from oxysim.scenario.base import FieldSyntax
from oxysim.units import CANONICAL_UNITS, UnitError, to_canonical

#: Longest scenario: one year (366 days), in minutes; hormone and supplement protocols run weeks.
MAX_DURATION_MIN = 366 * 24 * 60.0


def format_number(value: float) -> str:
    """Short text for a number: ``15``, ``0.05``, ``43200``."""
    return f"{value:.10g}"


def _shown(value: object) -> str:
    """Show the value as the user wrote it, for ``(got ...)`` in messages."""
    return format_number(value) if isinstance(value, int | float) else str(value)


@dataclass(frozen=True)
class Quantity(FieldSyntax):
    """A number with a unit and an allowed range, stored as a float in the canonical ``unit``.

    Attributes
    ----------
    unit
        Canonical unit the value is stored in; ``""`` for a dimensionless number.
    gt, ge, le
        Bounds in ``unit``: greater than, greater or equal, less or equal.
    unit_required
        When true a bare number is an error: ``10`` could be seconds, minutes or hours.
    example
        A valid value, quoted in error messages and documentation.
    """

    unit: str
    gt: float | None = None
    ge: float | None = None
    le: float | None = None
    unit_required: bool = True
    example: str = ""

    @property
    def lower(self) -> float | None:
        """Lowest allowed value (open or closed), or None when unbounded below."""
        return self.ge if self.ge is not None else self.gt

    def validate(self, value: Any) -> float:
        """Read ``value`` and check its range; the error names the allowed range."""
        number = self.read(value)
        problem = self.range_problem(number)
        if problem is not None:
            raise PydanticCustomError("out_of_range", f"{problem} (got {_shown(value)})")
        return number

    def read(self, value: Any) -> float:
        """Convert a number, a string such as ``"15 min"`` or a pint quantity to ``unit``."""
        if isinstance(value, pint.Quantity):
            value = str(value)
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise PydanticCustomError("quantity_type", f"expected {self.expected()}")
        if self.unit_required and _is_bare_number(value):
            raise PydanticCustomError(
                "unit_missing", f"needs a unit, e.g. '{self.example}' (got {_shown(value)})"
            )
        try:
            number = to_canonical(value, self.unit or "dimensionless")
        except UnitError as error:
            raise PydanticCustomError("unit", str(error)) from None
        if not math.isfinite(number):
            raise PydanticCustomError("not_finite", f"must be a finite number (got {value})")
        return number

    def range_problem(self, value: float) -> str | None:
        """``"must be ..."`` when ``value`` (in ``unit``) is out of range, else None."""
        inside = (
            (self.gt is None or value > self.gt)
            and (self.ge is None or value >= self.ge)
            and (self.le is None or value <= self.le)
        )
        return None if inside else f"must be {self.range_text()}"

    def range_text(self) -> str:
        """Word the allowed range: ``"between 18 and 100 year"``, ``"> 0 min"``."""
        unit = f" {self.unit}" if self.unit else ""
        if self.ge is not None and self.le is not None:
            return f"between {format_number(self.ge)} and {format_number(self.le)}{unit}"
        parts = [
            f"{symbol} {format_number(bound)}"
            for symbol, bound in ((">", self.gt), (">=", self.ge), ("<=", self.le))
            if bound is not None
        ]
        return " and ".join(parts) + unit if parts else ""

    def expected(self) -> str:
        """Say what a valid value looks like, for error messages."""
        if not self.unit:
            return "a number"
        if self.unit_required:
            return f"a quantity in {self.unit} such as '{self.example}'"
        return f"a number in {self.unit} or a quantity such as '{self.example}'"

    def describe(self) -> str:
        """Describe the accepted form and the range, in Markdown."""
        if not self.unit:
            form = "number"
        elif self.unit_required:
            form = f"quantity in {self.unit}, e.g. `{self.example}`"
        else:
            form = f"number in {self.unit}, or a quantity such as `{self.example}`"
        return f"{form}; {self.range_text()}" if self.range_text() else form


def _is_bare_number(value: str | float) -> bool:
    """Tell whether ``value`` (``10`` or ``"10"``) is a number written without a unit."""
    if not isinstance(value, str):
        return True
    try:
        float(value)
    except ValueError:
        return False
    return True


def time(*, gt: float | None = None, ge: float | None = None, le: float | None = None) -> Quantity:
    """Make a time or duration stored in minutes; a unit is required (``"15 min"``)."""
    return Quantity(CANONICAL_UNITS["time"], gt=gt, ge=ge, le=le, example="10 min")


def number(*, ge: float, le: float) -> Quantity:
    """Make a dimensionless number in ``[ge, le]``, such as an intensity or a probability."""
    return Quantity("", ge=ge, le=le, unit_required=False)


@dataclass(frozen=True)
class Count(FieldSyntax):
    """A whole number in a range (a seed, a population size)."""

    ge: int
    le: int | None = None

    @property
    def bounds(self) -> Quantity:
        """Return the range as a dimensionless quantity, which checks and words it."""
        return Quantity("", ge=self.ge, le=self.le, unit_required=False)

    def validate(self, value: Any) -> int:
        """``value`` when it is an integer in range; the error names the range."""
        if isinstance(value, bool) or not isinstance(value, int):
            raise PydanticCustomError(
                "count_type", f"must be a whole number {self.bounds.range_text()} (got {value!r})"
            )
        problem = self.bounds.range_problem(value)
        if problem is not None:
            raise PydanticCustomError("out_of_range", f"{problem} (got {value})")
        return value

    def describe(self) -> str:
        """Describe the range, in Markdown."""
        return f"whole number; {self.bounds.range_text()}"


_CLOCK = re.compile(r"(?P<hour>[01]?\d|2[0-3]):(?P<minute>[0-5]\d)")


@dataclass(frozen=True)
class ClockTime(FieldSyntax):
    """A time of day written ``"HH:MM"`` (24 h), stored as minutes after midnight."""

    def validate(self, value: Any) -> float:
        """Minutes after midnight for ``"HH:MM"``."""
        match = _CLOCK.fullmatch(value) if isinstance(value, str) else None
        if match is None:
            raise PydanticCustomError(
                "clock_time", f"must be a time of day 'HH:MM', e.g. '14:00' (got {value})"
            )
        return 60.0 * int(match["hour"]) + int(match["minute"])

    def describe(self) -> str:
        """Describe the accepted form, in Markdown."""
        return 'time of day `"HH:MM"` on a 24 h clock, e.g. `"08:30"`'
