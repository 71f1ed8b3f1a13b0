"""Why a run stops: a state that left the real numbers, named so that a user can act on it."""

from __future__ import annotations


class NonFiniteStateError(ArithmeticError):
    """A state became NaN or infinite during integration (solver-level: indices, not names)."""

    def __init__(self, state: str, subject: int, step: int):
        super().__init__(f"state {state!r} became non-finite at step {step} of subject {subject}")
        self.state = state
        self.subject = subject
        self.step = step


class SimulationError(RuntimeError):
    """A run that cannot go on; the message names the variable, subject, arm and time."""
