"""Pair bonding: partner preference, bond-protective distance, couple behaviour (S3.1-S3.4).

A pair bond forms in the nucleus accumbens (NAc) when oxytocin acting on NAc receptors and NAc
dopamine coincide while the partner is present (Young & Wang 2004). Mating brings both at once,
so it forms a bond within hours; cohabitation alone forms one within a day; blocking the
receptors prevents it (Williams 1994; Cho 1999). The bond strength B (0-1) follows

``dB/dt = k x P x X x D x (1 - B) - ln2 / t_half x (B - B_kept)``

with partner presence P (partner or mating, 0-1), the oxytocin drive of the bond circuit
``X = rho x max(s (1 - a) - H, 0)`` (the NAc OXTR signal s after central antagonism a, above
its habitual level H, a running mean over days: the circuit answers to oxytocin above what it
is used to, so X is 0 at rest whatever the receptor density; rho is the NAc OXTR density of the
species relative to humans, far higher in prairie than montane voles: Insel & Shapiro 1992) and
the NAc dopamine rise ``D = max(nac_dopamine - 1, 0)``. Without contact the bond fades toward
``B_kept``, the level an ongoing relationship keeps up (``is_partnered`` x the strength of an
established bond; 0 in animals).

Readouts of tests done at the current moment:

* partner preference (time with partner / time with a stranger in a choice test)
  ``1 + g x B^2 / (B^2 + B50^2)``; 2 or more counts as a preference (Williams 1992);
* extra-pair mating share ``1 / (1 + preference)``: mating opportunities follow contact time,
  so a bond makes extra-pair mating rarer but not absent (Ophir 2008: social, not sexual,
  monogamy);
* oxytocin raises the salience of an existing bond, ``B x X``: an attractive potential mate is
  kept at a larger distance (Scheele 2012), and couple interaction turns more positive (Ditzen
  2009). Neither changes without a bond, nor toward a stranger who is no potential mate.

Sources: Williams JR, Insel TR, Harbaugh CR, Carter CS. J Neuroendocrinol 1994;6:247-50; Cho
MM, DeVries AC, Williams JR, Carter CS. Behav Neurosci 1999;113:1071-9; Insel TR, Shapiro LE.
PNAS 1992;89:5981-5; Young LJ, Wang Z. Nat Neurosci 2004;7:1048-54; Liu Y, Wang ZX.
Neuroscience 2003;121:537-44 (NAc oxytocin and D2 receptors both needed); Ophir AG, Phelps SM,
Sorin AB, Wolff JO. Anim Behav 2008;75:1143-54; Scheele D et al. J Neurosci 2012;32:16074-9;
Ditzen B et al. Biol Psychiatry 2009;65:728-31.
"""

from __future__ import annotations

from oxysim.model import ops
from oxysim.model.motifs import clamp, hill, rate_from_half_life, relax
from oxysim.model.ops import Value
from oxysim.model.parameters import Parameter
from oxysim.model.submodel import Signals, SubModel, Variable

_VOLE = "prairie_vole_bond"
_SCHEELE = "scheele2012_approach_distance"
_DITZEN = "ditzen2009_couple_conflict"
_UNITLESS = "1"

