"""Sex steroids under hormone protocols, and growth-hormone peptides via sleep (S2.5, S2.7).

Serum testosterone, estradiol and progesterone start at the subject's own levels (covariates
``baseline_*``) and move when a ``hormone_therapy`` event doses one of the depots below:

- testosterone cypionate lands in an intramuscular depot that releases through a second
  (transit) depot, which puts the serum peak 2-5 days after the injection; a transdermal cream
  is absorbed from a skin depot. Serum testosterone is absorption / metabolic clearance (the
  hormone's own half-life is far shorter than the depots');
- the gonads (men only) make testosterone under a gonadal drive (LH) that hypothalamic feedback
  sets from estradiol and testosterone, so exogenous testosterone suppresses it and an aromatase
  inhibitor raises it; gonadorelin (a GnRH analogue) rescues part of it (a clinic claim);
- estradiol in men comes mostly from aromatised testosterone, so it rises with testosterone and
  falls under anastrozole;
- oral micronised progesterone is absorbed through two gut compartments (peak about 3 h);
- a growth-hormone secretagogue peptide (sermorelin, ipamorelin/CJC-1295) raises a slow
  sleep-quality index, which lowers the tonic CRH drive of the HPA axis: the seed's chain to
  "a more favourable cortisol-to-oxytocin balance", graded a claim link by link.

The receptor sub-model reads the serum levels, so estradiol and progesterone move OXTR. Without
therapy every output equals the subject's baseline.

Sources: Leder BZ et al. J Clin Endocrinol Metab 2004;89:1174-80 (anastrozole in older men);
Maxson WS, Hargrove JT. Fertil Steril 1985;44:622-6 (oral micronised progesterone); Simon JA et
al. Fertil Steril 1993;60:26-33 (its bioavailability); Schulte-Beerbuhl M, Nieschlag E. Fertil
Steril 1980;33:201-3 (testosterone ester kinetics); de Ronde W, de Jong FH. Reprod Biol Endocrinol
2011;9:93 (aromatisation in men); Steiger A et al. Neuroendocrinology 1992;56:566-73 (GHRH, sleep
and cortisol).
"""

from __future__ import annotations

from collections.abc import Mapping

from oxysim.model import ops
from oxysim.model.motifs import MINUTES_PER_DAY, approach, by_sex, hill, rate_from_half_life
from oxysim.model.ops import Value
from oxysim.model.parameters import Parameter
from oxysim.model.submodel import Signals, SubModel, Variable

_UNITLESS = "1"
_LEDER = "anastrozole_men"
_TRT = "testosterone_injection"
_PROGESTERONE = "oral_progesterone"
MG_PER_L_IN_NG_PER_DL = 1e5
MG_PER_L_IN_NG_PER_ML = 1e3

#: For each ``hormone_therapy`` kind: the depot state a dose is added to, and the dose unit.
THERAPY_DEPOTS: Mapping[str, tuple[str, str]] = {
    "testosterone_cypionate": ("testosterone_depot", "mg"),
    "testosterone_cream": ("testosterone_skin_depot", "mg"),
    "progesterone": ("progesterone_gut", "mg"),
    "anastrozole": ("anastrozole_body", "mg"),
    "gonadorelin": ("gonadorelin_activity", "ug"),
    "gh_peptide": ("gh_peptide_activity", "ug"),
}

