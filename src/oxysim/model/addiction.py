"""Addiction: drug reward, tolerance, allostasis, withdrawal, craving and relapse (S1.1-S1.5, S1.7).

Drugs of abuse raise NAc dopamine directly (Di Chiara & Imperato 1988). Intake of each substance
(standard doses per minute) enters one pooled drug level in dopamine-drive units, weighted by
the substance's potency and cleared with one pooled half-life:

``d drug_level/dt = sum_s potency_s x drug_s + habitual_intake x (1 - abstinence) - k x drug_level``

where a current dependence (covariate ``addiction_current``) brings habitual use that only the
withdrawal event (channel ``abstinence``) stops. Its potency is alcohol's: the subject's
``substance`` is not a numeric covariate.

Neuroadaptation (opponent process, Solomon & Corbit 1974; Koob & Le Moal 2001) has two speeds:

``d drug_tolerance/dt = (T_max hill(drug_level, L50) - drug_tolerance) ln2 / t_tol``   (days)
``d allostatic_load/dt = (floor + g_A v drug_tolerance / T_max - allostatic_load) ln2 / t_A``
(weeks), the shift of the reward set point. ``v`` is the vulnerability factor from genetic and
environmental risk (heritability about one half: Goldman 2005; Verhulst 2015); ``floor`` is the
residue of a past dependence. Drug dopamine ``= 1 + drug_level (1 - drug_tolerance) D_nac``;
withdrawal severity is the neuroadaptation the present drug level no longer balances,
``(drug_tolerance - T_max hill(drug_level, L50))+ / T_max x D_amy``; natural rewards lose
pleasure as ``1 / (1 + k allostatic_load)``. Craving ``c = x / (1 + x)`` with
``x = S (g_cue cue D_nac + g_stress stress_load D_amy) + g_def (allostatic_load + severity)``,
``S = v (history + allostatic_load)`` the incentive sensitisation (Robinson & Berridge 1993).
The relapse hazard (per day) is ``h craving`` while abstinent.

Oxytocin acts through bound receptors relative to rest: ``D = (1 + a h(1)) / (1 + a h(s))`` with
``h(s) = s / (s + K)``, ``s`` the OXTR signal of NAc/VTA (drug reward, cues) or amygdala
(withdrawal, stress). The human amplitudes are small (Melby 2019); rodent ones larger (Carson
2010; Sarnyai & Kovacs 1994). The damping is bounded below, so oxytocin never removes
dependence on its own: an adjunct, not a cure. Side effects of a dose (nausea, headache,
dizziness) are probabilities that rise with the plasma exposure it produces.
"""

from __future__ import annotations

from typing import get_args

from oxysim.model import ops
from oxysim.model.motifs import clamp, hill, rate_from_half_life, relative_hill
from oxysim.model.ops import Value
from oxysim.model.parameters import Grade, Parameter
from oxysim.model.submodel import Signals, SubModel, Variable
from oxysim.scenario.events import DrugSubstance

SUBSTANCES: tuple[str, ...] = get_args(DrugSubstance)
_TRIAL = "alcohol_withdrawal_trials"
_RODENT = "rodent_drug_seeking"
_MEMORY = "drug_memory_salience"
_DI_CHIARA = (
    "Di Chiara G, Imperato A. PNAS 1988;85:5274-8 (NAc dopamine in rats: amphetamine and cocaine "
    "several-fold, opiates, ethanol and nicotine about 1.5-2-fold); per standard human dose: "
    "assumption; in human PET studies stimulants raise striatal dopamine robustly, alcohol and "
    "nicotine modestly, opiates not measurably (Nutt DJ et al. Nat Rev Neurosci 2015;16:305-12)"
)
#: Drugs whose striatal dopamine release is not shown in humans: a floor may switch it off.
_DOPAMINE_UNSHOWN_IN_HUMANS = frozenset({"opioid"})
#: Dopamine rise (x basal) per standard dose on board, drug-naive.
POTENCIES: dict[str, float] = {
    "alcohol": 0.4,
    "cocaine": 1.5,
    "methamphetamine": 3.0,
    "opioid": 0.8,
    "nicotine": 0.5,
}
_SIDE_EFFECTS: dict[str, tuple[float, Grade, str]] = {
    "nausea": (
        0.2,
        "claim",
        "MISSION S1.7 names nausea; nausea with high-dose IV oxytocin in obstetrics; the size is "
        "unverified",
    ),
    "headache": (
        0.1,
        "claim",
        "MISSION S1.7 names headache; MacDonald E et al. Psychoneuroendocrinology "
        "2011;36:1114-26 (18-40 IU intranasal: adverse events not above placebo); size unverified",
    ),
    "dizziness": (
        0.3,
        "human-single",
        "Pinder AJ et al. Int J Obstet Anesth 2002;11:156-9 (10 IU IV bolus: hypotension); "
        "probability at full exposure: assumption",
    ),
}

