"""What a trial records: the outcome of recruited subjects in their arms, as measured.

Each observation is one subject under one arm on one occasion. The true time course comes from
the pool; day-to-day variability (``occasion_cv``) scales the occasion's course, the assay adds
its own error to each sample, and the outcome statistic summarises the measured samples, as a
study's analysis would.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import xarray as xr

from oxysim.measurement.measure import measure
from oxysim.measurement.steps import lognormal_factor
from oxysim.summaries import STATISTICS
from oxysim.trial.pool import Pool
from oxysim.trial.spec import Outcome


@dataclass(frozen=True)
class Observed:
    """Measured outcome and baseline of each observation, shape ``(replicates, observations)``.

    ``sample_mean`` is the plain mean of the measured samples on the analysis scale (the
    repeated measures a mixed model would use; for complete data its arm test equals the test
    of subject means).
    """

    outcome: np.ndarray
    baseline: np.ndarray
    sample_mean: np.ndarray


def observe(
    pool: Pool, outcome: Outcome, subjects: np.ndarray, arms: np.ndarray, rng: np.random.Generator
) -> Observed:
    """Record each (subject, arm) observation of a batch of replicate trials.

    ``subjects`` are pool indices and ``arms`` arm indices, both ``(replicates, observations)``.
    """
    samples = pool.samples.to_numpy()[arms, subjects, :]
    baseline = pool.baseline.to_numpy()[arms, subjects]
    if outcome.occasion_cv > 0:
        occasion = lognormal_factor(outcome.occasion_cv, subjects.shape, rng)
        samples = samples * occasion[..., None]
        baseline = baseline * occasion
    times = pool.samples["time"].to_numpy()
    curves = xr.DataArray(
        samples,
        dims=("replicate", "observation", "time"),
        coords={"time": times},
        name=outcome.variable,
        attrs=pool.samples.attrs,
    )
    base = xr.DataArray(baseline, dims=("replicate", "observation"), name=outcome.variable)
    base.attrs = pool.samples.attrs
    if outcome.assay is not None:
        curves = measure(curves, outcome.assay, rng)
        base = measure(base, outcome.assay, rng)
    transform = np.log if outcome.scale == "log" else np.asarray
    summary = STATISTICS[outcome.statistic](curves)
    return Observed(
        transform(summary.to_numpy()),
        transform(base.to_numpy()),
        transform(curves.to_numpy()).mean(axis=-1),
    )
