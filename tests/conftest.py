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
def covariates_of() -> Callable[..., dict[str, np.ndarray]]:
    def covariates(*subjects: SubjectSpec) -> dict[str, np.ndarray]:
        return covariate_inputs(subjects_table(subjects or (SubjectSpec(),)))

    return covariates