PARAMETERS = (
    Parameter(
        "testosterone_ester_fraction",
        0.70,
        _UNITLESS,
        "testosterone content of testosterone cypionate by mass",
        "established",
        (0.5, 1.0),
        source="molar masses: testosterone 288.4, testosterone cypionate 412.6 g/mol",
    ),
    Parameter(
        "testosterone_depot_half_life",
        2.0,
        "d",
        "half-life of each of the two intramuscular depot steps",
        "human-single",
        (0.5, 10.0),
        calibrated_to=_TRT,
        source="serum peak 2-5 days after an injection of an oil-based ester and back near "
        "baseline by days 10-14 (Schulte-Beerbuhl & Nieschlag 1980; product label)",
    ),
    Parameter(
        "testosterone_cream_bioavailability",
        0.10,
        _UNITLESS,
        "fraction of a transdermal testosterone dose absorbed",
        "assumption",
        (0.01, 0.5),
        source="transdermal testosterone gels deliver about 10 % of the applied dose (AndroGel "
        "label); creams for women assumed alike",
    ),
    Parameter(
        "testosterone_skin_half_life",
        0.5,
        "d",
        "half-life of the skin reservoir of a transdermal dose",
        "assumption",
        (0.05, 3.0),
        source="assumption: once-daily gels give near-steady serum levels",
    ),
    Parameter(
        "testosterone_clearance_male",
        1000.0,
        "L/d",
        "metabolic clearance rate of testosterone, men",
        "established",
        (500.0, 2000.0),
        source="about 1000 L/day in men, so 6-7 mg/day of production gives about 600 ng/dL "
        "(Southren AL et al. J Clin Endocrinol Metab 1967;27:686-94)",
    ),
    Parameter(
        "testosterone_clearance_female",
        600.0,
        "L/d",
        "metabolic clearance rate of testosterone, women",
        "established",
        (200.0, 1500.0),
        source="about 500-700 L/day in women, lower SHBG-free clearance than men (Southren 1967)",
    ),
    Parameter(
        "gonadal_testosterone_share",
        0.95,
        _UNITLESS,
        "share of a man's testosterone made by the testes under LH",
        "established",
        (0.5, 1.0),
        source="testes secrete about 95 % of circulating testosterone in men (textbook)",
    ),
    Parameter(
        "gonadal_drive_half_life",
        3.0,
        "d",
        "half-life of the gonadal drive's approach to its feedback target",
        "assumption",
        (0.5, 30.0),
        source="assumption: LH falls within days of exogenous testosterone; recovery after long "
        "use takes months (not modelled)",
    ),
    Parameter(
        "hpg_estradiol_feedback_weight",
        0.74,
        _UNITLESS,
        "weight of estradiol (vs testosterone) in the male hypothalamic-pituitary feedback",
        "human-single",
        (0.0, 1.0),
        calibrated_to=_LEDER,
        source="aromatase inhibition raises LH and testosterone in men (Leder 2004; T'Sjoen GG et "
        "al. J Clin Endocrinol Metab 2005;90:5717-22): estradiol carries most of the feedback",
    ),
    Parameter(
        "hpg_feedback_steepness",
        6.0,
        _UNITLESS,
        "exponent of the gonadal drive's fall with the feedback signal",
        "assumption",
        (1.0, 12.0),
        calibrated_to=_TRT,
        source="high-gain feedback: exogenous testosterone suppresses LH to a small fraction "
        "(WHO Task Force. Lancet 1990;336:955-9)",
    ),
    Parameter(
        "aromatised_estradiol_share_male",
        0.8,
        _UNITLESS,
        "share of a man's estradiol made by aromatising testosterone",
        "established",
        (0.3, 1.0),
        source="about 80 % of estradiol in men comes from peripheral aromatisation (de Ronde & de "
        "Jong 2011)",
    ),
    Parameter(
        "aromatised_estradiol_share_female",
        0.1,
        _UNITLESS,
        "share of a woman's estradiol that tracks serum testosterone",
        "assumption",
        (0.0, 1.0),
        source="assumption: ovarian estradiol dominates before menopause",
    ),
    Parameter(
        "anastrozole_half_life",
        50.0,
        "h",
        "elimination half-life of anastrozole",
        "established",
        (30.0, 80.0),
        source="terminal half-life about 40-50 h (Arimidex label)",
    ),
    Parameter(
        "anastrozole_max_inhibition",
        0.70,
        _UNITLESS,
        "largest effective inhibition of serum-estradiol production by aromatisation in men",
        "human-single",
        (0.1, 1.0),
        calibrated_to=_LEDER,
        source="whole-body aromatisation falls about 97 % (Geisler J et al. Br J Cancer "
        "1996;74:1286-91) but serum estradiol in men falls only about 35 % (Leder 2004)",
    ),
    Parameter(
        "anastrozole_half_effect_amount",
        0.2,
        "mg",
        "anastrozole in the body giving half the maximal inhibition",
        "human-single",
        (0.01, 5.0),
        calibrated_to=_LEDER,
        source="1 mg twice weekly lowers estradiol as much as 1 mg daily (Leder 2004)",
    ),
    Parameter(
        "gonadorelin_activity_half_life",
        6.0,
        "h",
        "half-life of the gonadotropin stimulation after a gonadorelin injection",
        "assumption",
        (0.5, 48.0),
        source="assumption: the peptide lasts minutes, the LH response hours",
    ),
    Parameter(
        "gonadorelin_max_rescue",
        0.5,
        _UNITLESS,
        "largest share of the suppressed gonadal drive gonadorelin restores during TRT",
        "claim",
        (0.0, 1.0),
        source="seed 002 (S2.7): gonadorelin keeps testicular function on TRT; no controlled "
        "human data found",
        neutral=0.0,
    ),
    Parameter(
        "gonadorelin_half_effect",
        50.0,
        "ug",
        "gonadorelin activity giving half the rescue",
        "claim",
        (1.0, 1000.0),
        source="assumption placed at common clinic doses (100 ug two or three times a week)",
    ),
    Parameter(
        "progesterone_oral_bioavailability",
        0.086,
        _UNITLESS,
        "fraction of oral micronised progesterone reaching the circulation",
        "human-single",
        (0.01, 0.5),
        source="8.6 % relative to intramuscular progesterone (Simon 1993)",
    ),
    Parameter(
        "progesterone_gut_half_life",
        116.0,
        "min",
        "half-life of each of the two gut absorption steps of oral progesterone",
        "human-single",
        (10.0, 600.0),
        calibrated_to=_PROGESTERONE,
        source="peak at 2.8 +/- 0.35 h after 200 mg (Maxson & Hargrove 1985): ln2 x 2.8 h",
    ),
    Parameter(
        "progesterone_clearance",
        2800.0,
        "L/d",
        "metabolic clearance rate of progesterone",
        "human-single",
        (1000.0, 5000.0),
        calibrated_to=_PROGESTERONE,
        source="about 2200-2800 L/day (Little B et al. J Clin Endocrinol Metab 1966;26:1207-12); "
        "radioimmunoassay peaks after oral doses may overestimate (mass spectrometry reads lower)",
    ),
    Parameter(
        "gh_peptide_activity_half_life",
        4.0,
        "h",
        "half-life of the somatotroph stimulation after a GH-secretagogue injection",
        "assumption",
        (0.5, 200.0),
        source="assumption for a bedtime sermorelin-like peptide; CJC-1295 with DAC lasts days",
    ),
    Parameter(
        "gh_peptide_half_effect",
        100.0,
        "ug",
        "peptide activity giving half the sleep effect",
        "assumption",
        (1.0, 2000.0),
        source="assumption placed at common doses (100-300 ug at bedtime)",
    ),
    Parameter(
        "gh_peptide_sleep_gain",
        0.2,
        _UNITLESS,
        "largest relative gain in slow-wave sleep from a GH secretagogue",
        "human-single",
        (0.0, 1.0),
        source="GHRH at night increases slow-wave sleep in young men (Steiger 1992); magnitude "
        "an assumption, and weaker in older people",
        neutral=0.0,
    ),
    Parameter(
        "sleep_quality_half_life",
        2.0,
        "d",
        "half-life of the sleep-quality index's approach to its target",
        "assumption",
        (0.2, 14.0),
        source="assumption: sleep changes over nights",
    ),
    Parameter(
        "sleep_crh_relief_per_quality",
        0.25,
        _UNITLESS,
        "fall of the tonic CRH drive per unit gain in sleep quality",
        "claim",
        (0.0, 1.0),
        source="seed 002 (S2.7): better sleep regulates the HPA axis and lowers chronic cortisol; "
        "GHRH lowered nocturnal cortisol in Steiger 1992; magnitude a claim",
        neutral=0.0,
    ),
)


