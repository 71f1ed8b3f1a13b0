"""Small analysis helpers shared by the virtual experiments."""

from __future__ import annotations

from typing import get_args

import numpy as np
import xarray as xr

from oxysim.scenario.subjects import CyclePhase

#: The phases of the menstrual cycle, as the scenario declares them.
CYCLE_PHASES: tuple[str, ...] = get_args(CyclePhase)


def excess(curve: xr.DataArray, at: float) -> xr.DataArray:
    """``curve`` minus its value at time ``at`` (the baseline sample)."""
    return curve - curve.sel(time=at)


def cohort_peak_rise(curve: xr.DataArray, at: float) -> float:
    """Peak of the cohort-mean ``curve`` above its value at time ``at`` (the pre-stress sample)."""
    return float(excess(curve, at).mean("subject").max())


def half_life_after_peak(curve: xr.DataArray, baseline_time: float) -> xr.DataArray:
    """Per subject: minutes from the peak until the excess over baseline falls to half the peak."""
    rise = excess(curve, baseline_time)
    peak_index = rise.argmax("time")
    peak = rise.isel(time=peak_index)
    after_peak = rise.time >= rise.time[peak_index]
    below = (rise <= peak / 2) & after_peak
    return rise.time.isel(time=below.argmax("time")) - rise.time[peak_index]


def cohens_d(before: xr.DataArray, after: xr.DataArray) -> float:
    """Standardised mean difference with the pooled SD of the two samples (d_av)."""
    pooled = np.sqrt((before.var(ddof=1) + after.var(ddof=1)) / 2.0)
    return float((after.mean() - before.mean()) / pooled)


def first_time(condition: xr.DataArray) -> float:
    """The first time at which ``condition`` (a 1-D boolean over time) holds; NaN if never."""
    hits = condition.time.where(condition, drop=True)
    return float(hits[0]) if hits.size else float("nan")


def subject_ratio(values: xr.DataArray, numerator: str, denominator: str) -> float:
    """Ratio of the values of two named subjects."""
    return float(values.sel(subject=numerator) / values.sel(subject=denominator))


def reproductive_groups(results: xr.Dataset) -> dict[str, xr.DataArray]:
    """Masks over ``subject``: men, women, cycling women, pill users, and each cycle phase."""
    users = results.hormonal_contraception.astype(bool)
    cycling = (results.sex == "female") & ~users
    groups = {
        "men": results.sex == "male",
        "women": results.sex == "female",
        "cycling": cycling,
        "users": users,
    }
    return groups | {phase: cycling & (results.cycle_phase == phase) for phase in CYCLE_PHASES}