PARAMETERS = (
    *(
        Parameter(
            f"dopamine_potency_{s}",
            POTENCIES[s],
            "1",
            f"NAc dopamine rise (x basal) per standard dose of {s} on board, drug-naive",
            "animal",
            (0.0, 20.0),
            source=_DI_CHIARA,
            neutral=0.0 if s in _DOPAMINE_UNSHOWN_IN_HUMANS else None,
        )
        for s in SUBSTANCES
    ),
    Parameter(
        "drug_elimination_half_life",
        180.0,
        "min",
        "half-life of the pooled drug level",
        "assumption",
        (10.0, 1440.0),
        source="assumption: one pooled level for all substances (cocaine about 1 h, nicotine and "
        "morphine 2-3 h, alcohol cleared over hours, methamphetamine about 10 h)",
    ),
    Parameter(
        "habitual_drug_use",
        15.0 / 1440.0,
        "1/min",
        "habitual intake of a current dependence, standard doses per minute (15 a day)",
        "assumption",
        (0.0, 0.1),
        source="assumption: inpatients in alcohol detoxification drink about 100-300 g ethanol a "
        "day (7-20 standard drinks of 12 g); spread CV 0.5",
        between_subject_cv=0.5,
    ),
    Parameter(
        "tolerance_max",
        0.8,
        "1",
        "largest fraction of the drug's dopamine effect cancelled by neuroadaptation",
        "assumption",
        (0.05, 0.99),
        source="opponent process (Solomon RL, Corbit JD. Psychol Rev 1974;81:119-45; Koob GF, Le "
        "Moal M. Neuropsychopharmacology 2001;24:97-129); the size is a guess",
    ),
    Parameter(
        "tolerance_half_level",
        0.5,
        "1",
        "drug level (dopamine-drive units) giving half the maximal tolerance",
        "assumption",
        (0.01, 10.0),
        source="assumption: habitual use of a dependence gives about two thirds of the maximum",
        between_subject_cv=0.4,
    ),
    Parameter(
        "tolerance_half_life",
        2160.0,
        "min",
        "half-life of neuroadaptation (tolerance) when the drug level changes",
        "established",
        (360.0, 10080.0),
        source="alcohol withdrawal starts 6-24 h after the last drink, peaks at 24-72 h and "
        "resolves in 5-7 days (Bayard M et al. Am Fam Physician 2004;69:1443-50)",
    ),
    Parameter(
        "withdrawal_sign_scale",
        1.0,
        "1",
        "withdrawal signs per unit of unmet neuroadaptation (individual withdrawal proneness)",
        "assumption",
        (0.05, 20.0),
        source="spread of withdrawal in detoxification: oxazepam need 56.8 +/- 72.8 and 79.0 +/- "
        "122.9 mg (Melby 2019), so a wide log-normal spread (CV 0.6; size assumed)",
        between_subject_cv=0.6,
    ),
    Parameter(
        "allostatic_gain",
        1.5,
        "1",
        "reward set-point shift at full tolerance, average vulnerability",
        "assumption",
        (0.0, 10.0),
        source="allostasis (Koob & Le Moal 2001): raised reward thresholds after escalated use "
        "(Ahmed SH, Kenny PJ, Koob GF, Markou A. Nat Neurosci 2002;5:625-6); scale: assumption",
        neutral=0.0,
    ),
    Parameter(
        "allostatic_half_life",
        20160.0,
        "min",
        "half-life of the allostatic shift (two weeks)",
        "assumption",
        (1440.0, 525600.0),
        source="assumption: protracted abstinence lasts weeks to months (Heilig M et al. Addict "
        "Biol 2010;15:169-84)",
    ),
    Parameter(
        "past_allostatic_floor",
        0.3,
        "1",
        "lasting reward set-point shift after a past dependence, average vulnerability",
        "assumption",
        (0.0, 2.0),
        source="assumption: cue-induced seeking incubates and persists after long abstinence "
        "(Grimm JW et al. Nature 2001;412:141-2, rats)",
        neutral=0.0,
    ),
    Parameter(
        "genetic_share_of_vulnerability",
        0.65,
        "1",
        "weight of genetic predisposition (vs environment) in addiction vulnerability",
        "established",
        (0.0, 1.0),
        calibrated_to="addiction_heritability",
        source="set so that genetic predisposition explains the twin and adoption heritability "
        "of alcohol use disorder, a2 = 0.49 (Verhulst B, Neale MC, Kendler KS. Psychol Med "
        "2015;45:1061-72), the rest of the between-subject spread counting as environment; "
        "addictions 0.39-0.72 (Goldman D, Oroszi G, Ducci F. Nat Rev Genet 2005;6:521-32)",
    ),
    Parameter(
        "vulnerability_gain",
        0.8,
        "1",
        "rise of the vulnerability factor from average (0.5) to maximal (1) risk",
        "assumption",
        (0.0, 0.99),
        source="assumption on size; vulnerability raises the escalation of use (Koob & Le Moal "
        "2001) and cue sensitisation (Robinson TE, Berridge KC. Brain Res Rev 1993;18:247-91)",
        neutral=0.0,
    ),
    Parameter(
        "natural_reward_blunting",
        0.5,
        "1",
        "loss of natural-reward sensitivity per unit allostatic load: 1 / (1 + k load)",
        "human-single",
        (0.0, 5.0),
        source="Luijten M et al. JAMA Psychiatry 2017;74:387-98 (meta-analysis: striatal "
        "hypoactivation to reward anticipation in addiction); the size is an assumption",
        neutral=0.0,
    ),
    Parameter(
        "drug_memory_learning_rate",
        0.007,
        "1/min",
        "rate at which a drug-context association forms per unit drug reward in the context",
        "animal",
        (0.0, 1.0),
        source="assumption on size: a conditioned place preference to methamphetamine forms "
        "after one to four pairings (Baracz SJ et al. Behav Brain Res 2012;228:185-93; Qi J et "
        "al. Neuropharmacology 2009;56:856-65)",
    ),
    Parameter(
        "extinction_learning_rate",
        0.004,
        "1/min",
        "rate of extinction learning while the drug context is met without the drug",
        "animal",
        (0.0, 1.0),
        source="assumption on size: a place preference extinguishes over days of drug-free "
        "exposure to the context, and returns with stress (reinstatement; Shaham Y et al. Brain "
        "Res Rev 2000;33:13-33)",
    ),
    Parameter(
        "oxytocin_memory_consolidation_damping",
        0.3,
        "1",
        "amplitude of the hippocampal oxytocin damping of drug-memory formation",
        "animal",
        (0.0, 20.0),
        source="oxytocin inhibits the acquisition of methamphetamine place preference (Qi 2009, "
        "mice, i.c.v.; Baracz 2012, rats); the size is an assumption; the hippocampus as the "
        "site: repeated intra-hippocampal oxytocin during abstinence inhibits context- and "
        "stress-induced reinstatement through adult neurogenesis (mice; source seen as an "
        "abstract only)",
        neutral=0.0,
        calibrated_to=_MEMORY,
        species_values={"mouse": 10.0},
    ),
    Parameter(
        "oxytocin_extinction_gain",
        0.3,
        "1",
        "amplitude of the hippocampal oxytocin speed-up of extinction learning",
        "animal",
        (0.0, 50.0),
        source="oxytocin facilitates the extinction of methamphetamine place preference (Qi 2009, "
        "mice); the size is an assumption",
        neutral=0.0,
        calibrated_to=_MEMORY,
        species_values={"mouse": 30.0},
    ),
    Parameter(
        "cue_craving_gain",
        1.0,
        "1",
        "craving drive of a drug cue per unit incentive sensitisation",
        "assumption",
        (0.0, 10.0),
        source="Carter BL, Tiffany ST. Addiction 1999;94:327-40 (meta-analysis: cues raise "
        "craving strongly in dependent people); the scale is an assumption",
    ),
    Parameter(
        "stress_craving_gain",
        0.7,
        "1",
        "craving drive of stress (stress load 1 = TSST) per unit incentive sensitisation",
        "assumption",
        (0.0, 10.0),
        source="Sinha R et al. Psychopharmacology 2000;152:140-8 (stress imagery induces craving "
        "in cocaine dependence); Shaham Y et al. Brain Res Rev 2000;33:13-33 (stress-induced "
        "reinstatement, rats); the scale is an assumption",
    ),
    Parameter(
        "deficit_craving_gain",
        1.0,
        "1",
        "craving drive per unit of allostatic load plus withdrawal severity",
        "assumption",
        (0.0, 10.0),
        source="negative reinforcement: relief craving from the reward deficit (Koob & Le Moal "
        "2001); the scale is an assumption",
        neutral=0.0,
    ),
    Parameter(
        "relapse_hazard_per_craving",
        0.008,
        "1/d",
        "relapse hazard per day at craving 1 while abstinent",
        "established",
        (0.0, 1.0),
        source="40-60 % of treated patients relapse within a year (McLellan AT et al. JAMA "
        "2000;284:1689-95): about 50 % a year at the resting craving of a past dependence",
    ),
    Parameter(
        "withdrawal_crh_gain",
        0.5,
        "1",
        "extra CRH drive (x daily mean) at withdrawal severity 1",
        "assumption",
        (0.0, 5.0),
        source="CRF activation in withdrawal (Koob & Le Moal 2001); raised cortisol in alcohol "
        "withdrawal (Adinoff B et al. Alcohol Health Res World 1998;22:67-72); size: assumption",
    ),
    Parameter(
        "protracted_anxiety_gain",
        0.3,
        "1",
        "anxiety per unit allostatic load, beside acute withdrawal",
        "assumption",
        (0.0, 5.0),
        source="negative affect of protracted abstinence (Heilig 2010); size: assumption",
        neutral=0.0,
    ),
    Parameter(
        "oxytocin_addiction_half_signal",
        2.0,
        "1",
        "OXTR signal (x resting reference) at half the maximal anti-addictive effect",
        "assumption",
        (0.1, 50.0),
        source="assumption, as the VTA oxytocin gate of the reward sub-model",
    ),
    Parameter(
        "oxytocin_drug_reward_damping",
        0.3,
        "1",
        "amplitude of the NAc/VTA oxytocin damping of drug dopamine and cue craving",
        "contested",
        (0.0, 20.0),
        source="rodents (species value): oxytocin lowers methamphetamine self-administration "
        "(Carson DS et al. Psychopharmacology 2010) and tolerance to opioids and cocaine "
        "(Sarnyai Z, Kovacs GL. Psychoneuroendocrinology 1994;19:85-117); in humans small and "
        "inconsistent (Lee MR, Weerts EM. Am J Drug Alcohol Abuse 2016;42:502-13)",
        calibrated_to=_RODENT,
        species_values={"mouse": 10.0},
        neutral=0.0,
    ),
    Parameter(
        "oxytocin_withdrawal_damping",
        3.0,
        "1",
        "amplitude of the amygdala oxytocin damping of withdrawal and stress craving",
        "contested",
        (0.0, 20.0),
        source="human: Melby K et al. Drug Alcohol Depend 2019;197:95-101 (n=40, no clear effect; "
        "the n=11 pilot of Pedersen 2013 not used); rodent species value: Carson 2010, Sarnyai & "
        "Kovacs 1994",
        calibrated_to=_TRIAL,
        species_values={"mouse": 10.0},
        neutral=0.0,
    ),
    *(
        Parameter(
            f"{effect}_probability_max",
            value,
            "1",
            f"probability of {effect} from an oxytocin dose at saturating plasma exposure",
            grade,
            (0.0, 1.0),
            source=source,
            neutral=0.0,
        )
        for effect, (value, grade, source) in _SIDE_EFFECTS.items()
    ),
    Parameter(
        "side_effect_half_plasma",
        500.0,
        "pg/mL",
        "peak plasma oxytocin giving half the maximal side-effect probability",
        "assumption",
        (10.0, 100000.0),
        source="assumption: a 5-10 IU IV bolus (peak about 1000-2000 pg/mL) often gives "
        "hypotension and nausea (Pinder 2002), 24 IU intranasal (about 50 pg/mL) rarely",
    ),
)