def testosterone_clearance(v: Signals, p: Signals) -> Value:
    """Metabolic clearance of testosterone by sex (L/min)."""
    per_day = by_sex(v.is_female, p.testosterone_clearance_male, p.testosterone_clearance_female)
    return per_day / MINUTES_PER_DAY


def _exogenous_testosterone(v: Signals, p: Signals) -> Value:
    """Serum testosterone (ng/dL) from absorption of injected and transdermal doses."""
    injected = (
        p.testosterone_ester_fraction
        * rate_from_half_life(p.testosterone_depot_half_life * MINUTES_PER_DAY)
        * v.testosterone_depot_transit
    )
    cream = (
        p.testosterone_cream_bioavailability
        * rate_from_half_life(p.testosterone_skin_half_life * MINUTES_PER_DAY)
        * v.testosterone_skin_depot
    )
    return (injected + cream) / testosterone_clearance(v, p) * MG_PER_L_IN_NG_PER_DL


def aromatase_inhibition(v: Signals, p: Signals) -> Value:
    """Fraction of aromatisation blocked by the anastrozole in the body."""
    return p.anastrozole_max_inhibition * hill(v.anastrozole_body, p.anastrozole_half_effect_amount)


def _gonadal_share(v: Signals, p: Signals) -> Value:
    """Share of testosterone under the gonadal drive (men; assumed 0 in women)."""
    return p.gonadal_testosterone_share * (1.0 - v.is_female)


