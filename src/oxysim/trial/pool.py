"""The pool a virtual trial recruits from: every subject simulated under every arm.

Simulating each virtual subject under each condition gives their potential outcomes; a trial
then recruits some of them, randomises them and observes one outcome per subject and period.
This separates the costly simulation (once) from the cheap resampling (thousands of replicate
trials), and lets every analysis be checked against the pool's own population effect.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import xarray as xr

from oxysim.engine.simulate import simulate
from oxysim.scenario import ScenarioError, ScenarioIssue, load_scenario
from oxysim.scenario.schema import Scenario
from oxysim.system import human_model
from oxysim.trial.spec import TrialSpec


@dataclass(frozen=True)
class Pool:
    """True sampled values of the outcome variable for every pool subject under every arm."""

    samples: xr.DataArray
    baseline: xr.DataArray
    a_alleles: np.ndarray
    evidence_floor: str = "none"


def trial_scenario(trial: TrialSpec, trial_path: Path) -> Scenario:
    """The trial's scenario file (relative to the trial file), read and :func:`narrowed`."""
    source = str(trial_path)
    scenario_path = trial_path.parent / trial.scenario
    try:
        scenario = load_scenario(scenario_path, known_variables=human_model().variables)
    except OSError as error:
        raise _error("scenario", f"cannot read {scenario_path}: {error.strerror}", source) from None
    return narrowed(trial, scenario, source)


def narrowed(trial: TrialSpec, scenario: Scenario, source: str) -> Scenario:
    """``scenario`` narrowed to the trial's arms and outcome, with the pool as its population.

    Raises ``ScenarioError`` naming the trial field at fault (``source`` names the trial file):
    a scenario without a population, an arm it lacks, an outcome it cannot record, or sampling
    times after its end.
    """
    if scenario.population is None:
        raise _error("scenario", f"{trial.scenario} has no `population` to recruit from", source)
    missing = [arm for arm in trial.arms if arm not in scenario.arms]
    if missing:
        message = f"arm '{missing[0]}' is not in {trial.scenario}; its arms: "
        raise _error("arms", message + ", ".join(scenario.arms), source)
    if trial.outcome.variable not in human_model().variables:
        raise _error("outcome.variable", f"unknown variable '{trial.outcome.variable}'", source)
    late = [
        t
        for t in (*(trial.outcome.times or ()), trial.outcome.baseline_at)
        if t > scenario.duration
    ]
    if late:
        message = (
            f"sampling time {late[0]:g} min is after the scenario's end ({scenario.duration:g} min)"
        )
        raise _error("outcome.times", message, source)
    return scenario.model_copy(
        update={
            "population": scenario.population.model_copy(update={"size": trial.pool}),
            "seed": trial.seed,
            "arms": {arm: scenario.arms[arm] for arm in trial.arms},
            "record": (trial.outcome.variable,),
        }
    )


def _error(field: str, message: str, source: str) -> ScenarioError:
    return ScenarioError([ScenarioIssue(field, None, message)], source)


def simulate_pool(
    trial: TrialSpec, scenario: Scenario, progress: Callable[[int, int], None] | None = None
) -> Pool:
    """Simulate the pool and sample the outcome at the trial's times (linear interpolation).

    ``progress(steps_done, steps_total)`` hears how the integration advances.
    """
    results = simulate(scenario, progress=progress)
    curve = results[trial.outcome.variable].sel(arm=list(trial.arms))
    times = trial.outcome.times
    samples = curve if times is None else curve.interp(time=list(times))
    baseline = curve.interp(time=trial.outcome.baseline_at)
    genotypes = results["rs53576"].to_numpy().astype(str)
    a_alleles = np.char.count(genotypes, "A")
    if trial.design == "gene_environment" and np.unique(trial.genotype_group(a_alleles)).size < 2:
        message = "its population has one rs53576 group only; a gene x environment trial needs both"
        raise _error("scenario", message, trial.scenario)
    floor = str(results.attrs.get("evidence_floor", "none"))
    return Pool(samples.transpose("arm", "subject", "time"), baseline, a_alleles, floor)
