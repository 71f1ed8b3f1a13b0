"""Run replicate trials at one or more sample sizes and summarise power and bias.

For each replicate a random order of the pool recruits the first ``n`` subjects; the orders are
the same at every ``n``, so the power curve is smooth, and each size has its own stream for
allocation and measurement, so its results do not depend on which other sizes were asked for.
Besides power, the summary shows what Walum, Waldman & Young (2016) warned about: among
significant trials the estimated effect is inflated (the winner's curse), the more so the smaller
the trial.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import xarray as xr

from oxysim.summaries import statistic_unit
from oxysim.trial.designs import TrialOutcome, population_effect, run_replicates
from oxysim.trial.pool import Pool
from oxysim.trial.spec import TrialSpec
from oxysim.trial.statistics import two_sample_power

#: Second entropy words of the trial's generators. The pool is simulated from the bare seed,
#: whose spawned streams draw the subjects' parameters; the trials must not reuse them.
ORDER_STREAM = 1
EFFECT_STREAM = 2
REPLICATE_STREAM = 3
#: Largest number of values held at once by a batch of replicates (pool orders and samples).
BATCH_VALUES = 4_000_000


def run_trial(
    trial: TrialSpec,
    pool: Pool,
    sizes: Sequence[int],
    progress: Callable[[int, int], None] | None = None,
) -> xr.Dataset:
    """Simulate ``trial.replicates`` trials at each sample size in ``sizes``.

    Returns a Dataset with per-replicate ``estimate``, ``d``, ``p_value`` and ``significant``
    (dims ``n``, ``replicate``) and per-size ``power``, ``mean_d_significant``,
    ``exaggeration``, ``sign_error`` and ``degenerate`` (dim ``n``), plus the pool's population
    effect in attrs. Raises ``ValueError`` when the outcome does not vary in the pool.
    """
    truth = population_effect(trial, pool, np.random.default_rng((trial.seed, EFFECT_STREAM)))
    true_d = float(truth.d[0])
    if not np.isfinite(true_d):
        raise ValueError(
            f"the outcome ({trial.outcome.statistic} of {trial.outcome.variable}) does not vary "
            "in the pool, so no effect can be standardised: check the outcome's times and "
            "statistic, and that the population varies in what the design compares"
        )
    rows = []
    for index, n in enumerate(sizes):

        def report(done: int, offset: int = index * trial.replicates) -> None:
            if progress is not None:
                progress(offset + done, len(sizes) * trial.replicates)

        rows.append(_replicates_at(trial, pool, n, report))
    return _dataset(trial, pool, sizes, rows, float(truth.estimate[0]), true_d)


def _replicates_at(
    trial: TrialSpec, pool: Pool, n: int, report: Callable[[int], None]
) -> dict[str, np.ndarray]:
    """Estimate, d and p-value of every replicate trial with ``n`` subjects, in batches."""
    pool_size, times = pool.samples.sizes["subject"], pool.samples.sizes["time"]
    batch = max(1, BATCH_VALUES // (2 * pool_size + 2 * n * times))
    order_rng = np.random.default_rng((trial.seed, ORDER_STREAM))
    trial_rng = np.random.default_rng((trial.seed, REPLICATE_STREAM, n))
    parts: list[TrialOutcome] = []
    for start in range(0, trial.replicates, batch):
        count = min(batch, trial.replicates - start)
        orders = np.argsort(order_rng.random((count, pool_size)), axis=1)[:, :n]
        parts.append(run_replicates(trial, pool, orders, trial_rng))
        report(start + count)
    return {
        name: np.concatenate([getattr(part, name) for part in parts])
        for name in ("estimate", "d", "p_value")
    }


def _dataset(
    trial: TrialSpec,
    pool: Pool,
    sizes: Sequence[int],
    rows: list[dict[str, np.ndarray]],
    true_estimate: float,
    true_d: float,
) -> xr.Dataset:
    unit = _estimate_unit(trial, pool.samples.attrs.get("units", ""))
    dims = ("n", "replicate")
    p_value = np.stack([row["p_value"] for row in rows])
    data = xr.Dataset(
        {
            "estimate": (
                dims,
                np.stack([row["estimate"] for row in rows]),
                {"units": unit, "long_name": "estimated effect"},
            ),
            "d": (
                dims,
                np.stack([row["d"] for row in rows]),
                {"units": "1", "long_name": "standardised effect (Cohen's d)"},
            ),
            "p_value": (dims, p_value, {"units": "1", "long_name": "two-sided p-value"}),
            "significant": (dims, p_value < trial.alpha, {"long_name": f"p < {trial.alpha:g}"}),
        },
        coords={
            "n": ("n", np.asarray(sizes), {"long_name": "subjects per trial"}),
            "replicate": np.arange(trial.replicates),
        },
    )
    data = data.assign(_summaries(data, true_d))
    if (
        trial.design == "parallel"
        and trial.chosen_analysis == "t_test"
        and trial.randomisation == "block"
    ):
        analytic = [two_sample_power(true_d, n - n // 2, n // 2, trial.alpha) for n in sizes]
        data["analytic_power"] = xr.DataArray(
            analytic,
            dims="n",
            attrs={"units": "1", "long_name": "Student t-test power at the population d"},
        )
    data.attrs = {
        "title": f"oxysim virtual trial: {trial.name}",
        "design": trial.design,
        "analysis": trial.chosen_analysis,
        "effect": trial.effect or ("interaction" if trial.effects else "treatment"),
        "arms": ", ".join(trial.arms),
        "outcome": f"{trial.outcome.statistic} of {trial.outcome.variable}"
        + (f" by {trial.outcome.assay}" if trial.outcome.assay else "")
        + (" (log scale)" if trial.outcome.scale == "log" else ""),
        "alpha": trial.alpha,
        "seed": trial.seed,
        "pool": pool.samples.sizes["subject"],
        "population_estimate": true_estimate,
        "population_d": true_d,
        "evidence_floor": pool.evidence_floor,
        "note": "Virtual trials for research and teaching; not medical advice.",
    }
    return data


def _summaries(data: xr.Dataset, true_d: float) -> dict[str, xr.DataArray]:
    """Power, the winner's curse (type M) and sign errors (type S) at each sample size.

    A replicate whose model could not be fitted (an empty arm under simple randomisation) has
    a NaN p-value: it counts as not significant, and ``degenerate`` says how many there were.
    With a population d of zero, exaggeration and sign errors are undefined (NaN).
    """
    significant_d = data.d.where(data.significant)
    wrong_sign = (np.sign(significant_d) == -np.sign(true_d)).sum("replicate")
    with np.errstate(divide="ignore", invalid="ignore"):
        exaggeration = np.abs(significant_d).mean("replicate") / abs(true_d)
        sign_error = wrong_sign / data.significant.sum("replicate")
    if true_d == 0:  # no size to exaggerate, no sign to get wrong
        exaggeration, sign_error = exaggeration * np.nan, sign_error * np.nan
    return {
        "power": data.significant.mean("replicate").assign_attrs(
            units="1", long_name="share of replicate trials with p < alpha"
        ),
        "mean_d_significant": significant_d.mean("replicate").assign_attrs(
            units="1", long_name="mean d of the significant trials"
        ),
        "exaggeration": exaggeration.assign_attrs(
            units="1",
            long_name="mean |d| of the significant trials / |population d| (type M error)",
        ),
        "sign_error": sign_error.assign_attrs(
            units="1", long_name="share of significant trials with the wrong sign (type S error)"
        ),
        "degenerate": data.p_value.isnull()
        .mean("replicate")
        .assign_attrs(units="1", long_name="share of replicates whose model could not be fitted"),
    }


def _estimate_unit(trial: TrialSpec, variable_unit: str) -> str:
    """Unit of the estimated effect: the statistic's unit, or a log ratio ("1")."""
    if trial.outcome.scale == "log":
        return "1"
    return statistic_unit(trial.outcome.statistic, variable_unit)