def _static(v: Signals, p: Signals) -> dict[str, Value]:
    """Vulnerability, habitual intake and the lasting set-point shift from the covariates."""
    share = p.genetic_share_of_vulnerability
    risk = share * v.genetic_vulnerability + (1.0 - share) * v.environmental_risk
    factor = 1.0 + p.vulnerability_gain * (2.0 * risk - 1.0)
    return {
        "addiction_vulnerability": ops.as_float(factor),
        "habitual_drug_drive": v.addiction_current
        * p.habitual_drug_use
        * p.dopamine_potency_alcohol,
        "allostatic_floor": v.addiction_past * p.past_allostatic_floor * factor,
    }


def _intake(v: Signals, p: Signals) -> Value:
    """Drug intake in dopamine-drive units per minute, habitual use included until abstinence."""
    taken = sum(p[f"dopamine_potency_{s}"] * v[f"drug_{s}"] for s in SUBSTANCES)
    return taken + v.habitual_drug_drive * (1.0 - clamp(v.abstinence, 0.0, 1.0))


def _tolerance_target(level: Value, p: Signals) -> Value:
    return p.tolerance_max * hill(level, p.tolerance_half_level)


def _oxytocin_damping(signal: Value, amplitude: Value, p: Signals) -> Value:
    """Factor on a drug effect: 1 at the resting OXTR signal, lower when oxytocin is raised."""
    return 1.0 / relative_hill(signal, 1.0, p.oxytocin_addiction_half_signal, amplitude)


