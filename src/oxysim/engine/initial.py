"""The state a subject starts a scenario in: at rest, on its circadian orbit."""

from __future__ import annotations

from functools import partial

import numpy as np

from oxysim.engine.compose import Model
from oxysim.engine.protocol import empty_schedule
from oxysim.engine.solvers import Grid, Integrator, SystemEvaluator, integrate_rk4

BURN_IN_MINUTES = 1440.0
BURN_IN_STEP = 4.0


def initial_state(
    model: Model,
    evaluator: SystemEvaluator,
    start_time_of_day: float,
    integrate: Integrator | None = None,
) -> np.ndarray:
    """Resting state, settled onto the circadian orbit by a day of burn-in before the start.

    ``integrate`` runs the burn-in: the run's own fixed-step solver (compiled or NumPy); the
    NumPy RK4 by default. States without an analytic resting value start at 0.
    """
    integrate = integrate or partial(integrate_rk4, evaluator)
    signals = evaluator.signals(np.zeros((len(model.state_names), 1)), {}, start_time_of_day)
    channels = empty_schedule(1).channels
    signals.update({name: 0.0 for name in channels})
    resting = model.resting_state(signals, evaluator.params)
    n = evaluator.n_subjects
    y0 = np.vstack([np.broadcast_to(resting.get(name, 0.0), (n,)) for name in model.state_names])
    steps = round(BURN_IN_MINUTES / BURN_IN_STEP)
    burn = Grid(steps, BURN_IN_STEP, start_time_of_day - BURN_IN_MINUTES, steps)
    settled = integrate(y0, empty_schedule(steps), burn, model.state_names, None)
    return np.vstack([settled[name][-1] for name in model.state_names])
