"""Virtual experiments on hormone protocols and supplements (S2.4, S2.5, S2.7).

These protocols last weeks, so they run only the slow sub-models they involve (endocrine,
nutrients) with a two-hour step; the parameters are the shared ones.
"""

from __future__ import annotations

import xarray as xr

from oxysim.experiments.analysis import cohens_d, reproductive_groups
from oxysim.experiments.base import experiment, run_protocol

SLOW = ("endocrine", "nutrients")
SLOW_STEP = 120.0
WEEK = 7 * 1440.0


def _slow_protocol(name: str, step: float = SLOW_STEP) -> xr.Dataset:
    return run_protocol(name, submodels=SLOW, step=step).isel(subject=0)


def _last_week(results: xr.DataArray | xr.Dataset) -> xr.DataArray | xr.Dataset:
    """The final week of a run, when weeks of dosing have settled the levels."""
    return results.sel(time=slice(float(results.time[-1]) - WEEK, None))


def _settled_ratio(results: xr.Dataset, variable: str, arm: str) -> float:
    """Mean of the last week under ``arm`` relative to the same subject without treatment."""
    series = _last_week(results[variable])
    return float(series.sel(arm=arm).mean() / series.sel(arm="placebo").mean())


@experiment("anastrozole_men")
def anastrozole_men() -> dict[str, float]:
    """Aromatase inhibition raises testosterone and lowers estradiol in older men."""
    results = _slow_protocol("endocrine_anastrozole")
    return {
        "daily_testosterone": _settled_ratio(results, "testosterone", "daily"),
        "daily_estradiol": _settled_ratio(results, "estradiol", "daily"),
    }


@experiment("anastrozole_men_checks")
def anastrozole_men_checks() -> dict[str, float]:
    """The twice-weekly arm, and the daily arm against a second trial (Burnett-Bowie 2009)."""
    results = _slow_protocol("endocrine_anastrozole")
    return {
        "twice_weekly_testosterone": _settled_ratio(results, "testosterone", "twice_weekly"),
        "twice_weekly_estradiol": _settled_ratio(results, "estradiol", "twice_weekly"),
        "replication_testosterone": _settled_ratio(results, "testosterone", "daily"),
        "replication_estradiol": _settled_ratio(results, "estradiol", "daily"),
    }


@experiment("testosterone_injection")
def testosterone_injection() -> dict[str, float]:
    """Serum profile of one 200 mg injection."""
    results = _slow_protocol("endocrine_testosterone")
    single = results.testosterone.sel(arm="single_200mg")
    excess = single - single.isel(time=0)
    peak_time = float(excess.idxmax("time")) / 1440.0
    return {
        "peak_day": peak_time,
        "residual_at_day_14": float(excess.sel(time=14 * 1440.0) / excess.max()),
    }


@experiment("testosterone_feedback_on_injections")
def testosterone_feedback_on_injections() -> dict[str, float]:
    """Suppression of the gonads and aromatisation under weekly injections."""
    results = _slow_protocol("endocrine_testosterone")
    weekly = _last_week(results.sel(arm="weekly_100mg"))
    rescued = _last_week(results.sel(arm="weekly_100mg_gonadorelin"))
    return {
        "gonadal_drive_weekly": float(weekly.gonadal_drive.mean()),
        "estradiol_weekly": float(weekly.estradiol.mean() / results.estradiol.isel(time=0)[0]),
        "gonadorelin_rescue": float(rescued.gonadal_drive.mean() / weekly.gonadal_drive.mean()),
    }


@experiment("oral_progesterone")
def oral_progesterone() -> dict[str, float]:
    """Serum progesterone over a day after 200 mg of oral micronised progesterone."""
    serum = _slow_protocol("endocrine_progesterone", step=15.0).progesterone.isel(arm=0)
    dose_at = 60.0
    excess = serum - serum.sel(time=dose_at)
    peak = float(excess.max())
    return {
        "peak": float(serum.max()),
        "peak_hour": (float(excess.idxmax("time")) - dose_at) / 60.0,
        "excess_at_6_h": float(excess.sel(time=dose_at + 360.0)) / peak,
        "excess_at_24_h": float(excess.sel(time=dose_at + 1440.0)) / peak,
    }


