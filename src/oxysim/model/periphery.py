"""Peripheral actions of oxytocin: labour, milk ejection and muscle repair (S3.1, S3.6).

**Uterine contractions.** Myometrial activation ``a`` relaxes (time constant ``T_u``) toward
``hill(S + D_lab * labour, S50, n)``, where ``S = oxtr_signal_uterus`` (bound uterine OXTR, x a
resting reference) and ``D_lab`` is the drive of spontaneous labour itself (prostaglandins,
stretch, gap junctions; an assumption, in OXTR-signal units). Contractions per 10 min are
``F_max * a``; Montevideo units (the summed peak pressures in 10 min) are that frequency times an
intensity rising from ``I_min`` to ``I_max`` with ``a``. Because the signal at week 39 is about 14
times that at week 15 for the same plasma oxytocin, the same infusion moves a term uterus and
barely touches a mid-pregnancy one. At term, spontaneous labour alone gives about 1.8
contractions per 10 min, and 2-20 mIU/min of oxytocin raise that to 2.3-4.8.

**Milk ejection.** During continuous suckling the magnocellular oxytocin neurons fire a
synchronised burst every few minutes, each a pulse of oxytocin into blood; dendritic oxytocin
primes and coordinates the bursts, so an antagonist in the hypothalamus abolishes them (Rossoni
2008). A burst lasts 2-4 s, far below the 1-min step, so the generator is phenomenological, at
minute scale: a ``readiness`` r (dendritic priming) charges while suckling, the burst intensity
``h = hill(c r (1 + w b), theta, n)`` turns on steeply when primed drive crosses ``theta``, a
smoothed ``burst`` state b follows h (and, through ``w``, feeds back on it: dendritic
autocatalysis), and the burst spends the readiness::

    dr/dt = k_c (suckling - r) - k_r b r        db/dt = k_b (h - b)

``c = (1 - oxtr_antagonist_central) / (1 + k_s stress_load)``: acute stress inhibits the
reflex centrally (Ueda 1994). Every rate constant acting at rest is below 0.7/min, so
the 4-min burn-in step is stable; the reset ``k_r`` acts only during a burst, where with ``b``
at most about 0.6 its local rate stays near 1.4/min. With the defaults the first burst comes
about 4 min after suckling starts and then one about every 6 min (3-10 min in rats), each about
1.5 min wide at half height at this scale; a 1-min RK4 puts them within 0.2 min of a fine-step
solution. Secretion is ``peak * h``. Intramammary pressure rises ``delta = milk_letdown_delay``
(12 s) after each burst; a first-order response that fast (time constant below the step) acts
on the minute-scale burst envelope as a pure delay, so the pressure is evaluated as the burst
intensity at the states extrapolated back along their rates by ``delta``. The period is
rat-calibrated; women have 2-5 let-downs in a feed, the first within about a minute (Ramsay DT
et al. J Hum Lact 2004;20:36-44).

**Muscle repair.** An injury (a bolus on ``muscle_damage``, fraction of the muscle damaged) is
rebuilt by satellite cells at the rate ``capacity(age) * a / T_r``, moving damage into
``muscle_regeneration``, so ``regeneration / (regeneration + damage)`` is the fraction of one
injury repaired. Satellite-cell activation is
``a = b0 + (1 - b0) hill(E(age) * occ / occ_ref * (1 - oxtr_antagonist_peripheral), K, n_s)``,
with ``occ`` the OXTR occupancy at the plasma oxytocin and ``occ_ref`` at a young adult's level.
Both ``E`` (OXTR expression of satellite cells) and ``capacity`` (the oxytocin-independent
regenerative capacity: niche, intrinsic senescence) fall with age as
``1 - loss * hill(age, A50, n_age)``, relative to the reference age. With ``K`` = 0.25 and
``n_s`` = 2 a young adult's own oxytocin nearly saturates the pathway: extra oxytocin helps the
young by a few percent, blocking it slows their repair toward the old level, and in the old,
where ``E`` is low, extra oxytocin restores the pathway but not ``capacity``, hence about 80 %
of young repair at days 5-7 (Elabd 2014).

Defaults are human; ages are in years. For mice (Elabd 2014: young 2-3 months, old 18-24
months) use ``muscle_reference_age`` 0.2 year, ``muscle_age_half_decline`` 1.25 years (half the
age loss by about 15 months) and ``muscle_oxytocin_reference`` = the young mouse's resting plasma
oxytocin on the model's scale; the other muscle parameters are mouse-calibrated already. The
human age scale maps 15 mouse months to about 60-65 human years (Flurkey K, Currer JM, Harrison
DE. In: The Mouse in Biomedical Research, 2nd ed. Academic Press 2007:637-72).

Sources: Caldeyro-Barcia R et al. J Pharmacol Exp Ther 1957;121:18-31 (oxytocin dose-response
of the pregnant uterus; Montevideo units); Seitchik J et al. Am J Obstet Gynecol
1984;150:225-8; Hauth JC et al. Obstet Gynecol 1986;68:305-9 (200-225 Montevideo units in
augmented labour); Wakerley JB, Lincoln DW. J Endocrinol 1973;57:477-93; Rossoni E et al. PLoS
Comput Biol 2008;4:e1000123; Johnston JM, Amico JA. J Clin Endocrinol Metab 1986;62:653-7;
Elabd C et al. Nat Commun 2014;5:4082.
"""

