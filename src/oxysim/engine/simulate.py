"""``simulate``: run a scenario for every arm and return a labelled xarray Dataset."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import partial
from typing import Any, Literal, TypeVar, get_args

import numpy as np
import xarray as xr
from numpy.typing import ArrayLike

from oxysim._version import __version__
from oxysim.bands import Bands
from oxysim.engine.compose import Model
from oxysim.engine.initial import initial_state
from oxysim.engine.memory import MemoryEstimate, check_memory, default_budget, estimate_memory
from oxysim.engine.protocol import build_schedule
from oxysim.engine.solvers import (
    Grid,
    Integrator,
    SystemEvaluator,
    integrate_reference,
    integrate_rk4,
)
from oxysim.engine.status import InvalidStateError, SimulationError
from oxysim.engine.windows import integrate_in_windows
from oxysim.evidence.floor import current_floor, neutralised_parameters
from oxysim.model.submodel import Signals
from oxysim.population.covariates import BASELINE_LEVELS, covariate_inputs
from oxysim.population.sampling import scenario_subjects
from oxysim.population.variability import parameter_values, varying_parameters
from oxysim.summaries import recorded_variables, summarise, summary_attrs
from oxysim.system import STANDARD_RECORD, human_model, partial_model

T = TypeVar("T")
DEFAULT_STEP = 1.0
#: Longest step any sub-model allows (each declares its own ``max_step``).
MAX_STEP = 240.0


SolverMethod = Literal["compiled", "rk4", "reference"]
SOLVER_METHODS: tuple[str, ...] = get_args(SolverMethod)


@dataclass(frozen=True)
class SolverOptions:
    """How to integrate: ``compiled``, ``rk4`` or ``reference``.

    ``compiled`` (the default) is the fixed-step RK4 generated from the traced equations and
    compiled to machine code (:mod:`oxysim.engine.compiled`) on ``threads`` threads (by default
    ``$OXYSIM_THREADS`` or every core; the result does not depend on it). ``rk4`` is the same
    scheme on NumPy arrays, the reference it matches to round-off; ``reference`` is SciPy
    DOP853, the accuracy reference. ``step`` is the RK4 step (and the grid on which events are
    placed) in minutes; by default 1 min, or ``record_every`` when records are finer. At 1 min
    RK4 is within 3e-5 relative of the reference on the stress and dosing scenarios (see
    tests/test_engine.py).
    """

    method: SolverMethod = "compiled"
    step: float | None = None
    threads: int | None = None

    def __post_init__(self) -> None:
        if self.method not in SOLVER_METHODS:
            raise ValueError(
                f"solver method must be one of {', '.join(SOLVER_METHODS)}, got {self.method!r}"
            )
        if self.step is not None and not 0.001 <= self.step <= MAX_STEP:
            raise ValueError(f"solver step must be within 0.001-{MAX_STEP:g} min, got {self.step}")
        if self.threads is not None and self.threads < 1:
            raise ValueError(f"solver threads must be at least 1, got {self.threads}")


class GridError(ValueError):
    """A scenario whose times do not fall on the solver's steps."""


def check_grid(scenario: Any, solver: SolverOptions) -> Grid:
    """The grid of ``scenario`` with ``solver``; :class:`GridError` when times miss the steps."""
    return _grid(scenario, run_step(scenario, solver))


def _grid(scenario: Any, step: float) -> Grid:
    n_steps = round(scenario.duration / step)
    every = scenario.record_every / step
    if not math.isclose(every, round(every), rel_tol=1e-9) or not math.isclose(
        n_steps * step, scenario.duration, rel_tol=1e-9
    ):
        raise GridError(
            f"record_every ({scenario.record_every} min) and duration ({scenario.duration} min) "
            f"must be whole multiples of the solver step ({step} min)"
        )
    return Grid(n_steps, step, scenario.start_time, max(round(every), 1))


