"""Why a run stops: a state that left its range, named so that a user can act on it.

Every state must stay finite, and every state not declared ``signed`` (amounts, concentrations,
fractions, activities) must stay at or above zero, up to :data:`NEGATIVE_TOLERANCE` of round-off.
Both solvers check after every step, with :func:`lower_bounds` from the same declaration.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from oxysim.model.submodel import Variable

#: How far below zero a state that cannot be negative may go (round-off), in its own unit.
NEGATIVE_TOLERANCE = 1e-9


def lower_bounds(states: Sequence[Variable]) -> NDArray[np.float64]:
    """The lowest acceptable value of each state: -inf when signed, else -NEGATIVE_TOLERANCE."""
    return np.array([-np.inf if s.signed else -NEGATIVE_TOLERANCE for s in states])


class InvalidStateError(ArithmeticError):
    """A state became NaN, infinite or negative (solver-level: indices, not names)."""

    def __init__(self, state: str, subject: int, step: int, negative: bool = False):
        self.reason = "negative" if negative else "NaN or infinite"
        super().__init__(
            f"state {state!r} became {self.reason} at step {step} of subject {subject}"
        )
        self.state = state
        self.subject = subject
        self.step = step


class SimulationError(RuntimeError):
    """A run that cannot go on; the message names the variable, subject, arm and time."""