from __future__ import annotations

from oxysim.model import ops
from oxysim.model.motifs import MINUTES_PER_DAY, clamp, hill, receptor_occupancy, relax
from oxysim.model.ops import Value
from oxysim.model.parameters import Parameter
from oxysim.model.submodel import Signals, SubModel, Variable
from oxysim.units import nanomolar_to_pg_per_ml

_UNITLESS = "1"
_LABOUR = "pitocin_labour_protocol"
_AUGMENTATION = "labour_augmentation"
_MILK = "milk_ejection_reflex"
_ELABD = "elabd2014_muscle"

UTERUS_PARAMETERS = (
    Parameter(
        "uterine_response_time",
        5.0,
        "min",
        "time constant of the contraction pattern following its OXTR drive",
        "assumption",
        (1.0, 30.0),
        source="assumption: contractions change within minutes of a change in infusion; the "
        "slower approach to steady state (about 40 min) is pharmacokinetic (Seitchik 1984)",
    ),
    Parameter(
        "uterine_signal_half_max",
        115.0,
        "1",
        "uterine OXTR signal (x resting reference) giving half-maximal contractions",
        "assumption",
        (5.0, 500.0),
        calibrated_to=_AUGMENTATION,
        source="set so 2-20 mIU/min at term (signal about 80-200, on a resting level raised "
        "about four-fold by the estradiol of late pregnancy) give 2.3-4.8 contractions per 10 "
        "min in labour, adequate from 8 mIU/min (Seitchik 1984; Hauth 1986)",
    ),
    Parameter(
        "uterine_response_hill",
        3.0,
        "1",
        "steepness of the contraction response to the OXTR signal",
        "assumption",
        (1.0, 4.0),
        calibrated_to=_AUGMENTATION,
        source="sigmoid log-dose response of the pregnant uterus (Caldeyro-Barcia 1957); 3 rather "
        "than 2 once the resting term signal is high, so that 20 mIU/min still doubles the "
        "contractions",
    ),
    Parameter(
        "labour_uterine_drive",
        25.0,
        "1",
        "drive of spontaneous labour itself (prostaglandins, stretch), in OXTR-signal units",
        "assumption",
        (0.0, 200.0),
        calibrated_to=_AUGMENTATION,
        source="assumption: gives about 1.5-2 contractions per 10 min at term without "
        "oxytocin, the slow labour that is augmented",
    ),
    Parameter(
        "uterine_max_contraction_frequency",
        5.4,
        "1",
        "maximal contractions per 10 min",
        "assumption",
        (3.0, 8.0),
        calibrated_to=_LABOUR,
        source="above 5 per 10 min is tachysystole (ACOG Practice Bulletin 106, 2009), reached "
        "only at high infusion rates",
    ),
    Parameter(
        "uterine_min_intensity",
        10.0,
        "mmHg",
        "peak pressure above tone of a weak (Braxton Hicks) contraction",
        "established",
        (0.0, 30.0),
        source="Caldeyro-Barcia R, Poseiro JJ. Clin Obstet Gynecol 1960;3:386-408 (contractions "
        "of late pregnancy about 10-15 mmHg)",
    ),
    Parameter(
        "uterine_max_intensity",
        60.0,
        "mmHg",
        "peak pressure above tone of a maximal labour contraction",
        "established",
        (30.0, 100.0),
        source="Caldeyro-Barcia & Poseiro 1960 (active labour 30-50 mmHg, second stage up to "
        "about 60); Hauth 1986",
    ),
)

