"""Virtual experiments on social reward and sex (S0.1-S0.3, S3.5)."""

from __future__ import annotations

import xarray as xr

from oxysim.experiments.base import experiment, run_protocol

CONTACT = slice(21.0, 50.0)
BEFORE = slice(0.0, 19.0)
LATE_CONTACT = slice(31.0, 50.0)


def _mean(results: xr.Dataset, variable: str, arm: str, window: slice) -> float:
    return float(results[variable].sel(arm=arm, time=window).mean())


def _dopamine_rise(results: xr.Dataset, arm: str) -> float:
    return _mean(results, "nac_dopamine", arm, LATE_CONTACT) - _mean(
        results, "nac_dopamine", arm, BEFORE
    )


@experiment("hung2017_vta_social_reward")
def hung2017_vta_social_reward() -> dict[str, float]:
    """Social interaction with the PVN->VTA tract intact, activated or silenced (mice)."""
    r = run_protocol("hung2017")
    social_change = _dopamine_rise(r, "silenced") - _dopamine_rise(r, "control")
    food_change = _dopamine_rise(r, "food_silenced") - _dopamine_rise(r, "food")
    fraction = "social_interaction_time_fraction"
    return {
        "pvn_activity_during_social": _mean(r, "oxytocin_neuron_activity", "control", CONTACT)
        / _mean(r, "oxytocin_neuron_activity", "control", BEFORE),
        "interaction_with_tract_activation": _mean(r, fraction, "activated", CONTACT)
        / _mean(r, fraction, "control", CONTACT),
        "interaction_with_tract_silenced": _mean(r, fraction, "silenced", CONTACT)
        / _mean(r, fraction, "control", CONTACT),
        "accumbens_dopamine_with_social_contact": _mean(r, "nac_dopamine", "control", LATE_CONTACT)
        / _mean(r, "nac_dopamine", "control", BEFORE),
        "oxytocin_raises_excitatory_drive": _mean(r, "vta_excitatory_drive", "activated", CONTACT)
        / _mean(r, "vta_excitatory_drive", "control", CONTACT),
        "non_social_reward_gating": _gating(food_change, social_change),
    }


def _gating(food_change: float, social_change: float) -> float:
    """Effect of silencing on food reward relative to social reward; NaN when the latter is 0.

    Without an effect on social reward (all oxytocin mechanisms off) the ratio is undefined.
    """
    return abs(food_change) / abs(social_change) if social_change else float("nan")


@experiment("orgasm_oxytocin")
def orgasm_oxytocin() -> dict[str, float]:
    """Plasma oxytocin around orgasm (Murphy 1987 men; Carmichael 1987 women)."""
    plasma = run_protocol("orgasm").plasma_oxytocin.sel(arm="default")
    baseline = plasma.sel(time=4.0)
    fold = plasma / baseline
    return {
        "male_peak_fold": float(fold.sel(subject="man").max()),
        "male_still_raised_at_10_min": float(fold.sel(subject="man", time=30.0)),
        "male_back_by_30_min": float(fold.sel(subject="man", time=50.0)),
        "female_peak_fold": float(fold.sel(subject="woman").max()),
    }
