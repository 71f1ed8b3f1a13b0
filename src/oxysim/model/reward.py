"""The mesolimbic reward circuit and oxytocin's gate on social reward (S0.1, S0.2, S0.3, S1.5).

Dopamine neurons of the ventral tegmental area (VTA) project to the nucleus accumbens (NAc);
rewards raise their excitatory drive, their activity and the dopamine they release in the NAc
(S0.1). Oxytocin released in the VTA by the paraventricular nucleus (PVN -> VTA tract) raises the
excitatory drive of the NAc-projecting dopamine neurons during social interaction (S0.2): it
multiplies the social part of the drive only, so a non-social reward (food, drink) is not gated
by it. Activating the tract raises social interaction; silencing it, or blocking the VTA/NAc
receptors, removes most of the social dopamine response and with it normal social reward (S0.3).

States, each first order with minute-scale time constants (1 = basal for the dopamine states):

``d vta_dopamine_activity/dt = (vta_excitatory_drive - vta_dopamine_activity) / tau_vta``
``d nac_dopamine/dt = (vta_dopamine_activity - nac_dopamine) / tau_nac``

with ``vta_excitatory_drive = 1 + social_drive x (f0 + (1 - f0) x gate) + g_food x natural``,
``social_drive = g_social x min(1, sum of social channels) + g_mating x mating``, and the oxytocin
gate ``gate = s (1 + K) / (s + K)`` (1 at the resting signal, 0 without oxytocin), where the VTA
oxytocin signal ``s = oxytocin_neuron_activity x (1 + g_opto x pvn_vta_activation) x
(1 - pvn_vta_silencing) x oxtr_nac_vta x (1 - oxtr_antagonist_central)``.

Reward learning (Rescorla-Wagner form of the dopamine prediction-error rule, Schultz 1997): the
NAc dopamine rise above basal, scaled so that ``dopamine_full_reward`` is worth 1 and clipped to
[0, 1], is the reward r; while a social partner is present (presence S in [0, 1]) the learned
value V of the social cue follows the prediction error r - V, and it is forgotten slowly
otherwise:

``d social_reward_value/dt = alpha S (r - V) - (1 - S) V ln2 / t_half``

so V stays in [0, 1]. The transfer of the dopamine burst from the reward to its cue is not
modelled. Social approach drive = ``1 + k_V V + k_D S max(nac_dopamine - 1, 0)``; the fraction of
a social episode spent interacting is ``S x b A / (1 + b A)`` for approach drive A and baseline
odds b. Drugs of abuse are left to the addiction sub-model.

Sources: Hung LW, Neuner S, Polepalli JS, et al. Science 2017;357:1406-11 (PVN oxytocin neurons
active in social interaction; activating their VTA terminals raises, silencing them lowers social
interaction; oxytocin raises the excitatory drive of NAc-projecting VTA dopamine neurons; social,
not non-social, reward gated); Dolen G, Darvishzadeh A, Huang KW, Malenka RC. Nature
2013;501:179-84 (oxytocin receptors in the NAc needed for social reward); Borland JM et al.
Neuropsychopharmacology 2019;44:785-92 (VTA OXTR antagonist lowers social place preference,
hamsters); Gunaydin LA et al. Cell 2014;157:1535-51 (VTA -> NAc dopamine activity during social
interaction); Schultz W, Dayan P, Montague PR. Science 1997;275:1593-9 (dopamine as reward
prediction error). Mouse, hamster and rat data: no human measurement sets these magnitudes.
"""

from __future__ import annotations

from oxysim.model import ops
from oxysim.model.motifs import clamp, rate_from_half_life, relax
from oxysim.model.ops import Value
from oxysim.model.parameters import Parameter
from oxysim.model.submodel import Signals, SubModel, Variable

#: Protocol channels of social interaction; any of them makes a social partner present.
SOCIAL_CHANNELS: tuple[str, ...] = (
    "social_partner",
    "social_stranger",
    "social_ingroup",
    "social_outgroup",
)

