"""Run replicate trials at one or more sample sizes and summarise power and bias.

For each replicate a fresh random order of the pool recruits the first ``n`` subjects, so the
trials at different ``n`` share their random numbers and the power curve is smooth. Besides
power, the summary shows what Walum, Waldman & Young (2016) warned about: among significant
trials the estimated effect is inflated (the winner's curse), the more so the smaller the trial.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import xarray as xr

from oxysim.trial.designs import population_effect, run_replicates
from oxysim.trial.pool import Pool
from oxysim.trial.spec import TrialSpec
from oxysim.trial.statistics import two_sample_power

#: Second entropy word of the replicate trials' generator: the pool is simulated from the bare
#: seed, whose spawned streams draw the subjects' parameters; trials must not reuse them.
REPLICATE_STREAM = 1
#: Largest number of sampled values handled at once (replicates x observations x times).
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
    ``exaggeration`` and ``sign_error`` (dim ``n``), plus the pool's population effect in attrs.
    """
    rng = np.random.default_rng((trial.seed, REPLICATE_STREAM))
    order_rng, effect_rng, trial_rng = rng.spawn(3)
    pool_size = pool.samples.sizes["subject"]
    truth = population_effect(trial, pool, effect_rng)
    per_replicate = max(1, pool.samples.sizes["time"] * 2 * max(sizes))
    batch = max(1, min(trial.replicates, BATCH_VALUES // per_replicate))
    outcomes = {
        name: np.full((len(sizes), trial.replicates), np.nan)
        for name in ("estimate", "d", "p_value")
    }
    done, total = 0, len(sizes) * trial.replicates
    for start in range(0, trial.replicates, batch):
        count = min(batch, trial.replicates - start)
        orders = np.argsort(order_rng.random((count, pool_size)), axis=1)
        for row, n in enumerate(sizes):
            result = run_replicates(trial, pool, orders[:, :n], trial_rng)
            for name in outcomes:
                outcomes[name][row, start : start + count] = getattr(result, name)
            done += count
            if progress is not None:
                progress(done, total)
    return _dataset(trial, pool, sizes, outcomes, float(truth.estimate[0]), float(truth.d[0]))


def _dataset(
    trial: TrialSpec,
    pool: Pool,
    sizes: Sequence[int],
    outcomes: dict[str, np.ndarray],
    true_estimate: float,
    true_d: float,
) -> xr.Dataset:
    unit = pool.samples.attrs.get("units", "")
    dims = ("n", "replicate")
    significant = outcomes["p_value"] < trial.alpha
    data = xr.Dataset(
        {
            "estimate": (
                dims,
                outcomes["estimate"],
                {"units": unit, "long_name": "estimated effect"},
            ),
            "d": (
                dims,
                outcomes["d"],
                {"units": "1", "long_name": "standardised effect (Cohen's d)"},
            ),
            "p_value": (
                dims,
                outcomes["p_value"],
                {"units": "1", "long_name": "two-sided p-value"},
            ),
            "significant": (dims, significant, {"long_name": f"p < {trial.alpha:g}"}),
        },
        coords={
            "n": ("n", np.asarray(sizes), {"long_name": "subjects per trial"}),
            "replicate": np.arange(trial.replicates),
        },
    )
    data["power"] = data.significant.mean("replicate").assign_attrs(
        units="1", long_name="share of replicate trials with p < alpha"
    )
    direction = np.sign(true_d) if true_d != 0 else 1.0
    agreeing = data.d.where(data.significant)
    data["mean_d_significant"] = agreeing.mean("replicate").assign_attrs(
        units="1", long_name="mean d of the significant trials"
    )
    data["exaggeration"] = (np.abs(agreeing).mean("replicate") / abs(true_d)).assign_attrs(
        units="1", long_name="mean |d| of the significant trials / |population d| (type M error)"
    )
    wrong = (np.sign(agreeing) == -direction).sum("replicate")
    data["sign_error"] = (wrong / data.significant.sum("replicate")).assign_attrs(
        units="1", long_name="share of significant trials with the wrong sign (type S error)"
    )
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
        "arms": ", ".join(trial.arms),
        "outcome": f"{trial.outcome.statistic} of {trial.outcome.variable}"
        + (f" by {trial.outcome.assay}" if trial.outcome.assay else ""),
        "alpha": trial.alpha,
        "seed": trial.seed,
        "pool": trial.pool,
        "population_estimate": true_estimate,
        "population_d": true_d,
        "estimate_units": unit,
        "note": "Virtual trials for research and teaching; not medical advice.",
    }
    return data
