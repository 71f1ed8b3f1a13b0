"""Compose sub-models into one model: link inputs to providers, order outputs, check units."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from oxysim.model.parameters import Parameter
from oxysim.model.submodel import Array, Signals, SubModel, Variable
from oxysim.units import _unit


class CompositionError(ValueError):
    """Sub-models do not fit together: a missing, doubled or unit-mismatched link."""


def _same_unit(a: str, b: str) -> bool:
    unit_a, unit_b = _unit(a), _unit(b)
    if unit_a.dimensionality != unit_b.dimensionality:
        return False
    return bool(np.isclose((1 * unit_a).to(unit_b).magnitude, 1.0))


@dataclass(frozen=True)
class Model:
    """Sub-models linked into one system of ODEs with algebraic outputs.

    Build with :func:`compose`. ``submodels`` are kept in the order in which their outputs must be
    evaluated.
    """

    submodels: tuple[SubModel, ...]
    external_inputs: tuple[Variable, ...]

    @property
    def states(self) -> tuple[Variable, ...]:
        """Every state of every sub-model, in integration order."""
        return tuple(s for m in self.submodels for s in m.states)

    @property
    def state_names(self) -> tuple[str, ...]:
        """Names of :attr:`states`."""
        return tuple(s.name for s in self.states)

    @property
    def statics(self) -> tuple[Variable, ...]:
        """Every per-run constant computed from covariates and parameters."""
        return tuple(s for m in self.submodels for s in m.statics)

    @property
    def outputs(self) -> tuple[Variable, ...]:
        """Every algebraic output, in evaluation order."""
        return tuple(o for m in self.submodels for o in m.outputs)

    @property
    def parameters(self) -> tuple[Parameter, ...]:
        """Every parameter of every sub-model."""
        return tuple(p for m in self.submodels for p in m.parameters)

    @property
    def variables(self) -> dict[str, Variable]:
        """States, outputs and external inputs by name: everything that can be recorded."""
        every = self.states + self.outputs + self.statics + self.external_inputs
        return {v.name: v for v in every}

    def parameter(self, name: str) -> Parameter:
        """The declared parameter called ``name``."""
        for parameter in self.parameters:
            if parameter.name == name:
                return parameter
        raise KeyError(f"no parameter named {name!r}")

    def parameter_hash(self, values: Mapping[str, float] | None = None) -> str:
        """A short hash of every parameter value, recorded with results for provenance."""
        table = {p.name: (values or {}).get(p.name, p.value) for p in self.parameters}
        text = json.dumps(table, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def static_signals(self, signals: Signals, params: Signals) -> Signals:
        """Per-run constants of every sub-model (computed once, before integration)."""
        statics = Signals(signals)
        for submodel in self.submodels:
            statics.update(submodel.static_fn(statics, params))
        return Signals({v.name: statics[v.name] for v in self.statics})

    def evaluate(self, signals: Signals, params: Signals, out: Array) -> None:
        """Fill ``signals`` with every output and write d(states)/dt into ``out``.

        ``signals`` holds the states, statics and external inputs on entry; it holds the outputs
        as well on return. ``out`` has shape ``(n_states, n_subjects)``.
        """
        for submodel in self.submodels:
            signals.update(submodel.outputs_fn(signals, params))
        row = 0
        for submodel in self.submodels:
            own = submodel.rates_fn(signals, params)
            for name in submodel.state_names:
                out[row] = own[name]
                row += 1

    def resting_state(self, signals: Signals, params: Signals) -> dict[str, Array]:
        """Analytic resting state of every sub-model.

        Sub-models are visited in evaluation order, twice, so that each also sees the resting
        values of those evaluated after it (the receptor targets depend on chronic cortisol).
        """
        guess: dict[str, Array] = {}
        for _ in range(2):
            for submodel in self.submodels:
                guess.update(submodel.resting_state_fn(Signals({**signals, **guess}), params))
                signals.update(submodel.outputs_fn(Signals({**signals, **guess}), params))
        return guess


def compose(submodels: Sequence[SubModel], external_inputs: Sequence[Variable]) -> Model:
    """Link sub-models by name; raise :class:`CompositionError` on any bad link.

    Checks: every name (state, output, external input) is defined once; every input has a provider
    with the same unit; parameter names are unique and differ from variable names; outputs can be
    ordered (no algebraic loop).
    """
    providers: dict[str, tuple[str, Variable]] = {}
    for owner, variables in [("protocol", tuple(external_inputs))] + [
        (m.name, m.states + m.outputs + m.statics) for m in submodels
    ]:
        for variable in variables:
            if variable.name in providers:
                first = providers[variable.name][0]
                raise CompositionError(
                    f"{variable.name!r} is defined by both {first!r} and {owner!r}"
                )
            providers[variable.name] = (owner, variable)
    parameter_names = [p.name for m in submodels for p in m.parameters]
    doubled = sorted({n for n in parameter_names if parameter_names.count(n) > 1})
    if doubled:
        raise CompositionError(f"parameters declared by more than one sub-model: {doubled}")
    shadowing = sorted(set(parameter_names) & set(providers))
    if shadowing:
        raise CompositionError(
            f"parameters named like a variable (one namespace in SBML and the equations): "
            f"{shadowing}"
        )
    for submodel in submodels:
        for wanted in submodel.inputs:
            if wanted.name not in providers:
                raise CompositionError(
                    f"sub-model {submodel.name!r} needs input {wanted.name!r}, "
                    "which nothing provides"
                )
            owner, provided = providers[wanted.name]
            if not _same_unit(wanted.unit, provided.unit):
                raise CompositionError(
                    f"{submodel.name!r} reads {wanted.name!r} in {wanted.unit}, "
                    f"but {owner!r} provides it in {provided.unit}"
                )
    return Model(_order_by_outputs(submodels), tuple(external_inputs))


def _order_by_outputs(submodels: Sequence[SubModel]) -> tuple[SubModel, ...]:
    """Topological order, kept as declared where possible (resting states rely on it).

    A sub-model comes after those whose outputs its outputs read.
    """
    by_name = {m.name: m for m in submodels}
    output_owner = {o.name: m.name for m in submodels for o in m.outputs}
    needs = {
        m.name: {
            output_owner[i.name]
            for i in m.inputs
            if i.name in output_owner and i.name not in m.rate_only_inputs
        }
        - {m.name}
        for m in submodels
    }
    ordered: list[SubModel] = []
    done: set[str] = set()
    while len(ordered) < len(submodels):
        ready = next((n for n in by_name if n not in done and needs[n] <= done), None)
        if ready is None:
            loop = sorted(set(by_name) - done)
            raise CompositionError(f"algebraic loop between the outputs of {loop}")
        ordered.append(by_name[ready])
        done.add(ready)
    return tuple(ordered)
