"""Reusable motifs of endocrine models, written for arrays of subjects.

Each helper is one line of physiology with a name, so sub-models read as equations.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

Array = NDArray[np.float64]

LN2 = math.log(2.0)
MINUTES_PER_DAY = 1440.0


def rate_from_half_life(half_life: ArrayLike) -> ArrayLike:
    """First-order rate constant (1/time) for a half-life."""
    return LN2 / np.asarray(half_life)


def hill(x: ArrayLike, half_max: ArrayLike, coefficient: ArrayLike = 1.0) -> Array:
    """Saturating Hill activation x^n / (K^n + x^n), 0 at x=0, 1/2 at x=K (x clipped at 0)."""
    ratio = np.maximum(np.asarray(x, dtype=float) / half_max, 0.0)
    if np.ndim(coefficient) == 0 and float(coefficient) in (1.0, 2.0, 3.0):  # type: ignore[arg-type]
        powered = (
            ratio if coefficient == 1.0 else ratio * ratio * (ratio if coefficient == 3.0 else 1.0)
        )
    else:
        powered = ratio**coefficient
    return np.asarray(powered / (1.0 + powered))


def relative_hill(
    x: ArrayLike,
    reference: ArrayLike,
    half_max: ArrayLike,
    amplitude: ArrayLike,
    n: ArrayLike = 1.0,
) -> Array:
    """Gain ``(1 + a*hill(x)) / (1 + a*hill(reference))``: 1 at the reference level.

    Used for regulation of expression by a hormone relative to a reference subject.
    """
    return np.asarray(
        (1.0 + amplitude * hill(x, half_max, n)) / (1.0 + amplitude * hill(reference, half_max, n))
    )


def receptor_occupancy(ligand: ArrayLike, dissociation_constant: ArrayLike) -> Array:
    """Fraction of receptors bound at equilibrium, L / (L + Kd)."""
    ligand = np.maximum(np.asarray(ligand, dtype=float), 0.0)
    return np.asarray(ligand / (ligand + dissociation_constant))


def clamp(x: ArrayLike, low: ArrayLike, high: ArrayLike) -> Array:
    """``x`` limited to [low, high] (cheaper than ``np.clip`` on the small arrays of a step)."""
    return np.asarray(np.minimum(np.maximum(x, low), high))


def relax(value: ArrayLike, target: ArrayLike, time_constant: ArrayLike) -> Array:
    """First-order approach of ``value`` to ``target``: (target - value) / tau."""
    return np.asarray((np.asarray(target) - np.asarray(value)) / time_constant)


def approach(value: ArrayLike, target: ArrayLike, half_life: ArrayLike) -> Array:
    """First-order approach of ``value`` to ``target`` with the given half-life."""
    return relax(value, target, np.asarray(half_life) / LN2)


def by_sex(is_female: ArrayLike, male: ArrayLike, female: ArrayLike) -> Array:
    """The male value for men and the female value for women (``is_female`` is 0 or 1)."""
    return np.asarray(male + np.asarray(is_female) * (np.asarray(female) - male))
