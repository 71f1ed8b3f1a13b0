"""Stimuli: turn the protocol's stressor channels into one psychosocial stress load.

The TSST is the reference stressor (load 1 per unit intensity); other kinds are scaled by their
potency relative to it. Kept separate so every sub-model that reacts to stress reads one signal.

Repeated exposure habituates: each stressor leaves an episode trace that, over the hour after
it, consolidates into familiarity with the laboratory stressor, forgotten over weeks; a familiar
stressor loads the stress axis less, ``load = raw (1 - h_max familiarity)``:

``d trace/dt = raw - trace / t_trace``
``d familiarity/dt = k trace (1 - familiarity) - familiarity ln2 / t_forget``

Watching someone else under stress loads the watcher too (empathic stress), in proportion to
how close the watcher feels to them: the close circle's closeness for a partner or a friend, the
wider community's for a stranger, ``load_watched = k_e intensity closeness``.

Sources: Dickerson SS, Kemeny ME. Psychol Bull 2004;130:355-91 (uncontrollable social-evaluative
stressors, such as the TSST, give the largest cortisol responses); Kirschbaum C et al.
Psychosom Med 1995;57:468-74 (five TSSTs on five days: most men habituate after the first);
Schommer NC et al. Psychosom Med 2003;65:450-60 (three TSSTs four weeks apart: the HPA
responses still fall); Engert V et al. Psychoneuroendocrinology 2014;45:192-201 (observers of a
TSST: 40 % of partners and 10 % of strangers had a cortisol response).
"""

from __future__ import annotations

from typing import get_args

from oxysim.model import ops
from oxysim.model.motifs import rate_from_half_life
from oxysim.model.ops import Value
from oxysim.model.parameters import Parameter
from oxysim.model.submodel import Signals, SubModel, Variable
from oxysim.scenario.events import StressorKind, SupportSource

_REPEATED = "kirschbaum1995_repeated_tsst"
#: Each stressor kind's protocol channel and the parameter of its potency, derived from the kinds.
STRESSOR_POTENCY: dict[str, str] = {
    f"stress_{kind}": f"stress_potency_{kind}" for kind in get_args(StressorKind)
}
#: Each watched person's channel and the closeness that scales the watcher's empathic stress.
WATCHED_CLOSENESS: dict[str, str] = {
    f"observed_stress_{whom}": "community_closeness"
    if whom == "stranger"
    else "close_circle_closeness"
    for whom in get_args(SupportSource)
}

