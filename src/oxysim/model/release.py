"""Hypothalamic oxytocin release (S2.1, S2.3, S3.1, S2.4).

Magnocellular oxytocin neurons of the paraventricular (PVN) and supraoptic nuclei secrete
oxytocin from the posterior pituitary into blood; PVN neurons also release it inside the brain
(dendritic and axonal release, reaching the CSF). Both branches share one activity state, driven
by social and sensory stimuli: supportive company, touch, warmth, music, meditation, and stressors
(S2.3). Synthesis needs ascorbate as the cofactor of peptidylglycine alpha-amidating
monooxygenase (PAM), so vitamin C deficiency, and only deficiency, lowers output (S2.4).
Estrogen raises pituitary secretion, ``1 + A E / (E + E50)`` with ``E`` the serum estradiol
plus the estradiol-equivalent of a combined oral contraceptive: little across the menstrual
cycle or between the sexes, about 2.7-fold on the pill and 4-fold in late pregnancy.
(Pituitary secretion is the whole basal output here: ``basal_pituitary_secretion`` is the
level of a man, whose estradiol adds about 2 %.)

Sources: Swanson LW, Sawchenko PE. Annu Rev Neurosci 1983;6:269-324 (PVN anatomy);
Ludwig M, Leng G. Nat Rev Neurosci 2006;7:126-36 (dendritic release); Eipper BA et al. Protein
Sci 1993;2:489-97 (PAM and ascorbate); stimulus gains as given per parameter.
"""

from __future__ import annotations

from oxysim.model import ops
from oxysim.model.motifs import hill, relax
from oxysim.model.ops import Value
from oxysim.model.parameters import Parameter
from oxysim.model.submodel import Signals, SubModel, Variable

#: Protocol channels that activate oxytocin neurons, with the parameter that weights each.
STIMULUS_GAINS: dict[str, str] = {
    "support_partner": "release_gain_support_partner",
    "support_friend": "release_gain_support_friend",
    "support_stranger": "release_gain_support_stranger",
    "touch_hug": "release_gain_hug",
    "touch_massage": "release_gain_massage",
    "touch_hand_holding": "release_gain_hand_holding",
    "meditation": "release_gain_meditation",
    "music": "release_gain_music",
    "warm_bath": "release_gain_warm_bath",
    "dance": "release_gain_dance",
    "pet_contact": "release_gain_pet_contact",
    "deep_breathing": "release_gain_deep_breathing",
    "stress_load": "release_gain_stress",
    "social_partner": "release_gain_social_interaction",
    "social_stranger": "release_gain_social_interaction",
    "social_ingroup": "release_gain_social_interaction",
    "social_outgroup": "release_gain_social_interaction",
    "mating": "release_gain_mating",
    "sexual_activity": "release_gain_sexual_activity",
    "orgasm": "release_gain_orgasm",
    "suckling": "release_gain_suckling",
    "support_group": "release_gain_support_group",
}

