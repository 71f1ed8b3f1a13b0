"""Reading scenario files: YAML with line numbers, and errors a person can act on.

Every problem is reported as ``file:line: field.path: message``, with the field path written as
in the file (``arms.support.events[0].social_support.duration``). All problems found are reported
together, not only the first.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, get_args

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails
from pydantic_core.core_schema import ErrorType

from oxysim.scenario.base import Loc, SpecModel
from oxysim.scenario.schema import Scenario
from oxysim.summaries import SUMMARY_FORMS, parse_summary

#: Error types raised by pydantic itself; their messages do not show the input, so we add it.
_PYDANTIC_ERROR_TYPES = frozenset(get_args(ErrorType))
_SEXAGESIMAL = re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")
_STR_TAG = "tag:yaml.org,2002:str"
_BOOL_TAG = "tag:yaml.org,2002:bool"
_YAML12_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_NUMBER_STARTS = frozenset("+-0123456789")

SpecT = TypeVar("SpecT", bound=SpecModel)
#: Checks of a file beyond its schema: (data, lines) -> issues.
SpecChecks = Callable[[Mapping[str, Any], Mapping[Loc, int]], list["ScenarioIssue"]]


@dataclass(frozen=True)
class ScenarioIssue:
    """One problem in a scenario file.

    Attributes
    ----------
    field
        Dotted path of the value as written in the file, ``[i]`` for list items; ``""`` for the
        file as a whole.
    line
        1-based line of the value, or of its nearest written parent when the value is missing.
    message
        What is wrong and what is allowed.
    """

    field: str
    line: int | None
    message: str


class ScenarioError(ValueError):
    """A scenario file that cannot be used; ``str()`` gives one line per issue."""

    def __init__(self, issues: Sequence[ScenarioIssue], source: str = "<string>") -> None:
        super().__init__(list(issues), source)  # the arguments, so that it pickles
        self.issues = list(issues)
        self.source = source

    def __str__(self) -> str:
        return "\n".join(self._line(issue) for issue in self.issues)

    def _line(self, issue: ScenarioIssue) -> str:
        where = self.source if issue.line is None else f"{self.source}:{issue.line}"
        return (
            f"{where}: {issue.field}: {issue.message}"
            if issue.field
            else f"{where}: {issue.message}"
        )


class _Loader(yaml.SafeLoader):
    """SafeLoader that reads plain words as YAML 1.2 does.

    ``14:00`` is text, not the base-60 number 840, and only ``true`` and ``false`` are booleans:
    an arm named ``no`` or ``off`` stays a name instead of becoming ``False``.
    """


def _yaml12_resolvers() -> dict[Any, list[tuple[str, re.Pattern[str]]]]:
    """Return SafeLoader's implicit resolvers with YAML 1.2's booleans and clock times as text."""
    resolvers = {
        first: [(tag, _YAML12_BOOL if tag == _BOOL_TAG else pattern) for tag, pattern in entries]
        for first, entries in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    for first in _NUMBER_STARTS:
        resolvers.setdefault(first, []).insert(0, (_STR_TAG, _SEXAGESIMAL))
    return resolvers


_Loader.yaml_implicit_resolvers = _yaml12_resolvers()


def load_scenario(
    path: str | os.PathLike[str], known_variables: Collection[str] | None = None
) -> Scenario:
    """Read the scenario file at ``path`` (UTF-8 YAML); see :func:`parse_scenario`.

    Raises
    ------
    ScenarioError
        Listing every problem in the file.
    OSError
        When the file cannot be read.
    """
    return parse_scenario(Path(path).read_text(encoding="utf-8"), str(path), known_variables)


def parse_scenario(
    text: str, source: str = "<string>", known_variables: Collection[str] | None = None
) -> Scenario:
    """Parse and validate a scenario written in YAML.

    Parameters
    ----------
    text
        The YAML document.
    source
        Name of the file, used in error messages.
    known_variables
        When given, every ``record`` entry must be one of these names.

    Raises
    ------
    ScenarioError
        Listing every problem found, each with its field path and line.
    """
    return parse_spec(
        text,
        Scenario,
        source,
        "a scenario file is a mapping of keys such as name, duration and events",
        scenario_checks(known_variables),
    )


def scenario_checks(known_variables: Collection[str] | None) -> SpecChecks:
    """The checks of a scenario beyond its schema: its `record`, `bands` and `summaries` names."""
    return lambda data, lines: [
        *_variable_issues("record", data.get("record"), known_variables, lines),
        *_variable_issues("bands", data.get("bands"), known_variables, lines),
        *summary_issues(data.get("summaries"), known_variables, lines),
    ]


def parse_spec(
    text: str,
    model: type[SpecT],
    source: str = "<string>",
    expected: str = "expected a mapping of keys",
    extra_checks: SpecChecks | None = None,
) -> SpecT:
    """Parse YAML ``text`` into ``model``, reporting every problem with its field path and line.

    Shared by scenario files and the files built on them (trial files). ``expected`` words the
    error for a document that is not a mapping; ``extra_checks`` may add issues found outside
    the model's own validation.

    Raises
    ------
    ScenarioError
        Listing every problem found.
    """
    data, lines = read_spec_data(text, source, expected)
    return validate_spec(data, model, source, lines, extra_checks)


def read_spec_data(
    text: str, source: str = "<string>", expected: str = "expected a mapping of keys"
) -> tuple[Mapping[str, Any], dict[Loc, int]]:
    """The YAML mapping of ``text`` (safe types only) and the line of every path in it.

    Raises
    ------
    ScenarioError
        For a syntax error, a key written twice, or a document that is not a mapping.
    """
    root, data = _read_yaml(text, source)
    lines, duplicates = _index(root)
    if duplicates:
        raise ScenarioError(duplicates, source)
    if not isinstance(data, Mapping):
        raise ScenarioError([ScenarioIssue("", 1, expected)], source)
    return data, lines


def validate_spec(
    data: Mapping[str, Any],
    model: type[SpecT],
    source: str = "<string>",
    lines: Mapping[Loc, int] | None = None,
    extra_checks: SpecChecks | None = None,
) -> SpecT:
    """Validate ``data`` (read by :func:`read_spec_data`) into ``model``, every problem listed.

    ``lines`` maps paths to the lines they were read from (none: problems have no line).
    """
    lines = lines or {}
    issues = extra_checks(data, lines) if extra_checks is not None else []
    try:
        spec = model.model_validate(data)
    except ValidationError as error:
        issues = [*(_issue(detail, lines) for detail in error.errors()), *issues]
    if issues:
        raise ScenarioError(sorted(issues, key=lambda issue: issue.line or 0), source)
    return spec


def _read_yaml(text: str, source: str) -> tuple[yaml.Node | None, Any]:
    """Compose the node tree (for line numbers) and construct the data, with safe types only."""
    try:
        loader = _Loader(text)  # its reader refuses control characters here, before parsing
    except yaml.YAMLError as error:
        raise ScenarioError([ScenarioIssue("", None, f"YAML: {error}")], source) from None
    try:
        root = loader.get_single_node()
        return root, None if root is None else loader.construct_document(root)
    except yaml.MarkedYAMLError as error:
        raise ScenarioError([_syntax_issue(error)], source) from None
    except yaml.YAMLError as error:
        raise ScenarioError([ScenarioIssue("", None, f"YAML syntax: {error}")], source) from None
    finally:
        loader.dispose()


def _syntax_issue(error: yaml.MarkedYAMLError) -> ScenarioIssue:
    """Report a YAML syntax error at the line where the parser gave up, with its context."""
    mark = error.problem_mark or error.context_mark
    message = f"YAML syntax: {error.problem or error.context}"
    if error.problem and error.context and error.context_mark is not None:
        message += f" ({error.context} on line {error.context_mark.line + 1})"
    return ScenarioIssue("", None if mark is None else mark.line + 1, message)


def _index(root: yaml.Node | None) -> tuple[dict[Loc, int], list[ScenarioIssue]]:
    """Map each path to the line it is written on, and report keys written twice."""
    if root is None:
        return {(): 1}, []
    lines: dict[Loc, int] = {(): root.start_mark.line + 1}
    duplicates = []
    for path, line in _entries(root):
        if path in lines:
            message = f"duplicate key '{path[-1]}' (first written on line {lines[path]})"
            duplicates.append(ScenarioIssue(_dotted(path), line, message))
        else:
            lines[path] = line
    return lines, duplicates


def _entries(root: yaml.Node) -> Iterator[tuple[Loc, int]]:
    """Yield (path, line) of every mapping entry and list item, visiting each node once.

    Visiting each node once keeps aliases (``*name``) from being walked again, which also
    guards against recursive aliases and exponential "billion laughs" documents.
    """
    seen: set[int] = set()
    pending: list[tuple[Loc, yaml.Node]] = [((), root)]
    while pending:
        path, node = pending.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            children = [
                ((*path, key.value), key, value)
                for key, value in node.value
                if isinstance(key, yaml.ScalarNode)
            ]
        elif isinstance(node, yaml.SequenceNode):
            children = [((*path, index), item, item) for index, item in enumerate(node.value)]
        else:
            continue
        for child_path, marker, child in children:
            yield child_path, marker.start_mark.line + 1
            pending.append((child_path, child))


def _variable_issues(
    key: str, names: Any, known_variables: Collection[str] | None, lines: Mapping[Loc, int]
) -> list[ScenarioIssue]:
    """Report the entries of the list ``key`` (``record``, ``bands``) the model does not know."""
    if known_variables is None or not isinstance(names, list):
        return []
    allowed = ", ".join(sorted(known_variables))
    return [
        issue_at((key, index), lines, f"unknown variable '{name}'; known variables: {allowed}")
        for index, name in enumerate(names)
        if isinstance(name, str) and name not in known_variables
    ]


def summary_issues(
    summaries: Any, known_variables: Collection[str] | None, lines: Mapping[Loc, int]
) -> list[ScenarioIssue]:
    """Report the ``summaries`` entries that are not ``<statistic>_<known variable>``."""
    if known_variables is None or not isinstance(summaries, list):
        return []
    issues = []
    for index, name in enumerate(summaries):
        try:
            parse_summary(str(name), sorted(known_variables))
        except ValueError:
            issues.append(
                issue_at(
                    ("summaries", index),
                    lines,
                    f"unknown summary '{name}'; allowed: {SUMMARY_FORMS}, the variable one of "
                    "those `record` accepts",
                )
            )
    return issues


def _issue(detail: ErrorDetails, lines: Mapping[Loc, int]) -> ScenarioIssue:
    """Turn one pydantic error into an issue with the path and line as written."""
    loc = tuple(detail["loc"])
    if loc[-1:] == ("[key]",):  # an invalid mapping key: point at the key itself
        loc = loc[:-1]
    return issue_at(loc, lines, _message(detail))


def _message(detail: ErrorDetails) -> str:
    """Word the error; pydantic's own messages are lower-cased and show the input."""
    kind, message, value = detail["type"], detail["msg"], detail["input"]
    if kind == "missing":
        return "required key is missing"
    if kind not in _PYDANTIC_ERROR_TYPES:
        return message
    message = message[:1].lower() + message[1:]
    if isinstance(value, str | int | float | bool):
        return f"{message} (got {value})"
    return message


def issue_at(loc: Loc, lines: Mapping[Loc, int], message: str) -> ScenarioIssue:
    """An issue at ``loc``, written as in the file, on its line (or its nearest parent's)."""
    return ScenarioIssue(_dotted(loc), _line_of(loc, lines), message)


def _line_of(loc: Loc, lines: Mapping[Loc, int]) -> int | None:
    """Find the line of ``loc``, or of its nearest parent that is written in the file."""
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None


def _dotted(loc: Loc) -> str:
    """Write a location as in the file: ``arms.support.events[0].at``."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text
