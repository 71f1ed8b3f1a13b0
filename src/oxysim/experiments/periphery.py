"""Virtual experiments on the periphery: labour and the milk-ejection reflex (S3.1)."""

from __future__ import annotations

import numpy as np
import xarray as xr

from oxysim.experiments.analysis import cohort_peak_rise, subject_ratio
from oxysim.experiments.base import experiment, run_protocol

READ_AT = 60.0
FEED = slice(10.0, 50.0)
BURST_THRESHOLD = 0.5
#: Start of the feed in the Ueda protocol (min).
UEDA_FEED_START = 10.0


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


def _ueda_pulses(arm: str, minutes: float = 20.0) -> float:
    """Bursts in the first ``minutes`` of the 20-min feed of the Ueda protocol."""
    results = run_protocol("ueda1994").isel(subject=0).sel(arm=arm)
    burst = results.milk_ejection_burst.sel(time=slice(UEDA_FEED_START, UEDA_FEED_START + minutes))
    return float(len(_burst_peaks(burst.values, burst.time.values)))


@experiment("ueda1994_stress_and_suckling")
def ueda1994_stress_and_suckling() -> dict[str, float]:
    """Mental arithmetic during a feed cuts the oxytocin pulses (Ueda 1994)."""
    return {"arithmetic_pulse_ratio": _ueda_pulses("arithmetic") / _ueda_pulses("control")}


@experiment("human_milk_ejection_pulses")
def human_milk_ejection_pulses() -> dict[str, float]:
    """The rat-calibrated burst generator against pulse counts in women (Ueda 1994; Nissen 1996)."""
    return {
        "pulses_per_20_min": _ueda_pulses("control"),
        "pulses_in_first_10_min": _ueda_pulses("control", 10.0),
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


FEED_START = 10.0


def _fed() -> xr.Dataset:
    return run_protocol("suckling_response").sel(arm="feed").mean("subject")


def _oxytocin_fold(minutes: float) -> float:
    """Cohort-mean plasma oxytocin ``minutes`` into the feed / before it."""
    oxytocin = _fed().plasma_oxytocin
    return float(oxytocin.sel(time=FEED_START + minutes) / oxytocin.sel(time=FEED_START))


@experiment("weitzman1980_suckling_oxytocin")
def weitzman1980_suckling_oxytocin() -> dict[str, float]:
    """Plasma oxytocin 3 and 6 min into a feed (Weitzman 1980)."""
    return {
        "fold_at_3_min": _oxytocin_fold(3.0),
        "fold_at_6_min": _oxytocin_fold(6.0),
        "fold_at_15_min": _oxytocin_fold(15.0),
    }


@experiment("dawood1981_suckling_oxytocin")
def dawood1981_suckling_oxytocin() -> dict[str, float]:
    """Plasma oxytocin 2 min into a feed, and its peak (Dawood 1981; Johnston & Amico 1986)."""
    oxytocin = _fed().plasma_oxytocin
    during = oxytocin.sel(time=slice(FEED_START, FEED_START + 15.0))
    return {
        "fold_at_2_min": _oxytocin_fold(2.0),
        "peak_fold": float(during.max() / oxytocin.sel(time=FEED_START)),
    }


@experiment("amico1994_nursing_cortisol")
def amico1994_nursing_cortisol() -> dict[str, float]:
    """Plasma cortisol 15 min into a feed relative to before (Amico 1994)."""
    cortisol = _fed().plasma_cortisol
    return {
        "cortisol_after_15_min": float(
            cortisol.sel(time=FEED_START + 15.0) / cortisol.sel(time=FEED_START)
        )
    }


def _feed_reduction(fed: str, held: str, onset: float, variable: str = "plasma_cortisol") -> float:
    """1 - peak of the cohort-mean cortisol rise after a feed / after holding."""
    cortisol = run_protocol("breastfeeding_before_tsst")[variable]
    fed_rise, held_rise = (cohort_peak_rise(cortisol.sel(arm=arm), onset) for arm in (fed, held))
    return 1.0 - fed_rise / held_rise


@experiment("heinrichs2001_breastfeeding_before_stress")
def heinrichs2001_breastfeeding_before_stress() -> dict[str, float]:
    """A feed ending 15 min before the TSST blunts the cortisol response (Heinrichs 2001)."""
    return {
        "plasma_cortisol_reduction": _feed_reduction("breastfeeding_15", "holding_15", 45.0),
        "salivary_cortisol_reduction": _feed_reduction(
            "breastfeeding_15", "holding_15", 45.0, "salivary_cortisol"
        ),
    }


@experiment("altemus2001_stress_long_after_a_feed")
def altemus2001_stress_long_after_a_feed() -> dict[str, float]:
    """A feed ending 45 min before the TSST no longer blunts it (Altemus 2001)."""
    return {"reduction_45_min_after": _feed_reduction("breastfeeding_45", "holding_45", 60.0)}