MILK_PARAMETERS = (
    Parameter(
        "milk_readiness_charge_rate",
        0.1,
        "1/min",
        "rate at which suckling primes the oxytocin-neuron network for a burst",
        "assumption",
        (0.01, 0.69),
        calibrated_to=_MILK,
        source="dendritic priming (Ludwig M, Leng G. Nat Rev Neurosci 2006;7:126-36); value "
        "gives the first burst about 4 min after suckling starts",
    ),
    Parameter(
        "milk_burst_reset_rate",
        2.5,
        "1/min",
        "rate at which a burst spends the network's readiness",
        "assumption",
        (0.5, 5.0),
        calibrated_to=_MILK,
        source="a burst is followed by a refractory interval (Rossoni 2008); value sets the "
        "inter-burst interval",
    ),
    Parameter(
        "milk_burst_rate",
        0.6,
        "1/min",
        "rate at which the minute-scale burst state follows the burst intensity",
        "assumption",
        (0.1, 0.69),
        source="assumption: a 2-4 s burst (Wakerley & Lincoln 1973) smoothed to the 1-min step; "
        "kept below 0.69/min for the 4-min burn-in step",
    ),
    Parameter(
        "milk_burst_feedback",
        3.5,
        "1",
        "positive feedback of burst activity on its own drive (dendritic oxytocin)",
        "animal",
        (0.0, 20.0),
        calibrated_to=_MILK,
        source="dendritic oxytocin release synchronises and sustains bursts (Rossoni 2008; "
        "Ludwig & Leng 2006); value an assumption",
        neutral=0.0,
    ),
    Parameter(
        "milk_burst_threshold",
        0.33,
        "1",
        "primed drive at which half the network is recruited into a burst",
        "assumption",
        (0.05, 1.0),
        calibrated_to=_MILK,
        source="assumption: sets the period with the reset rate",
    ),
    Parameter(
        "milk_burst_stress_inhibition",
        1.0,
        "1",
        "inhibition of the burst generator per unit of acute stress (stress load 1 = TSST)",
        "human-single",
        (0.0, 20.0),
        calibrated_to="ueda1994_stress_and_suckling",
        source="mental arithmetic or noise during a feed cut oxytocin pulses from 2.25 to 1.28 "
        "and 1.14 per 20 min (Ueda T, Yokoyama Y, Irahara M, Aono T. Obstet Gynecol "
        "1994;84:259-62); stress inhibits the milk-ejection reflex centrally (Newton M, Newton "
        "NR. J Pediatr 1948;33:698-704)",
        neutral=0.0,
    ),
    Parameter(
        "milk_burst_steepness",
        8.0,
        "1",
        "Hill steepness of recruitment into a burst",
        "assumption",
        (2.0, 12.0),
        source="assumption: bursts are all-or-none events of the whole network (Rossoni 2008)",
    ),
    Parameter(
        "milk_ejection_peak_secretion",
        30.0,
        "ng/min",
        "pituitary secretion at full burst intensity (about 45 ng per burst)",
        "human-single",
        (0.0, 500.0),
        source="with the pk clearance gives a mean plasma oxytocin near 10 pg/mL during a feed, "
        "peaks 15-20 pg/mL (Johnston & Amico 1986: 5.9 microU/mL mean, peaks 5-23)",
    ),
    Parameter(
        "milk_letdown_delay",
        0.2,
        "min",
        "delay from a burst to the rise of intramammary pressure",
        "animal",
        (0.05, 0.5),
        source="about 12 s in lactating rats (Wakerley & Lincoln 1973; Rossoni 2008)",
    ),
)

