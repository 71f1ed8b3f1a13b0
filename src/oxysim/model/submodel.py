"""The sub-model contract.

A sub-model is a small immutable object. Its contract:

1. It declares its ``states`` (integrated, each with a unit), its ``outputs`` (algebraic signals
   it computes), its ``inputs`` (signals it reads: other sub-models' states or outputs, protocol
   channels or subject covariates) and its ``parameters``.
2. ``outputs_fn(signals, params)`` returns a mapping with exactly the declared outputs; it may read
   only declared inputs, its own states and its own parameters.
3. ``rates_fn(signals, params)`` returns d(state)/dt for exactly its own states, in state unit per
   minute; it may also read its own outputs.
4. Both work on arrays of subjects (one value per subject) and never loop over subjects.
5. ``static_fn(signals, params)`` (optional) computes, once per run, quantities that depend only
   on subject covariates and parameters (declared in ``statics``); the other functions read them
   from ``signals`` like any input. It keeps per-step work to what changes in time.
6. ``resting_state_fn(signals, params)`` (optional) gives the analytic state at rest, the start
   of the burn-in that settles a subject onto its circadian orbit.
7. Inputs read only by ``rates_fn`` may be listed in ``rate_only_inputs``: every output is
   computed before any rate, so they do not order the outputs and cannot close an algebraic
   loop (pk's secretion inputs are of this kind).
8. ``max_step`` is the longest RK4 step (minutes) its fastest rate allows; a run composed of slow
   sub-models only (weeks of hormone dosing) may take steps up to the smallest ``max_step``.

Composition (:mod:`oxysim.engine.compose`) links inputs to outputs by name and fails loudly on a
missing or doubly-defined link.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from oxysim.model.parameters import Parameter

Array = NDArray[np.float64]


class Signals(dict[str, Any]):
    """Named arrays of one time point, readable as attributes (``v.plasma_oxytocin``)."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"no signal named {name!r}") from None


@dataclass(frozen=True)
class Variable:
    """A named quantity with a unit and a one-line description.

    ``signed``: a state that may be negative; a run stops when any other state falls below zero
    (see :mod:`oxysim.engine.status`).
    """

    name: str
    unit: str
    description: str
    signed: bool = False


@dataclass(frozen=True)
class SubModel:
    """One mechanism of the oxytocin system (see the module docstring for the contract)."""

    name: str
    description: str
    s_ids: tuple[str, ...]
    states: tuple[Variable, ...]
    outputs: tuple[Variable, ...]
    inputs: tuple[Variable, ...]
    parameters: tuple[Parameter, ...]
    outputs_fn: Callable[[Signals, Signals], Mapping[str, Array]]
    rates_fn: Callable[[Signals, Signals], Mapping[str, Array]]
    rate_only_inputs: tuple[str, ...] = ()
    max_step: float = 4.0
    statics: tuple[Variable, ...] = ()
    static_fn: Callable[[Signals, Signals], Mapping[str, Array]] = field(default=lambda v, p: {})
    resting_state_fn: Callable[[Signals, Signals], Mapping[str, Array]] = field(
        default=lambda v, p: {}
    )

    def __post_init__(self) -> None:
        names = [v.name for v in self.states + self.outputs + self.statics]
        doubled = {n for n in names if names.count(n) > 1}
        if doubled:
            raise ValueError(f"sub-model {self.name}: names declared twice: {sorted(doubled)}")
        undeclared = set(self.rate_only_inputs) - {v.name for v in self.inputs}
        if undeclared:
            raise ValueError(f"sub-model {self.name}: rate-only inputs not declared: {undeclared}")
        params = [p.name for p in self.parameters]
        if len(set(params)) != len(params):
            raise ValueError(f"sub-model {self.name}: a parameter is declared twice")

    @property
    def input_names(self) -> tuple[str, ...]:
        """Names of the signals this sub-model reads from elsewhere."""
        return tuple(v.name for v in self.inputs)

    @property
    def state_names(self) -> tuple[str, ...]:
        """Names of the states, in declaration order."""
        return tuple(v.name for v in self.states)

    @property
    def output_names(self) -> tuple[str, ...]:
        """Names of the algebraic outputs, in declaration order."""
        return tuple(v.name for v in self.outputs)
