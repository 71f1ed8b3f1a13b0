"""Sampling designs (SALib) and the batch scenario that runs every sample at once.

Every sample is one virtual subject: the scenario's subjects are replaced by copies of one
typical subject, so that the engine, batched over subjects, runs the whole design in one call and
the samples differ only in their parameter values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample

from oxysim.scenario import Normal, PopulationSpec, Scenario, SubjectSpec, Uniform
from oxysim.sensitivity.factors import Factor

Method = Literal["morris", "sobol"]
METHODS: tuple[str, ...] = ("morris", "sobol")
#: Default trajectories (Morris) or base samples (Sobol).
DEFAULT_SAMPLES: dict[str, int] = {"morris": 10, "sobol": 64}
#: Grid levels of the Morris design (Saltelli et al. 2008 recommend 4).
MORRIS_LEVELS = 4


@dataclass(frozen=True)
class SensitivityOptions:
    """How to sample: the method, its sample size, the seed and the arm, checked when built.

    ``samples`` is the number of Morris trajectories (the design has ``samples * (k + 1)`` runs
    for ``k`` factors) or of Sobol base samples (``samples * (k + 2)`` runs; a power of 2, as the
    Sobol sequence requires). ``seed`` defaults to the scenario's seed; ``arm`` to its first arm.
    """

    method: Method = "morris"
    samples: int | None = None
    seed: int | None = None
    arm: str | None = None

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"method must be one of {', '.join(METHODS)}, got {self.method!r}")
        if self.samples is not None and self.samples < 2:
            raise ValueError(f"samples must be at least 2, got {self.samples}")
        if (
            self.method == "sobol"
            and self.samples is not None
            and self.samples & (self.samples - 1)
        ):
            raise ValueError(f"samples must be a power of 2 for sobol, got {self.samples}")
        if self.seed is not None and self.seed < 0:
            raise ValueError(f"seed must be >= 0, got {self.seed}")

    @property
    def sample_size(self) -> int:
        """Trajectories or base samples, with the method's default."""
        return self.samples or DEFAULT_SAMPLES[self.method]


def salib_problem(factors: Sequence[Factor]) -> dict[str, Any]:
    """The SALib problem: names and bounds in the sampling space (log10 where log-uniform)."""
    return {
        "num_vars": len(factors),
        "names": [f.name for f in factors],
        "bounds": [list(f.sampling_bounds) for f in factors],
    }


def design(
    factors: Sequence[Factor], options: SensitivityOptions, rng: np.random.Generator
) -> np.ndarray:
    """The sample points in the sampling space, one row per run, one column per factor."""
    problem = salib_problem(factors)
    if options.method == "morris":
        return morris_sample.sample(
            problem, options.sample_size, num_levels=MORRIS_LEVELS, seed=rng
        )
    return sobol_sample.sample(
        problem, options.sample_size, calc_second_order=False, scramble=True, seed=rng
    )


def parameter_columns(factors: Sequence[Factor], points: np.ndarray) -> dict[str, np.ndarray]:
    """Per-subject parameter values (by name) for :func:`oxysim.simulate` from design points."""
    return {f.name: f.values(points[:, column]) for column, f in enumerate(factors)}


def batch_scenario(scenario: Scenario, n_runs: int, arm: str, variable: str) -> Scenario:
    """``scenario`` with ``n_runs`` copies of its typical subject, one arm and one variable."""
    subject = typical_subject(scenario).model_copy(update={"id": None})
    return scenario.model_copy(
        update={
            "population": None,
            "subjects": (subject,) * n_runs,
            "arms": {arm: scenario.arms[arm]},
            "record": (variable,),
        }
    )


def typical_subject(scenario: Scenario) -> SubjectSpec:
    """The scenario's first subject, its population's typical subject, or the default one."""
    if scenario.subjects:
        return scenario.subjects[0]
    if scenario.population is not None:
        return _population_typical(scenario.population)
    return SubjectSpec()


def _population_typical(spec: PopulationSpec) -> SubjectSpec:
    """The most frequent category and the central value of every sampled characteristic.

    A typical woman has no cycle phase (it is drawn at random in a population).
    """
    categories = ("sex", "rs53576", "attachment", "relationship")
    numbers = ("age", "magnesium", "vitamin_c", "vitamin_d", "chronic_stress")
    fields: dict[str, Any] = {"species": spec.species}
    fields |= {name: _most_frequent(getattr(spec, name)) for name in categories}
    fields |= {name: _central(getattr(spec, name)) for name in numbers}
    return SubjectSpec(**fields)


def _most_frequent(probabilities: dict[str, float]) -> str:
    """The category with the largest probability (the first one on a tie)."""
    return max(probabilities, key=lambda name: probabilities[name])


def _central(value: float | Normal | Uniform) -> float:
    """The mean of a normal, the midpoint of a uniform, or the fixed value."""
    if isinstance(value, Normal):
        return value.mean
    if isinstance(value, Uniform):
        return (value.min + value.max) / 2
    return float(value)
