"""Solvers for a batch of subjects: a fast fixed-step RK4 and a SciPy reference.

Contract of a solver (both below follow it):

1. It integrates ``model`` from the state ``y0`` (shape ``(n_states, n_subjects)``) over the
   steps of a :class:`~oxysim.engine.protocol.Schedule`, applying each bolus at the start of
   its step and holding channels constant over a step.
2. It records the requested variables (states, outputs, inputs) every ``record_every`` steps,
   including step 0 and the final time, and returns them as ``{name: (n_records, n_subjects)}``.
3. It never loops over subjects; the batch must equal the per-subject loop.
4. The fixed-step solvers write the final state into ``end_state`` when one is given, so that
   a run can go on from it (:mod:`oxysim.engine.windows`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from oxysim.engine.compose import Model
from oxysim.engine.protocol import GAIN_PREFIX, Schedule
from oxysim.engine.status import InvalidStateError, lower_bounds
from oxysim.model.submodel import Signals, Variable

Array = NDArray[np.float64]
Progress = Callable[[int], None]


@dataclass(frozen=True)
class Grid:
    """The integration grid: ``n_steps`` steps of ``step`` minutes from clock time ``start``."""

    n_steps: int
    step: float
    start_time_of_day: float
    record_every: int

    @property
    def record_steps(self) -> NDArray[np.int64]:
        """Step indices at which values are recorded (the last is ``n_steps``, the end)."""
        return np.arange(0, self.n_steps + 1, self.record_every)


class Integrator(Protocol):
    """A fixed-step solver bound to its model and subjects (the contract above)."""

    def __call__(
        self,
        y0: Array,
        schedule: Schedule,
        grid: Grid,
        record: Sequence[str],
        progress: Progress | None = None,
        end_state: Array | None = None,
    ) -> dict[str, Array]:
        """Integrate from ``y0`` and return the records (see the module docstring)."""
        ...


class SystemEvaluator:
    """Evaluates the model at one time: states + covariates + channels -> rates and signals."""

    def __init__(self, model: Model, params: Signals, covariates: Mapping[str, Array]):
        self.model = model
        self.params = params
        self.state_names = model.state_names
        self.n_subjects = max(np.size(v) for v in covariates.values())
        self.constants = Signals(covariates)
        self.constants.update(model.static_signals(Signals(covariates), params))
        #: Channels with a per-subject gain among the covariates (``gain_<channel>``).
        self.gains = {
            name[len(GAIN_PREFIX) :]: np.asarray(values, dtype=float)
            for name, values in covariates.items()
            if name.startswith(GAIN_PREFIX)
        }

    def signals(self, y: Array, channels: Mapping[str, float], time_of_day: float) -> Signals:
        """The named signals at one time before outputs are filled in."""
        signals = Signals(self.constants)
        signals.update(channels)
        for name, gain in self.gains.items():
            if name in channels:
                signals[name] = channels[name] * gain
        signals["time_of_day"] = time_of_day % 1440.0
        for index, name in enumerate(self.state_names):
            signals[name] = y[index]
        return signals

    def rates(
        self,
        y: Array,
        channels: Mapping[str, float],
        time_of_day: float,
        out: Array | None = None,
    ) -> tuple[Array, Signals]:
        """d(y)/dt and the full set of signals (states, inputs, outputs).

        ``out`` (shape ``(n_states, n_subjects)``), when given, receives the rates: reusing one
        buffer spares the integrator a fresh, page-faulting allocation at every evaluation.
        """
        signals = self.signals(y, channels, time_of_day)
        if out is None:
            out = np.empty((len(self.state_names), self.n_subjects))
        self.model.evaluate(signals, self.params, out)
        return out, signals


def _channels_at(schedule: Schedule, k: int) -> dict[str, float]:
    return {name: float(values[k]) for name, values in schedule.channels.items()}


def _channels_by_step(schedule: Schedule, n_steps: int) -> list[dict[str, float]]:
    """The channel values of every step, built once; steps without a change share one dict."""
    by_step: list[dict[str, float]] = []
    for k in range(n_steps):
        same = by_step and all(values[k] == values[k - 1] for values in schedule.channels.values())
        by_step.append(by_step[-1] if same else _channels_at(schedule, k))
    return by_step


def _apply_boluses(y: Array, schedule: Schedule, k: int, state_index: Mapping[str, int]) -> None:
    for bolus in schedule.boluses:
        if bolus.step == k:
            y[state_index[bolus.state]] += bolus.amount


def _record(store: dict[str, Array], row: int, signals: Signals, names: Sequence[str]) -> None:
    for name in names:
        store[name][row] = signals[name]


def integrate_rk4(
    evaluator: SystemEvaluator,
    y0: Array,
    schedule: Schedule,
    grid: Grid,
    record: Sequence[str],
    progress: Progress | None = None,
    end_state: Array | None = None,
) -> dict[str, Array]:
    """Classic fourth-order Runge-Kutta on the grid, vectorised over subjects."""
    y = np.array(y0, dtype=float)
    n_records = len(grid.record_steps)
    store = {name: np.empty((n_records, y.shape[1])) for name in record}
    state_index = {name: i for i, name in enumerate(evaluator.state_names)}
    k1, k2, k3, k4, stage = (np.empty_like(y) for _ in range(5))
    channels_by_step = _channels_by_step(schedule, grid.n_steps)
    h = grid.step
    for k in range(grid.n_steps + 1):
        _apply_boluses(y, schedule, k, state_index)
        clock = grid.start_time_of_day + k * h
        channels = channels_by_step[min(k, grid.n_steps - 1)]
        _, signals = evaluator.rates(y, channels, clock, k1)
        if k % grid.record_every == 0:
            _record(store, k // grid.record_every, signals, record)
        if k == grid.n_steps:
            break
        evaluator.rates(_stage(y, 0.5 * h, k1, stage), channels, clock + 0.5 * h, k2)
        evaluator.rates(_stage(y, 0.5 * h, k2, stage), channels, clock + 0.5 * h, k3)
        evaluator.rates(_stage(y, h, k3, stage), channels, clock + h, k4)
        _advance(y, h, k1, k2, k3, k4)
        _check_states(y, evaluator.model.states, k + 1)
        if progress is not None:
            progress(1)
    if end_state is not None:
        end_state[...] = y
    return store


def _check_states(y: Array, states: Sequence[Variable], step: int) -> None:
    """Raise :class:`InvalidStateError` for the first state (then subject) out of its range."""
    acceptable = np.isfinite(y) & (y >= lower_bounds(states)[:, None])
    if not acceptable.all():
        state, subject = np.argwhere(~acceptable)[0]
        negative = bool(np.isfinite(y[state, subject]))
        raise InvalidStateError(states[state].name, int(subject), step, negative)


def _stage(y: Array, size: float, slope: Array, out: Array) -> Array:
    """``y + size * slope`` written into ``out`` (no temporaries; same rounding as the formula)."""
    np.multiply(slope, size, out=out)
    return np.add(y, out, out=out)


def _advance(y: Array, h: float, k1: Array, k2: Array, k3: Array, k4: Array) -> None:
    """``y += h/6 (k1 + 2 k2 + 2 k3 + k4)`` in place, in the formula's order (same rounding).

    ``k2`` and ``k3`` serve as work space and are overwritten.
    """
    total = np.multiply(k2, 2.0, out=k2)
    np.add(k1, total, out=total)
    np.add(total, np.multiply(k3, 2.0, out=k3), out=total)
    np.add(total, k4, out=total)
    np.multiply(total, h / 6.0, out=total)
    np.add(y, total, out=y)


def integrate_reference(
    evaluator: SystemEvaluator,
    y0: Array,
    schedule: Schedule,
    grid: Grid,
    record: Sequence[str],
    rtol: float = 1e-10,
    atol: float = 1e-12,
) -> dict[str, Array]:
    """SciPy ``solve_ivp`` (DOP853, dense output) between breakpoints; the accuracy reference."""
    from scipy.integrate import solve_ivp

    y = np.array(y0, dtype=float)
    shape = y.shape
    state_index = {name: i for i, name in enumerate(evaluator.state_names)}
    record_steps = grid.record_steps
    store = {name: np.empty((len(record_steps), shape[1])) for name in record}
    edges = sorted({*schedule.breakpoints().tolist(), grid.n_steps})
    for start, stop in zip(edges[:-1], edges[1:], strict=True):
        _apply_boluses(y, schedule, start, state_index)
        channels = _channels_at(schedule, start)

        def rhs(t: float, flat: Array, channels: Mapping[str, float] = channels) -> Array:
            rates, _ = evaluator.rates(flat.reshape(shape), channels, grid.start_time_of_day + t)
            return rates.ravel()

        solution = solve_ivp(
            rhs,
            (start * grid.step, stop * grid.step),
            y.ravel(),
            method="DOP853",
            dense_output=True,
            rtol=rtol,
            atol=atol,
        )
        if not solution.success:
            raise RuntimeError(f"reference solver failed: {solution.message}")
        last = stop if stop == grid.n_steps else stop - 1
        for k in record_steps[(record_steps >= start) & (record_steps <= last)]:
            state = solution.sol(k * grid.step).reshape(shape)
            _, signals = evaluator.rates(state, channels, grid.start_time_of_day + k * grid.step)
            _record(store, k // grid.record_every, signals, record)
        y = solution.sol(stop * grid.step).reshape(shape)
        _check_states(y, evaluator.model.states, stop)
    return store
