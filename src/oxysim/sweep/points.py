"""The points of a sweep: the scenario file with each point's factor values written into it.

Each point's scenario is validated like a scenario file; a value that makes it invalid is
reported at the sweep-file line of that factor, with the scenario's own message. Sampled points
come from the sweep's seed (one stream per factor), so they do not depend on anything else.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from oxysim._version import __version__
from oxysim.engine.compiled import model_source_hash
from oxysim.engine.memory import scenario_size
from oxysim.engine.simulate import GridError, SolverOptions, check_grid
from oxysim.evidence.floor import current_floor
from oxysim.population.sampling import SUBJECT_COLUMNS, default_ids, subjects_table
from oxysim.scenario import Scenario, ScenarioError, ScenarioIssue
from oxysim.scenario.base import Loc
from oxysim.scenario.loading import (
    issue_at,
    parse_spec,
    read_spec_data,
    scenario_checks,
    summary_issues,
    validate_spec,
)
from oxysim.sweep.spec import Factor, SweepSpec, Value
from oxysim.system import human_model

#: Spawn key of the stream the sampled points are drawn from (tasks use 1, see tasks.py).
POINTS_STREAM = 0
_FIELD_PATH = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*|\[[0-9]+\])*")
_PATH_PART = re.compile(r"([A-Za-z_]\w*)|\[([0-9]+)\]")


@dataclass(frozen=True)
class Point:
    """One point of a sweep: the factor values, the scenario they make and parameter overrides."""

    index: int
    values: Mapping[str, Value]
    scenario: Scenario
    parameters: Mapping[str, float]


@dataclass(frozen=True)
class Sweep:
    """A validated sweep: its file, its scenario, its points and the summaries kept."""

    spec: SweepSpec
    source: str
    text: str
    scenario_text: str
    points: tuple[Point, ...]
    summaries: tuple[str, ...]

    #: The evidence floor in force when the sweep was loaded; its tasks run with it.
    floor: str | None = None

    @cached_property
    def fingerprint(self) -> str:
        """Hash of everything a task's result depends on (the sweep's parts carry it).

        The files, the model's equations (their source) and parameter values, the evidence
        floor and the oxysim version.
        """
        model = human_model()
        digest = hashlib.sha256(__version__.encode())
        parts = (self.text, self.scenario_text, model.parameter_hash(), model_source_hash(model))
        for part in (*parts, str(self.floor)):
            digest.update(part.encode())
        return digest.hexdigest()[:16]

    @property
    def plotted(self) -> str:
        """The summary plotted over the sweep."""
        return self.spec.plot or self.summaries[0]


def load_sweep(path: str | Path) -> Sweep:
    """Read and validate the sweep file at ``path`` and build every point's scenario.

    Raises
    ------
    ScenarioError
        Listing the problems, each with its sweep-file line.
    OSError
        When the sweep file cannot be read.
    """
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    source = str(path)
    known = human_model().variables
    expected = "a sweep file is a mapping of keys such as scenario and grid"
    spec = parse_spec(
        text,
        SweepSpec,
        source,
        expected,
        lambda data, lines: summary_issues(data.get("summaries"), known, lines),
    )
    _, lines = read_spec_data(text, source, expected)
    scenario_path = path.parent / spec.scenario
    try:
        scenario_text = scenario_path.read_text(encoding="utf-8")
    except OSError as error:
        message = f"cannot read {scenario_path}: {error.strerror}"
        raise ScenarioError([issue_at(("scenario",), lines, message)], source) from None
    builder = _PointBuilder(spec, scenario_text, str(scenario_path), lines, source)
    points = builder.points()
    return Sweep(spec, source, text, scenario_text, points, builder.summaries, current_floor())


def subject_ids(scenario: Scenario) -> np.ndarray:
    """The ids of a point's subjects, as a run of its whole scenario would label them."""
    if scenario.subjects is None:
        return default_ids(scenario_size(scenario))
    return subjects_table(scenario.subjects)["id"]


def parse_field_path(path: str) -> Loc:
    """``arms.a.events[0].at`` as ``("arms", "a", "events", 0, "at")``; ValueError if malformed."""
    if not _FIELD_PATH.fullmatch(path):
        raise ValueError(
            f"'{path}' is not a field path such as population.size or "
            "arms.oxytocin.events[0].oxytocin_dose.amount"
        )
    return tuple(name or int(index) for name, index in _PATH_PART.findall(path))


