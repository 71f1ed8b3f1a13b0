"""Virtual experiments on the routes and triggers of oxytocin release (S1.6, S2.3)."""

from __future__ import annotations

import xarray as xr

from oxysim.experiments.analysis import excess
from oxysim.experiments.base import experiment, run_protocol

ONSET = 10.0


def _routes() -> xr.Dataset:
    """Every route of the wellbeing protocol against rest, cohort means."""
    return run_protocol("wellbeing_routes").mean("subject")


def _against_rest(curve: xr.DataArray, arm: str, at: float) -> float:
    """``curve`` in ``arm`` at time ``at`` relative to the rest arm at that time."""
    return float(curve.sel(arm=arm, time=at) / curve.sel(arm="rest", time=at))


@experiment("dog_contact_oxytocin")
def dog_contact_oxytocin() -> dict[str, float]:
    """Stroking one's own dog: a brief oxytocin rise, no dog-specific cortisol fall."""
    routes = _routes()
    rise = excess(routes.plasma_oxytocin.sel(arm="dog_3_min"), ONSET)
    peak_time = float(rise.idxmax("time"))
    return {
        "peak_after_onset": peak_time - ONSET,
        "left_at_15_min": float(rise.sel(time=ONSET + 15.0) / rise.max()),
        "rise_after_25_min": _against_rest(routes.plasma_oxytocin, "dog_25_min", ONSET + 25.0),
        "cortisol_against_rest": _against_rest(routes.salivary_cortisol, "dog_3_min", ONSET + 30.0),
    }


@experiment("massage_and_music_oxytocin")
def massage_and_music_oxytocin() -> dict[str, float]:
    """Massage and calm music at rest raise plasma oxytocin (Morhenn 2012; Nilsson 2009)."""
    oxytocin = _routes().plasma_oxytocin
    return {
        "massage_against_rest": _against_rest(oxytocin, "massage", ONSET + 15.0),
        "music_against_rest": _against_rest(oxytocin, "music", ONSET + 30.0),
    }


TSST_END = 75.0


@experiment("release_trigger_magnitudes")
def release_trigger_magnitudes() -> dict[str, float]:
    """Plasma oxytocin rise by trigger in studies the gains were not set from."""
    stress = run_protocol("engert2016").plasma_oxytocin.sel(arm="default").mean("subject")
    sexual = run_protocol("orgasm").plasma_oxytocin.sel(arm="default")
    fold = sexual / sexual.sel(time=4.0)
    return {
        "tsst_fold_5_min_after": float(stress.sel(time=TSST_END + 5.0) / stress.sel(time=10.0)),
        "ejaculation_fold": float(fold.sel(subject="man").max()),
        "female_orgasm_fold": float(fold.sel(subject="woman").max()),
    }
