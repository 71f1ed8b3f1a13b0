"""The schema reference in Markdown, generated from the models that validate scenario files.

``docs/scenarios.md`` embeds :func:`schema_markdown`'s output, and a test checks that it still
does, so the documented keys, units, ranges and defaults are those the code enforces.
"""

from __future__ import annotations

import inspect
from types import NoneType, UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from oxysim.scenario.base import FieldSyntax, find_metadata
from oxysim.scenario.distributions import Distribution, Normal, Uniform
from oxysim.scenario.events import EventBase, RoutedEvent, event_kinds
from oxysim.scenario.quantities import Quantity, format_number
from oxysim.scenario.schema import Arm, Scenario
from oxysim.scenario.subjects import PopulationSpec, SubjectSpec

#: Models with a section of their own, by heading; a heading's anchor is its lower-case form.
_SECTIONS: dict[str, type[BaseModel]] = {
    "Scenario": Scenario,
    "Arm": Arm,
    "Subject": SubjectSpec,
    "Population": PopulationSpec,
    "Normal": Normal,
    "Uniform": Uniform,
}
_SIMPLE_TYPES = {str: "text", bool: "`true` or `false`", int: "whole number", float: "number"}
_EVENTS_INTRO = (
    "An event is a mapping with `at` and exactly one event-kind key, whose value holds that "
    "kind's keys (`{}` or nothing when the defaults will do), e.g. "
    "`{at: 10 min, stressor: {kind: tsst}}`. An event must be over by the end of the scenario: "
    "`at` + `duration` <= the scenario's `duration`."
)


def schema_markdown() -> str:
    """Return the reference of every key of a scenario file, as Markdown."""
    parts = [
        model_section("## Scenario", Scenario),
        model_section("## Arm", Arm),
        _events_section(),
        model_section("## Subject", SubjectSpec),
        model_section("## Population", PopulationSpec),
        model_section("### Normal", Normal),
        model_section("### Uniform", Uniform),
    ]
    return "\n".join(parts)


def _events_section() -> str:
    at_table = _table(EventBase, ["at"])
    kinds = [
        model_section(f"### `{key}`", cls, [k for k in cls.model_fields if k != "at"])
        + f"\n\n{_drives(cls)}\n"
        for key, cls in event_kinds().items()
    ]
    return "\n".join(["## Events\n", _EVENTS_INTRO, "", at_table, *kinds])


def _drives(cls: type[EventBase]) -> str:
    """What an event kind does to the model, from its own declaration."""
    if cls.drives_nothing:
        return f"Drives nothing: {cls.drives_nothing}."
    parts = [f"`{c.name}`: {c.description}" for c in cls.channels]
    parts += [f"adds doses to `{state}`" for state in cls.dosed_states]
    held = " (held from `at` to the end of the scenario)" if cls.held_to_end else ""
    return f"Drives{held}: " + "; ".join(parts) + "."


def model_section(
    heading: str,
    model: type[BaseModel],
    names: list[str] | None = None,
    sections: dict[str, type[BaseModel]] | None = None,
) -> str:
    """Return a heading, the model's docstring and a table of its keys.

    ``sections``: models with a section of their own, linked where a key holds one (by default
    those of a scenario file).
    """
    text = inspect.cleandoc(model.__doc__ or "")
    table = _table(model, names or list(model.model_fields), sections or _SECTIONS)
    return f"{heading}\n\n{text}\n\n{table}"


def _table(
    model: type[BaseModel], names: list[str], sections: dict[str, type[BaseModel]] = _SECTIONS
) -> str:
    rows = [
        "| key | value | default | description |",
        "| --- | --- | --- | --- |",
        *(_row(model, name, model.model_fields[name], sections) for name in names),
    ]
    return "\n".join(rows) + "\n"


def _row(
    model: type[BaseModel], name: str, field: FieldInfo, sections: dict[str, type[BaseModel]]
) -> str:
    cells = (
        f"`{field.alias or name}`",
        _field_type(field, sections),
        _default(model, name, field),
        field.description or "",
    )
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


def _field_type(field: FieldInfo, sections: dict[str, type[BaseModel]]) -> str:
    """Describe the values a field accepts (pydantic keeps top-level metadata apart)."""
    syntax = next((item for item in field.metadata if isinstance(item, FieldSyntax)), None)
    return syntax.describe() if syntax is not None else _type_text(field.annotation, sections)


def _type_text(annotation: Any, sections: dict[str, type[BaseModel]] = _SECTIONS) -> str:
    """Describe the values of a type annotation, in words."""
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Annotated:
        syntax = next((item for item in args[1:] if isinstance(item, FieldSyntax)), None)
        return syntax.describe() if syntax is not None else _type_text(args[0], sections)
    if origin is Literal:
        return "one of " + ", ".join(f"`{value}`" for value in args)
    if origin in (Union, UnionType):
        return " or ".join(_type_text(arg, sections) for arg in args if arg is not NoneType)
    if origin is tuple:
        if len(args) == 2 and args[1] is not Ellipsis:
            return f"pair of {_type_text(args[0], sections)}"
        return f"list of {_type_text(args[0], sections)}"
    if origin is dict:
        key, value = (_type_text(arg, sections) for arg in args)
        return f"mapping of {key} to {value}"
    for heading, model in sections.items():
        if annotation is model:
            return f"[{heading.lower()}](#{heading.lower()})"
    return _SIMPLE_TYPES[annotation]


def _default(model: type[BaseModel], name: str, field: FieldInfo) -> str:
    """Describe the default of a field: ``required``, ``not set``, a rule or the value."""
    if field.is_required():
        return "required"
    if name == "duration" and issubclass(model, EventBase) and model.duration_by_kind:
        return ", ".join(
            f"{kind}: {format_number(minutes)} min"
            for kind, minutes in model.duration_by_kind.items()
        )
    key = field.alias or name
    if issubclass(model, RoutedEvent) and key in model.keys_by_route:
        routes = ", ".join(f"`{route}`" for route in sorted(model.keys_by_route[key]))
        return f"required for {routes}; not allowed for the other routes"
    if field.default_factory is not None:
        return "see description"
    value = field.default
    if value is None:
        return "not set"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, int | float):
        return f"{format_number(value)} {_unit(field)}".strip()
    if isinstance(value, str):
        return f"`{value}`" if value else "empty"
    return "none"


def _unit(field: FieldInfo) -> str:
    """Return the canonical unit of a quantity field, or ``""``."""
    distribution = find_metadata(field, Distribution)
    quantity = distribution.quantity if distribution is not None else find_metadata(field, Quantity)
    return quantity.unit if quantity is not None else ""


SECTION = "oxysim.scenario.schema_markdown()"


def refresh_docs(path: str = "docs/scenarios.md") -> None:
    """Rewrite the generated reference in ``path`` (``make docs``)."""
    from oxysim.generated_docs import replace_section

    replace_section(path, SECTION, schema_markdown())
