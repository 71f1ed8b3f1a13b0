"""The HPA stress axis with oxytocin as its brake (S1.4, S2.6, S2.9).

CRH (hypothalamus) drives ACTH (pituitary), which drives cortisol (adrenal cortex); cortisol feeds
back on CRH and ACTH through glucocorticoid receptors. A circadian drive gives the morning peak and
the midnight nadir. Acute psychosocial stress adds to the CRH drive; bound oxytocin receptors in
the hypothalamus and amygdala damp that stress-evoked drive (not the basal one), which is how
social support and intranasal oxytocin buffer the cortisol response, with an efficacy that
depends on OXTR expression and so on rs53576 genotype. Chronic stress raises the tonic drive, and
the slow running mean of cortisol lowers OXTR expression in the receptor sub-model: the vicious
cycle of S2.6. Drug withdrawal adds CRH drive (addiction sub-model) and better sleep lowers the
tonic drive (endocrine sub-model, growth-hormone peptides).
Salivary cortisol follows free cortisol. Cortisol-binding globulin (CBG) holds most plasma
cortisol, and only the free part is cleared, signals feedback and reaches saliva; estrogens raise
hepatic CBG: ethinylestradiol in combined oral contraceptives about doubles it, and so does the
estradiol of late pregnancy. So with CBG ``b`` times the usual, total
cortisol is cleared ``b`` times more slowly and free cortisol is ``total / b``: at rest free
cortisol is unchanged and total ``b``-fold, while a stress burst of secretion raises free
(salivary) cortisol less and total cortisol as much as usual.

Sources: Gupta S et al. Theor Biol Med Model 2007;4:8 (minimal HPA model); Heinrichs M et al.
Biol Psychiatry 2003;54:1389-98 (support and oxytocin buffer the TSST response); Windle RJ et
al. J Neurosci 2004;24:2974-82 (oxytocin attenuates stress-induced HPA activity); Chen FS et al.
PNAS 2011;108:19937-42; Kirschbaum C et al. Psychosom Med 1999;61:154-62 (sex differences);
Wiegratz I et al. Contraception 2003;67:25-32 (CBG under oral contraceptives).
"""

from __future__ import annotations

from oxysim.model import ops
from oxysim.model.motifs import MINUTES_PER_DAY, hill, rate_from_half_life, relax
from oxysim.model.ops import Value
from oxysim.model.parameters import Parameter
from oxysim.model.submodel import Signals, SubModel, Variable

_TSST = "tsst_cortisol"
_TIMES = "hpa_time_constants"
_CHEN = "chen2011_support_by_genotype"