MUSCLE_PARAMETERS = (
    Parameter(
        "muscle_repair_time",
        6.0 * MINUTES_PER_DAY,
        "min",
        "time constant of repair at full satellite-cell activation in the young (6 days)",
        "animal",
        (1.0 * MINUTES_PER_DAY, 30.0 * MINUTES_PER_DAY),
        source="after cardiotoxin injury young mouse muscle is about half regenerated at days "
        "5-7 and restored by 2-3 weeks (Hardy D et al. PLoS One 2016;11:e0147198)",
    ),
    Parameter(
        "muscle_oxytocin_independent_activation",
        0.3,
        "1",
        "share of satellite-cell activation that needs no oxytocin",
        "assumption",
        (0.0, 1.0),
        calibrated_to=_ELABD,
        source="oxytocin-knockout muscle develops normally and still regenerates, and blockade "
        "slows rather than stops repair (Elabd 2014); value an assumption",
        neutral=1.0,
    ),
    Parameter(
        "satellite_oxtr_half_signal",
        0.25,
        "1",
        "satellite-cell OXTR signal (x young adult) giving half the oxytocin-dependent activation",
        "animal",
        (0.01, 1.0),
        calibrated_to=_ELABD,
        source="extra oxytocin gives young mice no significant gain (Elabd 2014), so young "
        "levels nearly saturate the pathway",
    ),
    Parameter(
        "satellite_oxtr_hill",
        2.0,
        "1",
        "steepness of satellite-cell activation by the OXTR signal",
        "assumption",
        (1.0, 4.0),
        calibrated_to=_ELABD,
        source="assumption: lets young levels saturate the pathway while old levels, with "
        "fewer receptors and less oxytocin, fall well below it (Elabd 2014)",
    ),
    Parameter(
        "muscle_oxtr_age_loss",
        0.8,
        "1",
        "maximal fractional loss of satellite-cell OXTR with age",
        "animal",
        (0.0, 1.0),
        calibrated_to=_ELABD,
        source="fewer OXTR-expressing satellite cells in old mice (Elabd 2014); size an assumption",
        neutral=0.0,
    ),
    Parameter(
        "muscle_capacity_age_loss",
        0.4,
        "1",
        "maximal fractional loss of oxytocin-independent regenerative capacity with age",
        "animal",
        (0.0, 1.0),
        calibrated_to=_ELABD,
        source="oxytocin restores old repair to about 80 % of young (Elabd 2014); the rest is "
        "niche and intrinsic ageing (Conboy IM et al. Nature 2005;433:760-4; Sousa-Victor P et "
        "al. Nature 2014;506:316-21)",
        neutral=0.0,
    ),
    Parameter(
        "muscle_age_half_decline",
        62.0,
        "year",
        "age at which half the age losses of satellite-cell function have occurred",
        "assumption",
        (0.5, 120.0),
        source="mouse about 15 months (between the young and old groups of Elabd 2014) mapped "
        "to human years (Flurkey 2007); mice: 1.25 year",
        species_values={"mouse": 1.25},
    ),
    Parameter(
        "muscle_age_hill",
        4.0,
        "1",
        "steepness of the age losses",
        "assumption",
        (1.0, 8.0),
        source="assumption: satellite-cell function holds in adulthood and falls in old age "
        "(Sousa-Victor 2014)",
    ),
    Parameter(
        "muscle_reference_age",
        25.0,
        "year",
        "age of the young adult reference",
        "assumption",
        (0.05, 60.0),
        source="assumption: a young adult; mice: 0.2 year (2-3 months, Elabd 2014)",
        species_values={"mouse": 0.2},
    ),
    Parameter(
        "muscle_oxytocin_reference",
        3.0,
        "pg/mL",
        "resting plasma oxytocin of the young adult reference",
        "established",
        (0.1, 1000.0),
        source="resting extracted plasma oxytocin 1-10 pg/mL (McCullough ME et al. Neurosci "
        "Biobehav Rev 2013;37:1485-92); the model's resting value",
    ),
    Parameter(
        "satellite_oxtr_kd",
        1.5,
        "nmol/L",
        "dissociation constant of satellite-cell OXTR",
        "established",
        (0.5, 5.0),
        source="Gimpl G, Fahrenholz F. Physiol Rev 2001;81:629-83 (Kd about 1-2 nM)",
    ),
)

