"""The numba side of the compiled engine: the RK4 loop, and the intrinsic that calls the equations.

Each kernel lives in its own generated module (one per model structure, see
:mod:`oxysim.engine.compiled`) made from :data:`KERNEL_TEMPLATE`, so that numba's on-disk cache,
which is kept per source file, holds one machine-code library per model. The equations
themselves are not Python: :func:`evaluate_intrinsic` emits them as LLVM IR
(:mod:`oxysim.engine.codegen`) the first time numba compiles the loop, and never again once the
loop is cached.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from oxysim.engine.compose import Model


@dataclass(frozen=True)
class KernelSpec:
    """What a kernel is generated from: the model and the order of its inputs and signals."""

    model: Model
    constants: tuple[str, ...]
    channels: tuple[str, ...]
    signals: tuple[str, ...]


#: Kernels this process may have to compile, by fingerprint (set before a kernel is imported).
REGISTRY: dict[str, KernelSpec] = {}


def evaluate_intrinsic(fingerprint: str) -> Callable[..., None]:
    """A numba intrinsic ``evaluate(y, constants, channels, clock, rates, signals, recording)``.

    Its code is emitted from the traced equations of ``REGISTRY[fingerprint]``.
    """
    from numba import types
    from numba.extending import intrinsic

    @intrinsic
    def evaluate(
        typingctx: Any,
        y: Any,
        constants: Any,
        channels: Any,
        clock: Any,
        rates: Any,
        signals: Any,
        recording: Any,
    ) -> Any:
        signature = types.void(y, constants, channels, clock, rates, signals, recording)

        def codegen(context: Any, builder: Any, sig: Any, args: Any) -> Any:
            name = f"oxysim_evaluate_{fingerprint}"
            function = builder.module.globals.get(name) or _emit(builder.module, name, fingerprint)
            pointers = [
                context.make_array(sig.args[i])(context, builder, args[i]).data
                for i in (0, 1, 2, 4, 5)
            ]
            builder.call(function, [*pointers[:3], args[3], *pointers[3:], args[6]])
            return context.get_dummy_value()

        return signature, codegen

    return evaluate  # type: ignore[no-any-return]


def _emit(module: Any, name: str, fingerprint: str) -> Any:
    from oxysim.engine.codegen import emit_evaluate
    from oxysim.engine.symbolic import trace

    spec = REGISTRY[fingerprint]
    return emit_evaluate(
        module, name, trace(spec.model), spec.constants, spec.channels, spec.signals
    )


KERNEL_TEMPLATE = '''"""oxysim kernel {fingerprint} from oxysim.engine.compiled; do not edit."""

import math

import numba
import numpy as np

from oxysim.engine.kernel import evaluate_intrinsic

N_STATES = {n_states}
N_SIGNALS = {n_signals}
evaluate = evaluate_intrinsic("{fingerprint}")


@numba.njit(cache=True, error_model="numpy")
def integrate(
    y0, constants, channels, bolus_step, bolus_state, bolus_amount,
    n_steps, h, start, record_every, record_index, out, status,
):
    """RK4 for every subject (rows of y0 and constants); records into out[record, var, subject].

    The stage arithmetic is that of oxysim.engine.solvers.integrate_rk4, in the same order.
    status receives (1, subject, step, state) at the first non-finite state and the run stops.
    """
    n_subjects, n_states = y0.shape
    y = np.empty(n_states)
    stage = np.empty(n_states)
    k1 = np.empty(n_states)
    k2 = np.empty(n_states)
    k3 = np.empty(n_states)
    k4 = np.empty(n_states)
    signals = np.empty(N_SIGNALS)
    half = 0.5 * h
    sixth = h / 6.0
    quiet = n_steps < 0
    for s in range(n_subjects):
        c = constants[s]
        y[:] = y0[s]
        b = 0
        for k in range(n_steps + 1):
            while b < bolus_step.shape[0] and bolus_step[b] == k:
                y[bolus_state[b]] += bolus_amount[b]
                b += 1
            clock = start + k * h
            row = channels[min(k, n_steps - 1)]
            recording = k % record_every == 0
            evaluate(y, c, row, clock, k1, signals, recording)
            if recording:
                for j in range(record_index.shape[0]):
                    out[k // record_every, j, s] = signals[record_index[j]]
            if k == n_steps:
                break
            for i in range(n_states):
                stage[i] = y[i] + k1[i] * half
            evaluate(stage, c, row, clock + half, k2, signals, quiet)
            for i in range(n_states):
                stage[i] = y[i] + k2[i] * half
            evaluate(stage, c, row, clock + half, k3, signals, quiet)
            for i in range(n_states):
                stage[i] = y[i] + k3[i] * h
            evaluate(stage, c, row, clock + h, k4, signals, quiet)
            for i in range(n_states):
                y[i] = y[i] + (((k1[i] + k2[i] * 2.0) + k3[i] * 2.0) + k4[i]) * sixth
                if not math.isfinite(y[i]):
                    status[0] = 1
                    status[1] = s
                    status[2] = k + 1
                    status[3] = i
                    return
'''
