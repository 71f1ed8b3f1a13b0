"""Virtual experiments on the HPA axis and its oxytocin brake (S2.6, S2.8, S2.9)."""

from __future__ import annotations

import numpy as np
import xarray as xr

from oxysim.experiments.analysis import (
    cohens_d,
    cohort_peak_rise,
    excess,
    first_time,
    reproductive_groups,
)
from oxysim.experiments.base import experiment, run_protocol, run_shipped_trial

STRESS_ONSET = 10.0
STRESS_END = 25.0


def _peak_rise(saliva: xr.DataArray, onset: float = STRESS_ONSET) -> xr.DataArray:
    """Per-subject rise over baseline (at ``onset``) at the time of the group-mean peak."""
    rise = excess(saliva, onset)
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


LATE_ONSET = 60.0  # protocols that dose 50-60 min before the stressor


def _mean_rise(saliva: xr.DataArray, arm: str, onset: float) -> float:
    """Mean over subjects of the peak rise (at the group-mean peak) in ``arm``."""
    return float(_peak_rise(saliva.sel(arm=arm), onset).mean())


def _reduction(saliva: xr.DataArray, arm: str, reference: str, onset: float) -> float:
    """1 - mean peak rise in ``arm`` / in ``reference``."""
    return 1.0 - _mean_rise(saliva, arm, onset) / _mean_rise(saliva, reference, onset)


def _arm_rises(protocol: str) -> dict[str, float]:
    """Mean peak cortisol rise of each arm of a protocol that doses before a late stressor."""
    saliva = run_protocol(protocol).salivary_cortisol
    return {str(arm): _mean_rise(saliva, arm, LATE_ONSET) for arm in saliva.arm.values}


@experiment("heinrichs2003_support_and_oxytocin")
def heinrichs2003_support_and_oxytocin() -> dict[str, float]:
    """Support alone lowers the response; support with oxytocin lowers it most (Heinrichs 2003)."""
    rise = _arm_rises("heinrichs2003")
    single = min(rise["placebo_support"], rise["oxytocin_alone"])
    others = max(rise[arm] for arm in rise if arm != "placebo_alone")
    return {
        "support_alone_reduction": 1.0 - rise["placebo_support"] / rise["placebo_alone"],
        "combined_relative_to_best_single": rise["oxytocin_support"] / single,
        "neither_relative_to_highest_other": rise["placebo_alone"] / others,
    }


@experiment("kirschbaum1995_support_by_sex")
def kirschbaum1995_support_by_sex() -> dict[str, float]:
    """A partner's support buffers men, not women; a stranger's neither (Kirschbaum 1995)."""
    saliva = run_protocol("kirschbaum1995_support").salivary_cortisol
    by_sex = {sex: saliva.where(saliva.sex == sex, drop=True) for sex in ("male", "female")}
    return {
        "men_partner_reduction": _reduction(by_sex["male"], "partner", "alone", STRESS_ONSET),
        "women_partner_reduction": _reduction(by_sex["female"], "partner", "alone", STRESS_ONSET),
        "stranger_reduction": _reduction(saliva, "stranger", "alone", STRESS_ONSET),
    }


@experiment("ditzen2008_partner_support_men")
def ditzen2008_partner_support_men() -> dict[str, float]:
    """A partner's verbal support buffers men; their attachment style does not (Ditzen 2008)."""
    saliva = run_protocol("ditzen2008").salivary_cortisol
    secure = saliva.attachment == "secure"
    alone = saliva.sel(arm="alone")
    return {
        "partner_reduction": _reduction(saliva, "partner", "alone", STRESS_ONSET),
        "insecure_to_secure": float(
            _peak_rise(alone.where(~secure, drop=True)).mean()
            / _peak_rise(alone.where(secure, drop=True)).mean()
        ),
    }


@experiment("ditzen2007_partner_contact")
def ditzen2007_partner_contact() -> dict[str, float]:
    """In women a partner's massage, not verbal support, buffers the response (Ditzen 2007)."""
    saliva = run_protocol("ditzen2007").salivary_cortisol
    return {
        "massage_reduction": _reduction(saliva, "massage", "alone", STRESS_ONSET),
        "verbal_support_reduction": _reduction(saliva, "verbal_support", "alone", STRESS_ONSET),
    }


