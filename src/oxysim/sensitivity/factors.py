"""The factors of a sensitivity analysis: declared parameters varied over their bounds.

A factor is sampled uniformly between its declared bounds, or log-uniformly when the bounds are
positive and span more than a factor of :data:`LOG_RANGE_RATIO` (a clearance from 0.1 to 10 L/min
is as uncertain in its first decade as in its second, and a uniform draw would put 90 % of the
samples in the upper decade). Parameters whose bounds are a single value cannot vary and are not
factors.

By default the factors are the parameters of every sub-model that the output depends on, directly
or through other sub-models' outputs (a sub-model with no path to the output cannot change it, so
its parameters would only cost samples). Dependencies are traced per sub-model, so some of the
chosen parameters may still have no effect; they come out with indices of zero.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from oxysim.engine.compose import Model
from oxysim.model.parameters import Parameter

#: Bounds wider than this ratio (high / low, with low > 0) are sampled log-uniformly.
LOG_RANGE_RATIO = 10.0


@dataclass(frozen=True)
class Factor:
    """A parameter varied in the analysis, with the sub-model that declares it."""

    parameter: Parameter
    submodel: str

    @property
    def name(self) -> str:
        """The parameter's name."""
        return self.parameter.name

    @property
    def log_scale(self) -> bool:
        """True when the factor is sampled log-uniformly (see the module docstring)."""
        low, high = self.parameter.bounds
        return low > 0 and high / low > LOG_RANGE_RATIO

    @property
    def sampling_bounds(self) -> tuple[float, float]:
        """The bounds in the space where sampling is uniform: log10 of the value, or the value."""
        low, high = self.parameter.bounds
        return (float(np.log10(low)), float(np.log10(high))) if self.log_scale else (low, high)

    def values(self, sampled: np.ndarray) -> np.ndarray:
        """Parameter values from points in the sampling space, kept within the bounds."""
        values = 10.0**sampled if self.log_scale else sampled
        return np.clip(values, *self.parameter.bounds)


def upstream_submodels(model: Model, variable: str) -> tuple[str, ...]:
    """The sub-models whose states or outputs ``variable`` depends on, in model order.

    Raises ``ValueError`` when ``variable`` is not a model variable.
    """
    provider = {v.name: m for m in model.submodels for v in m.states + m.outputs + m.statics}
    if variable not in model.variables:
        raise ValueError(f"{variable!r} is not a model variable")
    pending = [provider[variable]] if variable in provider else []
    found: set[str] = set()
    while pending:
        submodel = pending.pop()
        if submodel.name not in found:
            found.add(submodel.name)
            pending.extend(provider[name] for name in submodel.input_names if name in provider)
    return tuple(m.name for m in model.submodels if m.name in found)


def select_factors(
    model: Model,
    variable: str,
    *,
    names: Sequence[str] | None = None,
    submodel: str | None = None,
    exclude: Sequence[str] = (),
) -> tuple[Factor, ...]:
    """The factors that may change ``variable``, as chosen.

    They are the parameters ``names``, those of ``submodel``, or by default every parameter of
    the sub-models upstream of ``variable``; less those in ``exclude``. Raises ``ValueError``
    naming the option (``params``, ``submodel`` or ``exclude``) and the allowed values for an
    unknown name, a parameter with fixed bounds, both options at once, or no factor left.
    """
    owner = {p.name: m.name for m in model.submodels for p in m.parameters}
    if names and submodel is not None:
        raise ValueError("params: give params or submodel, not both")
    left_out = set(_known_names("exclude", exclude, owner))
    if names:
        chosen = [model.parameter(name) for name in _known_names("params", names, owner)]
    elif submodel is not None:
        chosen = [p for p in model.parameters if owner[p.name] == _known_submodel(model, submodel)]
    else:
        upstream = upstream_submodels(model, variable)
        chosen = [p for p in model.parameters if owner[p.name] in upstream]
    fixed = [p.name for p in chosen if p.bounds[0] == p.bounds[1]]
    if names and fixed:
        raise ValueError(f"params: {fixed} have fixed bounds and cannot be varied")
    factors = tuple(Factor(p, owner[p.name]) for p in chosen if p.name not in {*fixed, *left_out})
    if not factors:
        raise ValueError(f"params: none left to vary {variable!r}; choose params or a submodel")
    return factors


def _known_names(option: str, names: Sequence[str], owner: dict[str, str]) -> list[str]:
    """``names`` without repeats; ``ValueError`` listing close matches and every allowed name."""
    unknown = [name for name in names if name not in owner]
    if unknown:
        hints = {name: difflib.get_close_matches(name, owner, n=3) for name in unknown}
        suggestions = "; ".join(f"{k}: did you mean {', '.join(v)}?" for k, v in hints.items() if v)
        raise ValueError(
            f"{option}: unknown parameters {unknown}. {suggestions} "
            f"Allowed (as listed by `oxysim params`): {', '.join(sorted(owner))}"
        )
    return list(dict.fromkeys(names))


def _known_submodel(model: Model, name: str) -> str:
    """``name`` if it is a sub-model of ``model``; otherwise ``ValueError`` listing them."""
    allowed = [m.name for m in model.submodels]
    if name not in allowed:
        raise ValueError(f"submodel: unknown sub-model {name!r}; allowed: {', '.join(allowed)}")
    return name