#: Channels of verbal, emotional support (not touch): their effect differs between the sexes.
VERBAL_SUPPORT = ("support_partner", "support_friend", "support_stranger")
_CHEN = "chen2011_support_by_genotype"
PARAMETERS = (
    Parameter(
        "oxytocin_neuron_time_constant",
        2.0,
        "min",
        "time constant of PVN/SON oxytocin-neuron activity following its drive",
        "assumption",
        (0.2, 20.0),
        source="modelling choice: minutes-scale rise of plasma oxytocin after touch "
        "(Light KC et al. Biol Psychol 2005;69:5-21)",
    ),
    Parameter(
        "basal_pituitary_secretion",
        3.4,
        "ng/min",
        "resting secretion of oxytocin from the posterior pituitary into blood",
        "established",
        (0.3, 30.0),
        calibrated_to="assay_dependence (resting extracted plasma oxytocin 1-10 pg/mL) with the "
        "clearance of the pk sub-model",
        between_subject_cv=0.4,
        source="between-subject CV: spread of extracted plasma oxytocin in healthy adults "
        "(McCullough ME et al. Neurosci Biobehav Rev 2013;37:1485-92)",
    ),
    Parameter(
        "basal_central_release",
        0.45,
        "pg/mL/min",
        "resting release of oxytocin into brain extracellular fluid and CSF",
        "human-single",
        (0.01, 10.0),
        calibrated_to="intranasal_plasma_and_csf (baseline CSF oxytocin, Striepens 2013)",
        between_subject_cv=0.3,
        source="CV: assumption, separate from plasma so plasma and CSF correlate weakly "
        "(Striepens 2013; Valstad M et al. Neurosci Biobehav Rev 2017;78:117-24)",
    ),
    Parameter(
        "central_release_gain",
        1.0,
        "1",
        "share of the activity increase that reaches central release, relative to pituitary",
        "assumption",
        (0.0, 5.0),
        source="modelling choice: one PVN activity drives both branches (Ludwig & Leng 2006)",
        neutral=0.0,
    ),
    Parameter(
        "release_gain_support_partner",
        3.0,
        "1",
        "rise of oxytocin-neuron activity (x basal) with supportive company of a partner",
        "human-single",
        (0.0, 20.0),
        calibrated_to=_CHEN,
        neutral=0.0,
    ),
    Parameter(
        "release_gain_support_friend",
        2.4,
        "1",
        "rise of activity with support from a close friend",
        "assumption",
        (0.0, 20.0),
        source="0.8 x partner: Chen 2011 pooled partner and friend support; Heinrichs M et al. "
        "Biol Psychiatry 2003;54:1389-98 used the best friend",
        neutral=0.0,
    ),
    Parameter(
        "release_gain_support_stranger",
        0.6,
        "1",
        "rise of activity with support from a stranger",
        "assumption",
        (0.0, 20.0),
        source="0.2 x partner: support from strangers buffers stress less (Kirschbaum C et al. "
        "Psychosom Med 1995;57:23-31)",
        neutral=0.0,
    ),
    Parameter(
        "female_verbal_support_ratio",
        0.2,
        "1",
        "release by verbal support (not touch) in women relative to men",
        "human-single",
        (0.0, 1.5),
        calibrated_to="kirschbaum1995_support_by_sex",
        source="Kirschbaum C et al. Psychosom Med 1995;57:23-31: a partner's support lowered the "
        "TSST cortisol response of men but not of women; Ditzen B et al. Psychoneuroendocrinology "
        "2007;32:565-74: in women a partner's massage lowered it, verbal support did not",
        neutral=1.0,
    ),
    Parameter(
        "release_gain_hug",
        1.0,
        "1",
        "rise of activity during a hug / warm partner contact",
        "human-single",
        (0.0, 20.0),
        source="Light KC, Grewen KM, Amico JA. Biol Psychol 2005;69:5-21 (partner contact, "
        "plasma oxytocin rises; magnitude approximate)",
        neutral=0.0,
    ),
    Parameter(
        "release_gain_massage",
        0.8,
        "1",
        "rise of activity during massage",
        "human-single",
        (0.0, 20.0),
        source="Morhenn V et al. Altern Ther Health Med 2012;18:11-8 (massage raised plasma "
        "oxytocin; small n)",
        neutral=0.0,
    ),
    Parameter(
        "release_gain_hand_holding",
        0.3,
        "1",
        "rise of activity while holding hands",
        "assumption",
        (0.0, 20.0),
        source="assumption: weaker than a hug (seed 002 lists touch)",
        neutral=0.0,
    ),
    Parameter(
        "release_gain_meditation",
        0.3,
        "1",
        "rise of activity during compassion meditation",
        "claim",
        (0.0, 20.0),
        source="seed 002 (S2.3): compassion meditation releases oxytocin",
        neutral=0.0,
    ),
    Parameter(
        "release_gain_music",
        0.2,
        "1",
        "rise of activity while listening to calm music",
        "contested",
        (0.0, 20.0),
        source="Nilsson U. Heart Lung 2009;38:201-7 (serum oxytocin up after music in surgical "
        "patients); other studies null",
        neutral=0.0,
    ),
    Parameter(
        "release_gain_warm_bath",
        0.2,
        "1",
        "rise of activity in a warm bath",
        "claim",
        (0.0, 20.0),
        source="seed 001/002 (S1.6, S2.3): warmth raises oxytocin",
        neutral=0.0,
    ),
    Parameter(
        "release_gain_dance",
        0.3,
        "1",
        "rise of activity while dancing with a partner",
        "claim",
        (0.0, 20.0),
        source="seed 001 (S1.6) lists dance; no study of oxytocin in dance was found (Quiroga "
        "Murcia C et al. Music Med 2009;1:14-21 measured cortisol and testosterone in tango)",
        neutral=0.0,
    ),
    Parameter(
        "release_gain_pet_contact",
        0.5,
        "1",
        "rise of activity while stroking one's own dog",
        "contested",
        (0.0, 20.0),
        source="Odendaal JSJ, Meintjes RA. Vet J 2003;165:296-301 (plasma oxytocin up after "
        "dog contact); size an assumption, half a partner hug. Contested: Marshall-Pescini S et "
        "al. Animals 2019;9:792 found no rise (urinary)",
        neutral=0.0,
    ),
    Parameter(
        "release_gain_deep_breathing",
        0.2,
        "1",
        "rise of activity during slow deep breathing",
        "claim",
        (0.0, 20.0),
        source="seed 001 (S1.6) lists deep breathing; no study of its effect on oxytocin found",
        neutral=0.0,
    ),
    Parameter(
        "release_gain_stress",
        0.5,
        "1",
        "rise of activity per unit of acute psychosocial stress",
        "human-single",
        (0.0, 20.0),
        source="de Jong TR et al. Psychoneuroendocrinology 2015;62:381-8 (plasma oxytocin rises "
        "during the TSST; modest)",
        neutral=0.0,
    ),
    Parameter(
        "secretion_age_loss",
        0.0,
        "1",
        "fraction of pituitary secretion lost in old age",
        "contested",
        (0.0, 0.9),
        source="mice: plasma oxytocin falls with age, 0.5 here (Elabd C et al. Nat Commun "
        "2014;5:4082); humans: studies disagree, so no loss by default",
        species_values={"mouse": 0.5},
        neutral=0.0,
    ),
    Parameter(
        "secretion_age_half_decline",
        60.0,
        "year",
        "age at which half the age loss of secretion has occurred",
        "assumption",
        (0.5, 120.0),
        source="assumption; mice 1.25 year, between the young and old groups of Elabd 2014",
        species_values={"mouse": 1.25},
    ),
    Parameter(
        "release_gain_social_interaction",
        0.1,
        "1",
        "rise of activity during social interaction with anyone",
        "human-single",
        (0.0, 20.0),
        calibrated_to="smith2013_couple_interaction",
        source="humans: neither positive nor negative couple discussions changed plasma "
        "oxytocin in 180 couples (Smith TW et al. Int J Psychophysiol 2013;88:271-81), so the "
        "rise is kept below a fifth of the between-person spread; rodents (species value): "
        "PVN oxytocin neurons active during social interaction in mice (Hung 2017), magnitude "
        "an assumption",
        neutral=0.0,
        species_values={"mouse": 0.5, "prairie_vole": 0.5, "montane_vole": 0.5},
    ),
    Parameter(
        "release_gain_mating",
        3.0,
        "1",
        "rise of activity during mating",
        "animal",
        (0.0, 50.0),
        source="mating releases central oxytocin needed for the pair bond (Williams JR et al. J "
        "Neuroendocrinol 1994;6:247-50; Ross HE, Young LJ. Front Neuroendocrinol 2009;30:534-47); "
        "magnitude an assumption",
        neutral=0.0,
    ),
    Parameter(
        "release_gain_sexual_activity",
        0.5,
        "1",
        "rise of activity during sexual arousal before orgasm",
        "human-single",
        (0.0, 20.0),
        source="Carmichael MS et al. J Clin Endocrinol Metab 1987;64:27-31 (oxytocin rises during "
        "self-stimulation, peaks at orgasm)",
        neutral=0.0,
    ),
    Parameter(
        "release_gain_orgasm",
        35.0,
        "1",
        "rise of activity during the one-minute orgasm burst (men)",
        "human-single",
        (0.0, 500.0),
        calibrated_to="orgasm_oxytocin",
        source="Murphy MR et al. J Clin Endocrinol Metab 1987;65:738-41 (plasma oxytocin 1.4 -> "
        "7.3 pmol/L at ejaculation)",
        neutral=0.0,
    ),
    Parameter(
        "female_orgasm_release_ratio",
        0.35,
        "1",
        "orgasm release of women relative to men",
        "human-single",
        (0.05, 3.0),
        calibrated_to="orgasm_oxytocin",
        source="Carmichael 1987 (women: about 1.5-2 fold rise at orgasm) vs Murphy 1987 (men: "
        "about 5-fold); different assays, so the ratio is uncertain",
        neutral=1.0,
    ),
    Parameter(
        "release_gain_suckling",
        2.9,
        "1",
        "tonic rise of activity while an infant suckles (the pulses come from periphery)",
        "human-single",
        (0.0, 20.0),
        calibrated_to="weitzman1980_suckling_oxytocin and altemus2001_stress_long_after_a_feed",
        source="suckling activates oxytocin neurons (Wakerley JB, Lincoln DW. J Endocrinol "
        "1973;57:477-93). Weitzman's 3-min rise alone would put the tonic share near 6; above "
        "about 3 the central release lingers and blunts a stressor 45 min after a feed, against "
        "Altemus 2001, so both set it",
    ),
    Parameter(
        "release_gain_support_group",
        0.8,
        "1",
        "rise of activity during a support-group meeting",
        "claim",
        (0.0, 20.0),
        source="seed 001 (S1.6): support groups raise oxytocin; no measurement found",
        neutral=0.0,
    ),
    Parameter(
        "estrogen_release_amplitude",
        5.0,
        "1",
        "largest rise of pituitary secretion under estrogen, x basal",
        "human-single",
        (0.0, 20.0),
        calibrated_to="estrogen_and_basal_oxytocin",
        source="estrogen raises plasma oxytocin: combined oral contraceptives 4.59 +/- 0.51 vs "
        "1.71 +/- 0.07 uU/mL (Amico JA, Seif SM, Robinson AG. J Clin Endocrinol Metab "
        "1981;52:988-93); basal plasma oxytocin about 3-4 fold in late pregnancy (Uvnas-Moberg K "
        "et al. BMC Pregnancy Childbirth 2019;19:285)",
        neutral=0.0,
    ),
    Parameter(
        "estrogen_release_half_level",
        5000.0,
        "pg/mL",
        "estradiol (or its equivalent) giving half the largest rise of pituitary secretion",
        "assumption",
        (100.0, 20000.0),
        calibrated_to="estrogen_and_basal_oxytocin",
        source="set with the amplitude to the rise from the early follicular phase to ovulation "
        "(Engel 2019) and the pill (Amico 1981): lower half levels (1000 pg/mL with a Hill "
        "coefficient of 2, then 2000 pg/mL) gave cycle contrasts above Engel's and saturated "
        "the drive in early pregnancy",
    ),
    Parameter(
        "contraceptive_estrogen_equivalent",
        3000.0,
        "pg/mL",
        "estradiol-equivalent of a combined oral contraceptive's ethinylestradiol for release",
        "human-single",
        (0.0, 20000.0),
        calibrated_to="estrogen_and_basal_oxytocin",
        source="set to the 2.7-fold basal plasma oxytocin of women on combined oral "
        "contraceptives against cycling women (Amico 1981); ethinylestradiol is far more potent "
        "than estradiol per pg/mL",
        neutral=0.0,
    ),
    Parameter(
        "vitamin_c_half_saturation",
        5.0,
        "umol/L",
        "plasma ascorbate giving half-maximal oxytocin amidation (PAM cofactor)",
        "assumption",
        (0.5, 50.0),
        source="PAM needs ascorbate (Eipper 1993); in-vivo half-saturation is an assumption "
        "placed below the deficiency threshold of 11 umol/L (synthesis_cofactors target)",
    ),
    Parameter(
        "vitamin_c_reference",
        50.0,
        "umol/L",
        "plasma ascorbate of a replete reference subject",
        "established",
        (10.0, 150.0),
        source="Schleicher RL et al. Am J Clin Nutr 2009;90:1252-63 (NHANES mean about 50 umol/L)",
    ),
)


