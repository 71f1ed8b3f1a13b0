"""Global sensitivity indices of one output summary: sample, simulate once, summarise, analyse.

Morris elementary effects (Morris 1991; mu_star after Campolongo et al. 2007) screen many
factors cheaply: ``mu_star`` ranks the factors by influence and ``sigma`` flags non-linearity or
interactions. Sobol indices (Saltelli 2002; Jansen 1999 for the total order) apportion the
output's variance: ``S1`` is a factor's share alone and ``ST`` its share including every
interaction. Both come from SALib (Herman & Usher 2017, Iwanaga et al. 2022).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np
import xarray as xr
from SALib.analyze import morris as morris_analyze
from SALib.analyze import sobol as sobol_analyze

from oxysim._version import __version__
from oxysim.engine.simulate import simulate
from oxysim.scenario import Scenario
from oxysim.sensitivity.factors import LOG_RANGE_RATIO, Factor, select_factors
from oxysim.sensitivity.sampling import (
    MORRIS_LEVELS,
    SensitivityOptions,
    batch_scenario,
    design,
    parameter_columns,
    salib_problem,
)
from oxysim.summaries import parse_summary, summarise
from oxysim.system import human_model

#: Confidence level of the bootstrap intervals.
CONF_LEVEL = 0.95
#: The index each method ranks the factors by.
RANKED_BY = {"morris": "mu_star", "sobol": "ST"}
#: Description of each index; ``None`` for the unit means the output's unit.
INDEX_DESCRIPTIONS: dict[str, tuple[str, str | None]] = {
    "mu_star": ("mean absolute elementary effect, per whole sampling range of the factor", None),
    "mu_star_conf": ("half-width of the 95 % bootstrap interval of mu_star", None),
    "mu": ("mean signed elementary effect", None),
    "sigma": ("standard deviation of the elementary effects (non-linearity, interactions)", None),
    "S1": ("first-order Sobol index: share of the output variance due to the factor alone", "1"),
    "S1_conf": ("half-width of the 95 % bootstrap interval of S1", "1"),
    "ST": ("total-order Sobol index: share of variance including all interactions", "1"),
    "ST_conf": ("half-width of the 95 % bootstrap interval of ST", "1"),
}
SAMPLING_NOTE = (
    "factors sampled uniformly between their declared bounds, log-uniformly (in log10) where the "
    f"bounds are positive and span more than a factor of {LOG_RANGE_RATIO:g}; every run is one "
    "typical subject without between-subject variability"
)

Indices = dict[str, np.ndarray]


def _morris(problem: dict[str, Any], points: np.ndarray, values: np.ndarray, rng: Any) -> Indices:
    result = morris_analyze.analyze(
        problem, points, values, num_levels=MORRIS_LEVELS, conf_level=CONF_LEVEL, seed=rng
    )
    return {name: np.asarray(result[name]) for name in ("mu_star", "mu_star_conf", "mu", "sigma")}


def _sobol(problem: dict[str, Any], points: np.ndarray, values: np.ndarray, rng: Any) -> Indices:
    result = sobol_analyze.analyze(
        problem, values, calc_second_order=False, conf_level=CONF_LEVEL, seed=rng
    )
    return {name: np.asarray(result[name]) for name in ("S1", "S1_conf", "ST", "ST_conf")}


ANALYSES: dict[str, Callable[[dict[str, Any], np.ndarray, np.ndarray, Any], Indices]] = {
    "morris": _morris,
    "sobol": _sobol,
}


def chosen_arm(scenario: Scenario, arm: str | None) -> str:
    """``arm``, or the scenario's first arm; ``ValueError`` listing the arms for an unknown one."""
    if arm is None:
        return next(iter(scenario.arms))
    if arm not in scenario.arms:
        raise ValueError(f"arm: unknown arm {arm!r}; allowed: {', '.join(scenario.arms)}")
    return arm


def sensitivity_analysis(
    scenario: Scenario,
    output: str,
    factors: Sequence[Factor] | None = None,
    *,
    options: SensitivityOptions | None = None,
    progress: Callable[[int, int], None] | None = None,
    scenario_text: str = "",
) -> xr.Dataset:
    """Sensitivity indices of the summary ``output`` (e.g. ``peak_salivary_cortisol``).

    Every sample of the design is one typical subject of ``scenario`` in one arm, and all are
    simulated in a single batched call. ``factors`` default to the parameters of the sub-models
    upstream of the output (:func:`~oxysim.sensitivity.factors.select_factors`). Returns a
    Dataset over ``factor`` (sorted by rank) with the indices, the sampled values and the outputs,
    the seed and the method in its attributes. Raises ``ValueError`` for a bad output name or arm.
    """
    options = options or SensitivityOptions()
    model = human_model()
    _, variable = parse_summary(output, sorted(model.variables))
    factors = tuple(factors) if factors is not None else select_factors(model, variable)
    arm = chosen_arm(scenario, options.arm)
    seed = scenario.seed if options.seed is None else options.seed
    sample_rng, analysis_rng = (
        np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(2)
    )
    points = design(factors, options, sample_rng)
    with np.errstate(all="ignore"):  # non-finite runs are reported below, with their causes
        results = simulate(
            batch_scenario(scenario, len(points), arm, variable),
            parameters=parameter_columns(factors, points),
            progress=progress,
            variability=False,
        )
    summary = summarise(results, output).sel(arm=arm)
    values = summary.values
    failed = int((~np.isfinite(values)).sum())
    if failed:
        message = _non_finite_message(scenario, output, factors, arm, failed, len(values))
        raise FloatingPointError(message)
    indices = ANALYSES[options.method](salib_problem(factors), points, values, analysis_rng)
    dataset = _dataset(factors, points, summary, indices, options)
    dataset.attrs.update(
        {
            "arm": arm,
            "seed": int(seed),
            "scenario_name": scenario.name,
            "scenario": scenario_text,
            "parameter_hash": model.parameter_hash(),
        }
    )
    return dataset


