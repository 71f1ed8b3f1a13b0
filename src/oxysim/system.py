"""The assembled human oxytocin-system model."""

from __future__ import annotations

from functools import lru_cache

from oxysim.engine.compose import Model, compose
from oxysim.engine.protocol import PROTOCOL_CHANNELS
from oxysim.model.addiction import ADDICTION
from oxysim.model.bonding import BONDING
from oxysim.model.hpa import HPA
from oxysim.model.periphery import PERIPHERY
from oxysim.model.pk import PK
from oxysim.model.receptor import RECEPTOR
from oxysim.model.release import RELEASE
from oxysim.model.reward import REWARD
from oxysim.model.social import SOCIAL
from oxysim.model.stimuli import STIMULI
from oxysim.population.covariates import COVARIATES

SUBMODELS = (STIMULI, RELEASE, PK, RECEPTOR, HPA, REWARD, BONDING, SOCIAL, ADDICTION, PERIPHERY)

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
