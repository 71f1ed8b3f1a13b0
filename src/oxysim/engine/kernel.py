"""The numba side of the compiled engine: the RK4 loop, and the intrinsics that call the equations.

Each kernel lives in its own generated module (one per model structure, see
:mod:`oxysim.engine.compiled`) made from :data:`KERNEL_TEMPLATE`, so that numba's on-disk cache,
which is kept per source file, holds one machine-code library per model. The equations
themselves are not Python: :func:`kernel_intrinsics` emits them as LLVM IR
(:mod:`oxysim.engine.codegen`) the first time numba compiles the loop, and never again once the
loop is cached.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from oxysim.engine.compose import Model

#: Subjects per SIMD block (four doubles fill an AVX2 register).
LANES = 4


@dataclass(frozen=True)
class KernelSpec:
    """What a kernel is generated from: the model and the order of its inputs and signals."""

    model: Model
    constants: tuple[str, ...]
    channels: tuple[str, ...]
    signals: tuple[str, ...]


#: Kernels this process may have to compile, by fingerprint (set before a kernel is imported).
REGISTRY: dict[str, KernelSpec] = {}
_N_DERIVED: dict[str, int] = {}


def kernel_intrinsics(fingerprint: str) -> tuple[Callable[..., None], ...]:
    """The numba intrinsics ``prepare``, ``evaluate`` and ``record`` of one kernel.

    ``prepare(constants, derived)``, ``evaluate(y, constants, derived, channels, clock, rates)``
    and ``record(..., rates, signals)``: their code is emitted from the traced equations of
    ``REGISTRY[fingerprint]`` (see :mod:`oxysim.engine.codegen` for the arrays' shapes).
    """
    from numba import types
    from numba.extending import intrinsic

    def call(context: Any, builder: Any, sig: Any, args: Any, which: str) -> Any:
        functions = _emitted(builder.module, fingerprint)
        values = [
            context.make_array(kind)(context, builder, value).data
            if isinstance(kind, types.Array)
            else value
            for kind, value in zip(sig.args, args, strict=True)
        ]
        builder.call(getattr(functions, which), values)
        return context.get_dummy_value()

    @intrinsic
    def prepare(typingctx: Any, constants: Any, derived: Any) -> Any:
        def codegen(context: Any, builder: Any, sig: Any, args: Any) -> Any:
            return call(context, builder, sig, args, "prepare")

        return types.void(constants, derived), codegen

    @intrinsic
    def evaluate(
        typingctx: Any,
        y: Any,
        constants: Any,
        derived: Any,
        channels: Any,
        clock: Any,
        rates: Any,
    ) -> Any:
        def codegen(context: Any, builder: Any, sig: Any, args: Any) -> Any:
            return call(context, builder, sig, args, "evaluate")

        return types.void(y, constants, derived, channels, clock, rates), codegen

    @intrinsic
    def record(
        typingctx: Any,
        y: Any,
        constants: Any,
        derived: Any,
        channels: Any,
        clock: Any,
        rates: Any,
        signals: Any,
    ) -> Any:
        def codegen(context: Any, builder: Any, sig: Any, args: Any) -> Any:
            return call(context, builder, sig, args, "record")

        return types.void(y, constants, derived, channels, clock, rates, signals), codegen

    return prepare, evaluate, record


def n_derived(fingerprint: str) -> int:
    """How many hoisted values ``prepare`` writes per lane (emits into a scratch module)."""
    from llvmlite import ir

    return int(_emitted(ir.Module(), fingerprint).n_derived)


def _emitted(module: Any, fingerprint: str) -> Any:
    """The kernel's LLVM functions in ``module``, emitted on first use."""
    from oxysim.engine.codegen import KernelFunctions, emit_kernel_functions
    from oxysim.engine.symbolic import trace

    prefix = f"oxysim_{fingerprint}"
    existing = module.globals.get(f"{prefix}_evaluate")
    if existing is not None:
        prepare, record = (module.globals[f"{prefix}_{kind}"] for kind in ("prepare", "record"))
        return KernelFunctions(prepare, existing, record, _N_DERIVED[fingerprint])
    spec = REGISTRY[fingerprint]
    functions = emit_kernel_functions(
        module, prefix, trace(spec.model), spec.constants, spec.channels, spec.signals
    )
    _N_DERIVED[fingerprint] = functions.n_derived
    return functions


KERNEL_TEMPLATE = '''"""oxysim kernel {fingerprint} from oxysim.engine.compiled; do not edit."""

import math

import numba
import numpy as np

from oxysim.engine.kernel import kernel_intrinsics

N_STATES = {n_states}
N_SIGNALS = {n_signals}
N_DERIVED = {n_derived}
LANES = {lanes}
prepare, evaluate, record = kernel_intrinsics("{fingerprint}")


@numba.njit(cache=True, error_model="numpy", parallel=True)
def integrate(
    y0, constants, channels, bolus_step, bolus_state, bolus_amount,
    n_steps, h, start, record_every, record_index, out, status,
):
    """RK4 for blocks of LANES subjects, the blocks shared out among threads.

    y0 (blocks, states, LANES) and constants (blocks, constants, LANES); records go into
    out[record, var, block * LANES + lane]. The stage arithmetic is that of
    oxysim.engine.solvers.integrate_rk4, in the same order; blocks are independent, so the
    result does not depend on the number of threads. status[block] receives (1, lane, step,
    state) at a block's first non-finite state, and that block stops.
    """
    n_blocks, n_states, lanes = y0.shape
    half = 0.5 * h
    sixth = h / 6.0
    for block in numba.prange(n_blocks):
        y = y0[block].copy()
        stage = np.empty((n_states, LANES))
        k1 = np.empty((n_states, LANES))
        k2 = np.empty((n_states, LANES))
        k3 = np.empty((n_states, LANES))
        k4 = np.empty((n_states, LANES))
        derived = np.empty((N_DERIVED, LANES))
        signals = np.empty((N_SIGNALS, LANES))
        c = constants[block]
        prepare(c, derived)
        b = 0
        for k in range(n_steps + 1):
            while b < bolus_step.shape[0] and bolus_step[b] == k:
                for lane in range(LANES):
                    y[bolus_state[b], lane] += bolus_amount[b]
                b += 1
            clock = start + k * h
            row = channels[min(k, n_steps - 1)]
            if k % record_every == 0:
                record(y, c, derived, row, clock, k1, signals)
                for j in range(record_index.shape[0]):
                    for lane in range(LANES):
                        out[k // record_every, j, block * LANES + lane] = signals[
                            record_index[j], lane
                        ]
            else:
                evaluate(y, c, derived, row, clock, k1)
            if k == n_steps or status[block, 0] != 0:
                break
            for i in range(n_states):
                for lane in range(LANES):
                    stage[i, lane] = y[i, lane] + k1[i, lane] * half
            evaluate(stage, c, derived, row, clock + half, k2)
            for i in range(n_states):
                for lane in range(LANES):
                    stage[i, lane] = y[i, lane] + k2[i, lane] * half
            evaluate(stage, c, derived, row, clock + half, k3)
            for i in range(n_states):
                for lane in range(LANES):
                    stage[i, lane] = y[i, lane] + k3[i, lane] * h
            evaluate(stage, c, derived, row, clock + h, k4)
            for i in range(n_states):
                for lane in range(LANES):
                    y[i, lane] = y[i, lane] + (
                        ((k1[i, lane] + k2[i, lane] * 2.0) + k3[i, lane] * 2.0) + k4[i, lane]
                    ) * sixth
                    if not math.isfinite(y[i, lane]) and status[block, 0] == 0:
                        status[block, 0] = 1
                        status[block, 1] = lane
                        status[block, 2] = k + 1
                        status[block, 3] = i
'''
