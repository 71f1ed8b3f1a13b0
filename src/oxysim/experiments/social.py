"""Virtual experiments on social cognition (S4.1-S4.5, S2.8).

Intranasal oxytocin (24 IU) or placebo is given 45 min before testing, and behaviour is read from
the model's outputs at the test time. Effects are population effects of the whole cohort;
``kosfeld2005_trust`` also draws many small trials from the cohort to show how often a study of
the original's size finds a difference as large as the published one.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from oxysim.experiments.analysis import cohens_d
from oxysim.experiments.base import experiment, run_protocol
from oxysim.trial.statistics import two_sample_power

#: Test times (min after the dose): trust game with the trustee present, then the risk game.
TRUST_TEST = 47.0
RISK_TEST = 55.0
GROUP_TEST = 50.0
RECALL_TEST = 45.0
#: The beginning smile is shown from 45 to 55 min; the full smile from 70 to 75 min.
LOOP_END = 54.0
FULL_SMILE = 74.0

#: Kosfeld 2005 design: 29 investors per arm; transfers of 0, 4, 8 or 12 MU out of 12.
ARM_SIZE = 29
TRANSFER_LEVELS = 3
ORIGINAL_DIFFERENCE = 0.24
#: Trial-to-trial noise of one decision (fraction of the endowment). Assumption: it puts the
#: reliability of a single transfer at about 0.7 for the cohort's spread of transfers.
DECISION_NOISE_SD = 0.15
SMALL_TRIALS = 20000
TRIAL_SEED = 2005


def observed_transfer(latent: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One noisy decision per latent transfer, rounded to the allowed levels (0, 1/3, 2/3, 1)."""
    noisy = np.clip(latent + rng.normal(0.0, DECISION_NOISE_SD, latent.shape), 0.0, 1.0)
    return np.round(noisy * TRANSFER_LEVELS) / TRANSFER_LEVELS


def maximal_share(transfers: np.ndarray) -> np.ndarray:
    """Share of investors transferring the whole endowment, over the last axis."""
    return np.mean(transfers >= 1.0, axis=-1)


def small_trial_shares(oxytocin: np.ndarray, placebo: np.ndarray) -> np.ndarray:
    """Difference of maximal-truster shares (oxytocin - placebo) in many 29-vs-29 trials.

    Each trial draws its investors from the cohort (between-subject variability) and adds one
    noisy, discretised decision per investor (measurement noise).
    """
    rng = np.random.default_rng(TRIAL_SEED)
    picks = rng.integers(0, oxytocin.size, size=(2, SMALL_TRIALS, ARM_SIZE))
    treated = observed_transfer(oxytocin[picks[0]], rng)
    control = observed_transfer(placebo[picks[1]], rng)
    return maximal_share(treated) - maximal_share(control)


def _oxytocin_vs_placebo(values: xr.DataArray) -> tuple[xr.DataArray, xr.DataArray]:
    return values.sel(arm="oxytocin"), values.sel(arm="placebo")


@experiment("kosfeld2005_trust")
def kosfeld2005_trust() -> dict[str, float]:
    """Trust and risk games after intranasal oxytocin (Kosfeld 2005; replications)."""
    transfer = run_protocol("social_kosfeld2005").investment_fraction
    trust_ox, trust_pl = _oxytocin_vs_placebo(transfer.sel(time=TRUST_TEST))
    risk_ox, risk_pl = _oxytocin_vs_placebo(transfer.sel(time=RISK_TEST))
    population = observed_transfer(
        np.stack([trust_ox.values, trust_pl.values]), np.random.default_rng(TRIAL_SEED + 1)
    )
    shares = maximal_share(population)
    differences = small_trial_shares(trust_ox.values, trust_pl.values)
    return {
        "population_trust_d": cohens_d(trust_pl, trust_ox),
        "risk_game_d": cohens_d(risk_pl, risk_ox),
        "placebo_share_maximal": float(shares[1]),
        "population_share_difference": float(shares[0] - shares[1]),
        "probability_original_difference": float(np.mean(differences >= ORIGINAL_DIFFERENCE)),
    }


@experiment("bartz2010_attachment_anxiety")
def bartz2010_attachment_anxiety() -> dict[str, float]:
    """Oxytocin - placebo recalled maternal care against attachment anxiety (Bartz 2010)."""
    appraisal = run_protocol("social_bartz2010").social_appraisal_bias.sel(time=RECALL_TEST)
    treated, control = _oxytocin_vs_placebo(appraisal)
    anxiety = appraisal.attachment_anxiety.values
    slope, intercept = np.polyfit(anxiety, (treated - control).values, 1)
    crossing = -intercept / slope
    return {
        "effect_slope": float(slope),
        "zero_crossing_sd_from_mean": float((crossing - anxiety.mean()) / anxiety.std(ddof=1)),
    }


