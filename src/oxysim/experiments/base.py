"""Virtual experiments: a published protocol, its analysis, and the targets it must meet.

An experiment is a function that simulates its protocol (YAML files under ``protocols/``) with
the one shared parameter set and returns the simulated value of each metric; the targets, with
their citations and tolerances, are data in ``targets/*.yaml`` (one file per domain). No
experiment may change a parameter to hit its number.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import xarray as xr
import yaml

from oxysim.engine.simulate import SolverOptions, simulate
from oxysim.evidence.floor import current_floor
from oxysim.scenario import parse_scenario

Analysis = Callable[[], dict[str, float]]
_REGISTRY: dict[str, Analysis] = {}

#: Which set an experiment belongs to. A parameter may be calibrated (``calibrated_to``) only to a
#: calibration experiment; check experiments constrain no parameter, so their pass rate is the
#: honest measure of the model.
EXPERIMENT_SETS = ("calibration", "check")


@dataclass(frozen=True)
class Metric:
    """One published number with its tolerance."""

    id: str
    name: str
    published: str
    definition: str
    unit: str
    low: float
    high: float
    known_miss: str = ""


@dataclass(frozen=True)
class ExperimentRecord:
    """An experiment's published record: citation, evidence, metrics, set and domain.

    ``domain`` is the name of its targets file (``stress``, ``social``, ...).
    """

    id: str
    title: str
    citation: str
    reliability: str
    s_ids: tuple[str, ...]
    metrics: tuple[Metric, ...]
    set: str
    domain: str
    note: str = ""

    def __post_init__(self) -> None:
        if self.set not in EXPERIMENT_SETS:
            raise ValueError(
                f"experiment {self.id}: set must be one of {EXPERIMENT_SETS}, got {self.set!r}"
            )


@dataclass(frozen=True)
class MetricResult:
    """A simulated metric checked against its tolerance."""

    experiment: str
    metric: Metric
    simulated: float
    set: str

    @property
    def passed(self) -> bool:
        """True when the simulated value lies within [low, high]."""
        return self.metric.low <= self.simulated <= self.metric.high

    @property
    def status(self) -> str:
        """One of ``pass``, ``known miss``, ``FAIL``, or ``fixed`` (a known miss that passes).

        A known miss is recorded in the targets with its reason; a fixed one should be updated.
        """
        if self.metric.known_miss:
            return "fixed" if self.passed else "known miss"
        return "pass" if self.passed else "FAIL"

    @property
    def acceptable(self) -> bool:
        """True unless the metric fails without being a recorded known miss."""
        return self.status != "FAIL"

    def as_dict(self) -> dict[str, Any]:
        """Plain dictionary for JSON output."""
        m = self.metric
        return {
            "experiment": self.experiment,
            "set": self.set,
            "metric": m.id,
            "name": m.name,
            "target": m.published,
            "low": m.low,
            "high": m.high,
            "unit": m.unit,
            "simulated": self.simulated,
            "pass": self.passed,
            "status": self.status,
            "known_miss": m.known_miss,
        }


def experiment(experiment_id: str) -> Callable[[Analysis], Analysis]:
    """Register an analysis function under the id of its record in ``targets/*.yaml``."""

    def register(function: Analysis) -> Analysis:
        _REGISTRY[experiment_id] = function
        return function

    return register


@cache
def records() -> dict[str, ExperimentRecord]:
    """Every experiment record of ``targets/*.yaml``, by id."""
    folder = resources.files("oxysim.experiments").joinpath("targets")
    entries = [
        (file.name.removesuffix(".yaml"), entry)
        for file in sorted(folder.iterdir(), key=lambda f: f.name)
        if file.name.endswith(".yaml")
        for entry in yaml.safe_load(file.read_text())
    ]
    out = {}
    for domain, entry in entries:
        metrics = tuple(
            Metric(**{**m, "known_miss": " ".join(m.get("known_miss", "").split())})
            for m in entry["metrics"]
        )
        out[entry["experiment"]] = ExperimentRecord(
            entry["experiment"],
            entry["title"],
            " ".join(entry["citation"].split()),
            entry["reliability"],
            tuple(entry["s_ids"]),
            metrics,
            entry.get("set", ""),
            domain,
            " ".join(entry.get("note", "").split()),
        )
    return out


def registered() -> dict[str, Analysis]:
    """Registered analyses by experiment id (importing the experiment modules first)."""
    from oxysim.experiments import catalogue  # noqa: F401  (registers the experiments)

    return dict(_REGISTRY)


def run_experiment(experiment_id: str) -> list[MetricResult]:
    """Run one experiment and check each of its metrics."""
    record = records()[experiment_id]
    simulated = registered()[experiment_id]()
    missing = {m.id for m in record.metrics} - set(simulated)
    if missing:
        raise KeyError(f"experiment {experiment_id} did not report {sorted(missing)}")
    return [
        MetricResult(experiment_id, m, float(simulated[m.id]), record.set) for m in record.metrics
    ]


def protocol_text(name: str) -> str:
    """The YAML text of a protocol shipped with oxysim."""
    return resources.files("oxysim.experiments").joinpath("protocols", f"{name}.yaml").read_text()


def run_protocol(
    name: str, submodels: tuple[str, ...] | None = None, step: float | None = None
) -> xr.Dataset:
    """Simulate a shipped protocol with the shared parameter set.

    Protocols of slow mechanisms (weeks of hormone or supplement dosing) run only the
    ``submodels`` involved, with a longer ``step`` (minutes). Experiments that share a protocol
    share its run (per evidence floor); each caller gets its own shallow copy.
    """
    return _shared_run(name, submodels, step, current_floor()).copy()


@lru_cache(maxsize=32)
def _shared_run(
    name: str, submodels: tuple[str, ...] | None, step: float | None, floor: str | None
) -> xr.Dataset:
    text = protocol_text(name)
    scenario = parse_scenario(text, source=f"{name}.yaml")
    return simulate(
        scenario, scenario_text=text, submodels=submodels, solver=SolverOptions(step=step)
    )


def run_shipped_trial(name: str) -> xr.Dataset:
    """Run a virtual trial shipped with oxysim (``trials/<name>.yaml``) at its own size."""
    from oxysim.trial.pool import simulate_pool, trial_scenario
    from oxysim.trial.run import run_trial
    from oxysim.trial.spec import load_trial

    with resources.as_file(
        resources.files("oxysim.experiments").joinpath("trials", f"{name}.yaml")
    ) as path:
        trial = load_trial(path)
        pool = simulate_pool(trial, trial_scenario(trial, path))
    return run_trial(trial, pool, [trial.n])