def _outputs(v: Signals, p: Signals) -> dict[str, Value]:
    share = _gonadal_share(v, p)
    endogenous = v.baseline_testosterone * (1.0 - share + share * v.gonadal_drive)
    testosterone = endogenous + _exogenous_testosterone(v, p)
    relative_testosterone = testosterone / v.baseline_testosterone
    aromatised = by_sex(
        v.is_female, p.aromatised_estradiol_share_male, p.aromatised_estradiol_share_female
    )
    estradiol = v.baseline_estradiol * (
        1.0 - aromatised + aromatised * relative_testosterone * (1.0 - aromatase_inhibition(v, p))
    )
    absorbed = (
        p.progesterone_oral_bioavailability
        * rate_from_half_life(p.progesterone_gut_half_life)
        * v.progesterone_gut_transit
    )
    clearance = p.progesterone_clearance / MINUTES_PER_DAY
    return {
        "testosterone": testosterone,
        "estradiol": estradiol,
        "progesterone": v.baseline_progesterone + absorbed / clearance * MG_PER_L_IN_NG_PER_ML,
        "sleep_crh_relief": p.sleep_crh_relief_per_quality
        * ops.maximum(v.sleep_quality - 1.0, 0.0),
    }


def gonadal_drive_target(v: Signals, p: Signals) -> Value:
    """LH-driven gonadal drive set by estradiol and testosterone feedback, plus gonadorelin."""
    weight = p.hpg_estradiol_feedback_weight
    feedback = weight * v.estradiol / v.baseline_estradiol + (1.0 - weight) * (
        v.testosterone / v.baseline_testosterone
    )
    free = ops.maximum(feedback, 1e-3) ** -p.hpg_feedback_steepness
    rescue = p.gonadorelin_max_rescue * hill(v.gonadorelin_activity, p.gonadorelin_half_effect)
    suppressed = ops.minimum(free, 1.0)
    return free + rescue * (1.0 - suppressed)