def with_value(data: Any, loc: Loc, value: Any) -> Any:
    """A copy of ``data`` with ``value`` at ``loc`` (a new key may end a path, nothing else)."""
    if not loc:
        return value
    head, rest = loc[0], loc[1:]
    if isinstance(data, Mapping) and isinstance(head, str):
        if head not in data and rest:
            raise KeyError(head)
        copied = dict(data)
        copied[head] = with_value(data.get(head, {}), rest, value)
        return copied
    if isinstance(data, list) and isinstance(head, int) and head < len(data):
        items = list(data)
        items[head] = with_value(data[head], rest, value)
        return items
    raise KeyError(head)


class _PointBuilder:
    """Builds the points of ``spec`` on the scenario file, collecting every problem."""

    def __init__(
        self,
        spec: SweepSpec,
        scenario_text: str,
        scenario_source: str,
        lines: Mapping[Loc, int],
        source: str,
    ):
        self.spec, self.lines, self.source = spec, lines, source
        self.scenario_source = scenario_source
        self.data, self.scenario_lines = read_spec_data(scenario_text, scenario_source)
        self.key: Loc = tuple(spec.factor_key.split("."))
        self.issues: list[ScenarioIssue] = []
        base = self._scenario(self.data)
        self.summaries = spec.summaries or (base.summaries if base is not None else ())
        if base is not None and not self.summaries:
            message = "a sweep keeps summaries per point: list some here or in the scenario"
            self.issues.append(issue_at(("summaries",), lines, message))
        elif spec.plot is not None and spec.plot not in self.summaries:
            message = f"must be one of the summaries ({', '.join(self.summaries)})"
            self.issues.append(issue_at(("plot",), lines, message))

    def points(self) -> tuple[Point, ...]:
        """Every point, in order; raises ``ScenarioError`` listing all problems."""
        combinations = self._combinations()
        checked = {name: self._check_factor(name, f) for name, f in self.spec.factors.items()}
        if self.issues or not all(checked.values()):
            raise ScenarioError(self.issues or [], self.source)
        points = []
        for index, values in enumerate(combinations):
            point = self._point(index, values)
            if point is None:
                break
            points.append(point)
        if not self.issues:
            self._check_same_subjects(points)
        if self.issues:
            raise ScenarioError(self.issues, self.source)
        return tuple(points)

    def _check_same_subjects(self, points: list[Point]) -> None:
        """Every point must have the same subjects (ids), so that the points line up."""
        first = subject_ids(points[0].scenario)
        for point in points[1:]:
            ids = subject_ids(point.scenario)
            if ids.shape != first.shape or not (ids == first).all():
                message = (
                    f"point {point.index} has other subjects than point 0 ({len(ids)} against "
                    f"{len(first)}, or other ids): a sweep compares the same subjects at every "
                    "point, so vary the number or the ids of the subjects in separate sweeps"
                )
                self.issues.append(issue_at(self.key, self.lines, message))
                return

    def _combinations(self) -> list[dict[str, Value]]:
        factors = self.spec.factors
        if self.spec.grid is not None:
            product = itertools.product(*(factor.values or () for factor in factors.values()))
            return [dict(zip(factors, combination, strict=True)) for combination in product]
        assert self.spec.sample is not None
        count = self.spec.sample.points
        root = np.random.SeedSequence(self.spec.seed, spawn_key=(POINTS_STREAM,))
        streams = [np.random.default_rng(s) for s in root.spawn(len(factors))]
        drawn = {
            name: _draw(factor, count, rng)
            for (name, factor), rng in zip(factors.items(), streams, strict=True)
        }
        return [{name: drawn[name][i] for name in factors} for i in range(count)]

    def _check_factor(self, name: str, factor: Factor) -> bool:
        """Check a factor's target, and each listed value on its own; False if it fails."""
        where: Loc = (*self.key, name)
        taken = {*self.summaries, *SUBJECT_COLUMNS}
        if name in taken or name.startswith(("baseline_", "param_", "band_")):
            message = f"'{name}' already names a summary or a subject characteristic; rename it"
            self.issues.append(issue_at(where, self.lines, message))
            return False
        if factor.field == "seed":
            message = (
                "the sweep's own `seed` sets every point's draws; for new subjects at each "
                "point use `same_subjects: false`"
            )
            self.issues.append(issue_at((*where, "field"), self.lines, message))
            return False
        if factor.parameter is not None:
            return self._check_parameter(where, factor)
        assert factor.field is not None
        try:
            loc = parse_field_path(factor.field)
            with_value(self.data, loc, 0)
        except ValueError as error:
            self.issues.append(issue_at((*where, "field"), self.lines, str(error)))
            return False
        except KeyError:
            message = f"the scenario has no `{factor.field}` to set (its parent is not written)"
            self.issues.append(issue_at((*where, "field"), self.lines, message))
            return False
        for index, value in enumerate(factor.values or ()):
            scenario = self._scenario(with_value(self.data, loc, value), (*where, "values", index))
            if scenario is None:
                return False
        return True

    def _check_parameter(self, where: Loc, factor: Factor) -> bool:
        declared = {p.name: p for p in human_model().parameters}
        parameter = declared.get(str(factor.parameter))
        if parameter is None:
            message = f"unknown parameter '{factor.parameter}'; `oxysim params` lists them"
            self.issues.append(issue_at((*where, "parameter"), self.lines, message))
            return False
        low, high = parameter.bounds
        numbers = [*(factor.values or ()), *(factor.uniform or ()), *(factor.log_uniform or ())]
        for index, value in enumerate(numbers):
            if isinstance(value, bool) or not isinstance(value, int | float):
                message = f"a parameter takes numbers (got {value!r})"
            elif not low <= value <= high:
                unit = "" if parameter.unit in ("", "1") else f" {parameter.unit}"
                message = (
                    f"{parameter.name} must be within its bounds {low:g}-{high:g}{unit} "
                    f"(got {value:g})"
                )
            else:
                continue
            key = (*where, "values", index) if factor.values is not None else (*where,)
            self.issues.append(issue_at(key, self.lines, message))
            return False
        return True

    def _point(self, index: int, values: Mapping[str, Value]) -> Point | None:
        data = self.data
        parameters: dict[str, float] = {}
        for name, value in values.items():
            factor = self.spec.factors[name]
            if factor.parameter is not None:
                parameters[factor.parameter] = float(value)
            else:
                data = with_value(data, parse_field_path(str(factor.field)), value)
        described = ", ".join(f"{k}={v}" for k, v in values.items())
        scenario = self._scenario(data, self.key, f"point {index} ({described})")
        return None if scenario is None else Point(index, dict(values), scenario, parameters)

    def _scenario(
        self, data: Mapping[str, Any], where: Loc = ("scenario",), context: str = ""
    ) -> Scenario | None:
        """``data`` as a scenario (summaries only), or None with its problems reported."""
        narrowed = dict(data)
        if self.spec.summaries:
            narrowed["summaries"] = list(self.spec.summaries)
        narrowed["record"] = []  # a sweep keeps summaries per point, not courses or bands
        narrowed["bands"] = []
        checks = scenario_checks(human_model().variables)
        prefix = f"{context} makes an invalid scenario" if context else "invalid scenario"
        try:
            scenario = validate_spec(
                narrowed, Scenario, self.scenario_source, self.scenario_lines, checks
            )
            check_grid(scenario, SolverOptions())
        except ScenarioError as error:
            first = str(error).splitlines()[0]
            self.issues.append(issue_at(where, self.lines, f"{prefix}: {first}"))
            return None
        except GridError as error:
            self.issues.append(issue_at(where, self.lines, f"{prefix}: {error}"))
            return None
        return scenario


def _draw(factor: Factor, count: int, rng: np.random.Generator) -> list[Value]:
    """``count`` values of a sampled factor: from its values, or its (log-)uniform range."""
    if factor.values is not None:
        return [factor.values[i] for i in rng.integers(len(factor.values), size=count)]
    if factor.uniform is not None:
        numbers = rng.uniform(*factor.uniform, size=count)
    else:
        assert factor.log_uniform is not None
        low, high = np.log(factor.log_uniform[0]), np.log(factor.log_uniform[1])
        numbers = np.exp(rng.uniform(low, high, size=count))
    if factor.unit:
        return [f"{float(x)!r} {factor.unit}" for x in numbers]
    return [float(x) for x in numbers]