def synthesis_capacity(vitamin_c: Value, p: Signals) -> Value:
    """Amidation capacity relative to a replete subject: saturating, flat above sufficiency."""
    k = p.vitamin_c_half_saturation
    return vitamin_c / (vitamin_c + k) * (p.vitamin_c_reference + k) / p.vitamin_c_reference


def _statics(v: Signals, p: Signals) -> dict[str, Value]:
    """Per-run constant: the age loss of pituitary secretion."""
    return {
        "pituitary_age_factor": 1.0
        - p.secretion_age_loss * hill(v.age, p.secretion_age_half_decline, 4.0),
    }


def _drive(v: Signals, p: Signals) -> Value:
    verbal_ratio = 1.0 + (p.female_verbal_support_ratio - 1.0) * v.is_female
    drive = 1.0
    for channel, gain in STIMULUS_GAINS.items():
        weight = verbal_ratio if channel in VERBAL_SUPPORT else 1.0
        drive = drive + p[gain] * v[channel] * weight
    sex_ratio = 1.0 + (p.female_orgasm_release_ratio - 1.0) * v.is_female
    return drive + p.release_gain_orgasm * (sex_ratio - 1.0) * v.orgasm


def estrogen_factor(v: Signals, p: Signals) -> Value:
    """Pituitary secretion under the estrogen on board, x a subject without estrogen."""
    estrogen = v.estradiol + p.contraceptive_estrogen_equivalent * v.uses_hormonal_contraception
    return 1.0 + p.estrogen_release_amplitude * hill(estrogen, p.estrogen_release_half_level)


