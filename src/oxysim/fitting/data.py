"""Time-course data to fit: a tidy CSV read, checked against a scenario and the model.

One observation per row, with the columns ``subject, arm, time, variable, value, unit``:

``subject``   a subject id listed in the scenario's ``subjects`` (``s0000``, ... for subjects
              without an id), or ``mean`` for an arm's mean over people, compared with the
              scenario's typical subject (see :func:`oxysim.sensitivity.sampling.typical_subject`)
``arm``       an arm of the scenario
``time``      minutes since the start (a number, or a quantity such as ``30 min``), within the
              scenario's duration
``variable``  a model variable (``oxysim params`` lists parameters; variables are in docs/model.md)
``value``     the measured value, a finite number
``unit``      the value's unit, convertible to the variable's unit (oxytocin also from molar units)

Every problem is collected and reported at once, each with its line and column.
"""

from __future__ import annotations

import csv
import difflib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pint

from oxysim.population.sampling import default_ids
from oxysim.scenario import Scenario
from oxysim.units import OXYTOCIN_MOLAR_MASS_G_PER_MOL, UnitError, to_canonical, ureg

COLUMNS: tuple[str, ...] = ("subject", "arm", "time", "variable", "value", "unit")
#: Subject of rows that hold an arm's mean over people rather than one subject.
MEAN_SUBJECT = "mean"
#: Problems listed before the rest are counted only.
MAX_LISTED = 20


class DataError(ValueError):
    """The data file is unreadable or has rows that do not fit the scenario or the model."""


@dataclass(frozen=True)
class FitData:
    """Observations in the model's units, one entry per CSV row (in file order).

    ``subjects`` lists the distinct subjects (ids or ``mean``) in order of appearance and
    ``subject_index`` points each row into it; likewise ``arms`` and ``variables``.
    """

    source: str
    subjects: tuple[str, ...]
    arms: tuple[str, ...]
    variables: tuple[str, ...]
    subject_index: np.ndarray
    arm_index: np.ndarray
    variable_index: np.ndarray
    time: np.ndarray
    value: np.ndarray

    @property
    def size(self) -> int:
        """Number of observations."""
        return len(self.value)


def read_data(path: Path, scenario: Scenario, variables: dict[str, str]) -> FitData:
    """Read and check the CSV at ``path``; ``variables`` maps model variables to their units.

    Raises :class:`DataError` listing every problem with its line and column.
    """
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
    except (OSError, UnicodeDecodeError) as error:
        raise DataError(f"cannot read {path}: {error}") from None
    if not rows:
        raise DataError(f"{path}: empty file; the header must be {','.join(COLUMNS)}")
    header = [name.strip() for name in rows[0]]
    _check_header(path, header)
    checker = _RowChecker(scenario, variables)
    records = []
    for line, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            checker.problems.append(f"{line}: {len(cells)} cells, expected {len(header)}")
            continue
        record = checker.check(line, dict(zip(header, (c.strip() for c in cells), strict=True)))
        if record is not None:
            records.append(record)
    if checker.problems:
        raise DataError(_problem_text(path, checker.problems))
    if not records:
        raise DataError(f"{path}: no observations after the header")
    return _fit_data(str(path), records)


def _check_header(path: Path, header: Sequence[str]) -> None:
    """Exactly the expected columns, in any order."""
    missing = [name for name in COLUMNS if name not in header]
    unknown = [name for name in header if name not in COLUMNS]
    if missing or unknown or len(set(header)) != len(header):
        raise DataError(
            f"{path}:1: header: missing columns {missing}, unknown columns {unknown}; "
            f"the columns must be exactly {', '.join(COLUMNS)} (any order, once each)"
        )


def _problem_text(path: Path, problems: list[str]) -> str:
    listed = [f"{path}:{problem}" for problem in problems[:MAX_LISTED]]
    more = len(problems) - MAX_LISTED
    return "\n".join(listed + ([f"... and {more} more problems"] if more > 0 else []))


Record = tuple[str, str, str, float, float]


