"""Oxytocin receptor (OXTR) density, affinity and occupancy (S2.2, S2.4, S2.5, S2.8).

OXTR density in five tissues (amygdala, hypothalamus, nucleus accumbens/VTA, hippocampus,
uterus) relaxes toward a target set by transcriptional regulation: estradiol up (strongly in the
uterus near term), progesterone down, testosterone context-dependent (neutral by default),
chronic cortisol down, vitamin D up (a hypothesis, off by default) and the rs53576 genotype
(brain only).
Magnesium is needed for the high-affinity binding state; without it affinity falls more than
tenfold. Occupancy is the equilibrium fraction bound; the ``oxtr_signal_*`` outputs are density
times occupancy relative to a reference subject at rest, the quantity downstream models read.

Sources: Gimpl G, Fahrenholz F. Physiol Rev 2001;81:629-83; Fuchs AR et al. Science
1982;215:1396-8 and Am J Obstet Gynecol 1984;150:734-41; Grazzini E et al. Nature
1998;392:509-12; Pearlmutter AF, Soloff MS. J Biol Chem 1979;254:3899-906 (Mg2+ and affinity);
Chen FS et al. PNAS 2011;108:19937-42; Patrick RP, Ames BN. FASEB J 2015;29:2207-22.
"""

from __future__ import annotations

from oxysim.model import ops
from oxysim.model.motifs import LN2, hill, receptor_occupancy, relative_hill, relax
from oxysim.model.ops import Value
from oxysim.model.parameters import Parameter
from oxysim.model.submodel import Signals, SubModel, Variable
from oxysim.units import nanomolar_to_pg_per_ml

BRAIN_REGIONS = ("amygdala", "hypothalamus", "nac_vta", "hippocampus")
TISSUES = (*BRAIN_REGIONS, "uterus")
_UNITLESS = "1"
_FUCHS = "pitocin_labour_protocol"

