"""How a population spreads a characteristic: a mix of categories, or a numeric distribution."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Annotated, Any, TypeVar, cast, get_args

from pydantic import Field, create_model, model_validator
from pydantic_core import PydanticCustomError

from oxysim.scenario.base import FieldSyntax, Problem, SpecModel, validation_error
from oxysim.scenario.quantities import Quantity, format_number, number

#: Largest allowed distance of a probability mix's sum from 1.
SUM_TOLERANCE = 1e-6

_PROBABILITY = number(ge=0, le=1)

_Form = TypeVar("_Form", bound=SpecModel)


@dataclass(frozen=True)
class Categorical(FieldSyntax):
    """One category, or a mapping of categories to probabilities that sum to 1.

    Validated to a mapping in the order of ``choices``: ``"GG"`` becomes ``{"GG": 1.0}``.
    """

    choices: tuple[str, ...]

    @classmethod
    def of(cls, literal: Any) -> Categorical:
        """Make the categorical syntax for the values of a ``Literal[...]`` type."""
        return cls(tuple(get_args(literal)))

    def validate(self, value: Any) -> dict[str, float]:
        """Return category -> probability; errors name the offending category or the sum."""
        if isinstance(value, str) and value in self.choices:
            return {value: 1.0}
        if not isinstance(value, Mapping):
            raise PydanticCustomError(
                "category",
                f"must be one of {', '.join(self.choices)} or a mapping of them to "
                f"probabilities (got {value})",
            )
        problems: list[Problem] = []
        probabilities: dict[str, float] = {}
        for key, probability in value.items():
            if key not in self.choices:
                message = f"unknown category '{key}'; expected one of {', '.join(self.choices)}"
                problems.append(Problem((str(key),), message, probability, "unknown_key"))
                continue
            try:
                probabilities[key] = _PROBABILITY.validate(probability)
            except PydanticCustomError as error:
                problems.append(Problem((key,), error.message(), probability, error.type))
        if problems:
            raise validation_error("Categorical", problems)
        total = math.fsum(probabilities.values())
        if abs(total - 1.0) > SUM_TOLERANCE:
            raise PydanticCustomError(
                "probability_sum",
                f"probabilities must sum to 1 (within {SUM_TOLERANCE:g}); these sum to "
                f"{format_number(total)}",
            )
        return {choice: probabilities[choice] for choice in self.choices if choice in probabilities}

    def describe(self) -> str:
        """Describe the accepted forms, in Markdown."""
        names = ", ".join(f"`{choice}`" for choice in self.choices)
        example = ", ".join(f"{choice}: {1 / len(self.choices):.2g}" for choice in self.choices)
        return f"one of {names}, or a mapping of them to probabilities, e.g. `{{{example}}}`"


class Normal(SpecModel):
    """Normally distributed values; samples are clipped to the characteristic's allowed range."""

    mean: float = Field(description="mean, in the characteristic's unit")
    sd: float = Field(description="standard deviation, >= 0, in the same unit")


class Uniform(SpecModel):
    """Values spread evenly between ``min`` and ``max``."""

    min: float = Field(description="lowest value, in the characteristic's unit")
    max: float = Field(description="highest value, >= min, in the same unit")

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if self.max < self.min:
            message = f"must be >= min ({format_number(self.min)}) (got {format_number(self.max)})"
            raise validation_error("Uniform", [Problem(("max",), message, self.max)])
        return self


@dataclass(frozen=True)
class Distribution(FieldSyntax):
    """A fixed value, a normal ``{mean, sd}`` or, when ``uniform``, a uniform ``{min, max}``."""

    quantity: Quantity
    uniform: bool = False

    @cached_property
    def _forms(self) -> dict[str, type[Normal] | type[Uniform]]:
        """Map each key that identifies a form to that form's model, checking this quantity."""
        spread = replace(self.quantity, gt=None, ge=0.0, le=None)
        forms: dict[str, type[Normal] | type[Uniform]] = dict.fromkeys(
            ("mean", "sd"), _with_quantities(Normal, mean=self.quantity, sd=spread)
        )
        if self.uniform:
            bounded = _with_quantities(Uniform, min=self.quantity, max=self.quantity)
            forms |= dict.fromkeys(("min", "max"), bounded)
        return forms

    def validate(self, value: Any) -> float | Normal | Uniform:
        """Return the fixed value as a float, or the distribution model."""
        if not isinstance(value, Mapping):
            return self.quantity.validate(value)
        form = next((self._forms[key] for key in value if key in self._forms), None)
        if form is None:
            raise PydanticCustomError("distribution", f"expected {self._form_text()}")
        return form.model_validate(value)

    def _form_text(self) -> str:
        forms = "{mean, sd}" + (" or {min, max}" if self.uniform else "")
        return f"{self.quantity.expected()}, or a mapping {forms}"

    def describe(self) -> str:
        """Describe the accepted forms, in Markdown."""
        forms = "`{mean, sd}` (normal)" + (" or `{min, max}` (uniform)" if self.uniform else "")
        return f"{self.quantity.describe()}; or {forms}"


def _with_quantities(form: type[_Form], **quantities: Quantity) -> type[_Form]:
    """Subclass ``form`` so that each named field is read and range-checked as its quantity."""
    fields: dict[str, Any] = {
        name: (Annotated[float, quantity], Field(description=form.model_fields[name].description))
        for name, quantity in quantities.items()
    }
    return cast(type[_Form], create_model(form.__name__, __base__=form, **fields))