def _check_step(model: Model, step: float) -> None:
    """Refuse a step longer than a sub-model's stability limit, naming the sub-models."""
    limit = min(m.max_step for m in model.submodels)
    if step > limit:
        fast = sorted(m.name for m in model.submodels if m.max_step < step)
        raise ValueError(
            f"step: must be at most {limit:g} min for the sub-models {', '.join(fast)} "
            f"(got {step:g} min); simulate fewer `submodels` for longer steps"
        )


def _fixed_step_integrator(
    solver: SolverOptions, evaluator: SystemEvaluator
) -> tuple[Integrator, float]:
    """The run's RK4 (also its burn-in): compiled by default, else NumPy; and the compile time.

    The SciPy reference starts from the NumPy RK4's burn-in.
    """
    if solver.method != "compiled":
        return partial(integrate_rk4, evaluator), 0.0
    from oxysim.engine.compiled import CompiledRun

    compiled = CompiledRun.build(evaluator, solver.threads)
    return compiled.integrate, compiled.compile_seconds


def _guarded(
    run: Callable[[], T], table: Mapping[str, np.ndarray], arm: str = "", grid: Grid | None = None
) -> T:
    """``run()``, with a state out of range reported by variable, subject, arm and time."""
    try:
        return run()
    except InvalidStateError as error:
        subject = str(np.asarray(table["id"])[error.subject])
        when = (
            f"in arm {arm!r} at {error.step * grid.step:g} min"
            if grid is not None
            else "during the burn-in before the start"
        )
        raise SimulationError(
            f"{error.state} became {error.reason} for subject {subject} {when}; "
            "check the parameter values and doses of that subject"
        ) from error


@dataclass(frozen=True)
class PreparedRun:
    """A scenario's subjects, parameter values and grid, before anything is integrated."""

    model: Model
    built_in: bool
    table: Mapping[str, np.ndarray]
    params: Any
    evaluator: SystemEvaluator
    grid: Grid
    variability: bool
    floor: str | None
    neutralised: Mapping[str, Any]
    #: Hash of the median parameter values of all the run's subjects (the same for every chunk).
    parameter_hash: str


def run_step(scenario: Any, solver: SolverOptions) -> float:
    """The integration step of a run: the solver's, the scenario's, or the default."""
    return solver.step or scenario.step or min(DEFAULT_STEP, scenario.record_every)


def run_memory(
    scenario: Any,
    solver: SolverOptions,
    model: Model | None = None,
    built_in: bool = True,
    subjects_at_once: int | None = None,
) -> MemoryEstimate:
    """The memory plan of simulating ``scenario`` with ``model`` (the built-in one by default)."""
    model = model or human_model()
    default_record = (
        len(STANDARD_RECORD) if built_in else len(model.state_names) + len(model.outputs)
    )
    return estimate_memory(
        scenario,
        run_step(scenario, solver),
        len(model.variables),
        default_record,
        subjects_at_once,
        in_windows(scenario, solver),
    )


def prepare_run(
    scenario: Any,
    solver: SolverOptions,
    *,
    parameters: Mapping[str, ArrayLike] | None = None,
    variability: bool | None = None,
    submodels: Sequence[str] | None = None,
    model: Model | None = None,
    memory_limit: int | None = None,
    subjects_at_once: int | None = None,
    seed: np.random.SeedSequence | None = None,
) -> PreparedRun:
    """Draw the subjects and their parameters and lay out the grid (see :func:`simulate`).

    ``subjects_at_once``: the memory plan counts that many subjects integrated together (a chunk
    of a streamed run) instead of all of them. ``seed``: the draws come from this seed sequence
    instead of the scenario's seed (a sweep's task, :mod:`oxysim.sweep.tasks`).
    """
    if variability is None:
        variability = scenario.population is not None
    if model is not None and submodels is not None:
        raise ValueError("give either `model` or `submodels`, not both")
    built_in = model is None and submodels is None
    if model is None:
        model = human_model() if submodels is None else partial_model(tuple(submodels))
    step = run_step(scenario, solver)
    estimate = run_memory(scenario, solver, model, built_in, subjects_at_once)
    check_memory(estimate, memory_limit or default_budget())
    subject_rng, parameter_rng = np.random.default_rng(
        scenario.seed if seed is None else seed
    ).spawn(2)
    table = scenario_subjects(scenario, subject_rng)
    params = parameter_values(
        model.parameters,
        len(table["id"]),
        parameter_rng if variability else None,
        parameters,
        species=np.asarray(table["species"]),
    )
    floor = current_floor()
    neutralised = neutralised_parameters(model.parameters, floor, keep=set(parameters or {}))
    params.update(neutralised)
    evaluator = SystemEvaluator(model, params, covariate_inputs(table))
    grid = _grid(scenario, step)
    _check_step(model, grid.step)
    parameter_hash = model.parameter_hash({k: float(np.median(v)) for k, v in params.items()})
    return PreparedRun(
        model,
        built_in,
        table,
        params,
        evaluator,
        grid,
        variability,
        floor,
        neutralised,
        parameter_hash,
    )