def _nac_damping(v: Signals, p: Signals) -> Value:
    """Oxytocin's NAc/VTA damping of drug reward and cue craving (1 at rest)."""
    return _oxytocin_damping(v.oxtr_signal_nac_vta, p.oxytocin_drug_reward_damping, p)


def _drug_reward(v: Signals, nac: Value) -> Value:
    """NAc dopamine the drug on board adds, net of tolerance and of oxytocin's damping ``nac``."""
    return v.drug_level * (1.0 - v.drug_tolerance) * nac


def _memory_rates(v: Signals, p: Signals) -> dict[str, Value]:
    """Drug-context learning while drug and context meet; extinction while the context is drug-free.

    Hippocampal oxytocin lowers consolidation and speeds extinction. Extinction is new learning
    that masks the association for the context (cue) but not for stress, which reinstates it.
    """
    hippocampus = v.oxtr_signal_hippocampus
    consolidation = _oxytocin_damping(hippocampus, p.oxytocin_memory_consolidation_damping, p)
    speed_up = relative_hill(
        hippocampus, 1.0, p.oxytocin_addiction_half_signal, p.oxytocin_extinction_gain
    )
    reward = _drug_reward(v, _nac_damping(v, p))
    context = clamp(v.drug_cue, 0.0, 1.0)
    return {
        "drug_memory": p.drug_memory_learning_rate
        * consolidation
        * context
        * reward
        * (1.0 - v.drug_memory),
        "extinction_memory": p.extinction_learning_rate
        * speed_up
        * context
        * (1.0 - v.extinction_memory)
        / (1.0 + reward),
    }


