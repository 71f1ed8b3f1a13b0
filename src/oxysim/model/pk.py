"""Oxytocin pharmacokinetics: plasma, a peripheral compartment, CSF, and dosing routes.

Plasma oxytocin follows a two-compartment model with no protein binding (de Groot 1995). Brain
oxytocin (CSF / extracellular fluid) is a separate compartment fed by central release and, very
weakly, from blood across the blood-brain barrier (Mens WB et al. Brain Res 1983;262:143-9).

Dosing routes: IV bolus into plasma, IV infusion, subcutaneous depot, and intranasal. A nasal dose
sits in a nasal depot that empties three ways: absorption into blood, mucociliary clearance and
swallowing (lost), and - the contested part (S4.6) - direct nose-to-brain transport through a slow
olfactory/trigeminal transit compartment into CSF (Striepens et al. Sci Rep 2013;3:3440;
Leng G, Ludwig M. Biol Psychiatry 2016;79:243-50 argue the brain share is negligible). Setting
``nose_to_brain_rate`` to 0 switches that route off.
"""

from __future__ import annotations

from oxysim.model import ops
from oxysim.model.motifs import rate_from_half_life
from oxysim.model.ops import Value
from oxysim.model.parameters import Parameter
from oxysim.model.submodel import Signals, SubModel, Variable
from oxysim.units import MICROGRAM_PER_IU

_IV = "iv_half_life"
_NASAL = "intranasal_plasma_and_csf"
PARAMETERS = (
    Parameter(
        "central_volume",
        5.0,
        "L",
        "volume of the central (plasma) compartment",
        "established",
        (4.0, 20.0),
        calibrated_to=_IV,
        source="with the clearance gives the 3-5 min plasma half-life after an IV bolus "
        "(de Groot AN et al. J Pharm Pharmacol 1995;47:571-5)",
    ),
    Parameter(
        "peripheral_volume",
        6.0,
        "L",
        "volume of the peripheral compartment",
        "established",
        (2.0, 30.0),
        calibrated_to=_IV,
        source="time to steady state about 40 min during constant infusion (Seitchik J et al. "
        "Am J Obstet Gynecol 1984;150:225-8)",
    ),
    Parameter(
        "plasma_clearance",
        1.12,
        "L/min",
        "clearance of oxytocin from plasma (liver, kidney, oxytocinase)",
        "established",
        (0.4, 2.0),
        source="de Groot 1995: about 67 L/h",
        between_subject_cv=0.25,
    ),
    Parameter(
        "intercompartmental_clearance",
        0.12,
        "L/min",
        "exchange between plasma and peripheral compartment",
        "established",
        (0.01, 0.6),
        calibrated_to=_IV,
        source="fitted with peripheral_volume to the bolus half-life and infusion steady state",
    ),
    Parameter(
        "nasal_absorption_rate",
        0.002,
        "1/min",
        "transfer from the nasal depot into blood",
        "human-single",
        (0.0, 1.0),
        calibrated_to=_NASAL,
        between_subject_cv=0.5,
        source="CV: assumption (spray technique and mucosa vary)",
    ),
    Parameter(
        "nasal_clearance_rate",
        0.03,
        "1/min",
        "mucociliary clearance and swallowing of a nasal dose",
        "established",
        (0.001, 1.0),
        source="nasal clearance half-time about 20 min (mucociliary clearance 10-20 min: "
        "Marttin E et al. Adv Drug Deliv Rev 1998;29:13-38)",
    ),
    Parameter(
        "nose_to_brain_rate",
        4.0e-6,
        "1/min",
        "direct transfer from the nasal depot toward CSF",
        "contested",
        (0.0, 1.0e-3),
        calibrated_to=_NASAL,
        between_subject_cv=0.6,
        source="Striepens 2013 CSF rise; Lee MR et al. Mol Psychiatry 2018;23:115-22 (labelled "
        "oxytocin reaches CSF in macaques); Leng & Ludwig 2016 (negligible). CV: assumption",
        neutral=0.0,
    ),
    Parameter(
        "brain_transit_time",
        60.0,
        "min",
        "mean transit time along olfactory/trigeminal pathways",
        "contested",
        (1.0, 240.0),
        calibrated_to=_NASAL,
        source="CSF rise significant only by about 75 min (Striepens 2013)",
    ),
    Parameter(
        "subcutaneous_absorption_rate",
        0.05,
        "1/min",
        "absorption from a subcutaneous depot",
        "assumption",
        (0.001, 1.0),
        source="assumption: peptide absorption half-time about 15 min; no human data found",
    ),
    Parameter(
        "subcutaneous_bioavailability",
        0.8,
        "1",
        "fraction of a subcutaneous dose reaching blood",
        "assumption",
        (0.0, 1.0),
        source="assumption: typical for small peptides",
    ),
    Parameter(
        "csf_volume",
        150.0,
        "mL",
        "volume of cerebrospinal fluid",
        "established",
        (50.0, 300.0),
        source="textbook adult CSF volume (Sakka L et al. Eur Ann Otorhinolaryngol "
        "2011;128:309-16)",
    ),
    Parameter(
        "csf_half_life",
        20.0,
        "min",
        "elimination half-life of oxytocin from CSF",
        "animal",
        (5.0, 120.0),
        source="about 19 min in rat CSF (Mens WB, Witter A, van Wimersma Greidanus TB. Brain Res "
        "1983;262:143-9)",
    ),
    Parameter(
        "blood_brain_permeability",
        0.01,
        "mL/min",
        "permeability-surface product of the blood-brain barrier for oxytocin",
        "animal",
        (0.0, 1.0),
        source="about 0.002 % of plasma oxytocin reaches CSF (Mens 1983); value set so IV doses "
        "barely raise CSF",
        neutral=0.0,
    ),
)


