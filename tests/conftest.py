import os
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import yaml

from oxysim.engine.compose import Model
from oxysim.model.submodel import Signals
from oxysim.population.covariates import covariate_inputs
from oxysim.population.sampling import subjects_table
from oxysim.population.variability import parameter_values
from oxysim.scenario import Scenario, SubjectSpec, parse_scenario
from oxysim.system import human_model

if "PYTEST_XDIST_WORKER" in os.environ:
    # one pytest worker per core already: the compiled engine runs each worker's batches on one
    # thread (tests that compare thread counts set them explicitly)
    os.environ.setdefault("OXYSIM_THREADS", "1")


@pytest.fixture(scope="session")
def model() -> Model:
    return human_model()


@pytest.fixture(scope="session")
def make_scenario() -> Callable[..., Scenario]:
    def make(**fields: Any) -> Scenario:
        return parse_scenario(yaml.safe_dump({"name": "test", **fields}, sort_keys=False))

    return make


@pytest.fixture(scope="session")
def typical_params(model: Model) -> Callable[[int], Signals]:
    def params(n_subjects: int = 1) -> Signals:
        return parameter_values(model.parameters, n_subjects, None)

    return params


@pytest.fixture(scope="session")
def covariates_of(model: Model) -> Callable[..., dict[str, np.ndarray]]:
    """Covariates of the given subjects, with their serum hormone and nutrient levels at rest."""
    levels = [m for m in model.submodels if m.name in ("endocrine", "nutrients")]

    def covariates(*subjects: SubjectSpec) -> dict[str, np.ndarray]:
        signals = Signals(covariate_inputs(subjects_table(subjects or (SubjectSpec(),))))
        params = parameter_values(model.parameters, len(signals["age"]), None)
        for submodel in levels:
            signals.update(submodel.resting_state_fn(signals, params))
            signals.update(submodel.outputs_fn(signals, params))
        return dict(signals)

    return covariates


#: A small two-arm scenario for the dashboard's tests: 8 subjects, 30 min, 1-min records.
DASHBOARD_SCENARIO = """\
name: dashboard-check
duration: 30 min
seed: 2
population: {size: 8, sex: {male: 0.5, female: 0.5}}
events: [{at: 5 min, stressor: {kind: tsst, duration: 10 min}}]
arms:
  support: {events: [{at: 0 min, social_support: {source: partner, duration: 5 min}}]}
  alone: {}
record: [salivary_cortisol, plasma_oxytocin]
"""


@pytest.fixture(scope="session")
def dashboard_scenario() -> str:
    """The text of :data:`DASHBOARD_SCENARIO`."""
    return DASHBOARD_SCENARIO