def _outputs(v: Signals, p: Signals) -> dict[str, Value]:
    nac = _nac_damping(v, p)
    amygdala = _oxytocin_damping(v.oxtr_signal_amygdala, p.oxytocin_withdrawal_damping, p)
    load = v.allostatic_load
    unbalanced = v.drug_tolerance - _tolerance_target(v.drug_level, p)
    unmet = ops.maximum(unbalanced, 0.0) / p.tolerance_max
    severity = p.withdrawal_sign_scale * unmet * amygdala
    history = clamp(v.addiction_current + v.addiction_past, 0.0, 1.0)
    cued_memory = ops.maximum(history, v.drug_memory * (1.0 - v.extinction_memory))
    stressed_memory = ops.maximum(history, v.drug_memory)
    cue = p.cue_craving_gain * v.drug_cue * nac * (cued_memory + load)
    stress = p.stress_craving_gain * v.stress_load * amygdala * (stressed_memory + load)
    drive = v.addiction_vulnerability * (cue + stress) + p.deficit_craving_gain * (load + severity)
    craving = drive / (1.0 + drive)
    abstinent = ops.maximum(clamp(v.abstinence, 0.0, 1.0), v.addiction_past)
    sensitivity = 1.0 / (1.0 + p.natural_reward_blunting * load)
    exposure = hill(v.plasma_oxytocin, p.side_effect_half_plasma, 2.0)
    return {
        "drug_dopamine": 1.0 + _drug_reward(v, nac),
        "drug_memory_salience": cued_memory,
        "natural_reward_sensitivity": sensitivity,
        "natural_reward_pleasure": sensitivity * ops.maximum(v.nac_dopamine - 1.0, 0.0),
        "withdrawal_severity": severity,
        "withdrawal_anxiety": severity + p.protracted_anxiety_gain * load,
        "withdrawal_irritability": severity,
        "withdrawal_restlessness": severity,
        "withdrawal_crh_drive": p.withdrawal_crh_gain * severity,
        "craving": craving,
        "relapse_hazard": p.relapse_hazard_per_craving * craving * abstinent,
        **{
            f"{effect}_probability": p[f"{effect}_probability_max"] * exposure
            for effect in _SIDE_EFFECTS
        },
    }