@experiment("nutrient_repletion")
def nutrient_repletion() -> dict[str, float]:
    """Serum levels after months of daily vitamin D, vitamin C and magnesium."""
    results = run_protocol("nutrient_repletion", submodels=SLOW, step=SLOW_STEP)
    last_week = _last_week(results).mean("time")
    rise = last_week.sel(arm="supplemented") - last_week.sel(arm="none")
    vitamin_d = rise.vitamin_d
    return {
        "vitamin_d_rise_per_ug": float(vitamin_d.sel(subject="vitamin_d_replete")) / 25.0,
        "vitamin_d_low_vs_replete": float(
            vitamin_d.sel(subject="vitamin_d_low") / vitamin_d.sel(subject="vitamin_d_replete")
        ),
        "vitamin_c_plateau": float(
            last_week.vitamin_c.sel(arm="supplemented", subject="vitamin_c_replete")
        ),
        "magnesium_rise": float(rise.magnesium.sel(subject="magnesium_replete")),
    }


LIGHTS_OUT = 30.0


@experiment("bedtime_oxytocin_sleep")
def bedtime_oxytocin_sleep() -> dict[str, float]:
    """40 IU at bedtime leaves sleep-onset latency unchanged (Jain 2020)."""
    latency = run_protocol("bedtime_oxytocin").sleep_onset_latency.sel(time=LIGHTS_OUT)
    mean = latency.mean("subject")
    return {"latency_ratio": float(mean.sel(arm="oxytocin") / mean.sel(arm="placebo"))}


def _resting_by_group() -> dict[str, xr.DataArray]:
    """Resting plasma oxytocin of men, cycling women by phase, and pill users (4000 adults)."""
    results = run_protocol("basal_oxytocin_states").sel(arm="default").isel(time=0)
    groups = reproductive_groups(results)
    return {
        name: results.plasma_oxytocin.where(chosen, drop=True) for name, chosen in groups.items()
    }


def _pregnancy_levels() -> xr.DataArray:
    return run_protocol("pregnancy_basal_oxytocin").plasma_oxytocin.sel(arm="default").isel(time=0)


@experiment("estrogen_and_basal_oxytocin")
def estrogen_and_basal_oxytocin() -> dict[str, float]:
    """Estrogen raises basal oxytocin: on the pill, and from early follicular to ovulation."""
    level = _resting_by_group()
    return {
        "users_to_cycling": float(level["users"].mean() / level["cycling"].mean()),
        "ovulation_minus_follicular_d": cohens_d(level["follicular"], level["ovulatory"]),
    }


@experiment("basal_oxytocin_by_sex_and_state")
def basal_oxytocin_by_sex_and_state() -> dict[str, float]:
    """The same estrogen drive across sexes, the rest of the cycle, and pregnancy."""
    level = _resting_by_group()
    pregnancy = _pregnancy_levels()
    return {
        "women_to_men": float(level["cycling"].mean() / level["men"].mean()),
        "mothers_to_fathers": float(level["follicular"].mean() / level["men"].mean()),
        "luteal_minus_ovulation_d": cohens_d(level["ovulatory"], level["luteal"]),
        "luteal_minus_follicular_d": cohens_d(level["follicular"], level["luteal"]),
        "late_pregnancy_to_not_pregnant": float(
            pregnancy.sel(subject="week_36") / pregnancy.sel(subject="not_pregnant")
        ),
        "third_to_first_trimester": float(
            pregnancy.sel(subject="week_36") / pregnancy.sel(subject="week_10")
        ),
    }


@experiment("estrogen_therapy_and_oxytocin")
def estrogen_therapy_and_oxytocin() -> dict[str, float]:
    """Removing the ovaries leaves resting oxytocin; estradiol therapy raises it."""
    level = (
        run_protocol("menopause_estrogen_oxytocin").plasma_oxytocin.sel(arm="default").isel(time=0)
    )
    return {
        "oophorectomy_to_ovaries": float(
            level.sel(subject="oophorectomy") / level.sel(subject="ovaries")
        ),
        "therapy_to_none": float(
            level.sel(subject="estrogen_therapy") / level.sel(subject="postmenopausal")
        ),
    }