def _outputs(v: Signals, p: Signals) -> dict[str, Value]:
    capacity = synthesis_capacity(v.vitamin_c, p)
    activity = v.oxytocin_neuron_activity
    central = 1.0 + p.central_release_gain * (activity - 1.0)
    return {
        "oxytocin_synthesis_capacity": capacity,
        "pituitary_secretion_rate": p.basal_pituitary_secretion
        * capacity
        * v.pituitary_age_factor
        * estrogen_factor(v, p)
        * activity,
        "central_release_rate": p.basal_central_release * capacity * ops.maximum(central, 0.0),
    }


def _rates(v: Signals, p: Signals) -> dict[str, Value]:
    activity = v.oxytocin_neuron_activity
    return {
        "oxytocin_neuron_activity": relax(activity, _drive(v, p), p.oxytocin_neuron_time_constant)
    }


def _resting(v: Signals, p: Signals) -> dict[str, Value]:
    return {"oxytocin_neuron_activity": _drive(v, p)}


_UNITLESS = "1"
RELEASE = SubModel(
    name="release",
    description=__doc__.split("\n")[0],
    s_ids=("S2.1", "S2.3", "S2.4", "S3.1"),
    states=(
        Variable(
            "oxytocin_neuron_activity", _UNITLESS, "PVN/SON oxytocin-neuron activity, x basal"
        ),
    ),
    statics=(Variable("pituitary_age_factor", _UNITLESS, "pituitary secretion relative to youth"),),
    static_fn=_statics,
    outputs=(
        Variable(
            "oxytocin_synthesis_capacity", _UNITLESS, "amidation capacity (vitamin C), x replete"
        ),
        Variable("pituitary_secretion_rate", "ng/min", "oxytocin secreted into blood"),
        Variable("central_release_rate", "pg/mL/min", "oxytocin released into brain ECF/CSF"),
    ),
    inputs=tuple(Variable(c, _UNITLESS, "stimulus channel") for c in STIMULUS_GAINS)
    + (
        Variable("vitamin_c", "umol/L", "plasma ascorbate"),
        Variable("estradiol", "pg/mL", "serum estradiol"),
        Variable(
            "uses_hormonal_contraception", _UNITLESS, "1 when taking a combined oral contraceptive"
        ),
        Variable("is_female", _UNITLESS, "1 for women"),
        Variable("age", "year", "age"),
    ),
    parameters=PARAMETERS,
    outputs_fn=_outputs,
    rates_fn=_rates,
    resting_state_fn=_resting,
)