PARAMETERS = (
    Parameter(
        "bond_formation_rate",
        1.0e-4,
        "1/min",
        "rate of bond formation per unit oxytocin drive x NAc dopamine rise with the partner",
        "animal",
        (1e-6, 1e-3),
        calibrated_to=_VOLE,
        source="Williams 1994 and Cho 1999: a preference after 24 h of cohabitation or 6 h with "
        "mating, not after 6 h without; coincidence of OXTR and dopamine: Liu & Wang 2003",
    ),
    Parameter(
        "accumbens_oxtr_species_density",
        1.0,
        "1",
        "NAc OXTR density entering bond formation, x the human reference",
        "animal",
        (0.01, 20.0),
        species_values={"prairie_vole": 4.0},
        source="Insel & Shapiro 1992: high OXTR binding in the NAc of prairie voles, little in "
        "montane voles; the 4-fold ratio is read from the autoradiograms (approximate). Humans "
        "are the reference (1); montane voles take the reference value too (a low-density "
        "species; no human experiment depends on this value)",
    ),
    Parameter(
        "bond_half_life",
        20160.0,
        "min",
        "half-life of a bond without contact, toward the level a relationship keeps up",
        "assumption",
        (1440.0, 525600.0),
        source="assumption: partner preferences last for weeks after separation in prairie "
        "voles (Young & Wang 2004); two weeks",
    ),
    Parameter(
        "oxytocin_habituation_time_constant",
        4320.0,
        "min",
        "averaging time of the habitual NAc oxytocin signal the bond circuit compares against",
        "assumption",
        (1440.0, 43200.0),
        source="assumption: adaptation over days, slower than any bonding protocol (hours to a "
        "day), so that only a rise above the subject's own tonic signal drives bonding",
    ),
    Parameter(
        "established_bond_strength",
        0.8,
        "1",
        "bond strength of a person in an ongoing romantic relationship (is_partnered = 1)",
        "assumption",
        (0.0, 1.0),
        source="assumption: a long-term partnership is a near-full bond; only its product with "
        "the readout gains is constrained (Scheele 2012, Ditzen 2009)",
    ),
    Parameter(
        "partner_preference_gain",
        6.0,
        "1",
        "rise of the partner/stranger contact-time ratio of a fully bonded animal",
        "animal",
        (0.0, 50.0),
        source="Williams 1992 and 1994: bonded females spend several times longer with the "
        "partner than with a stranger in a 3-h choice test; size approximate",
        neutral=0.0,
    ),
    Parameter(
        "partner_preference_half_bond",
        0.3,
        "1",
        "bond strength giving half the maximal preference (Hill n = 2)",
        "assumption",
        (0.01, 1.0),
        calibrated_to=_VOLE,
        source="assumption: the preference shows once the bond outweighs the novelty of the "
        "stranger, a threshold-like readout",
    ),
    Parameter(
        "stop_distance",
        58.0,
        "cm",
        "ideal distance kept from an approaching stranger without a bond-protective effect",
        "human-single",
        (20.0, 150.0),
        between_subject_cv=0.17,
        source="Scheele 2012 Table 3: placebo ideal distance 55-61 cm, SD about 10 cm",
    ),
    Parameter(
        "bond_protective_distance_gain",
        32.0,
        "cm",
        "extra distance from an attractive potential mate per unit of oxytocin-raised salience",
        "human-single",
        (0.0, 200.0),
        calibrated_to=_SCHEELE,
        source="Scheele 2012: partnered men under 24 IU oxytocin kept 10-15 cm more distance "
        "from an attractive woman; single men did not",
        neutral=0.0,
    ),
    Parameter(
        "positive_negative_ratio",
        1.0,
        "1",
        "ratio of positive to negative behaviour in a couple conflict discussion, typical couple",
        "assumption",
        (0.05, 20.0),
        between_subject_cv=0.6,
        source="assumption: couples vary widely in conflict behaviour (Ditzen 2009 coded "
        "positive and negative behaviour; the spread here sets the effect size d)",
    ),
    Parameter(
        "affiliative_behaviour_gain",
        0.75,
        "1",
        "relative rise of the positive/negative behaviour ratio per unit of raised bond salience",
        "human-single",
        (0.0, 10.0),
        calibrated_to=_DITZEN,
        source="Ditzen 2009: 40 IU intranasal oxytocin raised the ratio (about d = 0.6)",
        neutral=0.0,
    ),
)


def partner_presence(v: Signals) -> Value:
    """Presence of the partner, 0-1: time together or mating."""
    return clamp(ops.as_float(v.social_partner + v.mating), 0.0, 1.0)


def accumbens_oxytocin_signal(v: Signals) -> Value:
    """Bound NAc OXTR (x reference) left unblocked by a central antagonist."""
    blocked = clamp(v.oxtr_antagonist_central, 0.0, 1.0)
    return v.oxtr_signal_nac_vta * (1.0 - blocked)


def bond_oxytocin_drive(v: Signals, p: Signals) -> Value:
    """NAc oxytocin signal above its habitual level, scaled by the species' NAc OXTR density."""
    above = ops.maximum(accumbens_oxytocin_signal(v) - v.habitual_nac_oxytocin_signal, 0.0)
    return p.accumbens_oxtr_species_density * above