PARAMETERS = (
    Parameter(
        "vta_dopamine_time_constant",
        2.0,
        "min",
        "time constant of VTA dopamine-neuron activity following its excitatory drive",
        "assumption",
        (1.5, 30.0),
        source="modelling choice: firing changes within seconds, averaged to the minute scale "
        "of the model (Gunaydin 2014 photometry follows interaction bouts)",
    ),
    Parameter(
        "nac_dopamine_time_constant",
        3.0,
        "min",
        "time constant of NAc dopamine following VTA dopamine-neuron activity",
        "assumption",
        (1.5, 30.0),
        source="modelling choice: minute-scale NAc dopamine tone (Robinson DL, Heien ML, "
        "Wightman RM. J Neurosci 2002;22:10477-86: transients rise when a conspecific enters)",
    ),
    Parameter(
        "social_dopamine_gain",
        0.5,
        "1",
        "rise of VTA dopamine drive (x basal) during social interaction at resting oxytocin",
        "animal",
        (0.0, 5.0),
        source="Gunaydin 2014 (VTA->NAc dopamine activity rises in social interaction, mice); "
        "Robinson 2002 (NAc dopamine transients with a conspecific, rats); size approximate",
        neutral=0.0,
    ),
    Parameter(
        "mating_dopamine_gain",
        1.0,
        "1",
        "rise of VTA dopamine drive (x basal) during mating at resting oxytocin",
        "animal",
        (0.0, 5.0),
        source="Pfaus JG et al. Brain Res 1990;530:345-8 (NAc dopamine rises during copulation, "
        "rats); size approximate; gating of mating by oxytocin like social contact: assumption",
        neutral=0.0,
    ),
    Parameter(
        "natural_reward_dopamine_gain",
        0.5,
        "1",
        "rise of VTA dopamine drive (x basal) during a non-social reward (food, drink)",
        "animal",
        (0.0, 5.0),
        source="Hernandez L, Hoebel BG. Life Sci 1988;42:1705-12 (NAc dopamine rises with "
        "feeding, rats); in humans feeding releases striatal dopamine (Small DM, Jones-Gotman M, "
        "Dagher A. NeuroImage 2003;19:1709-15); not gated by the PVN->VTA tract (Hung 2017); "
        "size approximate",
    ),
    Parameter(
        "social_drive_oxytocin_independent_fraction",
        0.2,
        "1",
        "share of the social dopamine drive that remains without VTA oxytocin",
        "assumption",
        (0.0, 1.0),
        source="Hung 2017: silencing PVN->VTA terminals lowered, but did not abolish, social "
        "interaction; the share is a guess",
        neutral=1.0,
    ),
    Parameter(
        "vta_oxytocin_half_signal",
        2.0,
        "1",
        "VTA oxytocin signal (x resting) at which its gain on the social drive is half saturated",
        "assumption",
        (0.1, 50.0),
        source="assumption: saturating peptide effect; Hung 2017 gives the direction only",
    ),
    Parameter(
        "pvn_vta_activation_gain",
        2.0,
        "1",
        "rise of oxytocin release in the VTA (x basal tract output) under optogenetic activation",
        "assumption",
        (0.0, 20.0),
        source="assumption on the size; direction from Hung 2017 (activating PVN oxytocin "
        "terminals in the VTA raised social interaction)",
        neutral=0.0,
    ),
    Parameter(
        "dopamine_full_reward",
        1.0,
        "1",
        "NAc dopamine rise above basal (x basal) that counts as a full reward (value 1)",
        "assumption",
        (0.1, 10.0),
        source="assumption: scale of the reward signal in the prediction-error rule (Schultz 1997)",
    ),
    Parameter(
        "social_learning_rate",
        0.02,
        "1/min",
        "rate at which the value of the social cue follows the social prediction error",
        "assumption",
        (1e-4, 0.5),
        source="assumption: social place preference forms over hours of social conditioning in "
        "mice (Dolen 2013); form after Schultz 1997",
    ),
    Parameter(
        "social_value_half_life",
        10080.0,
        "min",
        "half-life of the learned social value without social contact",
        "assumption",
        (1440.0, 525600.0),
        source="assumption: learned social value fades over about a week without contact",
    ),
    Parameter(
        "approach_value_gain",
        1.0,
        "1",
        "rise of social approach drive per unit of learned social value",
        "assumption",
        (0.0, 10.0),
        source="assumption: learned value motivates approach (Schultz 1997; Dolen 2013)",
        neutral=0.0,
    ),
    Parameter(
        "approach_dopamine_gain",
        2.0,
        "1",
        "rise of social approach drive per unit NAc dopamine rise while a partner is present",
        "assumption",
        (0.0, 20.0),
        source="assumption: NAc dopamine during contact sustains interaction (Gunaydin 2014: "
        "VTA->NAc dopamine activity supports social interaction)",
        neutral=0.0,
    ),
    Parameter(
        "interaction_baseline_odds",
        0.5,
        "1",
        "odds of interacting (time interacting / time not) at approach drive 1",
        "assumption",
        (0.01, 100.0),
        source="assumption: a third of a social episode spent interacting without reward",
    ),
)


def social_presence(v: Signals) -> Value:
    """Presence of a social partner, 0-1: any social channel or mating."""
    total = sum(v[c] for c in SOCIAL_CHANNELS) + v.mating
    return clamp(ops.as_float(total), 0.0, 1.0)


def vta_oxytocin_signal(v: Signals, p: Signals) -> Value:
    """Oxytocin acting on VTA receptors via the PVN->VTA tract, x a resting reference subject."""
    tract = (
        v.oxytocin_neuron_activity
        * (1.0 + p.pvn_vta_activation_gain * v.pvn_vta_activation)
        * (1.0 - clamp(v.pvn_vta_silencing, 0.0, 1.0))
    )
    blocked = clamp(v.oxtr_antagonist_central, 0.0, 1.0)
    return ops.maximum(tract * v.oxtr_nac_vta * (1.0 - blocked), 0.0)


