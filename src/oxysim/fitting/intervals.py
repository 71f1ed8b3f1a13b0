"""95 % intervals of the estimates: profile likelihood or residual bootstrap.

**Profile likelihood.** With Gaussian errors of unknown variance on the residual scale, the
likelihood-ratio statistic of a parameter fixed at ``v`` (the others refitted) is
``n ln(SSR(v) / SSR_min)``; the interval is where it stays below the chi-square(1) 95 % quantile
(3.84) (Venzon & Moolgavkar 1988; Raue et al. 2009). It is evaluated on a grid in internal
coordinates, placed by the local standard error and always including the declared bounds, and the
ends are interpolated in the signed root of the statistic, which is close to linear in the
parameter. A side on which the statistic never reaches 3.84 before the declared bound is open: the
data do not bound the parameter there (practical non-identifiability).

**Residual bootstrap.** Residuals on the residual scale, centred within each variable and inflated
by ``sqrt(n / (n - p))``, are resampled within each variable and added to the fitted values; each
replicate is refitted from the estimate, and the interval is the 2.5-97.5 percentiles (Efron &
Tibshirani 1993, ch. 9). An interval reaching a declared bound is reported like an open profile.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.stats import chi2

from oxysim.fitting.batching import FitOutcome, FitProblem, Predict, fit_all

CONFIDENCE = 0.95
THRESHOLD = float(chi2.ppf(CONFIDENCE, 1))
#: Profile grid, in multiples of the local (Wald) half-width, on each side of the estimate.
PROFILE_STEPS = (0.5, 1.0, 1.5, 2.5, 4.0)
#: A profile statistic below minus this means a profile fit beat the estimate.
LOWER_FIT_MARGIN = 0.1
#: An interval end this close (internal units) to a declared bound counts as reaching it.
BOUND_TOLERANCE = 1e-3


@dataclass(frozen=True)
class Intervals:
    """Interval ends (internal coordinates) and, per side, whether the data bound it."""

    lower: np.ndarray
    upper: np.ndarray
    lower_open: np.ndarray
    upper_open: np.ndarray
    replicates: np.ndarray | None = None
    lower_fit_found: bool = False


Bounds = tuple[np.ndarray, np.ndarray]


def wald_half_width(covariance: np.ndarray, bounds: Bounds) -> np.ndarray:
    """``sqrt(3.84 * variance)``, or a quarter of the bounds' width where that is not finite."""
    half = np.sqrt(THRESHOLD * np.diag(covariance))
    fallback = (bounds[1] - bounds[0]) / 4
    return np.where(np.isfinite(half) & (half > 0), half, fallback)


def _profile_grid(estimate: float, half: float, low: float, high: float) -> list[float]:
    """Grid points beside the estimate, within and including the bounds."""
    points = {
        float(np.clip(estimate + s * c * half, low, high)) for c in PROFILE_STEPS for s in (-1, 1)
    }
    points |= {low, high}
    return sorted(p for p in points if abs(p - estimate) > 1e-9)


def profile_intervals(
    estimate: FitOutcome,
    covariance: np.ndarray,
    bounds: Bounds,
    predict: Predict,
    on_round: Callable[[], None] = lambda: None,
) -> Intervals:
    """Profile-likelihood intervals of every parameter, all profile fits in lockstep."""
    x_hat, n = estimate.x, len(estimate.residuals)
    half = wald_half_width(covariance, bounds)
    slopes = np.nan_to_num(covariance / np.diag(covariance)[None, :])
    problems, where = [], []
    for i in range(len(x_hat)):
        for value in _profile_grid(x_hat[i], half[i], bounds[0][i], bounds[1][i]):
            start = np.clip(x_hat + slopes[:, i] * (value - x_hat[i]), *bounds)
            start[i] = value
            free = np.arange(len(x_hat)) != i
            problems.append(FitProblem(start, free, estimate.observed))
            where.append((i, value))
    outcomes = fit_all(problems, bounds, predict, on_round)
    best = estimate.sum_of_squares
    statistic = np.array([n * np.log(o.sum_of_squares / best) for o in outcomes])
    ends = [_profile_ends(i, x_hat[i], where, statistic, bounds) for i in range(len(x_hat))]
    lower, upper, lower_open, upper_open = (np.array(column) for column in zip(*ends, strict=True))
    return Intervals(
        lower,
        upper,
        lower_open,
        upper_open,
        lower_fit_found=bool(np.any(statistic < -LOWER_FIT_MARGIN)),
    )


def _profile_ends(
    i: int, x_hat: float, where: list[tuple[int, float]], statistic: np.ndarray, bounds: Bounds
) -> tuple[float, float, bool, bool]:
    """Interval ends of parameter ``i`` and whether each side stays open up to its bound."""
    points = [(v, max(float(s), 0.0)) for (j, v), s in zip(where, statistic, strict=True) if j == i]
    sides = []
    for side, bound in ((-1, bounds[0][i]), (1, bounds[1][i])):
        path = sorted((abs(v - x_hat), v, s) for v, s in points if (v - x_hat) * side > 0)
        sides.append(_crossing(x_hat, path, bound))
    (lower, lower_open), (upper, upper_open) = sides
    return lower, upper, lower_open, upper_open


def _crossing(
    x_hat: float, path: list[tuple[float, float, float]], bound: float
) -> tuple[float, bool]:
    """Where the signed root of the statistic reaches the threshold along ``path`` outward."""
    previous_value, previous_root = x_hat, 0.0
    target = np.sqrt(THRESHOLD)
    for _, value, stat in path:
        root = np.sqrt(stat)
        if root >= target:
            share = (target - previous_root) / (root - previous_root)
            return previous_value + share * (value - previous_value), False
        previous_value, previous_root = value, root
    return bound, True


def bootstrap_intervals(
    estimate: FitOutcome,
    variable_index: np.ndarray,
    replicates: int,
    rng: np.random.Generator,
    bounds: Bounds,
    predict: Predict,
    on_round: Callable[[], None] = lambda: None,
) -> Intervals:
    """Percentile intervals from ``replicates`` residual-bootstrap refits, all in lockstep."""
    n, p = len(estimate.residuals), len(estimate.x)
    fitted = estimate.observed + estimate.residuals
    errors = -estimate.residuals * np.sqrt(n / max(n - p, 1))
    groups = [np.flatnonzero(variable_index == v) for v in np.unique(variable_index)]
    for rows in groups:
        errors[rows] -= errors[rows].mean()
    problems = []
    for _ in range(replicates):
        resampled = np.empty(n)
        for rows in groups:
            resampled[rows] = errors[rng.choice(rows, size=len(rows), replace=True)]
        problems.append(FitProblem(estimate.x, np.ones(p, dtype=bool), fitted + resampled))
    estimates = np.array([o.x for o in fit_all(problems, bounds, predict, on_round)])
    tails = 100 * (1 - CONFIDENCE) / 2
    lower, upper = np.percentile(estimates, [tails, 100 - tails], axis=0)
    return Intervals(
        lower,
        upper,
        lower <= bounds[0] + BOUND_TOLERANCE,
        upper >= bounds[1] - BOUND_TOLERANCE,
        replicates=estimates,
    )