@experiment("dedreu2010_parochial_altruism")
def dedreu2010_parochial_altruism() -> dict[str, float]:
    """In-group cooperation and out-group aggression after oxytocin (De Dreu 2010, 2011)."""
    results = run_protocol("social_dedreu2010").sel(time=GROUP_TEST).mean("subject")
    ratio = {
        name: float(results[name].sel(arm="oxytocin") / results[name].sel(arm="placebo"))
        for name in ("ingroup_cooperation", "defensive_aggression", "offensive_aggression")
    }
    return {
        "ingroup_cooperation_ratio": ratio["ingroup_cooperation"],
        "defensive_aggression_ratio": ratio["defensive_aggression"],
        "offensive_aggression_ratio": ratio["offensive_aggression"],
        "favouritism_to_derogation": (ratio["ingroup_cooperation"] - 1.0)
        / (ratio["defensive_aggression"] - 1.0),
    }


@experiment("rs53576_meta_analyses")
def rs53576_meta_analyses() -> dict[str, float]:
    """GG vs A carriers: sociality, face recognition and close ties at rest (meta-analyses)."""
    results = run_protocol("social_rs53576").sel(arm="default").isel(time=-1)
    gg = results.rs53576 == "GG"

    def genotype_d(name: str) -> float:
        values = results[name]
        return cohens_d(values.where(~gg, drop=True), values.where(gg, drop=True))

    return {
        "sociality_d": genotype_d("affiliative_motivation"),
        "face_recognition_d": genotype_d("face_recognition_accuracy"),
        "close_relationships_d": genotype_d("close_circle_closeness"),
    }


@experiment("social_expression_feedback_loop")
def social_expression_feedback_loop() -> dict[str, float]:
    """A beginning smile answered by a secure and by an anxious man, oxytocin vs placebo (S4.4)."""
    results = run_protocol("social_expression_loop")
    partner = results.partner_expression.sel(time=LOOP_END)
    change = partner.sel(arm="oxytocin") - partner.sel(arm="placebo")
    full_smile = results.perceived_valence.sel(time=FULL_SMILE, arm="oxytocin")
    return {
        "secure_oxytocin_partner_expression": float(partner.sel(arm="oxytocin", subject="secure")),
        "anxious_oxytocin_partner_expression": float(
            partner.sel(arm="oxytocin", subject="anxious")
        ),
        "oxytocin_change_secure": float(change.sel(subject="secure")),
        "oxytocin_change_anxious": float(change.sel(subject="anxious")),
        "anxious_reading_of_full_smile": float(full_smile.sel(subject="anxious")),
    }


def _closeness_gain(closeness: xr.DataArray, start: float, end: float) -> xr.DataArray:
    """Cohort-mean closeness gained over a contact, per arm."""
    return (closeness.sel(time=end) - closeness.sel(time=start)).mean("subject")


@experiment("aguilar_raab2019_closeness")
def aguilar_raab2019_closeness() -> dict[str, float]:
    """Oxytocin adds to the closeness the partner brings, not to the community's."""
    results = run_protocol("closeness_circles")
    close = _closeness_gain(results.close_circle_closeness, 45.0, 65.0)
    community = _closeness_gain(results.community_closeness, 70.0, 90.0)
    return {
        "close_circle_oxytocin_effect": float(close.sel(arm="oxytocin") / close.sel(arm="placebo"))
        - 1.0,
        "community_oxytocin_effect": float(
            community.sel(arm="oxytocin") / community.sel(arm="placebo")
        )
        - 1.0,
    }


#: When the face and trust tasks of the sniff-of-trust protocol are read (min after the dose).
SNIFF_TASK_TIME = 47.0


def _oxytocin_d(variable: str, context: str) -> float:
    """Cohen's d of ``variable`` at the task, oxytocin minus placebo, in one context."""
    task = run_protocol("sniff_of_trust")[variable].sel(time=SNIFF_TASK_TIME)
    return cohens_d(task.sel(arm=f"placebo_{context}"), task.sel(arm=f"oxytocin_{context}"))


@experiment("sniff_of_trust_meta")
def sniff_of_trust_meta() -> dict[str, float]:
    """Face recognition and trust to the own and another group (van IJzendoorn 2012)."""
    return {
        "face_recognition_d": _oxytocin_d("face_recognition_accuracy", "ingroup"),
        "ingroup_trust_d": _oxytocin_d("investment_fraction", "ingroup"),
        "outgroup_trust_d": _oxytocin_d("investment_fraction", "outgroup"),
    }


@experiment("envy_and_gloating")
def envy_and_gloating() -> dict[str, float]:
    """Oxytocin raises envy and gloating in a game of chance (Shamay-Tsoory 2009)."""
    task = run_protocol("sniff_of_trust").envy_schadenfreude.sel(time=SNIFF_TASK_TIME)
    ratio = task.sel(arm="oxytocin_ingroup").mean() / task.sel(arm="placebo_ingroup").mean()
    return {"envy_ratio": float(ratio)}


#: Walum 2016: the typical intranasal-oxytocin study has about 49 subjects in two groups.
TYPICAL_GROUPS = (25, 24)


@experiment("oxytocin_study_power")
def oxytocin_study_power() -> dict[str, float]:
    """Power of a typical 49-subject study for the effects the model predicts (Walum 2016)."""
    effects = sniff_of_trust_meta()
    return {
        f"power_{outcome}": two_sample_power(effects[f"{outcome}_d"], *TYPICAL_GROUPS, 0.05)
        for outcome in ("face_recognition", "ingroup_trust")
    }