def _non_finite_message(
    scenario: Scenario, output: str, factors: Sequence[Factor], arm: str, failed: int, runs: int
) -> str:
    """Say how many runs failed and which factors fail alone at one of their bounds."""
    culprits = [
        f"{factor.name} at its {end} bound ({value:g} {factor.parameter.unit})".replace(" 1)", ")")
        for factor, end, value in bound_failures(scenario, output, factors, arm)
    ]
    return (
        f"{failed} of {runs} runs gave a non-finite {output}: the model is singular or "
        "numerically unstable somewhere within the declared bounds. On their own, with every "
        f"other parameter at its declared value: {'; '.join(culprits) or 'no factor fails'}. "
        "Leave such factors out (params or exclude) to analyse the rest."
    )


def bound_failures(
    scenario: Scenario, output: str, factors: Sequence[Factor], arm: str
) -> list[tuple[Factor, str, float]]:
    """The factors whose output is not finite at a bound, the others at their declared values.

    One batched run of two subjects per factor: ``(factor, "lower" or "upper", bound)`` for
    each failure.
    """
    _, variable = parse_summary(output, sorted(human_model().variables))
    ends = [
        (factor, end, factor.parameter.bounds[index])
        for factor in factors
        for index, end in enumerate(("lower", "upper"))
    ]
    columns = {f.name: np.full(len(ends), f.parameter.value) for f in factors}
    for run, (factor, _, bound) in enumerate(ends):
        columns[factor.name][run] = bound
    with np.errstate(all="ignore"):
        results = simulate(
            batch_scenario(scenario, len(ends), arm, variable),
            parameters=columns,
            variability=False,
        )
    finite = np.isfinite(summarise(results, output).sel(arm=arm).values)
    return [end for end, ok in zip(ends, finite, strict=True) if not ok]


def _dataset(
    factors: Sequence[Factor],
    points: np.ndarray,
    summary: xr.DataArray,
    indices: Indices,
    options: SensitivityOptions,
) -> xr.Dataset:
    """Indices by factor, sorted by rank, with the design and provenance."""
    unit = summary.attrs["units"]
    data_vars: dict[str, Any] = {
        name: ("factor", values, _index_attrs(name, unit)) for name, values in indices.items()
    }
    ranked = indices[RANKED_BY[options.method]]
    order = np.argsort(-ranked, kind="stable")
    data_vars["rank"] = ("factor", np.argsort(order) + 1, {"long_name": "rank (1 = largest)"})
    data_vars["sample_value"] = (
        ("run", "factor"),
        np.column_stack(list(parameter_columns(factors, points).values())),
        {"long_name": "sampled parameter value, in the factor's parameter_unit"},
    )
    data_vars["output_value"] = (("run",), summary.values, dict(summary.attrs))
    coords = {
        "factor": [f.name for f in factors],
        "submodel": ("factor", [f.submodel for f in factors]),
        "grade": ("factor", [f.parameter.grade for f in factors]),
        "parameter_unit": ("factor", [f.parameter.unit for f in factors]),
        "lower_bound": ("factor", [f.parameter.bounds[0] for f in factors]),
        "upper_bound": ("factor", [f.parameter.bounds[1] for f in factors]),
        "scale": ("factor", ["log" if f.log_scale else "linear" for f in factors]),
    }
    dataset = xr.Dataset(data_vars, coords=coords).isel(factor=order)
    dataset.attrs.update(
        {
            "title": f"oxysim sensitivity of {summary.name}",
            "method": options.method,
            "output": str(summary.name),
            "output_units": unit,
            "samples": options.sample_size,
            "runs": len(points),
            "conf_level": CONF_LEVEL,
            "sampling": SAMPLING_NOTE,
            "oxysim_version": __version__,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "note": "Simulation output for research and teaching; not medical advice.",
        }
    )
    if options.method == "morris":
        dataset.attrs["morris_levels"] = MORRIS_LEVELS
    return dataset


def _index_attrs(name: str, output_unit: str) -> dict[str, str]:
    description, unit = INDEX_DESCRIPTIONS[name]
    return {"long_name": description, "units": output_unit if unit is None else unit}