PARAMETERS = (
    Parameter(
        "stress_potency_tsst",
        1.0,
        "1",
        "stress load of the Trier Social Stress Test per unit intensity",
        "established",
        (1.0, 1.0),
        source="reference stressor by definition (Kirschbaum C et al. Neuropsychobiology "
        "1993;28:76-81)",
    ),
    Parameter(
        "stress_potency_placebo_tsst",
        0.1,
        "1",
        "stress load of the placebo TSST (speech and arithmetic, no panel), x TSST",
        "human-single",
        (0.0, 1.0),
        source="Dickerson SS, Kemeny ME. Psychol Bull 2004;130:355-91: tasks with neither "
        "social-evaluative threat nor uncontrollability raise cortisol little (a small load "
        "assumed; Het 2009 is a check experiment)",
    ),
    Parameter(
        "stress_potency_conflict",
        0.5,
        "1",
        "stress load of an instructed couple conflict, x TSST",
        "assumption",
        (0.0, 3.0),
        source="assumption: conflict discussions raise cortisol less than the TSST "
        "(Dickerson & Kemeny 2004: social-evaluative threat with lower uncontrollability)",
    ),
    Parameter(
        "stress_potency_generic",
        0.7,
        "1",
        "stress load of an unspecified acute stressor, x TSST",
        "assumption",
        (0.0, 3.0),
        source="assumption: median laboratory stressor effect relative to the TSST (Dickerson & "
        "Kemeny 2004)",
    ),
    Parameter(
        "empathic_stress_potency",
        0.39,
        "1",
        "stress load of watching a TSST per unit of closeness to the one watched, x TSST",
        "human-single",
        (0.0, 3.0),
        calibrated_to="engert2014_empathic_stress_partner",
        source="Engert 2014: 40 % of partners watching a TSST had a cortisol response of "
        "1.5 nmol/L or more (the stranger observers, 10 %, are a check)",
    ),
    Parameter(
        "stress_habituation_max",
        0.6,
        "1",
        "fraction of the stress load removed once the stressor is fully familiar",
        "human-single",
        (0.0, 1.0),
        calibrated_to=_REPEATED,
        between_subject_cv=0.4,
        source="Kirschbaum 1995: 13 of 20 men habituated after the first TSST, 7 kept "
        "responding (hence the spread)",
        neutral=0.0,
    ),
    Parameter(
        "stress_trace_time_constant",
        60.0,
        "min",
        "time over which a stress episode consolidates into familiarity",
        "assumption",
        (10.0, 600.0),
        source="assumption: consolidation over about an hour after the episode, so that one "
        "first exposure is hardly habituated while it lasts",
    ),
    Parameter(
        "stress_familiarity_gain",
        8.9e-4,
        "1/min**2",
        "familiarity gained per unit of episode trace and minute",
        "human-single",
        (0.0, 0.01),
        calibrated_to=_REPEATED,
        source="a 15-min TSST leaves a familiarity of about 0.55 a day later (Kirschbaum 1995: "
        "the second day's response about two thirds of the first, unverified)",
    ),
    Parameter(
        "stress_familiarity_half_life",
        86400.0,
        "min",
        "half-life of stressor familiarity (60 days)",
        "assumption",
        (1440.0, 525600.0),
        source="assumption: weeks to months; Schommer 2003 found responses still falling at "
        "sessions four weeks apart (a check experiment)",
    ),
)


def _raw_load(v: Signals, p: Signals) -> Value:
    own = sum(p[potency] * v[channel] for channel, potency in STRESSOR_POTENCY.items())
    watched = sum(v[channel] * v[closeness] for channel, closeness in WATCHED_CLOSENESS.items())
    return own + p.empathic_stress_potency * watched


def _outputs(v: Signals, p: Signals) -> dict[str, Value]:
    # a subject's drawn h_max may exceed 1: a familiar stressor loads nothing, never less
    habituation = ops.minimum(p.stress_habituation_max, 1.0)
    familiar = 1.0 - habituation * v.stressor_familiarity
    return {"stress_load": _raw_load(v, p) * familiar}


def _rates(v: Signals, p: Signals) -> dict[str, Value]:
    trace, familiarity = v.stress_episode_trace, v.stressor_familiarity
    return {
        "stress_episode_trace": _raw_load(v, p) - trace / p.stress_trace_time_constant,
        "stressor_familiarity": p.stress_familiarity_gain * trace * (1.0 - familiarity)
        - familiarity * rate_from_half_life(p.stress_familiarity_half_life),
    }


def _resting(v: Signals, p: Signals) -> dict[str, Value]:
    """No stressor met before: no trace, no familiarity."""
    nothing = 0.0 * v.stress_tsst
    return {"stress_episode_trace": nothing, "stressor_familiarity": nothing}


STIMULI = SubModel(
    name="stimuli",
    description=__doc__.split("\n")[0],
    s_ids=("S2.6",),
    states=(
        Variable("stress_episode_trace", "min", "recent stress exposure, TSST-minutes"),
        Variable("stressor_familiarity", "1", "familiarity with the laboratory stressor, 0-1"),
    ),
    outputs=(Variable("stress_load", "1", "acute psychosocial stress load, TSST = 1"),),
    inputs=(
        *(Variable(c, "1", "stressor intensity channel") for c in STRESSOR_POTENCY),
        *(Variable(c, "1", "watched stressor intensity channel") for c in WATCHED_CLOSENESS),
        Variable("close_circle_closeness", "1", "felt closeness to the close circle, 0-1"),
        Variable("community_closeness", "1", "felt closeness to the wider community, 0-1"),
    ),
    parameters=PARAMETERS,
    outputs_fn=_outputs,
    rates_fn=_rates,
    resting_state_fn=_resting,
)
