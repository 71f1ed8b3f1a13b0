"""Virtual experiments on the periphery: labour and the milk-ejection reflex (S3.1)."""

from __future__ import annotations

import numpy as np
import xarray as xr

from oxysim.experiments.analysis import subject_ratio
from oxysim.experiments.base import experiment, run_protocol

READ_AT = 60.0
FEED = slice(10.0, 50.0)
BURST_THRESHOLD = 0.5


def _contractions(results: xr.Dataset, rate: int) -> float:
    return float(results.uterine_contractions_per_10_min.sel(arm=f"rate_{rate}", time=READ_AT))


@experiment("labour_augmentation")
def labour_augmentation() -> dict[str, float]:
    """Dose-response of contractions to oxytocin infusion at term, and at week 20."""
    term = run_protocol("labour_augmentation").isel(subject=0)
    rates = (0, 2, 4, 8, 12, 20)
    response = {rate: _contractions(term, rate) for rate in rates}
    adequate = [rate for rate in rates if response[rate] >= 3.0]
    mid = run_protocol("labour_midpregnancy").isel(subject=0)
    return {
        "rate_for_adequate_contractions": float(adequate[0]) if adequate else float("inf"),
        "montevideo_units_at_8": float(term.uterine_activity.sel(arm="rate_8", time=READ_AT)),
        "saturation": (response[20] - response[12]) / (response[8] - response[2]),
        "midpregnancy_rise_at_20": _contractions(mid, 20) - _contractions(mid, 0),
        "term_rise_at_20": response[20] - response[0],
    }


def _burst_peaks(signal: np.ndarray, times: np.ndarray) -> np.ndarray:
    """Times of the local maxima of a pulse train above the burst threshold."""
    inner = signal[1:-1]
    peaks = (inner > signal[:-2]) & (inner >= signal[2:]) & (inner > BURST_THRESHOLD)
    return times[1:-1][peaks]


@experiment("milk_ejection_reflex")
def milk_ejection_reflex() -> dict[str, float]:
    """Bursts every few minutes during suckling, abolished by a central OXTR antagonist."""
    results = run_protocol("milk_ejection").isel(subject=0).sel(time=FEED)
    burst = results.milk_ejection_burst
    peaks = _burst_peaks(burst.sel(arm="suckling").values, burst.time.values)
    plasma = results.plasma_oxytocin.sel(arm="suckling")
    after_first = plasma.sel(time=slice(peaks[0], None)) if len(peaks) else plasma
    return {
        "bursts_per_feed": float(len(peaks)),
        "inter_burst_interval": float(np.mean(np.diff(peaks))) if len(peaks) > 1 else np.inf,
        "plasma_pulsatility": float(after_first.max() / after_first.min()),
        "bursts_with_antagonist": float(burst.sel(arm="antagonist").max()),
    }


@experiment("elabd2014_muscle")
def elabd2014_muscle() -> dict[str, float]:
    """Muscle repair by age with oxytocin or receptor blockade, day 5 (Elabd 2014, mice)."""
    results = run_protocol("elabd2014_muscle")
    repair = results.muscle_repair_fraction.sel(time=results.time[-1])
    young = float(repair.sel(arm="untreated", subject="young"))
    plasma = results.plasma_oxytocin.sel(arm="untreated", time=0.0)
    return {
        "plasma_old_vs_young": subject_ratio(plasma, "old", "young"),
        "old_treated_vs_young": float(repair.sel(arm="oxytocin", subject="old")) / young,
        "young_treated_gain": float(repair.sel(arm="oxytocin", subject="young")) / young - 1.0,
        "young_blocked_vs_young": float(repair.sel(arm="blocked", subject="young")) / young,
        "old_untreated_vs_young": float(repair.sel(arm="untreated", subject="old")) / young,
    }