def simulate(
    scenario: Any,
    *,
    solver: SolverOptions | None = None,
    parameters: Mapping[str, ArrayLike] | None = None,
    progress: Callable[[int, int], None] | None = None,
    scenario_text: str = "",
    variability: bool | None = None,
    submodels: Sequence[str] | None = None,
    model: Model | None = None,
    memory_limit: int | None = None,
) -> xr.Dataset:
    """Simulate every arm of ``scenario`` for the same virtual subjects.

    Parameters
    ----------
    scenario
        A validated :class:`oxysim.scenario.Scenario`.
    solver
        Integration options; the fast batched RK4 by default.
    parameters
        Overrides of declared parameter values, by name (checked against their bounds): one
        value for every subject, or an array with one value per subject.
    progress
        Called with ``(steps_done, steps_total)`` as the integration advances.
    scenario_text
        The scenario file's text, stored with the results for provenance.
    variability
        Draw between-subject parameter variability. ``None`` (default): for a ``population``
        but not for explicitly listed ``subjects``, who are typical people differing only in
        what the scenario says about them.
    submodels
        Simulate only these sub-models (by name), e.g. ``("endocrine", "nutrients")`` for weeks
        of hormone or supplement dosing with a step of up to an hour; all by default.
    model
        Any model built with :func:`oxysim.compose` (your own sub-models, or the built-in ones
        with yours added) instead of the built-in human model. Its external inputs may be any of
        the protocol channels and subject covariates.
    memory_limit
        Bytes the run may plan to hold (:mod:`oxysim.engine.memory`); by default half the memory
        available now. A run estimated above it raises :class:`MemoryPlanError` before anything
        is drawn or integrated.

    Inside :func:`oxysim.evidence.evidence_floor` every parameter graded below the floor that
    declares a neutral value is set to it for all subjects (no variability); explicit
    ``parameters`` overrides win. The floor and the neutralised names go into the attributes.
    """
    solver = solver or SolverOptions()
    prepared = prepare_run(
        scenario,
        solver,
        parameters=parameters,
        variability=variability,
        submodels=submodels,
        model=model,
        memory_limit=memory_limit,
    )
    return run_prepared(prepared, scenario, solver, progress, scenario_text)


