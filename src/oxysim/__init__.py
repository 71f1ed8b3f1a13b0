"""oxysim: a mechanistic, evidence-graded simulator of the human oxytocin system.

Output is for research and teaching, never medical advice. The public API::

    from oxysim import load_scenario, simulate
    results = simulate(load_scenario("examples/tsst_support_genotype.yaml"))
"""

from typing import TYPE_CHECKING, Any

from oxysim._version import __version__ as __version__

#: Public names and where they live; imported on first use, so ``import oxysim`` stays light.
_PUBLIC = {
    "Model": ("oxysim.engine.compose", "Model"),
    "compose": ("oxysim.engine.compose", "compose"),
    "SolverOptions": ("oxysim.engine.simulate", "SolverOptions"),
    "simulate": ("oxysim.engine.simulate", "simulate"),
    "experiment_records": ("oxysim.experiments", "records"),
    "run_experiment": ("oxysim.experiments", "run_experiment"),
    "load_results": ("oxysim.io.netcdf", "load_results"),
    "save_results": ("oxysim.io.netcdf", "save_results"),
    "Parameter": ("oxysim.model.parameters", "Parameter"),
    "SubModel": ("oxysim.model.submodel", "SubModel"),
    "Variable": ("oxysim.model.submodel", "Variable"),
    "plot_results": ("oxysim.plotting", "plot_results"),
    "Scenario": ("oxysim.scenario", "Scenario"),
    "ScenarioError": ("oxysim.scenario", "ScenarioError"),
    "load_scenario": ("oxysim.scenario", "load_scenario"),
    "parse_scenario": ("oxysim.scenario", "parse_scenario"),
    "human_model": ("oxysim.system", "human_model"),
}

if TYPE_CHECKING:
    from oxysim.engine.compose import Model as Model
    from oxysim.engine.compose import compose as compose
    from oxysim.engine.simulate import SolverOptions as SolverOptions
    from oxysim.engine.simulate import simulate as simulate
    from oxysim.experiments import records as experiment_records
    from oxysim.experiments import run_experiment as run_experiment
    from oxysim.io.netcdf import load_results as load_results
    from oxysim.io.netcdf import save_results as save_results
    from oxysim.model.parameters import Parameter as Parameter
    from oxysim.model.submodel import SubModel as SubModel
    from oxysim.model.submodel import Variable as Variable
    from oxysim.plotting import plot_results as plot_results
    from oxysim.scenario import Scenario as Scenario
    from oxysim.scenario import ScenarioError as ScenarioError
    from oxysim.scenario import load_scenario as load_scenario
    from oxysim.scenario import parse_scenario as parse_scenario
    from oxysim.system import human_model as human_model


def __getattr__(name: str) -> Any:
    """Import a public name on first use (PEP 562)."""
    if name not in _PUBLIC:
        raise AttributeError(f"module 'oxysim' has no attribute {name!r}")
    from importlib import import_module

    module, attribute = _PUBLIC[name]
    value = getattr(import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_PUBLIC])


__all__ = [
    "Model",
    "Parameter",
    "Scenario",
    "ScenarioError",
    "SolverOptions",
    "SubModel",
    "Variable",
    "__version__",
    "compose",
    "experiment_records",
    "human_model",
    "load_results",
    "load_scenario",
    "parse_scenario",
    "plot_results",
    "run_experiment",
    "save_results",
    "simulate",
]