PARAMETERS = UTERUS_PARAMETERS + MILK_PARAMETERS + MUSCLE_PARAMETERS


# --- uterus -----------------------------------------------------------------------------------


def uterine_activation_target(v: Signals, p: Signals) -> Value:
    """Steady-state myometrial activation (0-1) for the OXTR signal and labour."""
    drive = v.oxtr_signal_uterus + p.labour_uterine_drive * v.labour
    return hill(drive, p.uterine_signal_half_max, p.uterine_response_hill)


def _uterine_outputs(v: Signals, p: Signals) -> dict[str, Value]:
    activation = v.uterine_activation
    frequency = p.uterine_max_contraction_frequency * activation
    intensity = p.uterine_min_intensity + (
        p.uterine_max_intensity - p.uterine_min_intensity
    ) * clamp(activation, 0.0, 1.0)
    return {
        "uterine_contractions_per_10_min": frequency,
        "uterine_activity": frequency * intensity,
    }


# --- milk ejection ----------------------------------------------------------------------------


def burst_intensity(readiness: Value, burst: Value, v: Signals, p: Signals) -> Value:
    """Fraction of the oxytocin-neuron network firing in a synchronised burst (0-1)."""
    coupling = 1.0 - clamp(v.oxtr_antagonist_central, 0.0, 1.0)
    coupling = coupling / (1.0 + p.milk_burst_stress_inhibition * v.stress_load)
    drive = coupling * readiness * (1.0 + p.milk_burst_feedback * burst)
    return hill(drive, p.milk_burst_threshold, p.milk_burst_steepness)


def _burst_rates(
    readiness: Value, burst: Value, intensity: Value, v: Signals, p: Signals
) -> tuple[Value, Value]:
    """d(readiness)/dt and d(burst)/dt of the burst generator."""
    d_readiness = (
        p.milk_readiness_charge_rate * (v.suckling - readiness)
        - p.milk_burst_reset_rate * burst * readiness
    )
    return d_readiness, p.milk_burst_rate * (intensity - burst)


def _milk_outputs(v: Signals, p: Signals) -> dict[str, Value]:
    readiness, burst = v.milk_ejection_readiness, v.milk_ejection_burst_state
    intensity = burst_intensity(readiness, burst, v, p)
    d_readiness, d_burst = _burst_rates(readiness, burst, intensity, v, p)
    delay = p.milk_letdown_delay
    delayed = burst_intensity(readiness - delay * d_readiness, burst - delay * d_burst, v, p)
    return {
        "milk_ejection_burst": intensity,
        "milk_ejection_secretion_rate": p.milk_ejection_peak_secretion * intensity,
        "intramammary_pressure": delayed,
    }


# --- muscle -----------------------------------------------------------------------------------


def _age_retention(age: Value, loss: float, p: Signals) -> Value:
    """Fraction of a function kept at ``age``, relative to the young reference age."""

    def kept(years: Value) -> Value:
        return 1.0 - loss * hill(years, p.muscle_age_half_decline, p.muscle_age_hill)

    return kept(age) / kept(p.muscle_reference_age)


def _muscle_statics(v: Signals, p: Signals) -> dict[str, Value]:
    return {
        "satellite_cell_oxtr": _age_retention(v.age, p.muscle_oxtr_age_loss, p),
        "muscle_regenerative_capacity": _age_retention(v.age, p.muscle_capacity_age_loss, p),
    }


def satellite_cell_activation(v: Signals, p: Signals) -> Value:
    """Satellite-cell activation (0-1) from plasma oxytocin, receptors and any blockade."""
    kd = nanomolar_to_pg_per_ml(p.satellite_oxtr_kd)
    occupancy = receptor_occupancy(v.plasma_oxytocin, kd) / receptor_occupancy(
        p.muscle_oxytocin_reference, kd
    )
    unblocked = 1.0 - clamp(v.oxtr_antagonist_peripheral, 0.0, 1.0)
    signal = v.satellite_cell_oxtr * occupancy * unblocked
    basal = p.muscle_oxytocin_independent_activation
    response = hill(signal, p.satellite_oxtr_half_signal, p.satellite_oxtr_hill)
    return basal + (1.0 - basal) * response


# --- assembly ---------------------------------------------------------------------------------


