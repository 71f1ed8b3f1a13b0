"""The fitting objective: model predictions at the data points, on the scale residuals are taken.

Parameters are fitted in an internal space where least squares behaves: the natural log of the
value when the declared lower bound is positive (rates, volumes and gains act multiplicatively,
and a step of 0.1 means 10 % whatever the unit), otherwise the value divided by the width of its
bounds. Residuals are ``model - data`` on the log scale for a variable whose observed values are
all positive (a constant coefficient of variation, as for hormone assays), and otherwise on the
value scale divided by the root mean square of that variable's observations (so that variables
in different units weigh alike).

Every candidate parameter set is one copy of the data's subject(s), without between-subject
variability; many candidates run as the subjects of one batched simulation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import xarray as xr

from oxysim.engine.simulate import DEFAULT_STEP, simulate
from oxysim.fitting.data import MEAN_SUBJECT, FitData, subject_ids
from oxysim.scenario import Scenario, SubjectSpec
from oxysim.sensitivity.factors import Factor
from oxysim.sensitivity.sampling import typical_subject

#: Log-scale predictions are floored at this fraction of the smallest observation.
LOG_FLOOR_FRACTION = 1e-6


@dataclass(frozen=True)
class FittedParameter:
    """A parameter being fitted and the internal scale it is fitted on."""

    factor: Factor

    @property
    def name(self) -> str:
        """The parameter's name."""
        return self.factor.name

    @property
    def log_scale(self) -> bool:
        """Fitted as its natural log (lower bound > 0), else as value / bound width."""
        return self.factor.parameter.bounds[0] > 0

    @property
    def _width(self) -> float:
        low, high = self.factor.parameter.bounds
        return high - low

    def internal(self, value: np.ndarray | float) -> np.ndarray:
        """Internal coordinate of a value."""
        value = np.asarray(value, dtype=float)
        return np.log(value) if self.log_scale else value / self._width

    def natural(self, internal: np.ndarray | float) -> np.ndarray:
        """Value of an internal coordinate, clipped to the declared bounds."""
        internal = np.asarray(internal, dtype=float)
        value = np.exp(internal) if self.log_scale else internal * self._width
        return np.clip(value, *self.factor.parameter.bounds)

    @property
    def internal_bounds(self) -> tuple[float, float]:
        """The declared bounds in internal coordinates."""
        low, high = self.factor.parameter.bounds
        return float(self.internal(low)), float(self.internal(high))


@dataclass(frozen=True)
class ResidualScale:
    """Per variable: log scale, or value scale divided by ``divisor``; ``floor`` for logs."""

    log: np.ndarray
    divisor: np.ndarray
    floor: np.ndarray

    @classmethod
    def of(cls, data: FitData) -> ResidualScale:
        """Log for variables observed only above 0; otherwise divided by their RMS."""
        groups = [data.value[data.variable_index == v] for v in range(len(data.variables))]
        log = np.array([bool(np.all(g > 0)) for g in groups])
        rms = np.array([float(np.sqrt(np.mean(g**2))) or 1.0 for g in groups])
        floor = np.array([LOG_FLOOR_FRACTION * float(np.min(np.abs(g))) for g in groups])
        return cls(log[data.variable_index], rms[data.variable_index], floor[data.variable_index])

    def apply(self, values: np.ndarray) -> np.ndarray:
        """Values (last axis: observations) on the residual scale."""
        logged = np.log(np.maximum(values, self.floor))
        return np.where(self.log, logged, values / self.divisor)

    def invert(self, scaled: np.ndarray) -> np.ndarray:
        """Values from the residual scale (the inverse of :meth:`apply` above the floor)."""
        return np.where(self.log, np.exp(scaled), scaled * self.divisor)

    def names(self, data: FitData) -> list[str]:
        """``log`` or ``relative`` for each of the data's variables."""
        first = [
            int(np.flatnonzero(data.variable_index == v)[0]) for v in range(len(data.variables))
        ]
        return ["log" if self.log[i] else "relative" for i in first]


class Objective:
    """Predictions of the data for many parameter sets at once, in one simulation."""

    def __init__(
        self, scenario: Scenario, data: FitData, parameters: Sequence[FittedParameter]
    ) -> None:
        self.scenario = scenario
        self.data = data
        self.parameters = tuple(parameters)
        self.scale = ResidualScale.of(data)
        self.observed = self.scale.apply(data.value)
        self.simulations = 0
        self._subjects = tuple(_data_subject(scenario, s) for s in data.subjects)

    @property
    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """Lower and upper declared bounds of the parameters, in internal coordinates."""
        low, high = zip(*(p.internal_bounds for p in self.parameters), strict=True)
        return np.array(low), np.array(high)

    def internal(self, values: np.ndarray) -> np.ndarray:
        """Internal coordinates of natural values (last axis: parameters)."""
        return np.stack([p.internal(values[..., i]) for i, p in enumerate(self.parameters)], -1)

    def natural(self, internal: np.ndarray) -> np.ndarray:
        """Natural values of internal coordinates (last axis: parameters)."""
        return np.stack([p.natural(internal[..., i]) for i, p in enumerate(self.parameters)], -1)

    def predict(self, internal: np.ndarray) -> np.ndarray:
        """Predictions on the residual scale, shape ``(sets, observations)``.

        ``internal`` has one row per parameter set (internal coordinates).
        """
        results = self.simulate(self.natural(np.atleast_2d(internal)))
        return self.scale.apply(self.at_data(results))

    def simulate(self, values: np.ndarray) -> xr.Dataset:
        """One batched run: ``values`` (sets, parameters) become sets x data-subjects subjects."""
        n_sets, n_subjects = len(values), len(self._subjects)
        step = self.scenario.step or min(DEFAULT_STEP, self.scenario.record_every)
        batch = self.scenario.model_copy(
            update={
                "population": None,
                "subjects": self._subjects * n_sets,
                "arms": {arm: self.scenario.arms[arm] for arm in self.data.arms},
                "record": self.data.variables,
                "record_every": step,
                "step": step,
            }
        )
        columns = {
            p.name: np.repeat(values[:, i], n_subjects) for i, p in enumerate(self.parameters)
        }
        self.simulations += 1
        with np.errstate(all="ignore"):  # a non-finite run gives a non-finite residual
            return simulate(batch, parameters=columns, variability=False)

    def at_data(self, results: xr.Dataset) -> np.ndarray:
        """Model values at the data points, linearly interpolated in time: (sets, observations)."""
        data = self.data
        time = results["time"].values
        left = np.clip(np.searchsorted(time, data.time, side="right") - 1, 0, len(time) - 2)
        weight = (data.time - time[left]) / (time[left + 1] - time[left])
        n_sets = results.sizes["subject"] // len(self._subjects)
        subject = np.arange(n_sets)[:, None] * len(self._subjects) + data.subject_index[None, :]
        values = np.empty((n_sets, data.size))
        for v, name in enumerate(data.variables):
            rows = data.variable_index == v
            course = results[name].transpose("arm", "subject", "time").values
            arm, at = data.arm_index[rows], left[rows]
            lower = course[arm, subject[:, rows], at]
            upper = course[arm, subject[:, rows], at + 1]
            values[:, rows] = lower + weight[rows] * (upper - lower)
        return values


def _data_subject(scenario: Scenario, name: str) -> SubjectSpec:
    """The subject a data subject is compared with: the typical one for ``mean`` rows."""
    if name == MEAN_SUBJECT:
        subject = typical_subject(scenario)
    else:
        subject = dict(zip(subject_ids(scenario), scenario.subjects or (), strict=True))[name]
    return subject.model_copy(update={"id": None})
