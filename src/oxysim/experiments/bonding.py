"""Virtual experiments on pair bonding (S3.1-S3.4)."""

from __future__ import annotations

import xarray as xr

from oxysim.experiments.analysis import cohens_d, excess, subject_ratio
from oxysim.experiments.base import experiment, run_protocol

SIX_HOURS = 370.0
DAY = 1450.0
PREFERENCE = "partner_preference_ratio"
SCHEELE_TEST = slice(50.0, 55.0)
CONFLICT_START = 50.0
CONFLICT = slice(51.0, 60.0)
AFTER_CONFLICT = slice(70.0, 100.0)


def _arm_difference(values: xr.DataArray) -> xr.DataArray:
    """Oxytocin minus placebo, per subject (the same virtual people in both arms)."""
    return values.sel(arm="oxytocin") - values.sel(arm="placebo")


def _effect_size(values: xr.DataArray) -> float:
    """Cohen's d of oxytocin against placebo."""
    return cohens_d(values.sel(arm="placebo"), values.sel(arm="oxytocin"))


@experiment("prairie_vole_bond")
def prairie_vole_bond() -> dict[str, float]:
    """Partner preference of female voles after cohabitation, mating, oxytocin or antagonist."""
    cohabitation = run_protocol("bonding_vole_cohabitation").sel(arm="default")
    six_hours = run_protocol("bonding_vole_6h").sel(time=SIX_HOURS)
    prairie = six_hours[PREFERENCE].sel(subject="prairie")
    species_density = cohabitation["param_accumbens_oxtr_species_density"]
    return {
        "preference_24h_cohabitation": float(
            cohabitation[PREFERENCE].sel(subject="prairie", time=DAY)
        ),
        "preference_6h_cohabitation": float(
            cohabitation[PREFERENCE].sel(subject="prairie", time=SIX_HOURS)
        ),
        "preference_6h_mating": float(prairie.sel(arm="mating")),
        "preference_6h_central_oxytocin": float(prairie.sel(arm="oxytocin")),
        "preference_antagonist_with_mating": float(prairie.sel(arm="antagonist_mating")),
        "accumbens_oxtr_prairie_to_montane": subject_ratio(species_density, "prairie", "montane"),
        "montane_preference_6h_mating": float(
            six_hours[PREFERENCE].sel(subject="montane", arm="mating")
        ),
        "extra_pair_mating_share_bonded": float(
            cohabitation.extra_pair_mating_share.sel(subject="prairie", time=DAY)
        ),
    }


@experiment("scheele2012_approach_distance")
def scheele2012_approach_distance() -> dict[str, float]:
    """Stop distance after intranasal oxytocin, partnered vs single men (Scheele 2012)."""
    r = run_protocol("bonding_scheele2012").sel(time=SCHEELE_TEST).mean("time")
    to_woman = _arm_difference(r.stop_distance_potential_mate).groupby("relationship").mean()
    partnered = r.relationship == "partnered"
    to_man = _arm_difference(r.stop_distance_stranger).where(partnered, drop=True)
    return {
        "distance_change_partnered": float(to_woman.sel(relationship="partnered")),
        "distance_change_single": float(to_woman.sel(relationship="single")),
        "distance_change_male_experimenter": float(to_man.mean()),
    }


@experiment("ditzen2009_couple_conflict")
def ditzen2009_couple_conflict() -> dict[str, float]:
    """Couple conflict after 40 IU intranasal oxytocin or placebo (Ditzen 2009)."""
    r = run_protocol("bonding_ditzen2009")
    behaviour = r.positive_negative_behaviour_ratio.sel(time=CONFLICT).mean("time")
    cortisol = excess(r.salivary_cortisol, CONFLICT_START).sel(time=AFTER_CONFLICT).mean("time")
    return {
        "behaviour_ratio_d": _effect_size(behaviour),
        "cortisol_after_conflict_d": _effect_size(cortisol),
    }


#: Plasma samples of the Smith protocol: before and at the end of the 10-min discussion (min).
SMITH_BEFORE, SMITH_END = 9.0, 20.0


@experiment("smith2013_couple_interaction")
def smith2013_couple_interaction() -> dict[str, float]:
    """A couple's discussion leaves plasma oxytocin about where it was (Smith 2013)."""
    plasma = run_protocol("smith2013").plasma_oxytocin.sel(arm="default")
    return {"discussion_d": cohens_d(plasma.sel(time=SMITH_BEFORE), plasma.sel(time=SMITH_END))}
