"""Virtual experiments on addiction and oxytocin (S1.1-S1.5, S1.7)."""

from __future__ import annotations

import math
from functools import cache

import numpy as np
import xarray as xr
from scipy import stats

from oxysim.engine.simulate import simulate
from oxysim.experiments.analysis import cohens_d
from oxysim.experiments.base import experiment, protocol_text, run_protocol
from oxysim.scenario import parse_scenario

#: Pedersen 2013 pilot: lorazepam (mg) with oxytocin (n=7) and placebo (n=4), mean and SD.
PILOT_OXYTOCIN = (3.4, 4.7, 7)
PILOT_PLACEBO = (16.5, 4.4, 4)
SESSION = slice(31.0, 75.0)
BEFORE = slice(0.0, 29.0)
#: Share of regular users who become dependent (alcohol about one in seven: Anthony 1994).
DEPENDENT_SHARE = 0.15
#: Shares of the ACE study sample with no adverse childhood experience and with four or more
#: (CDC-Kaiser ACE study, 17 337 adults: 36 % and 1 in 8), mapped to environmental risk.
NO_ADVERSITY_SHARE = 0.36
HIGH_ADVERSITY_SHARE = 0.125


def _run(name: str) -> xr.Dataset:
    """Simulate a shipped protocol with between-subject variability for its listed subjects."""
    text = protocol_text(name)
    scenario = parse_scenario(text, source=f"{name}.yaml")
    return simulate(scenario, scenario_text=text, variability=True)


def _pooled_d(first: tuple[float, float, int], second: tuple[float, float, int]) -> float:
    """Cohen's d (second minus first) of two reported groups, from mean, SD and n."""
    (m1, s1, n1), (m2, s2, n2) = first, second
    pooled = math.sqrt(((n1 - 1) * s1**2 + (n2 - 1) * s2**2) / (n1 + n2 - 2))
    return (m2 - m1) / pooled


def chance_of_effect_at_least(population_d: float, observed_d: float, n1: int, n2: int) -> float:
    """Probability that a two-group study of n1 vs n2 observes d >= ``observed_d``.

    Uses the noncentral t distribution of the two-sample t statistic for a true (population)
    standardised difference ``population_d``.
    """
    scale = math.sqrt(n1 * n2 / (n1 + n2))
    dof = n1 + n2 - 2
    return float(stats.nct.sf(observed_d * scale, dof, population_d * scale))


@experiment("alcohol_withdrawal_trials")
def alcohol_withdrawal_trials() -> dict[str, float]:
    """Intranasal oxytocin in alcohol detoxification: a small population effect (Melby 2019)."""
    results = _run("addiction_alcohol_withdrawal")
    severity = results.withdrawal_severity.mean("time")
    placebo, oxytocin = severity.sel(arm="placebo"), severity.sel(arm="oxytocin")
    population_d = -cohens_d(placebo, oxytocin)
    pilot_d = _pooled_d(PILOT_OXYTOCIN, PILOT_PLACEBO)
    n_oxytocin, n_placebo = PILOT_OXYTOCIN[2], PILOT_PLACEBO[2]
    return {
        "withdrawal_d": population_d,
        "withdrawal_ratio": float(oxytocin.mean() / placebo.mean()),
        "pilot_draw_probability": chance_of_effect_at_least(
            population_d, pilot_d, n_oxytocin, n_placebo
        ),
        "nausea_per_intranasal_dose": float(results.nausea_probability.sel(arm="oxytocin").max()),
    }


def _session_rise(results: xr.Dataset, variable: str, arm: str) -> float:
    """Mean rise of ``variable`` during the session over its level before, across subjects."""
    curve = results[variable].sel(arm=arm)
    rise = curve.sel(time=SESSION).mean("time") - curve.sel(time=BEFORE).mean("time")
    return float(rise.mean())


@experiment("rodent_drug_seeking")
def rodent_drug_seeking() -> dict[str, float]:
    """Oxytocin lowers drug reward and cue- and stress-primed seeking (rodents, direction)."""
    results = _run("addiction_rodent_drug_seeking")
    out = {
        "self_administration_reinforcement": _session_rise(results, "drug_dopamine", "oxytocin")
        / _session_rise(results, "drug_dopamine", "saline")
    }
    for primer in ("cue", "stress"):
        out[f"{primer}_reinstatement"] = _session_rise(
            results, "craving", f"{primer}_oxytocin"
        ) / _session_rise(results, "craving", f"{primer}_saline")
    return out