PARAMETERS = (
    Parameter(
        "reference_csf_oxytocin",
        10.0,
        "pg/mL",
        "CSF oxytocin of the reference subject, at which brain OXTR signals equal 1",
        "human-single",
        (1.0, 50.0),
        source="normalisation point within resting human CSF oxytocin of about 5-13 pg/mL "
        "(Amico JA et al. J Clin Endocrinol Metab 1983;57:947-51)",
    ),
    Parameter(
        "magnesium_reference",
        0.85,
        "mmol/L",
        "serum magnesium of the reference subject",
        "established",
        (0.5, 1.2),
        source="adult serum magnesium reference range 0.75-0.95 mmol/L",
    ),
    Parameter(
        "oxtr_half_life",
        1440.0,
        "min",
        "turnover half-life of OXTR expression",
        "assumption",
        (60.0, 20160.0),
        source="assumption: receptor induction by estradiol takes about a day (Gimpl & "
        "Fahrenholz 2001, uterine and hypothalamic induction in rats)",
    ),
    Parameter(
        "oxtr_kd_high_affinity",
        1.5,
        "nmol/L",
        "dissociation constant of the Mg-bound high-affinity state",
        "established",
        (0.5, 5.0),
        source="Gimpl & Fahrenholz 2001: Kd about 1-2 nM (myometrium, cloned human OXTR)",
    ),
    Parameter(
        "oxtr_kd_low_affinity_fold",
        100.0,
        "1",
        "fold higher Kd of the cation-free receptor",
        "established",
        (10.0, 2000.0),
        source="Pearlmutter & Soloff 1979 (more than tenfold); Antoni FA, Chadio SE. Biochem J "
        "1989;257:611-4 (about 1500-fold without Mg2+); 100 keeps the in-vivo effect moderate",
    ),
    Parameter(
        "magnesium_half_saturation",
        0.3,
        "mmol/L",
        "Mg2+ giving half the receptors in the high-affinity state",
        "assumption",
        (0.05, 2.0),
        source="in-vitro binding needs Mg2+ in the millimolar range (Pearlmutter & Soloff 1979); "
        "mapping to serum magnesium is an assumption",
    ),
    Parameter(
        "estradiol_reference",
        25.0,
        "pg/mL",
        "estradiol of the reference subject (young man)",
        "established",
        (5.0, 100.0),
        source="adult male serum estradiol 10-40 pg/mL (Orwoll E et al. J Clin Endocrinol Metab "
        "2006;91:1336-44)",
    ),
    Parameter(
        "brain_estradiol_half_max",
        150.0,
        "pg/mL",
        "estradiol giving half the brain OXTR induction",
        "animal",
        (10.0, 5000.0),
        source="estradiol induces OXTR in hypothalamus and amygdala of rats (Gimpl & Fahrenholz "
        "2001); half-maximum in the late-follicular range is an assumption",
    ),
    Parameter(
        "brain_estradiol_amplitude",
        0.6,
        "1",
        "maximal relative brain OXTR induction by estradiol",
        "animal",
        (0.0, 5.0),
        source="Gimpl & Fahrenholz 2001 (rat: tens of percent); magnitude for humans assumed",
        neutral=0.0,
    ),
    Parameter(
        "uterine_estradiol_half_max",
        13000.0,
        "pg/mL",
        "estradiol giving half the uterine OXTR induction",
        "established",
        (100.0, 50000.0),
        calibrated_to=_FUCHS,
        source="Fuchs 1982/1984: myometrial OXTR about 12-fold higher at 37-41 than at 13-17 weeks",
    ),
    Parameter(
        "uterine_estradiol_amplitude",
        300.0,
        "1",
        "maximal uterine OXTR induction by estradiol, x non-pregnant",
        "established",
        (1.0, 1000.0),
        calibrated_to=_FUCHS,
        source="Fuchs 1984: non-pregnant myometrium 50-100 times lower than at term",
    ),
    Parameter(
        "uterine_estradiol_hill",
        3.0,
        "1",
        "steepness of uterine OXTR induction by estradiol",
        "assumption",
        (1.0, 4.0),
        calibrated_to=_FUCHS,
        source="cooperativity chosen so the 13-17 vs 37-41 week ratio matches Fuchs 1984",
    ),
    Parameter(
        "progesterone_half_inhibition",
        100.0,
        "ng/mL",
        "progesterone halving OXTR signalling",
        "established",
        (1.0, 1000.0),
        source="progesterone binds OXTR and inhibits signalling, and lowers expression (Grazzini "
        "1998); half-inhibition at late-pregnancy levels is an assumption",
    ),
    Parameter(
        "progesterone_reference",
        0.5,
        "ng/mL",
        "progesterone of the reference subject",
        "established",
        (0.0, 5.0),
        source="adult male and follicular-phase progesterone < 1 ng/mL",
    ),
    Parameter(
        "testosterone_oxtr_effect",
        0.0,
        "1",
        "relative OXTR change per doubling of testosterone (direct, beyond aromatisation)",
        "contested",
        (-0.5, 0.5),
        source="seed 002 (S2.5): context-dependent; rodent data both directions; neutral default",
        neutral=0.0,
    ),
    Parameter(
        "testosterone_reference",
        600.0,
        "ng/dL",
        "testosterone of the reference subject",
        "established",
        (100.0, 1200.0),
        source="young adult male total testosterone about 400-800 ng/dL (Travison TG et al. J "
        "Clin Endocrinol Metab 2017;102:1161-73)",
    ),
    Parameter(
        "cortisol_oxtr_half_inhibition",
        600.0,
        "nmol/L",
        "chronic mean cortisol halving brain OXTR expression",
        "animal",
        (100.0, 5000.0),
        source="chronic glucocorticoid and stress lower OXTR binding in rodents (Liberzon I, "
        "Young EA. Brain Res 1997;5:167-70); human scale is an assumption",
    ),
    Parameter(
        "chronic_cortisol_reference",
        230.0,
        "nmol/L",
        "daily-mean plasma cortisol of the reference subject",
        "established",
        (50.0, 600.0),
        source="24-h mean total cortisol of healthy adults about 200-250 nmol/L",
    ),
    Parameter(
        "vitamin_d_oxtr_effect",
        0.0,
        "1",
        "maximal relative OXTR gain from vitamin D (0 = hypothesis off)",
        "claim",
        (0.0, 1.0),
        source="Patrick & Ames 2015 (a vitamin D response element: hypothesis); off by default",
        neutral=0.0,
    ),
    Parameter(
        "vitamin_d_half_max",
        50.0,
        "nmol/L",
        "25(OH)D giving half the hypothesised effect",
        "claim",
        (10.0, 200.0),
        source="assumption: sufficiency threshold 50 nmol/L (IOM 2011)",
    ),
    Parameter(
        "vitamin_d_reference",
        60.0,
        "nmol/L",
        "25(OH)D of the reference subject",
        "established",
        (10.0, 200.0),
        source="typical adult 25(OH)D (IOM 2011 report)",
    ),
    Parameter(
        "rs53576_ag_expression",
        0.9,
        "1",
        "brain OXTR function of AG relative to GG",
        "human-single",
        (0.1, 1.5),
        calibrated_to="chen2011_support_by_genotype",
        source="Chen 2011: G carriers (GG and AG) buffered alike",
        neutral=1.0,
    ),
    Parameter(
        "rs53576_aa_expression",
        0.45,
        "1",
        "brain OXTR function of AA relative to GG",
        "human-single",
        (0.1, 1.5),
        calibrated_to="chen2011_support_by_genotype",
        source="Chen 2011: no buffering by support in AA; meta-analyses (Bakermans-Kranenburg & "
        "van IJzendoorn 2014) find small average genotype effects",
        neutral=1.0,
    ),
)


