"""The base model of every scenario section, and errors located at a field.

Scenario files are written by people, so every error must say *where* it is. Pydantic gives
each error a location (``loc``); two things here keep those locations useful:

* :class:`SpecModel` rewrites "extra inputs are not permitted" into "unknown key 'x'; allowed
  keys: ...", so a typo is answered with the spelling that was meant;
* :func:`validation_error` lets a validator that checks several fields together (an event that
  ends after the scenario, a route that needs an amount) point at the offending field instead of
  at the whole model. Raised inside a validator, a :class:`pydantic.ValidationError` is merged
  into the surrounding validation with its locations kept (pydantic-core PR #510).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    GetCoreSchemaHandler,
    ModelWrapValidatorHandler,
    ValidationError,
    model_validator,
)
from pydantic.fields import FieldInfo
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

#: Location of a value inside a document: keys and list indices from the root.
Loc = tuple[str | int, ...]

T = TypeVar("T")


@dataclass(frozen=True)
class Problem:
    """One error at a location relative to the model that found it."""

    loc: Loc
    message: str
    input: Any
    kind: str = "invalid"

    @classmethod
    def from_detail(cls, detail: Mapping[str, Any], prefix: Loc = ()) -> Problem:
        """Make a problem from an entry of ``ValidationError.errors()``, moved under ``prefix``."""
        return cls((*prefix, *detail["loc"]), detail["msg"], detail["input"], detail["type"])


def validation_error(title: str, problems: Iterable[Problem]) -> ValidationError:
    """Bundle ``problems`` (at least one) into a :class:`pydantic.ValidationError`."""
    return ValidationError.from_exception_data(
        title,
        [
            {"type": PydanticCustomError(p.kind, p.message), "loc": p.loc, "input": p.input}
            for p in problems
        ],
    )


class FieldSyntax(ABC):
    """An annotation object that validates a field and describes the syntax it accepts.

    Put in ``Annotated[float, SomeSyntax(...)]``, it replaces pydantic's own validation of the
    field with :meth:`validate`; :meth:`describe` feeds the generated schema documentation.
    """

    @abstractmethod
    def validate(self, value: Any) -> Any:
        """Return the validated value, or raise a pydantic error such as ``PydanticCustomError``."""

    @abstractmethod
    def describe(self) -> str:
        """Describe the accepted values in a few words of Markdown, for the schema docs."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        """Validate with :meth:`validate` instead of pydantic's parsing of the annotated type."""
        return core_schema.no_info_plain_validator_function(self.validate)


class SpecModel(BaseModel):
    """Frozen model that rejects unknown keys and names the keys it accepts."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @classmethod
    def field_names_by_key(cls) -> dict[str, str]:
        """Map each key written in a scenario file to the Python name of its field."""
        return {field.alias or name: name for name, field in cls.model_fields.items()}

    @classmethod
    def yaml_keys(cls) -> list[str]:
        """Return the keys a scenario file may use for this model, in declaration order."""
        return list(cls.field_names_by_key())

    @model_validator(mode="wrap")
    @classmethod
    def _name_allowed_keys(cls, data: Any, handler: ModelWrapValidatorHandler[Any]) -> Any:
        try:
            return handler(data)
        except ValidationError as error:
            problems = [Problem.from_detail(detail) for detail in error.errors()]
            if not any(_is_unknown_key(problem) for problem in problems):
                raise
            allowed = ", ".join(cls.yaml_keys())
            raise validation_error(
                cls.__name__,
                (
                    Problem(
                        p.loc,
                        f"unknown key '{p.loc[0]}'; allowed keys: {allowed}",
                        p.input,
                        "unknown_key",
                    )
                    if _is_unknown_key(p)
                    else p
                    for p in problems
                ),
            ) from None


def _is_unknown_key(problem: Problem) -> bool:
    """Tell whether this is pydantic's "extra inputs" error about a key of this very model."""
    return problem.kind == "extra_forbidden" and len(problem.loc) == 1


def find_metadata(field: FieldInfo, kind: type[T]) -> T | None:
    """Return the annotation object of type ``kind`` on ``field`` (also in ``X | None``)."""
    candidates: list[Any] = list(field.metadata)
    pending = list(get_args(field.annotation))
    while pending:
        argument = pending.pop()
        candidates.extend(getattr(argument, "__metadata__", ()))
        pending.extend(get_args(argument))
    return next((item for item in candidates if isinstance(item, kind)), None)