def _rates(v: Signals, p: Signals) -> dict[str, Value]:
    depot_rate = rate_from_half_life(p.testosterone_depot_half_life * MINUTES_PER_DAY)
    gut_rate = rate_from_half_life(p.progesterone_gut_half_life)
    sleep_target = 1.0 + p.gh_peptide_sleep_gain * hill(
        v.gh_peptide_activity, p.gh_peptide_half_effect
    )
    return {
        "testosterone_depot": -depot_rate * v.testosterone_depot,
        "testosterone_depot_transit": depot_rate
        * (v.testosterone_depot - v.testosterone_depot_transit),
        "testosterone_skin_depot": -rate_from_half_life(
            p.testosterone_skin_half_life * MINUTES_PER_DAY
        )
        * v.testosterone_skin_depot,
        "gonadal_drive": approach(
            v.gonadal_drive, gonadal_drive_target(v, p), p.gonadal_drive_half_life * MINUTES_PER_DAY
        ),
        "anastrozole_body": -rate_from_half_life(p.anastrozole_half_life * 60.0)
        * v.anastrozole_body,
        "gonadorelin_activity": -rate_from_half_life(p.gonadorelin_activity_half_life * 60.0)
        * v.gonadorelin_activity,
        "progesterone_gut": -gut_rate * v.progesterone_gut,
        "progesterone_gut_transit": gut_rate * (v.progesterone_gut - v.progesterone_gut_transit),
        "gh_peptide_activity": -rate_from_half_life(p.gh_peptide_activity_half_life * 60.0)
        * v.gh_peptide_activity,
        "sleep_quality": approach(
            v.sleep_quality, sleep_target, p.sleep_quality_half_life * MINUTES_PER_DAY
        ),
    }


def _resting(v: Signals, p: Signals) -> dict[str, Value]:
    """No therapy: empty depots, the gonads at their own drive, usual sleep."""
    zero = ops.zeros_like(v.baseline_testosterone)
    resting = {name: zero for name, _, _ in _STATES}
    resting["gonadal_drive"] = resting["sleep_quality"] = zero + 1.0
    return resting


_STATES = (
    ("testosterone_depot", "mg", "testosterone cypionate at the injection site"),
    ("testosterone_depot_transit", "mg", "testosterone cypionate in the releasing depot"),
    ("testosterone_skin_depot", "mg", "testosterone cream in the skin reservoir"),
    ("gonadal_drive", _UNITLESS, "LH-driven gonadal testosterone production, x baseline"),
    ("anastrozole_body", "mg", "anastrozole in the body"),
    ("gonadorelin_activity", "ug", "gonadorelin stimulation (dose-equivalent)"),
    ("progesterone_gut", "mg", "oral progesterone in the stomach"),
    ("progesterone_gut_transit", "mg", "oral progesterone in the absorbing gut"),
    ("gh_peptide_activity", "ug", "GH-secretagogue stimulation (dose-equivalent)"),
    ("sleep_quality", _UNITLESS, "slow-wave sleep quality, x usual"),
)

ENDOCRINE = SubModel(
    name="endocrine",
    description=__doc__.split("\n")[0],
    s_ids=("S2.5", "S2.7"),
    states=tuple(Variable(*state) for state in _STATES),
    outputs=(
        Variable("testosterone", "ng/dL", "serum total testosterone"),
        Variable("estradiol", "pg/mL", "serum estradiol"),
        Variable("progesterone", "ng/mL", "serum progesterone"),
        Variable("sleep_crh_relief", _UNITLESS, "fall of the tonic CRH drive from better sleep"),
    ),
    inputs=(
        Variable("baseline_testosterone", "ng/dL", "the subject's own serum testosterone"),
        Variable("baseline_estradiol", "pg/mL", "the subject's own serum estradiol"),
        Variable("baseline_progesterone", "ng/mL", "the subject's own serum progesterone"),
        Variable("is_female", _UNITLESS, "1 for women"),
    ),
    parameters=PARAMETERS,
    outputs_fn=_outputs,
    rates_fn=_rates,
    resting_state_fn=_resting,
    max_step=120.0,
)