def run_prepared(
    prepared: PreparedRun,
    scenario: Any,
    solver: SolverOptions,
    progress: Callable[[int, int], None] | None = None,
    scenario_text: str = "",
    bands: Bands | None = None,
) -> xr.Dataset:
    """Integrate every arm for the subjects of ``prepared`` and label the records.

    ``bands``: count the scenario's band variables into these (a chunk of a streamed run, whose
    bands are read once every chunk is counted); by default the run counts its own and adds
    them to the results.
    """
    model, table, evaluator, grid = (
        prepared.model,
        prepared.table,
        prepared.evaluator,
        prepared.grid,
    )
    fixed_step, compile_seconds = _fixed_step_integrator(solver, evaluator)
    y0 = _guarded(lambda: initial_state(model, evaluator, scenario.start_time, fixed_step), table)
    record = scenario.integrated_record or _default_record(prepared)
    arms = list(scenario.arms)
    own_bands = bands is None
    counted = run_bands(scenario, grid) if bands is None else bands
    total = grid.n_steps * len(arms)
    done = 0

    def advance(steps: int) -> None:
        nonlocal done
        done += steps
        if progress is not None:
            progress(done, total)

    windowed = in_windows(scenario, solver)
    results: list[dict[str, np.ndarray]] = []
    summaries: list[dict[str, np.ndarray]] = []
    for arm in arms:
        schedule = build_schedule(scenario.arm_events(arm), grid.n_steps, grid.step)
        arm_bands = {name: counted.counts[arm, name] for name in counted.variables}
        if windowed:
            integrate = partial(
                integrate_in_windows,
                fixed_step,
                y0,
                schedule,
                grid,
                scenario.summaries,
                arm_bands,
                advance,
            )
            summaries.append(_guarded(integrate, table, arm, grid))
            results.append({})
            continue
        if solver.method == "reference":
            integrate = partial(integrate_reference, evaluator, y0, schedule, grid, record)
        else:
            integrate = partial(fixed_step, y0, schedule, grid, record, advance)
        results.append(_guarded(integrate, table, arm, grid))
        for name, counts in arm_bands.items():
            counts.add(0, results[-1][name].T)
        if solver.method == "reference":
            advance(grid.n_steps)
    dataset = _dataset(prepared, scenario, arms, results, solver, scenario_text)
    dataset = (
        _with_window_summaries(dataset, model, summaries)
        if windowed
        else _with_summaries(dataset, scenario)
    )
    if own_bands and counted.variables:
        dataset = dataset.merge(band_dataset(counted, model, grid))
    dataset.attrs["compile_seconds"] = compile_seconds
    dataset.attrs["evidence_floor"] = prepared.floor or "none"
    dataset.attrs["neutralised_parameters"] = ", ".join(sorted(prepared.neutralised))
    return dataset


def run_bands(scenario: Any, grid: Grid) -> Bands:
    """Empty band counts for the scenario's ``bands``, every arm and recorded time."""
    return Bands(tuple(scenario.arms), tuple(scenario.bands), len(grid.record_steps))


def band_dataset(bands: Bands, model: Model, grid: Grid) -> xr.Dataset:
    """The bands counted so far, labelled, on the run's time coordinate."""
    declared = {
        name: {"units": model.variables[name].unit, "long_name": model.variables[name].description}
        for name in bands.variables
    }
    return bands.dataset(_time_coordinate(grid), declared)


def _time_coordinate(grid: Grid) -> xr.Variable:
    """The recorded times of a run, in minutes from its start."""
    return xr.Variable(
        ("time",),
        grid.record_steps * grid.step,
        attrs={"units": "min", "long_name": "time since start"},
    )


def _default_record(prepared: PreparedRun) -> tuple[str, ...]:
    """What a scenario that names neither ``record`` nor ``summaries`` records."""
    if prepared.built_in:
        return STANDARD_RECORD
    return prepared.model.state_names + tuple(v.name for v in prepared.model.outputs)


def in_windows(scenario: Any, solver: SolverOptions) -> bool:
    """Whether a run keeps no time course per subject and integrates in windows of time."""
    kept = scenario.summaries or scenario.bands
    return bool(kept) and not scenario.record and solver.method != "reference"


def _with_window_summaries(
    dataset: xr.Dataset, model: Model, summaries: list[dict[str, np.ndarray]]
) -> xr.Dataset:
    """The summaries of a windowed run (one dict per arm) as variables, with no time."""
    variables = {}
    for name in summaries[0]:
        statistic, _, variable = name.partition("_")
        declared = model.variables[variable]
        attrs = {"units": declared.unit, "long_name": declared.description}
        values = np.stack([arm[name] for arm in summaries])
        variables[name] = xr.Variable(
            ("arm", "subject"), values, summary_attrs(statistic, variable, attrs)
        )
    return dataset.drop_vars("time").assign(variables)


