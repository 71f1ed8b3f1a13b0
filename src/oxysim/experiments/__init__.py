"""Published studies as virtual experiments: protocol, analysis and target."""

from oxysim.experiments.base import MetricResult as MetricResult
from oxysim.experiments.base import records as records
from oxysim.experiments.base import run_experiment as run_experiment
