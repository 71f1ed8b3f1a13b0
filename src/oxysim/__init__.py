"""oxysim: a mechanistic, evidence-graded simulator of the human oxytocin system.

Output is for research and teaching, never medical advice. The public API::

    from oxysim import load_scenario, simulate
    results = simulate(load_scenario("examples/tsst_support_genotype.yaml"))
"""

from oxysim._version import __version__ as __version__
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
