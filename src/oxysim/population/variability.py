"""Between-subject variability of model parameters.

Each parameter declared with ``between_subject_cv > 0`` is drawn per subject from a log-normal
distribution whose median is the declared value; all other parameters are shared. Draws come from
the generator passed in, so a run is reproducible from its seed.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import ArrayLike

from oxysim.model.parameters import Parameter
from oxysim.model.submodel import Signals


def parameter_values(
    parameters: tuple[Parameter, ...],
    n_subjects: int,
    rng: np.random.Generator | None,
    overrides: Mapping[str, ArrayLike] | None = None,
    species: np.ndarray | None = None,
) -> Signals:
    """Per-subject parameter arrays (or shared floats) ready for the integrator.

    ``overrides`` replace declared values (by name) before variability is applied: one number for
    every subject, or an array of ``n_subjects`` values, one per subject. An unknown name, a
    wrong length or a value outside the parameter's bounds raises ``ValueError``. With
    ``rng=None`` every subject gets the declared value (a typical subject); drawn values are
    clipped to the parameter's bounds (in a million subjects the log-normal tails reach values a
    parameter declares impossible, and unstable). ``species`` (one name
    per subject) selects each parameter's species value where it declares one; overrides apply to
    all species.
    """
    overrides = dict(overrides or {})
    declared = {p.name: p for p in parameters}
    unknown = sorted(set(overrides) - set(declared))
    if unknown:
        raise ValueError(f"unknown parameters: {unknown}")
    values = Signals()
    for parameter in parameters:
        value = _checked_value(
            parameter, overrides.get(parameter.name, parameter.value), n_subjects
        )
        typical = _typical_value(parameter, value, species, parameter.name in overrides)
        if rng is not None and parameter.between_subject_cv > 0:
            # drawn even where the value is 0 (no spread to apply), so that the draws of the
            # parameters after it do not depend on it (a sweep that sets one to 0 keeps them)
            spread = rng.standard_normal(n_subjects) * parameter.lognormal_sigma
            varied = np.clip(typical * np.exp(spread), *parameter.bounds)
            values[parameter.name] = (
                varied if np.all(value > 0) else np.where(np.asarray(typical) > 0, varied, typical)
            )
        else:
            values[parameter.name] = typical
    return values


def _checked_value(parameter: Parameter, value: ArrayLike, n_subjects: int) -> float | np.ndarray:
    """One value, or one per subject, after checking the shape and the parameter's bounds."""
    values = np.asarray(value, dtype=float)
    if values.ndim > 1 or (values.ndim == 1 and len(values) != n_subjects):
        raise ValueError(
            f"parameter {parameter.name}: expected one value or {n_subjects} (one per subject), "
            f"got shape {values.shape}"
        )
    low, high = parameter.bounds
    outside = ~((low <= values) & (values <= high))
    if outside.any():
        raise ValueError(
            f"parameter {parameter.name} = {values[outside].flat[0]} outside its bounds "
            f"[{low}, {high}] {parameter.unit}"
        )
    return float(values) if values.ndim == 0 else values


def _typical_value(
    parameter: Parameter, value: float | np.ndarray, species: np.ndarray | None, overridden: bool
) -> float | np.ndarray:
    """The declared (or overridden) value, replaced by species values for non-human subjects."""
    if overridden or species is None or not parameter.species_values:
        return value
    present = {str(s) for s in np.unique(species)} & set(parameter.species_values)
    if not present:
        return value
    typical = np.full(len(species), value)
    for name in present:
        typical[species == name] = parameter.species_values[name]
    return typical


def varying_parameters(values: Signals) -> dict[str, np.ndarray]:
    """The parameters that differ between subjects (to write with the results)."""
    return {name: v for name, v in values.items() if np.ndim(v) > 0}
