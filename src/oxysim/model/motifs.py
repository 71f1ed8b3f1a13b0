"""Reusable motifs of endocrine models, written for arrays of subjects.

Each helper is one line of physiology with a name, so sub-models read as equations. Like the
sub-models, they use arithmetic and :mod:`oxysim.model.ops` only, so they trace symbolically.
"""

from __future__ import annotations

import math

from oxysim.model import ops
from oxysim.model.ops import Value

LN2 = math.log(2.0)
MINUTES_PER_DAY = 1440.0


def rate_from_half_life(half_life: Value) -> Value:
    """First-order rate constant (1/time) for a half-life."""
    return LN2 / half_life


def hill(x: Value, half_max: Value, coefficient: Value = 1.0) -> Value:
    """Saturating Hill activation x^n / (K^n + x^n), 0 at x=0, 1/2 at x=K (x clipped at 0)."""
    powered = ops.power(ops.maximum(ops.as_float(x) / half_max, 0.0), coefficient)
    return powered / (1.0 + powered)


def relative_hill(
    x: Value,
    reference: Value,
    half_max: Value,
    amplitude: Value,
    n: Value = 1.0,
) -> Value:
    """Gain ``(1 + a*hill(x)) / (1 + a*hill(reference))``: 1 at the reference level.

    Used for regulation of expression by a hormone relative to a reference subject.
    """
    return (1.0 + amplitude * hill(x, half_max, n)) / (
        1.0 + amplitude * hill(reference, half_max, n)
    )


def receptor_occupancy(ligand: Value, dissociation_constant: Value) -> Value:
    """Fraction of receptors bound at equilibrium, L / (L + Kd)."""
    ligand = ops.maximum(ops.as_float(ligand), 0.0)
    return ligand / (ligand + dissociation_constant)


def clamp(x: Value, low: Value, high: Value) -> Value:
    """``x`` limited to [low, high]."""
    return ops.clip(x, low, high)


def relax(value: Value, target: Value, time_constant: Value) -> Value:
    """First-order approach of ``value`` to ``target``: (target - value) / tau."""
    return (target - value) / time_constant


def approach(value: Value, target: Value, half_life: Value) -> Value:
    """First-order approach of ``value`` to ``target`` with the given half-life."""
    return relax(value, target, half_life / LN2)


def by_sex(is_female: Value, male: Value, female: Value) -> Value:
    """The male value for men and the female value for women (``is_female`` is 0 or 1)."""
    return male + is_female * (female - male)
