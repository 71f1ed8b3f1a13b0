"""The composed model traced into sympy: the one form the compiled engine, SBML and docs share.

Sub-models use arithmetic and :mod:`oxysim.model.ops` only, so calling their functions on
sympy symbols instead of arrays yields their equations. Each static, output and rate becomes one
:class:`Assignment` whose expression refers to states, parameters, external inputs and the
*names* of earlier statics and outputs (never their expanded expressions), so the equations
stay as small and as readable as the code they come from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import sympy

from oxysim.engine.compose import Model
from oxysim.model.submodel import Signals, SubModel


@dataclass(frozen=True)
class Assignment:
    """``name = expression``, computed by ``submodel``."""

    name: str
    expression: Any
    submodel: str


@dataclass(frozen=True)
class SymbolicModel:
    """The equations of a composed model, in evaluation order.

    ``statics`` are per-run constants (functions of parameters and covariates), ``outputs`` the
    algebraic signals at one time, ``rates`` d(state)/dt per minute, one per state in
    integration order.
    """

    states: tuple[str, ...]
    parameters: tuple[str, ...]
    external_inputs: tuple[str, ...]
    statics: tuple[Assignment, ...]
    outputs: tuple[Assignment, ...]
    rates: tuple[Assignment, ...]

    @property
    def constants(self) -> tuple[str, ...]:
        """Names that stay fixed during a run: parameters, external inputs, statics.

        External inputs include the protocol channels, which are constant over a step.
        """
        return self.parameters + self.external_inputs + tuple(a.name for a in self.statics)


def symbol(name: str) -> Any:
    """The sympy symbol standing for the variable or parameter ``name``."""
    return sympy.Symbol(name)


def _symbols(names: Iterable[str]) -> Signals:
    return Signals({name: symbol(name) for name in names})


def _traced(
    submodel: SubModel,
    function: Callable[[Signals, Signals], Mapping[str, Any]],
    declared: tuple[str, ...],
    signals: Signals,
    params: Signals,
) -> list[Assignment]:
    """Call one sub-model function on symbols; require exactly the declared names back."""
    result = function(signals, params)
    if set(result) != set(declared):
        raise ValueError(
            f"sub-model {submodel.name!r} returned {sorted(result)}, declared {sorted(declared)}"
        )
    return [Assignment(name, sympy.sympify(result[name]), submodel.name) for name in declared]


@lru_cache(maxsize=8)
def trace(model: Model) -> SymbolicModel:
    """Trace every static, output and rate of ``model`` into sympy expressions."""
    params = _symbols(p.name for p in model.parameters)
    signals = _symbols(v.name for v in model.external_inputs)
    statics: list[Assignment] = []
    for submodel in model.submodels:
        names = tuple(v.name for v in submodel.statics)
        statics += _traced(submodel, submodel.static_fn, names, signals, params)
        signals.update(_symbols(names))
    signals.update(_symbols(model.state_names))
    outputs: list[Assignment] = []
    for submodel in model.submodels:
        outputs += _traced(submodel, submodel.outputs_fn, submodel.output_names, signals, params)
        signals.update(_symbols(submodel.output_names))
    rates: list[Assignment] = []
    for submodel in model.submodels:
        rates += _traced(submodel, submodel.rates_fn, submodel.state_names, signals, params)
    return SymbolicModel(
        states=model.state_names,
        parameters=tuple(params),
        external_inputs=tuple(v.name for v in model.external_inputs),
        statics=tuple(statics),
        outputs=tuple(outputs),
        rates=tuple(rates),
    )
