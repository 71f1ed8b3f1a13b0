"""Between-subject variability of model parameters.

Each parameter declared with ``between_subject_cv > 0`` is drawn per subject from a log-normal
distribution whose median is the declared value; all other parameters are shared. Draws come from
the generator passed in, so a run is reproducible from its seed.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from oxysim.model.parameters import Parameter
from oxysim.model.submodel import Signals


def parameter_values(
    parameters: tuple[Parameter, ...],
    n_subjects: int,
    rng: np.random.Generator | None,
    overrides: Mapping[str, float] | None = None,
) -> Signals:
    """Per-subject parameter arrays (or shared floats) ready for the integrator.

    ``overrides`` replace declared values (by name) before variability is applied; an unknown
    name or a value outside the parameter's bounds raises ``ValueError``. With ``rng=None`` every
    subject gets the declared value (a typical subject).
    """
    overrides = dict(overrides or {})
    declared = {p.name: p for p in parameters}
    unknown = sorted(set(overrides) - set(declared))
    if unknown:
        raise ValueError(f"unknown parameters: {unknown}")
    values = Signals()
    for parameter in parameters:
        value = float(overrides.get(parameter.name, parameter.value))
        low, high = parameter.bounds
        if not low <= value <= high:
            raise ValueError(
                f"parameter {parameter.name} = {value} outside its bounds "
                f"[{low}, {high}] {parameter.unit}"
            )
        if rng is not None and parameter.between_subject_cv > 0 and value > 0:
            spread = rng.standard_normal(n_subjects) * parameter.lognormal_sigma
            values[parameter.name] = value * np.exp(spread)
        else:
            values[parameter.name] = value
    return values


def varying_parameters(values: Signals) -> dict[str, np.ndarray]:
    """The parameters that differ between subjects (to write with the results)."""
    return {name: v for name, v in values.items() if np.ndim(v) > 0}