def _with_summaries(dataset: xr.Dataset, scenario: Any) -> xr.Dataset:
    """Add the scenario's summaries and keep over time only what ``record`` names.

    With summaries, the variables recorded only for them are dropped once summarised, so that
    what a run keeps per subject does not grow with its duration.
    """
    if not (scenario.summaries or scenario.bands):
        return dataset
    summaries = {name: summarise(dataset, name) for name in scenario.summaries}
    dropped = [name for name in recorded_variables(dataset) if name not in scenario.record]
    kept = dataset.drop_vars(dropped).assign(summaries)
    return kept if recorded_variables(kept) else kept.drop_vars("time")


def _dataset(
    prepared: PreparedRun,
    scenario: Any,
    arms: list[str],
    results: list[dict[str, np.ndarray]],
    solver: SolverOptions,
    scenario_text: str,
) -> xr.Dataset:
    model, table, params, grid = prepared.model, prepared.table, prepared.params, prepared.grid
    variables = model.variables
    time = grid.record_steps * grid.step
    data_vars: dict[str, Any] = {}
    # A fixed subject characteristic asked for in ``record`` is the ``subject`` coordinate, with
    # the value the model used (a typical value where the scenario left it unset).
    characteristics = {
        name: results[0][name][0]
        for name in results[0]
        if name in table and name not in BASELINE_LEVELS
    }
    for name in results[0]:
        if name in characteristics:
            continue
        # arm, subject, time: a plain copy of the compiled engine's (subject, time) records
        stacked = np.stack([r[name].T for r in results])
        variable = variables[name]
        data_vars[name] = xr.Variable(
            ("arm", "subject", "time"),
            stacked,
            attrs={"units": variable.unit, "long_name": variable.description},
        )
    for name, values in varying_parameters(params).items():
        parameter = model.parameter(name)
        data_vars[f"param_{name}"] = xr.Variable(
            ("subject",),
            values,
            attrs={"units": parameter.unit, "long_name": parameter.description},
        )
    coords: dict[str, Any] = {
        "arm": arms,
        "time": _time_coordinate(grid),
        "subject": np.asarray(table["id"]).astype(str),
    }
    for column, values in table.items():
        if column != "id":
            name = f"baseline_{column}" if column in BASELINE_LEVELS else column
            coords[name] = ("subject", _netcdf_safe(characteristics.get(column, values)))
    dataset = xr.Dataset(data_vars, coords=coords).transpose("arm", "subject", "time")
    dataset.attrs.update(
        {
            "title": f"oxysim results: {scenario.name}",
            "oxysim_version": __version__,
            "parameter_hash": prepared.parameter_hash,
            "scenario_name": scenario.name,
            "scenario": scenario_text,
            "seed": int(scenario.seed),
            "between_subject_variability": int(prepared.variability),
            "solver": solver.method,
            "solver_step_min": float(time[1] - time[0]) / grid.record_every
            if len(time) > 1
            else 0.0,
            "start_time_of_day_min": float(scenario.start_time),
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "note": "Simulation output for research and teaching; not medical advice.",
        }
    )
    return dataset


def _netcdf_safe(values: np.ndarray) -> np.ndarray:
    values = np.asarray(values)
    if values.dtype.kind in "UO":
        return values.astype(str)
    if values.dtype.kind == "b":
        return values.astype(np.int8)
    return values


def subject_chunk(prepared: PreparedRun, start: int, stop: int) -> PreparedRun:
    """The subjects ``start:stop`` of ``prepared``, with their own table rows and parameters.

    Subjects are drawn once for the whole run and integrated independently, so a chunk's
    results are those of the same subjects in the whole run, bit for bit.
    """
    chunk = slice(start, stop)
    table = {name: column[chunk] for name, column in prepared.table.items()}
    params = Signals(
        {name: v[chunk] if np.ndim(v) > 0 else v for name, v in prepared.params.items()}
    )
    evaluator = SystemEvaluator(prepared.model, params, covariate_inputs(table))
    return replace(prepared, table=table, params=params, evaluator=evaluator)