PARAMETERS = (
    Parameter(
        "crh_time_constant",
        2.0,
        "min",
        "time constant of hypothalamic CRH output",
        "assumption",
        (1.5, 30.0),
        source="assumption: CRH half-life in portal blood is minutes (Gupta 2007)",
    ),
    Parameter(
        "acth_half_life",
        7.0,
        "min",
        "plasma half-life of ACTH",
        "established",
        (5.0, 20.0),
        source="textbook about 10 min, 5-20 min reported; 7 min places the salivary peak "
        "20-40 min after stress onset (tsst_cortisol)",
        calibrated_to=_TIMES,
    ),
    Parameter(
        "cortisol_half_life",
        60.0,
        "min",
        "plasma half-life of cortisol",
        "established",
        (45.0, 120.0),
        source="textbook: 60-90 min (hpa_time_constants)",
        calibrated_to=_TIMES,
    ),
    Parameter(
        "basal_acth",
        18.0,
        "pg/mL",
        "daily-mean plasma ACTH",
        "established",
        (5.0, 60.0),
        source="adult reference range about 10-50 pg/mL",
        between_subject_cv=0.2,
    ),
    Parameter(
        "basal_cortisol",
        230.0,
        "nmol/L",
        "daily-mean plasma total cortisol",
        "established",
        (50.0, 600.0),
        source="24-h mean of healthy adults about 200-250 nmol/L",
        between_subject_cv=0.5,
        calibrated_to=_TSST,
    ),
    Parameter(
        "circadian_amplitude",
        0.75,
        "1",
        "relative amplitude of the circadian CRH drive",
        "established",
        (0.0, 0.99),
        calibrated_to=_TIMES,
        source="fitted to a several-fold morning-peak / midnight-nadir cortisol ratio",
    ),
    Parameter(
        "circadian_peak_time",
        390.0,
        "min",
        "clock time of the circadian CRH drive maximum (minutes after midnight)",
        "established",
        (0.0, 1440.0),
        calibrated_to=_TIMES,
        source="placed so plasma cortisol peaks 06:00-09:00",
    ),
    Parameter(
        "glucocorticoid_feedback_strength",
        0.3,
        "1",
        "strength f of glucocorticoid feedback: CRH drive x (1+f)/(1+f*cortisol/mean)",
        "established",
        (0.05, 10.0),
        source="negative feedback via glucocorticoid receptors (Gupta 2007); strength assumed",
    ),
    Parameter(
        "stress_crh_gain",
        12.0,
        "1",
        "rise of CRH drive per unit stress load (x basal drive)",
        "established",
        (0.0, 60.0),
        calibrated_to=_TSST,
        between_subject_cv=0.9,
        source="CV: spread of TSST responses (Gu 2022 meta-analysis; assumption on the shape)",
    ),
    Parameter(
        "female_stress_gain",
        0.65,
        "1",
        "stress-evoked CRH drive of women relative to men",
        "human-single",
        (0.2, 1.5),
        calibrated_to=_TSST,
        source="Kirschbaum 1999: salivary free-cortisol responses of women lower than men's",
        neutral=1.0,
    ),
    Parameter(
        "oxytocin_stress_brake_max",
        0.85,
        "1",
        "largest fraction of stress-evoked CRH drive that bound OXTR can remove",
        "human-single",
        (0.0, 1.0),
        calibrated_to=_CHEN,
        source="Heinrichs 2003: support plus oxytocin gave the lowest cortisol response",
        neutral=0.0,
    ),
    Parameter(
        "oxytocin_stress_brake_half_signal",
        1.8,
        "1",
        "hypothalamic+amygdala OXTR signal (x resting reference) giving half the maximal brake",
        "human-single",
        (0.1, 50.0),
        calibrated_to=_CHEN,
        source="fitted to support buffering in G carriers (Chen 2011)",
    ),
    Parameter(
        "oxytocin_stress_brake_hill",
        3.0,
        "1",
        "steepness of the oxytocin brake",
        "assumption",
        (1.0, 6.0),
        calibrated_to=_CHEN,
        source="threshold-like brake so AA carriers (lower OXTR) are not buffered (Chen 2011)",
    ),
    Parameter(
        "chronic_stress_crh_gain",
        0.8,
        "1",
        "rise of tonic CRH drive at chronic_stress = 1",
        "human-single",
        (0.0, 5.0),
        source="chronic stress raises daily cortisol output (Miller GE, Chen E, Zhou ES. Psychol "
        "Bull 2007;133:25-45: meta-analysis, heterogeneous)",
        neutral=0.0,
    ),
    Parameter(
        "chronic_cortisol_time_constant",
        4320.0,
        "min",
        "averaging time of cortisol exposure that regulates OXTR",
        "assumption",
        (1440.0, 43200.0),
        source="assumption: days of exposure (chronic rather than acute cortisol, S2.5)",
    ),
    Parameter(
        "contraceptive_cbg_ratio",
        2.0,
        "1",
        "serum CBG of women taking a combined oral contraceptive relative to non-users",
        "established",
        (1.0, 4.0),
        source="ethinylestradiol 20-35 ug raises CBG about 1.5- to 2.5-fold (Wiegratz 2003); total "
        "serum cortisol about doubles",
    ),
    Parameter(
        "estradiol_cbg_gain",
        8.3e-5,
        "mL/pg",
        "rise of serum CBG (x usual) per pg/mL of serum estradiol",
        "human-single",
        (0.0, 5e-4),
        source="CBG about doubles by term, when estradiol is about 12 ng/mL (Demey-Ponsart E et "
        "al. J Steroid Biochem 1982;16:165-9, unverified); linear in estradiol an assumption, "
        "which leaves the menstrual cycle's CBG within a few per cent",
    ),
    Parameter(
        "salivary_free_fraction",
        0.03,
        "1",
        "salivary cortisol as a fraction of plasma total cortisol at the usual CBG",
        "established",
        (0.01, 0.1),
        calibrated_to=_TSST,
        source="saliva reflects free cortisol, about 3-5 % of total (Kirschbaum C, Hellhammer "
        "DH. Psychoneuroendocrinology 1994;19:313-33)",
    ),
)


def circadian_drive(time_of_day: Value, p: Signals) -> Value:
    """Circadian CRH drive, mean 1, peaking at ``circadian_peak_time``."""
    phase = 2.0 * ops.pi * (time_of_day - p.circadian_peak_time) / MINUTES_PER_DAY
    return 1.0 + p.circadian_amplitude * ops.cos(phase)


def _feedback(cortisol: Value, p: Signals) -> Value:
    """Glucocorticoid feedback, 1 at the mean cortisol level."""
    relative = ops.maximum(cortisol, 0.0) / p.basal_cortisol
    return (1.0 + p.glucocorticoid_feedback_strength) / (
        1.0 + p.glucocorticoid_feedback_strength * relative
    )


def _oxytocin_brake(v: Signals, p: Signals) -> Value:
    signal = 0.5 * (v.oxtr_signal_hypothalamus + v.oxtr_signal_amygdala)
    return p.oxytocin_stress_brake_max * hill(
        signal, p.oxytocin_stress_brake_half_signal, p.oxytocin_stress_brake_hill
    )


def _tonic_gain(v: Signals, p: Signals) -> Value:
    """Tonic CRH drive relative to the mean day: up with chronic stress, down with better sleep."""
    return (1.0 + p.chronic_stress_crh_gain * v.chronic_stress) * (1.0 - v.sleep_crh_relief)