def _allostatic_target(v: Signals, p: Signals, tolerance: Value) -> Value:
    drug_driven = p.allostatic_gain * v.addiction_vulnerability * tolerance / p.tolerance_max
    return v.allostatic_floor + drug_driven


def _rates(v: Signals, p: Signals) -> dict[str, Value]:
    level = v.drug_level
    k_tolerance = rate_from_half_life(p.tolerance_half_life)
    k_allostasis = rate_from_half_life(p.allostatic_half_life)
    return {
        "drug_level": _intake(v, p) - rate_from_half_life(p.drug_elimination_half_life) * level,
        "drug_tolerance": k_tolerance * (_tolerance_target(level, p) - v.drug_tolerance),
        "allostatic_load": k_allostasis
        * (_allostatic_target(v, p, v.drug_tolerance) - v.allostatic_load),
        **_memory_rates(v, p),
    }


def _resting(v: Signals, p: Signals) -> dict[str, Value]:
    """Steady state for constant inputs: habitual use of a current dependence, else no drug."""
    level = _intake(v, p) / rate_from_half_life(p.drug_elimination_half_life)
    tolerance = _tolerance_target(level, p)
    return {
        "drug_level": level,
        "drug_tolerance": tolerance,
        "allostatic_load": _allostatic_target(v, p, tolerance),
        "drug_memory": clamp(v.addiction_current + v.addiction_past, 0.0, 1.0),
        "extinction_memory": ops.zeros_like(level),
    }