def affinity_kd(magnesium: Value, p: Signals) -> Value:
    """Effective Kd (pg/mL) from the Mg-dependent mix of high- and low-affinity receptors."""
    high = hill(magnesium, p.magnesium_half_saturation)
    kd_high = nanomolar_to_pg_per_ml(p.oxtr_kd_high_affinity)
    return 1.0 / (high / kd_high + (1.0 - high) / (kd_high * p.oxtr_kd_low_affinity_fold))


def _genotype_factor(v: Signals, p: Signals) -> Value:
    g = v.rs53576_g_alleles
    return ops.where(
        g >= 2, 1.0, ops.where(g >= 1, p.rs53576_ag_expression, p.rs53576_aa_expression)
    )


def _hormonal_factor(v: Signals, p: Signals) -> Value:
    """Regulation by progesterone, testosterone and vitamin D, common to all tissues."""
    progesterone = (1.0 + p.progesterone_reference / p.progesterone_half_inhibition) / (
        1.0 + v.progesterone / p.progesterone_half_inhibition
    )
    testosterone = 1.0 + p.testosterone_oxtr_effect * ops.log2(
        ops.maximum(v.testosterone, 1.0) / p.testosterone_reference
    )
    vitamin_d = relative_hill(
        v.vitamin_d, p.vitamin_d_reference, p.vitamin_d_half_max, p.vitamin_d_oxtr_effect
    )
    return progesterone * ops.maximum(testosterone, 0.1) * vitamin_d


def _statics(v: Signals, p: Signals) -> dict[str, Value]:
    """Per-run constants: reference occupancy and the genotype's expression factor."""
    return {
        "oxtr_reference_occupancy": receptor_occupancy(
            p.reference_csf_oxytocin, affinity_kd(p.magnesium_reference, p)
        ),
        "oxtr_genotype_factor": _genotype_factor(v, p),
    }


