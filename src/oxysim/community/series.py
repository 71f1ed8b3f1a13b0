"""Network-level series of a community run, one value per day: what no single person shows.

- the shares of warm and of cold replies (the spirals of S4.4);
- for the expression and each recorded variable, the correlation across the ties of the two
  ends' values that day (how alike the tied are: spirals and stress passed along the ties).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from oxysim.community.network import Network

Array = NDArray[np.float64]
#: An expression reply at or above this is warm, at or below its negative cold (assumption:
#: a quarter of the way from neutral to a full smile or scowl).
WARM_REPLY = 0.25


def reply_shares(expression: Array) -> tuple[Array, Array]:
    """Shares of warm and of cold replies over the people (first axis), day by day."""
    return (expression >= WARM_REPLY).mean(axis=0), (expression <= -WARM_REPLY).mean(axis=0)


def tie_correlation(values: Array, network: Network) -> Array:
    """Per day, the correlation across the ties of the values at their two ends (person, day).

    Each tie counts both ways, so the measure is symmetric; NaN when there are no ties or the
    values do not vary.
    """
    first, second = network.tie_ends
    a = np.concatenate([values[first], values[second]])
    b = np.concatenate([values[second], values[first]])
    a, b = a - a.mean(axis=0), b - b.mean(axis=0)
    scale = np.sqrt((a**2).sum(axis=0) * (b**2).sum(axis=0))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(scale > 0, (a * b).sum(axis=0) / np.where(scale > 0, scale, 1), np.nan)


def network_series(
    daily: dict[str, Array], network: Network, record: tuple[str, ...]
) -> dict[str, tuple[str, str, Array]]:
    """Every network-level series of one arm from its (person, day) outputs: unit, text, values."""
    warm, cold = reply_shares(daily["expression"])
    series = {
        "warm_replies": ("1", f"share of replies at or above {WARM_REPLY}", warm),
        "cold_replies": ("1", f"share of replies at or below -{WARM_REPLY}", cold),
    }
    for name in ("expression", *record):
        series[f"{name}_tie_correlation"] = (
            "1",
            f"correlation across the ties of {name} (day's value) at the two ends",
            tie_correlation(daily[name], network),
        )
    return series
