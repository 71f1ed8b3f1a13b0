"""Oxytocin's own effect on sleep (S3.5): sleep-onset latency through hypothalamic receptors.

``latency = L0 max(1 + g (s_hyp - 1), 0.1)``, with ``s_hyp`` the bound hypothalamic OXTR signal
relative to rest. The literature disagrees by species, so ``g`` is a graded alternative: in
people a 40 IU bedtime dose changed nothing measurable in sleep architecture (Jain 2020; g = 0,
the default), while oxytocin into the rat brain delays sleep onset (Lancel 2003; g about 0.5).
The slow sleep-quality index moved by growth-hormone peptides is in the endocrine sub-model.

Sources: Ohayon MM et al. Sleep 2004;27:1255-73 (polysomnographic norms); Jain V et al. Sleep
Med 2020;74:242-7; Lancel M, Kromer S, Neumann ID. Regul Pept 2003;114:145-52.
"""

from __future__ import annotations

from oxysim.model import ops
from oxysim.model.ops import Value
from oxysim.model.parameters import Parameter
from oxysim.model.submodel import Signals, SubModel, Variable

PARAMETERS = (
    Parameter(
        "sleep_onset_latency_baseline",
        15.0,
        "min",
        "minutes from lights out to sleep in a healthy adult",
        "established",
        (1.0, 120.0),
        source="Ohayon MM et al. Sleep 2004;27:1255-73 (polysomnographic norms: sleep latency "
        "about 10-20 min in adults)",
    ),
    Parameter(
        "sleep_latency_oxytocin_gain",
        0.0,
        "1",
        "relative change of sleep-onset latency per unit rise of the hypothalamic OXTR signal",
        "human-single",
        (-1.0, 2.0),
        source="Jain V et al. Sleep Med 2020;74:242-7: 40 IU intranasal at bedtime, no "
        "significant change in sleep architecture (default 0). Graded alternative, animal: "
        "oxytocin into the rat brain delays sleep onset (Lancel M et al. Regul Pept "
        "2003;114:145-52), about 0.5",
    ),
)


def _outputs(v: Signals, p: Signals) -> dict[str, Value]:
    change = p.sleep_latency_oxytocin_gain * (v.oxtr_signal_hypothalamus - 1.0)
    return {"sleep_onset_latency": p.sleep_onset_latency_baseline * ops.maximum(1.0 + change, 0.1)}


def _no_states(v: Signals, p: Signals) -> dict[str, Value]:
    return {}


SLEEP = SubModel(
    name="sleep",
    description=__doc__.split("\n")[0],
    s_ids=("S3.5",),
    states=(),
    outputs=(Variable("sleep_onset_latency", "min", "minutes from lights out to sleep"),),
    inputs=(
        Variable("oxtr_signal_hypothalamus", "1", "bound hypothalamic OXTR, x reference at rest"),
    ),
    parameters=PARAMETERS,
    outputs_fn=_outputs,
    rates_fn=_no_states,
)