def target_density(v: Signals, p: Signals) -> dict[str, Value]:
    """Steady-state OXTR density of each tissue for the current hormones and cortisol."""
    shared = _hormonal_factor(v, p) * relative_hill(
        v.chronic_cortisol,
        p.chronic_cortisol_reference,
        p.cortisol_oxtr_half_inhibition,
        -0.999,
        2.0,
    )
    brain_estradiol = relative_hill(
        v.estradiol, p.estradiol_reference, p.brain_estradiol_half_max, p.brain_estradiol_amplitude
    )
    uterine_estradiol = relative_hill(
        v.estradiol,
        p.estradiol_reference,
        p.uterine_estradiol_half_max,
        p.uterine_estradiol_amplitude,
        p.uterine_estradiol_hill,
    )
    brain = shared * v.oxtr_genotype_factor * brain_estradiol
    targets = {f"oxtr_{region}": brain for region in BRAIN_REGIONS}
    targets["oxtr_uterus"] = shared * uterine_estradiol * v.is_female
    return targets


def _outputs(v: Signals, p: Signals) -> dict[str, Value]:
    kd = affinity_kd(v.magnesium, p)
    brain_occupancy = receptor_occupancy(v.csf_oxytocin, kd)
    uterine_occupancy = receptor_occupancy(v.plasma_oxytocin, kd)
    reference = v.oxtr_reference_occupancy
    out = {
        "oxtr_kd": kd,
        "oxtr_occupancy_brain": brain_occupancy,
        "oxtr_occupancy_uterus": uterine_occupancy,
    }
    brain_signal = brain_occupancy / reference
    for region in BRAIN_REGIONS:
        out[f"oxtr_signal_{region}"] = v[f"oxtr_{region}"] * brain_signal
    out["oxtr_signal_uterus"] = v.oxtr_uterus * uterine_occupancy / reference
    return out


def _rates(v: Signals, p: Signals) -> dict[str, Value]:
    tau = p.oxtr_half_life / LN2
    return {name: relax(v[name], target, tau) for name, target in target_density(v, p).items()}


RECEPTOR = SubModel(
    name="receptor",
    description=__doc__.split("\n")[0],
    s_ids=("S2.2", "S2.4", "S2.5", "S2.8", "S2.10"),
    states=tuple(
        Variable(f"oxtr_{t}", _UNITLESS, f"OXTR density in the {t.replace('_', '/')}, x reference")
        for t in TISSUES
    ),
    statics=(
        Variable("oxtr_reference_occupancy", _UNITLESS, "brain occupancy of a reference subject"),
        Variable(
            "oxtr_genotype_factor", _UNITLESS, "brain OXTR expression of the rs53576 genotype"
        ),
    ),
    static_fn=_statics,
    outputs=(
        Variable("oxtr_kd", "pg/mL", "effective dissociation constant (magnesium-dependent)"),
        Variable("oxtr_occupancy_brain", _UNITLESS, "fraction of brain OXTR bound"),
        Variable("oxtr_occupancy_uterus", _UNITLESS, "fraction of uterine OXTR bound"),
    )
    + tuple(
        Variable(f"oxtr_signal_{t}", _UNITLESS, f"bound OXTR in the {t}, x reference at rest")
        for t in TISSUES
    ),
    inputs=(
        Variable("csf_oxytocin", "pg/mL", "brain oxytocin"),
        Variable("plasma_oxytocin", "pg/mL", "plasma oxytocin"),
        Variable("chronic_cortisol", "nmol/L", "slow running mean of plasma cortisol"),
        Variable("estradiol", "pg/mL", "serum estradiol"),
        Variable("progesterone", "ng/mL", "serum progesterone"),
        Variable("testosterone", "ng/dL", "serum total testosterone"),
        Variable("magnesium", "mmol/L", "serum magnesium"),
        Variable("vitamin_d", "nmol/L", "serum 25(OH)D"),
        Variable("rs53576_g_alleles", _UNITLESS, "number of G alleles at rs53576"),
        Variable("is_female", _UNITLESS, "1 for women"),
    ),
    parameters=PARAMETERS,
    outputs_fn=_outputs,
    rates_fn=_rates,
    resting_state_fn=target_density,
)
