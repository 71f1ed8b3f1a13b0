"""Virtual experiments on the HPA axis and its oxytocin brake (S2.6, S2.8, S2.9)."""

from __future__ import annotations

import numpy as np
import xarray as xr

from oxysim.experiments.analysis import cohens_d, excess, first_time
from oxysim.experiments.base import experiment, run_protocol

STRESS_ONSET = 10.0
STRESS_END = 25.0


def _peak_rise(saliva: xr.DataArray) -> xr.DataArray:
    """Per-subject rise over baseline at the time of the group-mean peak."""
    rise = excess(saliva, STRESS_ONSET)
    peak_time = rise.mean("subject").idxmax("time")
    return rise.sel(time=peak_time)


@experiment("tsst_cortisol")
def tsst_cortisol() -> dict[str, float]:
    """Salivary cortisol response to the TSST in a mixed-sex cohort (Gu 2022)."""
    saliva = run_protocol("tsst").salivary_cortisol.sel(arm="default")
    mean = saliva.mean("subject")
    peak_time = float(mean.idxmax("time"))
    baseline = saliva.sel(time=STRESS_ONSET)
    pooled = np.sqrt((baseline.var(ddof=1) + saliva.var("subject", ddof=1)) / 2.0)
    d_over_time = (mean - baseline.mean()) / pooled
    after_peak = d_over_time.where(d_over_time.time > peak_time)
    recovered = first_time(after_peak < 0.2)
    rise = _peak_rise(saliva)
    by_sex = rise.groupby("sex").mean()
    return {
        "reactivity_d": cohens_d(baseline, saliva.sel(time=peak_time)),
        "peak_time_after_onset": peak_time - STRESS_ONSET,
        "male_to_female_response": float(by_sex.sel(sex="male") / by_sex.sel(sex="female")),
        "return_to_baseline": recovered - STRESS_END,
    }


@experiment("hpa_time_constants")
def hpa_time_constants() -> dict[str, float]:
    """Circadian cortisol over a day at rest."""
    cortisol = run_protocol("circadian_day").plasma_cortisol.sel(arm="default").mean("subject")
    return {
        "circadian_peak_clock_time": float(cortisol.idxmax("time")) / 60.0,
        "circadian_peak_to_nadir": float(cortisol.max() / cortisol.min()),
    }


@experiment("chen2011_support_by_genotype")
def chen2011_support_by_genotype() -> dict[str, float]:
    """Support buffers the cortisol response in G carriers, not in AA (Chen 2011)."""
    saliva = run_protocol("chen2011").salivary_cortisol
    carrier = xr.where(saliva.rs53576 == "AA", "AA", "G carrier").rename("carrier")
    rise = {
        arm: _peak_rise(saliva.sel(arm=arm)).groupby(carrier).mean() for arm in ("support", "alone")
    }
    reduction = 1.0 - rise["support"] / rise["alone"]
    baseline = saliva.sel(arm="alone", time=STRESS_ONSET)
    by_genotype = baseline.groupby("rs53576").mean() / baseline.mean()
    return {
        "buffering_g_carriers": float(reduction.sel(carrier="G carrier")),
        "buffering_aa": float(reduction.sel(carrier="AA")),
        "baseline_by_genotype": float(np.abs(by_genotype - 1.0).max()),
    }
