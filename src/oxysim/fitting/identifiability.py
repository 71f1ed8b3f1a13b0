"""Local identifiability at the estimate, from the Jacobian of the residuals.

The Jacobian is taken in internal coordinates (log values for positive parameters), so its
columns compare relative effects. A parameter whose column is (numerically) zero does not change
the data at all; a large condition number or a pairwise correlation of the estimates near 1 means
the data determine a combination of parameters rather than each (Raue et al. Bioinformatics
2009;25:1923-9 for the profile-based view used in :mod:`oxysim.fitting.intervals`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

#: Pairwise correlations of the estimates above this are reported.
CORRELATION_LIMIT = 0.95
#: A Jacobian condition number above this is reported.
CONDITION_LIMIT = 1e3
#: A column smaller than this fraction of the largest counts as no effect on the data.
NO_EFFECT_FRACTION = 1e-6


@dataclass(frozen=True)
class LocalDiagnostics:
    """Covariance of the internal estimates, their correlations and the problems found."""

    covariance: np.ndarray
    correlation: np.ndarray
    condition_number: float
    no_effect: np.ndarray
    warnings: tuple[str, ...]


def local_diagnostics(
    jacobian: np.ndarray, residuals: np.ndarray, names: Sequence[str]
) -> LocalDiagnostics:
    """Gauss-Newton covariance ``s^2 (J^T J)^+`` with ``s^2 = SSR / (n - p)``, and warnings."""
    n, p = jacobian.shape
    variance = float(residuals @ residuals) / max(n - p, 1)
    norms = np.linalg.norm(jacobian, axis=0)
    no_effect = norms <= NO_EFFECT_FRACTION * max(float(norms.max()), np.finfo(float).tiny)
    covariance = variance * np.linalg.pinv(jacobian.T @ jacobian)
    covariance[no_effect, :] = np.nan
    covariance[:, no_effect] = np.nan
    sd = np.sqrt(np.diag(covariance))
    correlation = covariance / np.outer(sd, sd)
    singular = np.linalg.svd(jacobian, compute_uv=False)
    condition = float(singular[0] / singular[-1]) if singular[-1] > 0 else float("inf")
    warnings = [
        f"{name} has no effect on these data: it cannot be estimated from them"
        for name, flat in zip(names, no_effect, strict=True)
        if flat
    ]
    if condition > CONDITION_LIMIT:
        warnings.append(
            f"the Jacobian's condition number is {condition:.3g} (> {CONDITION_LIMIT:g}): "
            "some combination of the parameters is poorly determined by these data"
        )
    warnings += [
        f"the estimates of {names[i]} and {names[j]} are correlated ({correlation[i, j]:+.3f}): "
        "the data determine a combination of them more than each"
        for i in range(p)
        for j in range(i + 1, p)
        if abs(correlation[i, j]) > CORRELATION_LIMIT
    ]
    return LocalDiagnostics(covariance, correlation, condition, no_effect, tuple(warnings))