_UNITLESS = "1"
ADDICTION = SubModel(
    name="addiction",
    description=__doc__.split("\n")[0],
    s_ids=("S1.1", "S1.2", "S1.3", "S1.4", "S1.5", "S1.7"),
    states=(
        Variable("drug_level", _UNITLESS, "pooled drug on board, dopamine-drive units"),
        Variable("drug_tolerance", _UNITLESS, "fraction of drug effect cancelled (0-1)"),
        Variable("allostatic_load", _UNITLESS, "shift of the reward set point (0 = none)"),
        Variable("drug_memory", _UNITLESS, "drug-context association (0 = none, 1 = full)"),
        Variable("extinction_memory", _UNITLESS, "extinction learned over the association (0-1)"),
    ),
    statics=(
        Variable("addiction_vulnerability", _UNITLESS, "vulnerability factor, 1 = average"),
        Variable("habitual_drug_drive", "1/min", "habitual intake of a current dependence"),
        Variable("allostatic_floor", _UNITLESS, "lasting set-point shift of a past dependence"),
    ),
    outputs=(
        Variable("drug_dopamine", _UNITLESS, "NAc dopamine from drugs, x basal (1 = none)"),
        Variable("natural_reward_sensitivity", _UNITLESS, "pleasure per natural reward, 1 = norm"),
        Variable("natural_reward_pleasure", _UNITLESS, "pleasure from natural reward dopamine"),
        Variable("withdrawal_severity", _UNITLESS, "acute withdrawal, 1 = full tolerance unmet"),
        Variable("withdrawal_anxiety", _UNITLESS, "withdrawal and protracted anxiety"),
        Variable("withdrawal_irritability", _UNITLESS, "withdrawal irritability"),
        Variable("withdrawal_restlessness", _UNITLESS, "withdrawal restlessness"),
        Variable(
            "withdrawal_crh_drive", _UNITLESS, "extra CRH drive of withdrawal, read by the HPA axis"
        ),
        Variable(
            "drug_memory_salience", _UNITLESS, "drug memory a context evokes (after extinction)"
        ),
        Variable("craving", _UNITLESS, "craving, 0-1"),
        Variable("relapse_hazard", "1/d", "relapse hazard while abstinent"),
        *(
            Variable(f"{e}_probability", _UNITLESS, f"probability of {e} per oxytocin dose")
            for e in _SIDE_EFFECTS
        ),
    ),
    inputs=(
        *(Variable(f"drug_{s}", "1/min", f"{s}, standard doses per minute") for s in SUBSTANCES),
        Variable("drug_cue", _UNITLESS, "a drug cue present"),
        Variable("abstinence", _UNITLESS, "1 after the start of abstinence"),
        Variable("stress_load", _UNITLESS, "acute stress (TSST = 1)"),
        Variable("nac_dopamine", _UNITLESS, "NAc dopamine from natural and social reward"),
        Variable("oxtr_signal_nac_vta", _UNITLESS, "bound NAc/VTA OXTR, x reference"),
        Variable("oxtr_signal_amygdala", _UNITLESS, "bound amygdala OXTR, x reference"),
        Variable("oxtr_signal_hippocampus", _UNITLESS, "bound hippocampal OXTR, x reference"),
        Variable("plasma_oxytocin", "pg/mL", "plasma oxytocin"),
        Variable("addiction_current", _UNITLESS, "current dependence"),
        Variable("addiction_past", _UNITLESS, "past dependence"),
        Variable("genetic_vulnerability", _UNITLESS, "genetic predisposition, 0-1"),
        Variable("environmental_risk", _UNITLESS, "environmental risk, 0-1"),
    ),
    parameters=PARAMETERS,
    outputs_fn=_outputs,
    rates_fn=_rates,
    static_fn=_static,
    resting_state_fn=_resting,
)
