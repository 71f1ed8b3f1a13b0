"""Virtual experiments on oxytocin pharmacokinetics (S2.1, S3.1, S4.6)."""

from __future__ import annotations

import numpy as np

from oxysim.experiments.analysis import excess, half_life_after_peak
from oxysim.experiments.base import experiment, run_protocol
from oxysim.system import human_model

#: Last sample before the doses of the Quintana protocol (dosed at 10 min).
QUINTANA_BEFORE = 9.0
#: Minutes 40-80 after the 1 IU bolus (given at 10 min): the terminal phase.
TERMINAL_WINDOW = slice(50.0, 90.0)


@experiment("iv_half_life")
def iv_half_life() -> dict[str, float]:
    """IV bolus half-life and time to steady state under infusion (de Groot 1995)."""
    bolus = run_protocol("iv_bolus").plasma_oxytocin.sel(arm="default")
    infusion = run_protocol("iv_infusion").plasma_oxytocin.sel(arm="default")
    rise = excess(infusion, 0.0)
    reached = rise >= 0.95 * rise.isel(time=-1)
    return {
        "bolus_half_life": float(half_life_after_peak(bolus, baseline_time=9.5).median()),
        "infusion_time_to_steady_state": float(
            rise.time.isel(time=reached.argmax("time")).median()
        ),
    }


@experiment("intranasal_plasma_and_csf")
def intranasal_plasma_and_csf() -> dict[str, float]:
    """Plasma and CSF after 24 IU intranasal oxytocin (Striepens 2013)."""
    results = run_protocol("intranasal_24iu").sel(arm="default")
    plasma = excess(results.plasma_oxytocin, 0.0)
    csf = excess(results.csf_oxytocin, 0.0)
    mean_plasma, mean_csf = plasma.mean("subject"), csf.mean("subject")
    correlation = np.corrcoef(
        results.plasma_oxytocin.sel(time=75.0), results.csf_oxytocin.sel(time=75.0)
    )[0, 1]
    return {
        "plasma_peak_time": float(mean_plasma.idxmax("time")),
        "plasma_excess_at_75_min": float(mean_plasma.sel(time=75.0) / mean_plasma.max()),
        "csf_rise_at_15_min": float(mean_csf.sel(time=15.0) / mean_csf.sel(time=75.0)),
        "csf_rise_at_75_min": float(
            mean_csf.sel(time=75.0) / results.csf_oxytocin.sel(time=0.0).mean()
        ),
        "plasma_csf_correlation": float(correlation),
    }


@experiment("assay_dependence")
def assay_dependence() -> dict[str, float]:
    """Resting plasma oxytocin on the extracted-assay scale (the intranasal cohort's baseline)."""
    resting = run_protocol("intranasal_24iu").plasma_oxytocin.sel(arm="default", time=0.0)
    return {"resting_plasma_oxytocin": float(resting.median())}


GOSSEN_DOSE_AT = 5.0


@experiment("gossen2012_intranasal_time_course")
def gossen2012_intranasal_time_course() -> dict[str, float]:
    """Plasma oxytocin raised 30 min after 26 IU intranasal, near baseline by 90 min."""
    plasma = run_protocol("gossen2012").plasma_oxytocin.sel(arm="default").mean("subject")
    before = float(plasma.sel(time=GOSSEN_DOSE_AT))
    at_30, at_90 = (float(plasma.sel(time=GOSSEN_DOSE_AT + t)) for t in (30.0, 90.0))
    return {"raised_at_30": at_30 / before, "left_at_90": (at_90 - before) / (at_30 - before)}


@experiment("labour_infusion_levels")
def labour_infusion_levels() -> dict[str, float]:
    """Plasma oxytocin at the end of 2-h infusions of 10 and 32 mU/min in labour."""
    plasma = run_protocol("labour_infusion_levels").plasma_oxytocin.isel(subject=0)
    level = {rate: float(plasma.sel(arm=f"rate_{rate}", time=120.0)) for rate in (10, 32)}
    return {"plasma_at_10": level[10], "ratio_32_to_10": level[32] / level[10]}


@experiment("quintana2015_route_exposure")
def quintana2015_route_exposure() -> dict[str, float]:
    """Plasma exposure of 8 and 24 IU intranasal relative to 1 IU intravenous (Quintana 2015)."""
    plasma = run_protocol("quintana2015").plasma_oxytocin
    exposure = excess(plasma, QUINTANA_BEFORE).sel(time=slice(QUINTANA_BEFORE, None))
    auc = exposure.integrate("time").median("subject")
    return {
        f"intranasal_{dose}_to_intravenous": float(
            auc.sel(arm=f"intranasal_{dose}") / auc.sel(arm="intravenous_1")
        )
        for dose in (8, 24)
    }


@experiment("iv_terminal_phase")
def iv_terminal_phase() -> dict[str, float]:
    """The slow phase after an IV bolus and the volume at steady state (de Groot; Nielsen)."""
    bolus = run_protocol("iv_bolus").plasma_oxytocin.sel(arm="default")
    late = excess(bolus, 9.5).sel(time=TERMINAL_WINDOW).transpose("time", "subject")
    slope = np.polyfit(late.time.values, np.log(late.values), 1)[0]
    model = human_model()
    steady_volume = sum(model.parameter(f"{c}_volume").value for c in ("central", "peripheral"))
    return {
        "terminal_half_life": float(np.median(np.log(2.0) / -slope)),
        "steady_state_volume": steady_volume,
    }