@cache
def _vulnerable_population() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Liability (allostatic load after four weeks of drinking), genetic and environmental risk."""
    results = _run("addiction_vulnerability")
    liability = results.allostatic_load.isel(arm=0, time=-1).values
    return liability, results.genetic_vulnerability.values, results.environmental_risk.values


def _odds(share: float) -> float:
    return share / (1.0 - share)


@experiment("addiction_heritability")
def addiction_heritability() -> dict[str, float]:
    """Share of the spread of dependence liability that genetic predisposition explains."""
    liability, genetic, _ = _vulnerable_population()
    return {"heritability": float(np.corrcoef(liability, genetic)[0, 1] ** 2)}


@experiment("childhood_adversity_and_dependence")
def childhood_adversity_and_dependence() -> dict[str, float]:
    """Dependence by environmental risk: the ACE study's dose-response, at population level."""
    liability, _, environment = _vulnerable_population()
    dependent = liability >= np.quantile(liability, 1.0 - DEPENDENT_SHARE)
    unexposed = dependent[environment <= np.quantile(environment, NO_ADVERSITY_SHARE)].mean()
    exposed = dependent[environment >= np.quantile(environment, 1.0 - HIGH_ADVERSITY_SHARE)].mean()
    return {
        "high_adversity_odds_ratio": _odds(float(exposed)) / _odds(float(unexposed)),
        "attributable_fraction": 1.0 - float(unexposed) / float(dependent.mean()),
        "shared_environment_share": float(np.corrcoef(liability, environment)[0, 1] ** 2),
    }


#: The place-preference tests of the drug-memory protocol: (day, minutes into the day, length).
_CPP_TESTS = {"conditioned": 4, "extinguished": 9, "stressed": 10}
_DAY = 1440.0


def _cpp_score(results: xr.Dataset, arm: str, test: str) -> float:
    """Craving evoked by the drug-paired chamber during a 15-min test: the preference read-out."""
    start = _CPP_TESTS[test] * _DAY + 30.0
    window = results.craving.sel(arm=arm, time=slice(start, start + 15.0))
    return float(window.mean())


@experiment("drug_memory_salience")
def drug_memory_salience() -> dict[str, float]:
    """Oxytocin by phase of a drug memory: formation, expression, extinction, reinstatement."""
    results = run_protocol("drug_memory_cpp")

    def ratio(arm: str, test: str) -> float:
        return _cpp_score(results, arm, test) / _cpp_score(results, "saline", test)

    def reinstatement(arm: str) -> float:
        return _cpp_score(results, arm, "stressed") - _cpp_score(results, arm, "extinguished")

    acquisition = ratio("oxytocin_conditioning", "conditioned")
    expression = ratio("oxytocin_test", "conditioned")
    return {
        "acquisition_ratio": acquisition,
        "expression_ratio": expression,
        "expression_minus_acquisition": expression - acquisition,
        "extinction_ratio": ratio("oxytocin_extinction", "extinguished"),
        "stress_reinstatement_ratio": reinstatement("oxytocin_reinstatement")
        / reinstatement("saline"),
    }


#: The drug-free preference test of the single-pairing protocol (min).
_SINGLE_PAIRING_TEST = slice(1470.0, 1485.0)


@experiment("baracz2012_single_pairing")
def baracz2012_single_pairing() -> dict[str, float]:
    """One pairing forms a preference; oxytocin before it prevents most of it (Baracz 2012)."""
    craving = run_protocol("baracz2012").craving.sel(time=_SINGLE_PAIRING_TEST).mean("time")
    four_pairings = _cpp_score(run_protocol("drug_memory_cpp"), "saline", "conditioned")
    return {
        "single_pairing_share": float(craving.sel(arm="saline").squeeze()) / four_pairings,
        "oxytocin_ratio": float(
            craving.sel(arm="oxytocin").squeeze() / craving.sel(arm="saline").squeeze()
        ),
    }
