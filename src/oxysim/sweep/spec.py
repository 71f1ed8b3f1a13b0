"""A sweep file: a scenario, the factors varied over it, and how its points are chosen.

A factor sets one field of the scenario file
(``field: arms.oxytocin.events[0].oxytocin_dose.amount``) or one model parameter
(``parameter: release_gain_stress``) to each of its values. ``grid`` runs every
combination of the factors' values; ``sample`` draws ``points`` combinations with the sweep's
seed, each factor from its values, a uniform or a log-uniform range. Every check names the field
and what is allowed, like a scenario file.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Annotated

import numpy as np
from pydantic import AfterValidator, Field, StrictBool, model_validator

from oxysim.scenario.base import Problem, SpecModel, validation_error
from oxysim.scenario.quantities import Count

#: A value a factor sets: what a scenario file may hold at that place, or a parameter's number.
Value = StrictBool | int | float | str
#: Most points of one sweep, and most subjects per task.
MAX_POINTS = 10_000
MAX_CHUNK_SUBJECTS = 100_000
#: Dimension names of the results, which factors cannot take.
RESERVED_NAMES = frozenset({"arm", "subject", "point", "time", "quantile"})
_QUANTITY = re.compile(r"^\s*([-+]?[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*(\S*)\s*$")


def coordinate(values: Sequence[Value]) -> tuple[np.ndarray, str]:
    """The values of a factor as a coordinate: numbers (with a shared unit) or text."""
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return np.asarray(values, dtype=float), ""
    matches = [_QUANTITY.match(v) if isinstance(v, str) else None for v in values]
    units = {m[2] for m in matches if m is not None}
    if all(m is not None for m in matches) and len(units) == 1:
        return np.asarray([float(m[1]) for m in matches if m is not None]), units.pop()
    return np.asarray([str(v).lower() if isinstance(v, bool) else str(v) for v in values]), ""


def _factor_name(name: str) -> str:
    """Return ``name`` when it can name a dimension of the results."""
    if not name.isidentifier() or name in RESERVED_NAMES:
        raise ValueError(
            "factor names are identifiers (letters, digits and _) other than "
            f"{', '.join(sorted(RESERVED_NAMES))}; got '{name}'"
        )
    return name


FactorName = Annotated[str, AfterValidator(_factor_name)]


class Factor(SpecModel):
    """One varied quantity: a scenario field or a model parameter, and its values or range."""

    field: str | None = Field(
        None,
        description="path of a scenario-file value, as in error messages: "
        "`population.size`, `arms.oxytocin.events[0].oxytocin_dose.amount`",
    )
    parameter: str | None = Field(None, description="name of a model parameter (`oxysim params`)")
    values: tuple[Value, ...] | None = Field(
        None, min_length=1, description="the values (grid), or those to draw from (sample)"
    )
    uniform: tuple[float, float] | None = Field(
        None, description="sample only: a number drawn uniformly from [low, high]"
    )
    log_uniform: tuple[float, float] | None = Field(
        None, description="sample only: a number whose log is uniform in [log low, log high]"
    )
    unit: str = Field(
        "", description="unit written after a drawn number for a scenario field, e.g. `IU`"
    )

    @model_validator(mode="after")
    def _consistent(self) -> Factor:
        problems = []
        if (self.field is None) == (self.parameter is None):
            problems.append(Problem(("field",), "give either `field` or `parameter`", None))
        given = [k for k in ("values", "uniform", "log_uniform") if getattr(self, k) is not None]
        if len(given) != 1:
            message = "give exactly one of `values`, `uniform` or `log_uniform`"
            problems.append(Problem(("values",), message, None))
        for key in ("uniform", "log_uniform"):
            bounds = getattr(self, key)
            if bounds is None:
                continue
            low, high = bounds
            if not (math.isfinite(low) and math.isfinite(high) and low < high):
                message = f"must be [low, high] with low < high (got [{low}, {high}])"
                problems.append(Problem((key,), message, list(bounds)))
            elif key == "log_uniform" and low <= 0:
                message = f"needs a positive low end (got {low})"
                problems.append(Problem((key,), message, list(bounds)))
        if self.unit and self.parameter is not None:
            message = "a parameter takes a number in its declared unit; leave `unit` out"
            problems.append(Problem(("unit",), message, self.unit))
        if problems:
            raise validation_error("Factor", problems)
        return self

    @property
    def target(self) -> str:
        """What the factor sets: ``field <path>`` or ``parameter <name>``."""
        return f"field {self.field}" if self.field is not None else f"parameter {self.parameter}"


class Sample(SpecModel):
    """A seeded random sample of points."""

    points: Annotated[int, Count(ge=1, le=MAX_POINTS)] = Field(description="number of points")
    factors: dict[FactorName, Factor] = Field(min_length=1, description="factor name -> factor")


class SweepSpec(SpecModel):
    """The top level of a sweep file."""

    name: str = Field(min_length=1, description="short name, used for output files")
    description: str = Field("", description="free text")
    scenario: str = Field(min_length=1, description="scenario file, relative to the sweep file")
    seed: Annotated[int, Count(ge=0)] = Field(
        0, description="random seed of the sweep: subjects, parameters and sampled points"
    )
    summaries: tuple[str, ...] = Field(
        (),
        description="per-subject summaries kept at every point (default: the scenario's)",
    )
    chunk_subjects: Annotated[int, Count(ge=1, le=MAX_CHUNK_SUBJECTS)] = Field(
        500, description="subjects per task: each point x chunk of subjects is one task"
    )
    same_subjects: StrictBool = Field(
        True,
        description="the same virtual subjects at every point (common random numbers, for "
        "smooth comparisons); `false` draws new subjects for each point",
    )
    grid: dict[FactorName, Factor] | None = Field(
        None, description="factor name -> factor; every combination of their values is a point"
    )
    sample: Sample | None = Field(None, description="a seeded random sample instead of a grid")
    plot: str | None = Field(None, description="summary plotted over the sweep (default: first)")

    @model_validator(mode="after")
    def _consistent(self) -> SweepSpec:
        problems = []
        if (self.grid is None) == (self.sample is None):
            problems.append(Problem(("grid",), "give either `grid` or `sample`", None))
        elif self.grid is not None:
            problems.extend(self._grid_problems(self.grid))
        if problems:
            raise validation_error("SweepSpec", problems)
        return self

    @staticmethod
    def _grid_problems(grid: dict[str, Factor]) -> list[Problem]:
        if not grid:
            return [Problem(("grid",), "needs at least one factor", {})]
        problems = [
            Problem(
                ("grid", name, "values"),
                "a grid lists `values`; ranges belong to a `sample`",
                None,
            )
            for name, factor in grid.items()
            if factor.values is None
        ]
        problems += [
            Problem(("grid", name, "values"), "lists a value twice", list(factor.values))
            for name, factor in grid.items()
            if factor.values is not None
            and len(set(coordinate(factor.values)[0].tolist())) < len(factor.values)
        ]
        size = math.prod(len(factor.values or ()) for factor in grid.values())
        if not problems and size > MAX_POINTS:
            message = f"has {size} points; at most {MAX_POINTS} are allowed"
            problems.append(Problem(("grid",), message, None))
        return problems

    @property
    def factors(self) -> dict[str, Factor]:
        """The factors, by name, in the order of the file."""
        return dict(self.grid or (self.sample.factors if self.sample is not None else {}))

    @property
    def factor_key(self) -> str:
        """The key holding the factors in the file: ``grid`` or ``sample.factors``."""
        return "grid" if self.grid is not None else "sample.factors"