def _statics(v: Signals, p: Signals) -> dict[str, Value]:
    contraceptive = 1.0 + (p.contraceptive_cbg_ratio - 1.0) * v.uses_hormonal_contraception
    return {
        "cortisol_binding_globulin": contraceptive + p.estradiol_cbg_gain * v.baseline_estradiol
    }


def _free(v: Signals) -> Value:
    """Free-equivalent cortisol: total / relative CBG (nmol/L at the usual CBG)."""
    return v.plasma_cortisol / v.cortisol_binding_globulin


def _outputs(v: Signals, p: Signals) -> dict[str, Value]:
    brake = _oxytocin_brake(v, p)
    sex_gain = 1.0 + (p.female_stress_gain - 1.0) * v.is_female
    stress = p.stress_crh_gain * sex_gain * v.stress_load * (1.0 - brake)
    tonic = circadian_drive(v.time_of_day, p) * _tonic_gain(v, p) + v.withdrawal_crh_drive
    return {
        "oxytocin_stress_brake": brake,
        "crh_drive": (tonic + stress) * _feedback(_free(v), p),
        "salivary_cortisol": p.salivary_free_fraction * _free(v),
    }


def _production_constants(p: Signals) -> tuple[Value, Value]:
    """ACTH per unit CRH and cortisol per unit ACTH that put the mean at the basal levels."""
    acth_per_crh = rate_from_half_life(p.acth_half_life) * p.basal_acth
    cortisol_per_acth = rate_from_half_life(p.cortisol_half_life) * p.basal_cortisol / p.basal_acth
    return acth_per_crh, cortisol_per_acth


def _rates(v: Signals, p: Signals) -> dict[str, Value]:
    acth_per_crh, cortisol_per_acth = _production_constants(p)
    return {
        "crh": relax(v.crh, v.crh_drive, p.crh_time_constant),
        "plasma_acth": acth_per_crh * v.crh - rate_from_half_life(p.acth_half_life) * v.plasma_acth,
        "plasma_cortisol": cortisol_per_acth * v.plasma_acth
        - rate_from_half_life(p.cortisol_half_life) * _free(v),
        "chronic_cortisol": relax(v.chronic_cortisol, _free(v), p.chronic_cortisol_time_constant),
    }


def _resting(v: Signals, p: Signals) -> dict[str, Value]:
    """Mean-day levels (free cortisol as usual, total CBG-fold); the burn-in then settles them."""
    tonic = _tonic_gain(v, p) + v.withdrawal_crh_drive
    # cortisol c solves c/basal = tonic * feedback(c), a quadratic in c/basal
    f = p.glucocorticoid_feedback_strength
    relative = (-1.0 + ops.sqrt(1.0 + 4.0 * f * tonic * (1.0 + f))) / (2.0 * f)
    cortisol = relative * p.basal_cortisol
    return {
        "crh": relative,
        "plasma_acth": relative * p.basal_acth,
        "plasma_cortisol": cortisol * v.cortisol_binding_globulin,
        "chronic_cortisol": cortisol,
    }


HPA = SubModel(
    name="hpa",
    description=__doc__.split("\n")[0],
    s_ids=("S1.4", "S2.6", "S2.9"),
    states=(
        Variable("crh", "1", "hypothalamic CRH output, x daily mean"),
        Variable("plasma_acth", "pg/mL", "plasma ACTH"),
        Variable("plasma_cortisol", "nmol/L", "plasma total cortisol"),
        Variable(
            "chronic_cortisol", "nmol/L", "running mean of free-equivalent cortisol over days"
        ),
    ),
    outputs=(
        Variable(
            "oxytocin_stress_brake", "1", "fraction of stress-evoked CRH drive removed by OXTR"
        ),
        Variable("crh_drive", "1", "total CRH drive, x daily mean"),
        Variable("salivary_cortisol", "nmol/L", "salivary (free) cortisol"),
    ),
    inputs=(
        Variable("stress_load", "1", "acute stress"),
        Variable("time_of_day", "min", "clock time"),
        Variable("oxtr_signal_hypothalamus", "1", "bound hypothalamic OXTR"),
        Variable("oxtr_signal_amygdala", "1", "bound amygdala OXTR"),
        Variable("chronic_stress", "1", "chronic stress, 0-1"),
        Variable("is_female", "1", "1 for women"),
        Variable("withdrawal_crh_drive", "1", "extra CRH drive of drug withdrawal"),
        Variable("sleep_crh_relief", "1", "fall of the tonic CRH drive from better sleep"),
        Variable("uses_hormonal_contraception", "1", "1 when taking a combined oral contraceptive"),
        Variable("baseline_estradiol", "pg/mL", "serum estradiol without therapy"),
    ),
    statics=(Variable("cortisol_binding_globulin", "1", "serum CBG relative to the usual level"),),
    static_fn=_statics,
    parameters=PARAMETERS,
    outputs_fn=_outputs,
    rates_fn=_rates,
    resting_state_fn=_resting,
)
