"""Tests of many replicate trials at once: least squares on stacks of design matrices.

Every analysis of a virtual trial is a linear model ``y = X b + e`` fitted to each replicate; the
replicates share their shape, so the fits are one batched computation instead of thousands of
calls. A two-sample t-test is the model with an intercept and an arm indicator, ANCOVA adds the
baseline, an interaction test adds the product of two indicators.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats


@dataclass(frozen=True)
class Fit:
    """One coefficient of a batch of least-squares fits, one value per replicate."""

    estimate: np.ndarray
    standard_error: np.ndarray
    p_value: np.ndarray


def least_squares(y: np.ndarray, design: np.ndarray, coefficient: int) -> Fit:
    """Fit ``y ~ design`` in every replicate and test one coefficient (two-sided t-test).

    Parameters
    ----------
    y
        Outcomes, shape ``(replicates, observations)``.
    design
        Design matrices, shape ``(replicates, observations, predictors)``.
    coefficient
        Index of the tested predictor.

    Replicates whose design is rank-deficient (an empty arm under simple randomisation) get NaN.
    """
    n_obs, n_pred = design.shape[1:]
    gram = np.einsum("rop,roq->rpq", design, design)
    full_rank = np.linalg.matrix_rank(gram) == n_pred
    gram[~full_rank] = np.eye(n_pred)
    inverse = np.linalg.inv(gram)
    beta = np.einsum("rpq,rq->rp", inverse, np.einsum("rop,ro->rp", design, y))
    residual = y - np.einsum("rop,rp->ro", design, beta)
    dof = n_obs - n_pred
    variance = np.einsum("ro,ro->r", residual, residual) / dof
    standard_error = np.sqrt(variance * inverse[:, coefficient, coefficient])
    estimate = beta[:, coefficient]
    with np.errstate(divide="ignore", invalid="ignore"):
        t = estimate / standard_error
    p_value = 2.0 * stats.t.sf(np.abs(t), dof)
    nan = np.where(full_rank, 1.0, np.nan)
    return Fit(estimate * nan, standard_error * nan, p_value * nan)


def pooled_sd(y: np.ndarray, cells: np.ndarray, n_cells: int) -> np.ndarray:
    """Per replicate: the pooled within-cell standard deviation of ``y``.

    ``cells`` holds each observation's cell index (arm, or arm x genotype group), shape like
    ``y``. It standardises effects as Cohen's d does, whatever the analysis.
    """
    indicators = cells[..., None] == np.arange(n_cells)
    counts = indicators.sum(axis=1)
    sums = np.einsum("roc,ro->rc", indicators, y)
    means = sums / np.maximum(counts, 1)
    deviations = y - np.einsum("roc,rc->ro", indicators, means)
    dof = y.shape[1] - np.count_nonzero(counts, axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.sqrt(np.einsum("ro,ro->r", deviations, deviations) / dof)


def two_sample_power(d: float, n_reference: int, n_treated: int, alpha: float) -> float:
    """Analytic power of Student's two-sided two-sample t-test for a true effect ``d``.

    The probability that ``|T| > t_crit`` when ``T`` follows the noncentral t distribution with
    ``n_reference + n_treated - 2`` degrees of freedom and noncentrality
    ``d sqrt(n_r n_t / (n_r + n_t))``.
    """
    dof = n_reference + n_treated - 2
    noncentrality = d * np.sqrt(n_reference * n_treated / (n_reference + n_treated))
    critical = stats.t.isf(alpha / 2.0, dof)
    return float(
        stats.nct.sf(critical, dof, noncentrality) + stats.nct.cdf(-critical, dof, noncentrality)
    )
