"""Stimuli: turn the protocol's stressor channels into one psychosocial stress load.

The TSST is the reference stressor (load 1 per unit intensity); other kinds are scaled by their
potency relative to it. Kept separate so every sub-model that reacts to stress reads one signal.

Sources: Dickerson SS, Kemeny ME. Psychol Bull 2004;130:355-91 (uncontrollable social-evaluative
stressors, such as the TSST, give the largest cortisol responses).
"""

from __future__ import annotations

from oxysim.model.ops import Value
from oxysim.model.parameters import Parameter
from oxysim.model.submodel import Signals, SubModel, Variable

STRESSOR_POTENCY: dict[str, str] = {
    "stress_tsst": "stress_potency_tsst",
    "stress_conflict": "stress_potency_conflict",
    "stress_generic": "stress_potency_generic",
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
)


def _outputs(v: Signals, p: Signals) -> dict[str, Value]:
    load = sum(p[potency] * v[channel] for channel, potency in STRESSOR_POTENCY.items())
    return {"stress_load": load}


STIMULI = SubModel(
    name="stimuli",
    description=__doc__.split("\n")[0],
    s_ids=("S2.6",),
    states=(),
    outputs=(Variable("stress_load", "1", "acute psychosocial stress load, TSST = 1"),),
    inputs=tuple(Variable(c, "1", "stressor intensity channel") for c in STRESSOR_POTENCY),
    parameters=PARAMETERS,
    outputs_fn=_outputs,
    rates_fn=lambda v, p: {},
)