def _kept_bond(v: Signals, p: Signals) -> Value:
    """Bond level an ongoing relationship keeps up: established bond if partnered, else 0."""
    return p.established_bond_strength * v.is_partnered


def _outputs(v: Signals, p: Signals) -> dict[str, Value]:
    bond = v.pair_bond_strength
    drive = bond_oxytocin_drive(v, p)
    salience = bond * drive
    preference = 1.0 + p.partner_preference_gain * hill(bond, p.partner_preference_half_bond, 2.0)
    protective = p.bond_protective_distance_gain * salience
    return {
        "bond_oxytocin_drive": drive,
        "partner_preference_ratio": preference,
        "extra_pair_mating_share": 1.0 / (1.0 + preference),
        "bond_salience": salience,
        "stop_distance_stranger": p.stop_distance + ops.zeros_like(bond),
        "stop_distance_potential_mate": p.stop_distance + protective,
        "positive_negative_behaviour_ratio": p.positive_negative_ratio
        * (1.0 + p.affiliative_behaviour_gain * salience),
    }


def _rates(v: Signals, p: Signals) -> dict[str, Value]:
    bond = v.pair_bond_strength
    dopamine = ops.maximum(v.nac_dopamine - 1.0, 0.0)
    coincidence = partner_presence(v) * v.bond_oxytocin_drive * dopamine
    forgetting = rate_from_half_life(p.bond_half_life) * (bond - _kept_bond(v, p))
    return {
        "pair_bond_strength": p.bond_formation_rate * coincidence * (1.0 - bond) - forgetting,
        "habitual_nac_oxytocin_signal": relax(
            v.habitual_nac_oxytocin_signal,
            accumbens_oxytocin_signal(v),
            p.oxytocin_habituation_time_constant,
        ),
    }


def _resting(v: Signals, p: Signals) -> dict[str, Value]:
    """At rest nothing forms a bond: B sits at the level the relationship keeps up."""
    return {
        "pair_bond_strength": _kept_bond(v, p),
        "habitual_nac_oxytocin_signal": accumbens_oxytocin_signal(v),
    }


BONDING = SubModel(
    name="bonding",
    description=__doc__.split("\n")[0],
    s_ids=("S3.1", "S3.2", "S3.3", "S3.4"),
    states=(
        Variable("pair_bond_strength", _UNITLESS, "strength of the pair bond, 0-1"),
        Variable("habitual_nac_oxytocin_signal", _UNITLESS, "running mean of the NAc OXTR signal"),
    ),
    outputs=(
        Variable("bond_oxytocin_drive", _UNITLESS, "NAc oxytocin signal above habitual, x species"),
        Variable("partner_preference_ratio", _UNITLESS, "partner/stranger time in a choice test"),
        Variable(
            "extra_pair_mating_share", _UNITLESS, "share of matings outside the pair bond, 0-1"
        ),
        Variable("bond_salience", _UNITLESS, "bond strength x its oxytocin drive"),
        Variable("stop_distance_stranger", "cm", "distance kept from a stranger, not a mate"),
        Variable(
            "stop_distance_potential_mate", "cm", "distance kept from an attractive potential mate"
        ),
        Variable(
            "positive_negative_behaviour_ratio",
            _UNITLESS,
            "positive/negative behaviour in a couple discussion",
        ),
    ),
    inputs=(
        Variable("oxtr_signal_nac_vta", _UNITLESS, "bound NAc/VTA OXTR, x reference at rest"),
        Variable("nac_dopamine", _UNITLESS, "NAc dopamine, x basal"),
        Variable("social_partner", _UNITLESS, "time with the partner"),
        Variable("mating", _UNITLESS, "mating in progress"),
        Variable("oxtr_antagonist_central", _UNITLESS, "fraction of brain OXTR blocked"),
        Variable("is_partnered", _UNITLESS, "1 when in a romantic relationship"),
    ),
    parameters=PARAMETERS,
    outputs_fn=_outputs,
    rates_fn=_rates,
    resting_state_fn=_resting,
)