def _microgram_to_ng(amount: Value) -> Value:
    return amount * 1000.0


def _outputs(v: Signals, p: Signals) -> dict[str, Value]:
    return {"plasma_oxytocin": v.plasma_oxytocin_amount / p.central_volume}


def _rates(v: Signals, p: Signals) -> dict[str, Value]:
    plasma = v.plasma_oxytocin
    peripheral = v.peripheral_oxytocin_amount / p.peripheral_volume
    nasal_out = p.nasal_absorption_rate + p.nasal_clearance_rate + p.nose_to_brain_rate
    transit_rate = 1.0 / p.brain_transit_time
    sc_rate = p.subcutaneous_absorption_rate
    absorbed_ng = _microgram_to_ng(
        p.nasal_absorption_rate * v.nasal_depot
        + sc_rate * p.subcutaneous_bioavailability * v.subcutaneous_depot
    )
    infusion_ng = _microgram_to_ng(v.iv_infusion_rate * MICROGRAM_PER_IU)
    exchange = p.intercompartmental_clearance * (plasma - peripheral)
    # ng/min arriving in CSF -> pg/mL/min in csf_volume mL
    into_csf = (
        _microgram_to_ng(transit_rate * v.brain_transit) * 1000.0
        + p.blood_brain_permeability * plasma
    ) / p.csf_volume
    return {
        "nasal_depot": -nasal_out * v.nasal_depot,
        "subcutaneous_depot": -sc_rate * v.subcutaneous_depot,
        "brain_transit": p.nose_to_brain_rate * v.nasal_depot - transit_rate * v.brain_transit,
        "plasma_oxytocin_amount": v.pituitary_secretion_rate
        + v.milk_ejection_secretion_rate
        + infusion_ng
        + absorbed_ng
        - p.plasma_clearance * plasma
        - exchange,
        "peripheral_oxytocin_amount": exchange,
        "csf_oxytocin": v.central_release_rate
        + into_csf
        - rate_from_half_life(p.csf_half_life) * v.csf_oxytocin,
    }


def _resting(v: Signals, p: Signals) -> dict[str, Value]:
    plasma = v.pituitary_secretion_rate / p.plasma_clearance
    csf = (v.central_release_rate + p.blood_brain_permeability * plasma / p.csf_volume) / (
        rate_from_half_life(p.csf_half_life)
    )
    zero = ops.zeros_like(plasma)
    return {
        "nasal_depot": zero,
        "subcutaneous_depot": zero,
        "brain_transit": zero,
        "plasma_oxytocin_amount": plasma * p.central_volume,
        "peripheral_oxytocin_amount": plasma * p.peripheral_volume,
        "csf_oxytocin": csf,
    }


#: Where each dosing route puts its dose, and the factor from IU to that state's unit.
DOSE_TARGETS: dict[str, tuple[str, float]] = {
    "intranasal": ("nasal_depot", MICROGRAM_PER_IU),
    "subcutaneous": ("subcutaneous_depot", MICROGRAM_PER_IU),
    "iv_bolus": ("plasma_oxytocin_amount", MICROGRAM_PER_IU * 1000.0),
}

PK = SubModel(
    name="pk",
    description=__doc__.split("\n")[0],
    s_ids=("S2.1", "S3.1", "S4.6", "S1.7"),
    states=(
        Variable("nasal_depot", "ug", "oxytocin left in the nasal cavity"),
        Variable("subcutaneous_depot", "ug", "oxytocin left at a subcutaneous injection site"),
        Variable("brain_transit", "ug", "oxytocin on its way from the nose to CSF"),
        Variable("plasma_oxytocin_amount", "ng", "oxytocin in the central (plasma) compartment"),
        Variable("peripheral_oxytocin_amount", "ng", "oxytocin in the peripheral compartment"),
        Variable("csf_oxytocin", "pg/mL", "oxytocin in CSF / brain extracellular fluid"),
    ),
    outputs=(
        Variable("plasma_oxytocin", "pg/mL", "plasma oxytocin (true, extracted-assay scale)"),
    ),
    inputs=(
        Variable("pituitary_secretion_rate", "ng/min", "endogenous secretion"),
        Variable("central_release_rate", "pg/mL/min", "endogenous central release"),
        Variable("iv_infusion_rate", "IU/min", "IV infusion"),
        Variable("milk_ejection_secretion_rate", "ng/min", "pulses of the milk-ejection reflex"),
    ),
    rate_only_inputs=(
        "pituitary_secretion_rate",
        "central_release_rate",
        "iv_infusion_rate",
        "milk_ejection_secretion_rate",
    ),
    parameters=PARAMETERS,
    outputs_fn=_outputs,
    rates_fn=_rates,
    resting_state_fn=_resting,
)