class _RowChecker:
    """Checks one row at a time against the scenario, collecting problems."""

    def __init__(self, scenario: Scenario, variables: dict[str, str]):
        self.scenario = scenario
        self.variables = variables
        self.subjects = (MEAN_SUBJECT, *subject_ids(scenario))
        self.problems: list[str] = []

    def check(self, line: int, row: dict[str, str]) -> Record | None:
        """The row as ``(subject, arm, variable, time, value)``, or None after a problem."""
        before = len(self.problems)
        self._member(line, "subject", row["subject"], self.subjects)
        self._member(line, "arm", row["arm"], tuple(self.scenario.arms))
        variable_known = self._member(line, "variable", row["variable"], tuple(self.variables))
        time = self._time(line, row["time"])
        value = self._number(line, "value", row["value"])
        if variable_known and value is not None:
            value = self._converted(line, value, row["unit"], row["variable"])
        if len(self.problems) > before or time is None or value is None:
            return None
        return row["subject"], row["arm"], row["variable"], time, value

    def _member(self, line: int, column: str, value: str, allowed: Sequence[str]) -> bool:
        if value in allowed:
            return True
        close = difflib.get_close_matches(value, allowed, n=3)
        hint = f" did you mean {', '.join(close)}?" if close else ""
        listed = ", ".join(allowed) if len(allowed) <= 12 else f"{len(allowed)} names"
        self.problems.append(f"{line}: {column}: unknown {value!r};{hint} allowed: {listed}")
        return False

    def _number(self, line: int, column: str, text: str) -> float | None:
        try:
            number = float(text)
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            self.problems.append(f"{line}: {column}: {text!r} is not a finite number")
            return None
        return number

    def _time(self, line: int, text: str) -> float | None:
        duration = self.scenario.duration
        try:
            time = to_canonical(text, "min")
        except UnitError as error:
            self.problems.append(f"{line}: time: {error}")
            return None
        if not 0.0 <= time <= duration:
            self.problems.append(
                f"{line}: time: {text} is outside the scenario's 0-{duration:g} min"
            )
            return None
        return time

    def _converted(self, line: int, value: float, unit: str, variable: str) -> float | None:
        target = self.variables[variable]
        try:
            return convert(value, unit, target, variable)
        except UnitError as error:
            self.problems.append(f"{line}: unit: {error}")
            return None


def convert(value: float, unit: str, target: str, variable: str) -> float:
    """``value`` in ``unit`` expressed in ``target``; oxytocin converts from molar units.

    Raises :class:`UnitError` naming the variable and its unit when no conversion exists.
    """
    try:
        quantity = ureg.Quantity(value, unit or "dimensionless")
        if "oxytocin" in variable and quantity.check("[substance] / [length] ** 3"):
            molar_mass = OXYTOCIN_MOLAR_MASS_G_PER_MOL * ureg("g/mol")
            return float(quantity.to(target, "chemistry", mw=molar_mass).magnitude)
        return float(quantity.to(target).magnitude)
    except (pint.errors.PintError, AttributeError, TypeError, ValueError):
        raise UnitError(
            f"{unit!r} cannot be converted to {target} ({variable} is in {target})"
        ) from None


def subject_ids(scenario: Scenario) -> tuple[str, ...]:
    """Ids of the scenario's listed subjects (``s0000``, ... where none is given); () otherwise."""
    if not scenario.subjects:
        return ()
    defaults = default_ids(len(scenario.subjects))
    return tuple(s.id or str(d) for s, d in zip(scenario.subjects, defaults, strict=True))


def _fit_data(source: str, records: list[Record]) -> FitData:
    """Index the distinct subjects, arms and variables of the checked rows."""
    columns = list(zip(*records, strict=True))
    indexed = []
    for values in columns[:3]:
        names = tuple(dict.fromkeys(values))
        indexed.append((names, np.array([names.index(v) for v in values])))
    (subjects, s_index), (arms, a_index), (variables, v_index) = indexed
    return FitData(
        source,
        subjects,
        arms,
        variables,
        s_index,
        a_index,
        v_index,
        np.asarray(columns[3], dtype=float),
        np.asarray(columns[4], dtype=float),
    )