def _outputs(v: Signals, p: Signals) -> dict[str, Value]:
    damage, rebuilt = v.muscle_damage, v.muscle_regeneration
    injured = damage + rebuilt
    return {
        **_uterine_outputs(v, p),
        **_milk_outputs(v, p),
        "satellite_cell_activation": satellite_cell_activation(v, p),
        "muscle_repair_fraction": rebuilt / ops.where(injured > 0.0, injured, 1.0),
    }


def _rates(v: Signals, p: Signals) -> dict[str, Value]:
    d_readiness, d_burst = _burst_rates(
        v.milk_ejection_readiness, v.milk_ejection_burst_state, v.milk_ejection_burst, v, p
    )
    repair = (
        v.muscle_regenerative_capacity
        * v.satellite_cell_activation
        / p.muscle_repair_time
        * v.muscle_damage
    )
    return {
        "uterine_activation": relax(
            v.uterine_activation, uterine_activation_target(v, p), p.uterine_response_time
        ),
        "milk_ejection_readiness": d_readiness,
        "milk_ejection_burst_state": d_burst,
        "muscle_damage": -repair,
        "muscle_regeneration": repair,
    }


def _resting(v: Signals, p: Signals) -> dict[str, Value]:
    """Contractions at their resting level; no suckling, no injury."""
    activation = uterine_activation_target(v, p)
    zero = ops.zeros_like(activation)
    return {
        "uterine_activation": activation,
        "milk_ejection_readiness": zero,
        "milk_ejection_burst_state": zero,
        "muscle_damage": zero,
        "muscle_regeneration": zero,
    }


PERIPHERY = SubModel(
    name="periphery",
    description=__doc__.split("\n")[0],
    s_ids=("S3.1", "S3.6"),
    states=(
        Variable("uterine_activation", _UNITLESS, "myometrial activation, 0-1"),
        Variable("milk_ejection_readiness", _UNITLESS, "priming of oxytocin neurons for a burst"),
        Variable("milk_ejection_burst_state", _UNITLESS, "burst activity smoothed to minutes"),
        Variable("muscle_damage", _UNITLESS, "fraction of the muscle damaged and not yet rebuilt"),
        Variable("muscle_regeneration", _UNITLESS, "fraction of the muscle rebuilt after injury"),
    ),
    statics=(
        Variable("satellite_cell_oxtr", _UNITLESS, "satellite-cell OXTR, x young adult"),
        Variable(
            "muscle_regenerative_capacity",
            _UNITLESS,
            "oxytocin-independent regenerative capacity, x young adult",
        ),
    ),
    static_fn=_muscle_statics,
    outputs=(
        Variable("uterine_contractions_per_10_min", _UNITLESS, "contractions per 10 min"),
        Variable("uterine_activity", "mmHg", "Montevideo units: summed peak pressures in 10 min"),
        Variable("milk_ejection_burst", _UNITLESS, "synchronised burst intensity, 0-1"),
        Variable("milk_ejection_secretion_rate", "ng/min", "pituitary secretion from bursts"),
        Variable("intramammary_pressure", _UNITLESS, "milk let-down pressure, 0-1"),
        Variable("satellite_cell_activation", _UNITLESS, "satellite-cell activation, 0-1"),
        Variable("muscle_repair_fraction", _UNITLESS, "fraction of the injury rebuilt"),
    ),
    inputs=(
        Variable("oxtr_signal_uterus", _UNITLESS, "bound uterine OXTR, x reference at rest"),
        Variable("labour", _UNITLESS, "spontaneous labour in progress"),
        Variable("suckling", _UNITLESS, "an infant suckling"),
        Variable("oxtr_antagonist_central", _UNITLESS, "fraction of brain OXTR blocked"),
        Variable("stress_load", _UNITLESS, "acute stress (TSST = 1)"),
        Variable("oxtr_antagonist_peripheral", _UNITLESS, "fraction of peripheral OXTR blocked"),
        Variable("plasma_oxytocin", "pg/mL", "plasma oxytocin"),
        Variable("age", "year", "age"),
    ),
    parameters=PARAMETERS,
    outputs_fn=_outputs,
    rates_fn=_rates,
    resting_state_fn=_resting,
)