def oxytocin_gate(signal: Value, p: Signals) -> Value:
    """Saturating gain of the VTA oxytocin signal on the social drive: 0 at 0, 1 at rest."""
    k = p.vta_oxytocin_half_signal
    return signal * (1.0 + k) / (signal + k)


def _excitatory_drive(v: Signals, p: Signals, signal: Value) -> Value:
    interaction = clamp(sum(v[c] for c in SOCIAL_CHANNELS), 0.0, 1.0)
    social = p.social_dopamine_gain * interaction + p.mating_dopamine_gain * v.mating
    f0 = p.social_drive_oxytocin_independent_fraction
    gated = social * (f0 + (1.0 - f0) * oxytocin_gate(signal, p))
    return 1.0 + gated + p.natural_reward_dopamine_gain * v.natural_reward


def _reward(nac_dopamine: Value, p: Signals) -> Value:
    """Reward signal of the learning rule: NAc dopamine rise over basal, scaled, in [0, 1]."""
    return clamp((nac_dopamine - 1.0) / p.dopamine_full_reward, 0.0, 1.0)


def _outputs(v: Signals, p: Signals) -> dict[str, Value]:
    signal = vta_oxytocin_signal(v, p)
    presence = social_presence(v)
    approach = (
        1.0
        + p.approach_value_gain * v.social_reward_value
        + p.approach_dopamine_gain * presence * ops.maximum(v.nac_dopamine - 1.0, 0.0)
    )
    odds = p.interaction_baseline_odds * approach
    return {
        "vta_oxytocin_signal": signal,
        "vta_excitatory_drive": _excitatory_drive(v, p, signal),
        "social_approach_drive": approach,
        "social_interaction_time_fraction": presence * odds / (1.0 + odds),
    }


def _rates(v: Signals, p: Signals) -> dict[str, Value]:
    presence = social_presence(v)
    value = v.social_reward_value
    forgetting = rate_from_half_life(p.social_value_half_life)
    return {
        "vta_dopamine_activity": relax(
            v.vta_dopamine_activity, v.vta_excitatory_drive, p.vta_dopamine_time_constant
        ),
        "nac_dopamine": relax(
            v.nac_dopamine, v.vta_dopamine_activity, p.nac_dopamine_time_constant
        ),
        "social_reward_value": p.social_learning_rate
        * presence
        * (_reward(v.nac_dopamine, p) - value)
        - (1.0 - presence) * forgetting * value,
    }


def _resting(v: Signals, p: Signals) -> dict[str, Value]:
    """Steady state for constant inputs; with all channels 0: activity 1, dopamine 1, value 0."""
    drive = _excitatory_drive(v, p, vta_oxytocin_signal(v, p))
    presence = social_presence(v)
    learning = p.social_learning_rate * presence
    forgetting = (1.0 - presence) * rate_from_half_life(p.social_value_half_life)
    return {
        "vta_dopamine_activity": drive,
        "nac_dopamine": drive,
        "social_reward_value": learning * _reward(drive, p) / (learning + forgetting),
    }


_UNITLESS = "1"
REWARD = SubModel(
    name="reward",
    description=__doc__.split("\n")[0],
    s_ids=("S0.1", "S0.2", "S0.3", "S1.5"),
    states=(
        Variable("vta_dopamine_activity", _UNITLESS, "VTA->NAc dopamine-neuron activity, x basal"),
        Variable("nac_dopamine", _UNITLESS, "dopamine in the nucleus accumbens, x basal tone"),
        Variable("social_reward_value", _UNITLESS, "learned reward value of social contact, 0-1"),
    ),
    outputs=(
        Variable("vta_oxytocin_signal", _UNITLESS, "PVN->VTA oxytocin on VTA OXTR, x resting"),
        Variable("vta_excitatory_drive", _UNITLESS, "excitatory drive of VTA dopamine neurons"),
        Variable("social_approach_drive", _UNITLESS, "motivation to approach others, 1 = neutral"),
        Variable(
            "social_interaction_time_fraction",
            _UNITLESS,
            "fraction of a social episode spent interacting, 0-1",
        ),
    ),
    inputs=(
        Variable("oxytocin_neuron_activity", _UNITLESS, "PVN oxytocin-neuron activity, x basal"),
        Variable("oxtr_nac_vta", _UNITLESS, "OXTR density in NAc/VTA, x reference"),
    )
    + tuple(Variable(c, _UNITLESS, "social interaction channel") for c in SOCIAL_CHANNELS)
    + (
        Variable("mating", _UNITLESS, "mating in progress"),
        Variable("natural_reward", _UNITLESS, "a non-social reward (food, drink)"),
        Variable("pvn_vta_activation", _UNITLESS, "optogenetic activation of PVN->VTA terminals"),
        Variable("pvn_vta_silencing", _UNITLESS, "optogenetic silencing of PVN->VTA terminals"),
        Variable("oxtr_antagonist_central", _UNITLESS, "fraction of brain OXTR blocked"),
    ),
    parameters=PARAMETERS,
    outputs_fn=_outputs,
    rates_fn=_rates,
    resting_state_fn=_resting,
)
