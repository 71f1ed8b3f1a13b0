"""Fit chosen parameters of a scenario to time-course data, with intervals and diagnostics."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, get_args

import numpy as np
import xarray as xr

from oxysim._version import __version__
from oxysim.fitting.batching import FitOutcome, FitProblem, fit_all
from oxysim.fitting.data import FitData
from oxysim.fitting.identifiability import LocalDiagnostics, local_diagnostics
from oxysim.fitting.intervals import (
    CONFIDENCE,
    Intervals,
    bootstrap_intervals,
    profile_intervals,
    wald_half_width,
)
from oxysim.fitting.objective import FittedParameter, Objective
from oxysim.scenario import Scenario
from oxysim.sensitivity.factors import select_factors
from oxysim.system import human_model

IntervalMethod = Literal["profile", "bootstrap", "none"]
INTERVAL_METHODS: tuple[str, ...] = get_args(IntervalMethod)


@dataclass(frozen=True)
class FitOptions:
    """How to compute intervals, checked when built.

    ``replicates`` is the number of bootstrap refits; ``seed`` (default: the scenario's) draws
    the bootstrap resamples and is recorded in the results.
    """

    intervals: IntervalMethod = "profile"
    replicates: int = 200
    seed: int | None = None

    def __post_init__(self) -> None:
        if self.intervals not in INTERVAL_METHODS:
            raise ValueError(
                f"intervals: must be one of {', '.join(INTERVAL_METHODS)}, got {self.intervals!r}"
            )
        if self.replicates < 10:
            raise ValueError(f"replicates: must be at least 10, got {self.replicates}")
        if self.seed is not None and self.seed < 0:
            raise ValueError(f"seed: must be >= 0, got {self.seed}")


def fitted_parameters(names: Sequence[str], data: FitData) -> tuple[FittedParameter, ...]:
    """The named parameters, if ``data`` can determine them.

    Raises ``ValueError`` (``params: ...`` naming close matches) for an unknown or fixed
    parameter, and (``data: ...``) when there are no more observations than parameters.
    """
    factors = select_factors(human_model(), data.variables[0], names=list(names))
    if data.size <= len(factors):
        raise ValueError(
            f"data: {data.size} observations cannot determine {len(factors)} parameters"
        )
    return tuple(FittedParameter(f) for f in factors)


def fit_parameters(
    scenario: Scenario,
    data: FitData,
    names: Sequence[str],
    *,
    options: FitOptions | None = None,
    progress: Callable[[str], None] = lambda stage: None,
    scenario_text: str = "",
) -> xr.Dataset:
    """Least-squares estimates of the parameters ``names`` from ``data``, with 95 % intervals.

    The fit starts at the declared values and stays within the declared bounds. ``progress``
    is called with the stage's name after every batched simulation. Returns a Dataset over
    ``parameter`` (estimates, intervals, declared values, identifiability) and ``observation``
    (data, fitted values, residuals), with the warnings, the seed and provenance in its attrs.
    Raises ``ValueError`` for unknown or fixed parameters or too few observations, and
    ``FloatingPointError`` when the model gives non-finite values at the start.
    """
    options = options or FitOptions()
    parameters = fitted_parameters(names, data)
    objective = Objective(scenario, data, parameters)
    declared = np.array([p.factor.parameter.value for p in parameters])
    bounds = (
        np.array([p.internal_bounds[0] for p in parameters]),
        np.array([p.internal_bounds[1] for p in parameters]),
    )
    start = FitProblem(
        objective.internal(declared), np.ones(len(parameters), bool), objective.observed
    )
    try:
        (estimate,) = fit_all([start], bounds, objective.predict, lambda: progress("fit"))
    except ValueError as error:  # least_squares: residuals not finite at the start
        raise FloatingPointError(f"the model gave non-finite values: {error}") from None
    local = local_diagnostics(estimate.jacobian, estimate.residuals, [p.name for p in parameters])
    seed = scenario.seed if options.seed is None else options.seed
    intervals = _intervals(estimate, local, bounds, objective, data, options, seed, progress)
    dataset = _dataset(objective, estimate, local, intervals, options)
    dataset.attrs.update(
        {
            "seed": int(seed),
            "scenario_name": scenario.name,
            "scenario": scenario_text,
            "data_source": data.source,
            "simulations": objective.simulations,
            "parameter_hash": human_model().parameter_hash(),
        }
    )
    return dataset


def _intervals(
    estimate: FitOutcome,
    local: LocalDiagnostics,
    bounds: tuple[np.ndarray, np.ndarray],
    objective: Objective,
    data: FitData,
    options: FitOptions,
    seed: int,
    progress: Callable[[str], None],
) -> Intervals:
    """The chosen intervals; ``none`` gives Wald intervals from the local covariance."""
    if options.intervals == "profile":
        on_round = lambda: progress("profile")  # noqa: E731
        return profile_intervals(estimate, local.covariance, bounds, objective.predict, on_round)
    if options.intervals == "bootstrap":
        rng = np.random.default_rng(seed)
        on_round = lambda: progress("bootstrap")  # noqa: E731
        return bootstrap_intervals(
            estimate,
            data.variable_index,
            options.replicates,
            rng,
            bounds,
            objective.predict,
            on_round,
        )
    half = wald_half_width(local.covariance, bounds)
    lower = np.maximum(estimate.x - half, bounds[0])
    upper = np.minimum(estimate.x + half, bounds[1])
    return Intervals(lower, upper, lower <= bounds[0], upper >= bounds[1])


def _dataset(
    objective: Objective,
    estimate: FitOutcome,
    local: LocalDiagnostics,
    intervals: Intervals,
    options: FitOptions,
) -> xr.Dataset:
    """Per parameter and per observation results, with the warnings in the attrs."""
    parameters, data = objective.parameters, objective.data
    names = [p.name for p in parameters]
    identifiable = ~(local.no_effect | intervals.lower_open | intervals.upper_open)
    warnings = list(local.warnings)
    reason = {
        "profile": "its profile stays below the threshold",
        "bootstrap": "its interval reaches the bound",
    }
    warnings += [
        f"{name}: the data do not bound it {side} within its declared bounds "
        f"({reason[options.intervals]}): not identifiable from these data"
        for name, lower_open, upper_open in zip(
            names, intervals.lower_open, intervals.upper_open, strict=True
        )
        for side, is_open in (("below", lower_open), ("above", upper_open))
        if is_open and options.intervals in reason
    ]
    if intervals.lower_fit_found:
        warnings.append(
            "a profile fit found a smaller sum of squares: the estimate may be a local minimum"
        )
    if not estimate.converged:
        warnings.append(f"the fit did not converge: {estimate.message}")
    fitted = objective.scale.invert(estimate.observed + estimate.residuals)
    n, p = len(estimate.residuals), len(parameters)
    data_vars: dict[str, Any] = {
        "estimate": (
            "parameter",
            objective.natural(estimate.x),
            {"long_name": "least-squares estimate, in the parameter's unit"},
        ),
        "lower": (
            "parameter",
            objective.natural(intervals.lower),
            {"long_name": f"lower end of the {CONFIDENCE:.0%} interval"},
        ),
        "upper": (
            "parameter",
            objective.natural(intervals.upper),
            {"long_name": f"upper end of the {CONFIDENCE:.0%} interval"},
        ),
        "declared_value": (
            "parameter",
            [p.factor.parameter.value for p in parameters],
            {"long_name": "declared (ledger) value"},
        ),
        "identifiable": (
            "parameter",
            identifiable.astype(np.int8),
            {"long_name": "1 if the data bound the parameter on both sides"},
        ),
        "correlation": (
            ("parameter", "other_parameter"),
            local.correlation,
            {"long_name": "correlation of the estimates (internal scale)", "units": "1"},
        ),
        "observed": ("observation", data.value, {"long_name": "data, in the variable's unit"}),
        "fitted": (
            "observation",
            fitted,
            {"long_name": "model at the estimate, in the variable's unit"},
        ),
        "residual": (
            "observation",
            estimate.residuals,
            {"long_name": "model - data on the residual scale (log or relative)"},
        ),
    }
    if intervals.replicates is not None:
        data_vars["bootstrap_estimate"] = (
            ("replicate", "parameter"),
            objective.natural(intervals.replicates),
            {"long_name": "estimate of each bootstrap replicate"},
        )
    coords = {
        "parameter": names,
        "other_parameter": names,
        "unit": ("parameter", [p.factor.parameter.unit for p in parameters]),
        "grade": ("parameter", [p.factor.parameter.grade for p in parameters]),
        "submodel": ("parameter", [p.factor.submodel for p in parameters]),
        "lower_bound": ("parameter", [p.factor.parameter.bounds[0] for p in parameters]),
        "upper_bound": ("parameter", [p.factor.parameter.bounds[1] for p in parameters]),
        "fit_scale": ("parameter", ["log" if p.log_scale else "linear" for p in parameters]),
        "subject": ("observation", [data.subjects[i] for i in data.subject_index]),
        "arm": ("observation", [data.arms[i] for i in data.arm_index]),
        "variable": ("observation", [data.variables[i] for i in data.variable_index]),
        "time": ("observation", data.time, {"units": "min"}),
    }
    dataset = xr.Dataset(data_vars, coords=coords)
    dataset.attrs.update(
        {
            "title": "oxysim parameter fit",
            "intervals": options.intervals,
            "confidence": CONFIDENCE,
            "replicates": options.replicates if options.intervals == "bootstrap" else 0,
            "observations": n,
            "sum_of_squares": estimate.sum_of_squares,
            "residual_sd": float(np.sqrt(estimate.sum_of_squares / max(n - p, 1))),
            "residual_scales": ", ".join(
                f"{v}: {s}"
                for v, s in zip(data.variables, objective.scale.names(data), strict=True)
            ),
            "condition_number": local.condition_number,
            "fit_evaluations": estimate.evaluations,
            "warnings": "\n".join(warnings),
            "oxysim_version": __version__,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "note": "Model fit for research and teaching; not medical advice.",
        }
    )
    return dataset