@experiment("oxytocin_alone_before_stress")
def oxytocin_alone_before_stress() -> dict[str, float]:
    """24 and 48 IU alone before a TSST (Cardoso 2014 meta-analysis; Cardoso 2013 doses)."""
    saliva = run_protocol("cardoso_oxytocin_dose_stress").salivary_cortisol
    rise = {str(a): _peak_rise(saliva.sel(arm=a), LATE_ONSET) for a in saliva.arm.values}
    d_24 = cohens_d(rise["placebo"], rise["oxytocin_24"])
    d_48 = cohens_d(rise["placebo"], rise["oxytocin_48"])
    return {"d_24_iu": d_24, "d_48_minus_24": d_48 - d_24}


DAY = 1440.0


def _session_rises(saliva: xr.DataArray, onsets: list[float], window: float = 90.0) -> list[float]:
    """Peak of the cohort-mean rise over the pre-stress value after each onset."""
    return [cohort_peak_rise(saliva.sel(time=slice(at, at + window)), at) for at in onsets]


@experiment("kirschbaum1995_repeated_tsst")
def kirschbaum1995_repeated_tsst() -> dict[str, float]:
    """Five TSSTs on five days: the response habituates (Kirschbaum 1995)."""
    saliva = run_protocol("kirschbaum1995_repeated").salivary_cortisol.sel(arm="default")
    onsets = [STRESS_ONSET + day * DAY for day in range(5)]
    rises = _session_rises(saliva, onsets)
    first, last = (
        (saliva.sel(time=slice(at, at + 90.0)) - saliva.sel(time=at)).max("time")
        for at in (onsets[0], onsets[-1])
    )
    return {
        "day_2_ratio": rises[1] / rises[0],
        "day_5_ratio": rises[4] / rises[0],
        "non_habituator_share": float((last >= 0.5 * first).mean()),
    }


@experiment("schommer2003_repeated_tsst")
def schommer2003_repeated_tsst() -> dict[str, float]:
    """Three TSSTs four weeks apart: the response still falls (Schommer 2003)."""
    results = run_protocol("schommer2003").sel(arm="default")
    onsets = [8.0 + session * 28 * DAY for session in range(3)]
    variables = ("salivary_cortisol", "plasma_acth", "plasma_cortisol")
    rises = {v: _session_rises(results[v], onsets) for v in variables}
    saliva = rises["salivary_cortisol"]
    return {
        "session_2_ratio": saliva[1] / saliva[0],
        "session_3_ratio": saliva[2] / saliva[0],
        "acth_session_3_ratio": rises["plasma_acth"][2] / rises["plasma_acth"][0],
        "total_cortisol_session_3_ratio": rises["plasma_cortisol"][2] / rises["plasma_cortisol"][0],
    }


@experiment("contraception_and_the_tsst")
def contraception_and_the_tsst() -> dict[str, float]:
    """Users of oral contraceptives: blunted free, preserved total cortisol; men, cycle phase."""
    results = run_protocol("contraception_tsst").sel(arm="default")
    groups = reproductive_groups(results)

    def rise(variable: str, group: str) -> float:
        values = results[variable].where(groups[group], drop=True)
        return cohort_peak_rise(values, STRESS_ONSET)

    return {
        "salivary_users_to_cycling": rise("salivary_cortisol", "users")
        / rise("salivary_cortisol", "cycling"),
        "total_users_to_cycling": rise("plasma_cortisol", "users")
        / rise("plasma_cortisol", "cycling"),
        "salivary_men_to_users": rise("salivary_cortisol", "men")
        / rise("salivary_cortisol", "users"),
        "acth_men_to_women": rise("plasma_acth", "men") / rise("plasma_acth", "women"),
        "salivary_men_to_follicular": rise("salivary_cortisol", "men")
        / rise("salivary_cortisol", "follicular"),
        "salivary_luteal_to_men": rise("salivary_cortisol", "luteal")
        / rise("salivary_cortisol", "men"),
    }


