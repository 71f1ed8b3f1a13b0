"""Many least-squares fits run in lockstep, their model evaluations gathered into one batch.

One simulation costs seconds whatever its number of subjects (most of it is the model's
per-step overhead and the day of burn-in), so the fits of a profile or a bootstrap must not wait
for each other's simulations. Each fit is an ordinary :func:`scipy.optimize.least_squares`
(trust-region reflective, within the bounds) in its own thread; a thread asking for residuals
waits until every running fit has asked, and then one batched prediction answers them all.
Each request carries the point and its forward-difference perturbations, so the Jacobian comes
with the residuals and costs no simulation of its own. Each thread runs in a copy of the caller's
context, so context variables such as the evidence floor reach every batched prediction.

A fit whose start gives non-finite residuals (a profile point at a declared bound, say, where the
model breaks down) is not an error: it ends at once, unconverged, with an infinite sum of squares.
"""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from scipy.optimize import least_squares

#: Forward-difference step in internal coordinates (log values: 1e-6 relative).
DIFFERENCE_STEP = 1e-6
#: Convergence tolerances of least_squares: far below the statistical precision of any data.
TOLERANCE = 1e-4
#: Most residual evaluations (simulation rounds) per fit.
MAX_EVALUATIONS = 40

Predict = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class FitProblem:
    """One fit: start ``x0`` (every parameter, internal), which entries move, and the data.

    Entries where ``free`` is False stay at their ``x0`` value (a profile's fixed parameter).
    """

    x0: np.ndarray
    free: np.ndarray
    observed: np.ndarray


@dataclass(frozen=True)
class FitOutcome:
    """A fit's solution (every parameter, internal), its data, residuals, Jacobian and status.

    Residuals are ``model - observed`` on the residual scale; they are not finite, and the fit
    not converged, when the model gave non-finite values at the start.
    """

    x: np.ndarray
    observed: np.ndarray
    residuals: np.ndarray
    jacobian: np.ndarray
    evaluations: int
    converged: bool
    message: str

    @property
    def sum_of_squares(self) -> float:
        """Residual sum of squares."""
        return float(self.residuals @ self.residuals)


class _Gatherer:
    """Holds requests until every running fit has one, then answers all with one prediction."""

    def __init__(self, predict: Predict, running: int, on_round: Callable[[], None]):
        self._predict = predict
        self._running = running
        self._on_round = on_round
        self._condition = threading.Condition()
        self._pending: dict[int, np.ndarray] = {}
        self._answers: dict[int, np.ndarray | BaseException] = {}
        self._next_ticket = 0

    def request(self, points: np.ndarray) -> np.ndarray:
        """Predictions for ``points`` (rows), once the round they joined has run."""
        with self._condition:
            ticket = self._next_ticket
            self._next_ticket += 1
            self._pending[ticket] = points
            self._run_if_complete()
            self._condition.wait_for(lambda: ticket in self._answers)
            answer = self._answers.pop(ticket)
        if isinstance(answer, BaseException):
            raise answer
        return answer

    def finished(self) -> None:
        """A fit has ended: the others no longer wait for it."""
        with self._condition:
            self._running -= 1
            self._run_if_complete()

    def _run_if_complete(self) -> None:
        if not self._pending or len(self._pending) < self._running:
            return
        tickets = list(self._pending)
        blocks = [self._pending.pop(t) for t in tickets]
        try:
            predictions = self._predict(np.vstack(blocks))
            ends = np.cumsum([len(b) for b in blocks])
            answers: list[np.ndarray | BaseException] = list(np.split(predictions, ends[:-1]))
        except Exception as error:  # handed to every waiting fit, which re-raises it
            answers = [error] * len(blocks)
        self._answers.update(zip(tickets, answers, strict=True))
        self._condition.notify_all()  # first: a failing callback must not leave the others waiting
        self._on_round()


def _solve(
    problem: FitProblem, bounds: tuple[np.ndarray, np.ndarray], gather: _Gatherer
) -> FitOutcome:
    """One least-squares fit whose evaluations go through ``gather``."""
    free = np.flatnonzero(problem.free)
    if not len(free):
        return _evaluate_only(problem, gather)
    lower, upper = bounds[0][free], bounds[1][free]
    cache: dict[bytes, tuple[np.ndarray, np.ndarray]] = {}

    def evaluate(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        key = x.tobytes()
        if key not in cache:
            full = problem.x0.copy()
            full[free] = x
            steps = np.where(x + DIFFERENCE_STEP <= upper, DIFFERENCE_STEP, -DIFFERENCE_STEP)
            points = np.vstack([full, full + np.eye(len(full))[free] * steps[:, None]])
            predicted = gather.request(points)
            residuals = predicted[0] - problem.observed
            cache.clear()
            cache[key] = (residuals, ((predicted[1:] - predicted[0]) / steps[:, None]).T)
        return cache[key]

    try:
        result = least_squares(
            lambda x: evaluate(x)[0],
            np.clip(problem.x0[free], lower, upper),
            jac=lambda x: evaluate(x)[1],
            bounds=(lower, upper),
            method="trf",
            tr_solver="lsmr",  # the exact solver crawls when a parameter has no effect
            ftol=TOLERANCE,
            xtol=TOLERANCE,
            gtol=TOLERANCE,
            max_nfev=MAX_EVALUATIONS,
        )
    except ValueError:  # least_squares refuses a start with non-finite residuals
        if all(np.all(np.isfinite(residuals)) for residuals, _ in cache.values()):
            raise
        return _not_finite(problem)
    finally:
        gather.finished()
    x = problem.x0.copy()
    x[free] = result.x
    return FitOutcome(
        x,
        problem.observed,
        result.fun,
        result.jac,
        int(result.nfev),
        result.status > 0,
        str(result.message),
    )


def _not_finite(problem: FitProblem) -> FitOutcome:
    """The outcome of a fit whose start gave non-finite residuals: infinite, not converged."""
    n, p = len(problem.observed), int(np.count_nonzero(problem.free))
    return FitOutcome(
        problem.x0,
        problem.observed,
        np.full(n, np.inf),
        np.zeros((n, p)),
        1,
        False,
        "the model gave non-finite values at the start",
    )


def _evaluate_only(problem: FitProblem, gather: _Gatherer) -> FitOutcome:
    """A "fit" with nothing free: the residuals at ``x0``."""
    try:
        residuals = gather.request(problem.x0[None, :])[0] - problem.observed
    finally:
        gather.finished()
    if not np.all(np.isfinite(residuals)):
        return _not_finite(problem)
    return FitOutcome(
        problem.x0, problem.observed, residuals, np.zeros((len(residuals), 0)), 1, True, "fixed"
    )


def fit_all(
    problems: Sequence[FitProblem],
    bounds: tuple[np.ndarray, np.ndarray],
    predict: Predict,
    on_round: Callable[[], None] = lambda: None,
) -> list[FitOutcome]:
    """Solve every problem; ``predict`` maps internal points (rows) to residual-scale values.

    ``on_round`` is called after each batched prediction (for a progress bar); an error it
    raises ends the fit that triggered it and is raised here, the other fits go on. Each fit runs
    in a copy of the caller's context (the evidence floor in force reaches ``predict``).
    """
    gather = _Gatherer(predict, len(problems), on_round)
    with ThreadPoolExecutor(max_workers=max(len(problems), 1)) as pool:
        futures = [
            pool.submit(contextvars.copy_context().run, _solve, problem, bounds, gather)
            for problem in problems
        ]
        return [future.result() for future in futures]
