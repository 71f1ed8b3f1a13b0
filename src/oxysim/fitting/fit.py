"""Fit chosen parameters of a scenario to time-course data, with intervals and diagnostics."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
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
    residual_degrees,
    wald_intervals,
)
from oxysim.fitting.objective import FittedParameter, Objective
from oxysim.scenario import Scenario
from oxysim.sensitivity.factors import select_factors
from oxysim.system import human_model

IntervalMethod = Literal["profile", "bootstrap", "none"]
INTERVAL_METHODS: tuple[str, ...] = get_args(IntervalMethod)
#: Fewest bootstrap replicates: each 2.5 % tail then holds at least one.
MIN_REPLICATES = 40
#: Replicates for percentile intervals you can trust (Efron & Tibshirani 1993); fewer warn.
RECOMMENDED_REPLICATES = 1000
#: Most replicates: each is a thread and (p + 1) subjects of every batched simulation.
MAX_REPLICATES = 2000


@dataclass(frozen=True)
class FitOptions:
    """How to compute intervals, checked when built.

    ``replicates`` is the number of bootstrap refits (``MIN_REPLICATES`` to ``MAX_REPLICATES``;
    fewer than ``RECOMMENDED_REPLICATES`` give a warning in the results); ``seed`` (default: the
    scenario's) draws the bootstrap resamples and is recorded in the results.
    """

    intervals: IntervalMethod = "profile"
    replicates: int = RECOMMENDED_REPLICATES
    seed: int | None = None

    def __post_init__(self) -> None:
        if self.intervals not in INTERVAL_METHODS:
            raise ValueError(
                f"intervals: must be one of {', '.join(INTERVAL_METHODS)}, got {self.intervals!r}"
            )
        if not MIN_REPLICATES <= self.replicates <= MAX_REPLICATES:
            raise ValueError(
                f"replicates: must be at least {MIN_REPLICATES} and at most {MAX_REPLICATES}, "
                f"got {self.replicates}"
            )
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
    start = FitProblem(
        objective.internal(declared), np.ones(len(parameters), bool), objective.observed
    )
    (estimate,) = fit_all([start], objective.bounds, objective.predict, partial(progress, "fit"))
    if not np.isfinite(estimate.sum_of_squares):
        raise FloatingPointError(f"{estimate.message} (the declared values)")
    local = local_diagnostics(estimate.jacobian, estimate.residuals, [p.name for p in parameters])
    seed = scenario.seed if options.seed is None else options.seed
    intervals = _intervals(estimate, local.covariance, objective, options, seed, progress)
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
    covariance: np.ndarray,
    objective: Objective,
    options: FitOptions,
    seed: int,
    progress: Callable[[str], None],
) -> Intervals:
    """The chosen intervals; ``none`` gives Wald intervals from the local covariance."""
    on_round = partial(progress, options.intervals)
    if options.intervals == "profile":
        return profile_intervals(
            estimate, covariance, objective.bounds, objective.predict, on_round
        )
    if options.intervals == "bootstrap":
        return bootstrap_intervals(
            estimate,
            objective.data.variable_index,
            options.replicates,
            np.random.default_rng(seed),
            objective.bounds,
            objective.predict,
            on_round,
        )
    return wald_intervals(estimate, covariance, objective.bounds)


def _warnings(
    names: Sequence[str],
    estimate: FitOutcome,
    local: LocalDiagnostics,
    intervals: Intervals,
    options: FitOptions,
) -> list[str]:
    """Every problem of the fit and its intervals, one sentence each."""
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
    if intervals.not_converged:
        warnings.append(
            f"{intervals.not_converged} of {intervals.fits} {options.intervals} fits did not "
            "converge and were left out: the interval may be less accurate"
        )
    if options.intervals == "bootstrap" and options.replicates < RECOMMENDED_REPLICATES:
        warnings.append(
            f"only {options.replicates} bootstrap replicates: the 2.5 and 97.5 percentiles are "
            f"rough; use at least {RECOMMENDED_REPLICATES}"
        )
    return warnings


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
    warnings = _warnings(names, estimate, local, intervals, options)
    fitted = objective.scale.invert(estimate.observed + estimate.residuals)
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
            {"long_name": "estimate of each converged bootstrap replicate"},
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
            "replicates_converged": (
                len(intervals.replicates) if intervals.replicates is not None else 0
            ),
            "observations": data.size,
            "sum_of_squares": estimate.sum_of_squares,
            "residual_sd": float(np.sqrt(estimate.sum_of_squares / residual_degrees(estimate))),
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