@experiment("pregnancy_and_cortisol")
def pregnancy_and_cortisol() -> dict[str, float]:
    """Total cortisol up, free-cortisol stress response down in week 36 of pregnancy."""
    results = run_protocol("pregnancy_tsst").sel(arm="default")
    total = results.plasma_cortisol.sel(time=STRESS_ONSET)
    rise = excess(results.salivary_cortisol, STRESS_ONSET).max("time")

    def ratio(values: xr.DataArray) -> float:
        return float(values.sel(subject="pregnant") / values.sel(subject="cycling"))

    return {"total_cortisol_ratio": ratio(total), "salivary_response_ratio": ratio(rise)}


@experiment("het2009_placebo_tsst")
def het2009_placebo_tsst() -> dict[str, float]:
    """Speech and arithmetic without an evaluating panel raise cortisol little (Het 2009)."""
    saliva = run_protocol("het2009").salivary_cortisol
    placebo = saliva.sel(arm="placebo_tsst")
    peak_time = float(saliva.sel(arm="tsst").mean("subject").idxmax("time"))
    return {
        "placebo_reactivity_d": cohens_d(
            placebo.sel(time=STRESS_ONSET), placebo.sel(time=peak_time)
        ),
        "placebo_to_tsst_rise": _mean_rise(saliva, "placebo_tsst", STRESS_ONSET)
        / _mean_rise(saliva, "tsst", STRESS_ONSET),
    }


@experiment("riem2020_women_friend_and_oxytocin")
def riem2020_women_friend_and_oxytocin() -> dict[str, float]:
    """Heinrichs' design in women: no general effect of a friend, nor with oxytocin (Riem 2020)."""
    rise = _arm_rises("riem2020")
    alone = rise["placebo_alone"]
    support_effect = rise["placebo_support"] - alone
    return {
        "support_alone_reduction": -support_effect / alone,
        "oxytocin_by_support_interaction": (
            rise["oxytocin_support"] - rise["oxytocin_alone"] - support_effect
        )
        / alone,
    }


@experiment("personalised_support_by_genotype")
def personalised_support_by_genotype() -> dict[str, float]:
    """Support offered only to G carriers, and a Chen-sized replication of the G x E trial."""
    saliva = run_protocol("personalised_support").salivary_cortisol
    benefit = _peak_rise(saliva.sel(arm="alone")) - _peak_rise(saliva.sel(arm="support"))
    g_carrier = saliva.rs53576 != "AA"
    replication = run_shipped_trial("chen2011_replication")
    return {
        "personalised_share_of_benefit": float(benefit.where(g_carrier, 0.0).sum() / benefit.sum()),
        "replication_power": float(replication.power.squeeze()),
    }


#: A "physiologically significant" salivary cortisol rise (Miller R et al. Psychosom Med
#: 2013;75:832-40), the responder criterion of Engert 2014 (nmol/L).
RESPONDER_RISE = 1.5


def _responders(saliva: xr.DataArray) -> xr.DataArray:
    """1 for each subject whose cortisol rises by :data:`RESPONDER_RISE` or more after onset."""
    rise = saliva.sel(time=slice(STRESS_ONSET, None)).max("time") - saliva.sel(time=STRESS_ONSET)
    return (rise >= RESPONDER_RISE).astype(float)


@experiment("engert2014_empathic_stress_partner")
def engert2014_empathic_stress_partner() -> dict[str, float]:
    """Watching one's partner go through a stressor raises cortisol in 40 % (Engert 2014)."""
    saliva = run_protocol("engert2014").salivary_cortisol
    return {"partner_observer_responders": float(_responders(saliva.sel(arm="partner")).mean())}


@experiment("engert2014_empathic_stress_contrasts")
def engert2014_empathic_stress_contrasts() -> dict[str, float]:
    """Watching a stranger raises cortisol in 10 %; observer sex makes no difference."""
    responders = _responders(run_protocol("engert2014").salivary_cortisol)
    by_sex = responders.groupby("sex").mean(...)
    return {
        "stranger_observer_responders": float(responders.sel(arm="stranger").mean()),
        "female_to_male_observer_responders": float(
            by_sex.sel(sex="female") / by_sex.sel(sex="male")
        ),
    }
