"""The assembled human oxytocin-system model."""

from __future__ import annotations

from functools import lru_cache

from oxysim.engine.compose import Model, compose
from oxysim.engine.protocol import PROTOCOL_CHANNELS
from oxysim.model.addiction import ADDICTION
from oxysim.model.bonding import BONDING
from oxysim.model.endocrine import ENDOCRINE
from oxysim.model.hpa import HPA
from oxysim.model.nutrients import NUTRIENTS
from oxysim.model.periphery import PERIPHERY
from oxysim.model.pk import PK
from oxysim.model.receptor import RECEPTOR
from oxysim.model.release import RELEASE
from oxysim.model.reward import REWARD
from oxysim.model.sleep import SLEEP
from oxysim.model.social import SOCIAL
from oxysim.model.stimuli import STIMULI
from oxysim.population.covariates import COVARIATES

SUBMODELS = (
    ENDOCRINE,
    NUTRIENTS,
    STIMULI,
    RELEASE,
    PK,
    RECEPTOR,
    HPA,
    REWARD,
    BONDING,
    SOCIAL,
    SLEEP,
    ADDICTION,
    PERIPHERY,
)

#: Variables recorded when a scenario does not list its own.
STANDARD_RECORD: tuple[str, ...] = (
    "salivary_cortisol",
    "plasma_cortisol",
    "plasma_acth",
    "plasma_oxytocin",
    "csf_oxytocin",
    "oxytocin_neuron_activity",
    "oxtr_signal_hypothalamus",
    "oxytocin_stress_brake",
)


@lru_cache(maxsize=1)
def human_model() -> Model:
    """All sub-models linked to the protocol channels and subject covariates."""
    return compose(SUBMODELS, PROTOCOL_CHANNELS + COVARIATES)


@lru_cache(maxsize=8)
def partial_model(names: tuple[str, ...]) -> Model:
    """Only the named sub-models: for long protocols of slow mechanisms (weeks of dosing).

    The same sub-models and parameters as :func:`human_model`; composition fails, naming the
    missing input, when the selection reads something only a left-out sub-model provides.
    """
    known = {m.name: m for m in SUBMODELS}
    unknown = sorted(set(names) - set(known))
    if unknown:
        raise ValueError(f"unknown sub-models {unknown}; sub-models: {', '.join(known)}")
    return compose([m for m in SUBMODELS if m.name in names], PROTOCOL_CHANNELS + COVARIATES)
