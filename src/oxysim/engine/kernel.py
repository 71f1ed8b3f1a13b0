"""Machine code for the compiled engine: the RK4 loop around the emitted equations, via llvmlite.

The whole kernel is LLVM IR. :mod:`oxysim.engine.codegen` emits the equations as ``prepare``,
``evaluate`` and ``record`` over a block of :data:`LANES` subjects; :func:`emit_kernel` wraps
them in ``oxysim_integrate``: RK4 over a range of blocks and every step of the grid, with the
boluses, the records and the run status. :func:`compile_kernel` turns the IR into object code
for this CPU (seconds, once per model structure: :mod:`oxysim.engine.compiled` caches it on
disk) and :func:`load_kernel` links object code into the process (milliseconds). The function is
called through ctypes, which releases the GIL, so threads integrate disjoint ranges of blocks.
"""

from __future__ import annotations

import ctypes
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from oxysim.engine.compose import Model

#: Subjects per SIMD block (four doubles fill an AVX2 register).
LANES = 4
#: ``status[block, 0]`` after a run: the block ran to the end, or why it stopped.
FINISHED, NOT_FINITE, NEGATIVE = 0, 1, 2


@dataclass(frozen=True)
class KernelSpec:
    """What a kernel is generated from: the model and the order of its inputs and signals."""

    model: Model
    constants: tuple[str, ...]
    channels: tuple[str, ...]
    signals: tuple[str, ...]


#: ``oxysim_integrate``'s arguments, in order: arrays are C-contiguous float64 (int64 for the
#: ``i`` kind); see :meth:`Kernel.integrate` for their shapes.
ARGUMENTS: tuple[tuple[str, str], ...] = (
    ("y0", "d*"),
    ("constants", "d*"),
    ("channels", "d*"),
    ("n_channels", "i"),
    ("bolus_step", "i*"),
    ("bolus_state", "i*"),
    ("bolus_amount", "d*"),
    ("n_boluses", "i"),
    ("n_steps", "i"),
    ("h", "d"),
    ("start", "d"),
    ("record_every", "i"),
    ("record_index", "i*"),
    ("n_record", "i"),
    ("out", "d*"),
    ("out_lanes", "i"),
    ("first_block", "i"),
    ("last_block", "i"),
    ("lower_bound", "d*"),
    ("status", "i*"),
)


def emit_kernel(spec: KernelSpec, name: str) -> str:
    """The kernel's LLVM IR: the equations and ``oxysim_integrate`` around them."""
    from llvmlite import ir

    from oxysim.engine.codegen import emit_kernel_functions
    from oxysim.engine.loop import emit_rk4_loop
    from oxysim.engine.symbolic import trace

    module = ir.Module(name=name)
    functions = emit_kernel_functions(
        module, "oxysim", trace(spec.model), spec.constants, spec.channels, spec.signals
    )
    emit_rk4_loop(
        module,
        functions,
        ARGUMENTS,
        n_states=len(spec.model.state_names),
        n_constants=len(spec.constants),
        n_signals=len(spec.signals),
    )
    return str(module)


def compile_target() -> str:
    """The compiler (llvmlite) version and the CPU's name and features (part of the cache key)."""
    import llvmlite
    from llvmlite import binding

    cpu = f"{binding.get_host_cpu_name()}:{binding.get_host_cpu_features().flatten()}"
    return f"llvmlite {llvmlite.__version__} {cpu}"


def _target_machine() -> Any:
    """A new target machine for this CPU (each MCJIT engine takes ownership of its own)."""
    from llvmlite import binding

    binding.initialize_native_target()
    binding.initialize_native_asmprinter()
    return binding.Target.from_default_triple().create_target_machine(
        cpu=binding.get_host_cpu_name(),
        features=binding.get_host_cpu_features().flatten(),
        opt=3,
        reloc="pic",
    )


def compile_kernel(ir_text: str) -> bytes:
    """Object code for this CPU, optimised as clang's -O3 would."""
    from llvmlite import binding

    machine = _target_machine()
    module = binding.parse_assembly(ir_text)
    module.verify()
    builder = binding.create_pass_builder(
        machine, binding.create_pipeline_tuning_options(speed_level=3)
    )
    builder.getModulePassManager().run(module, builder)
    return bytes(machine.emit_object(module))


_CTYPES = {"d*": ctypes.c_void_p, "i*": ctypes.c_void_p, "i": ctypes.c_int64, "d": ctypes.c_double}


class Kernel:
    """``oxysim_integrate`` linked into this process, callable on NumPy arrays."""

    def __init__(self, object_code: bytes):
        from llvmlite import binding

        machine = _target_machine()
        self._engine = binding.create_mcjit_compiler(binding.parse_assembly(""), machine)
        self._engine.add_object_file(binding.ObjectFileRef.from_data(object_code))
        self._engine.finalize_object()
        address = self._engine.get_function_address("oxysim_integrate")
        if not address:
            raise RuntimeError("the kernel's object code has no oxysim_integrate")
        prototype = ctypes.CFUNCTYPE(None, *(_CTYPES[kind] for _, kind in ARGUMENTS))
        self._function = prototype(address)

    def integrate(
        self,
        y0: NDArray[np.float64],
        constants: NDArray[np.float64],
        channels: NDArray[np.float64],
        boluses: tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]],
        grid: tuple[int, float, float, int],
        record_index: NDArray[np.int64],
        out: NDArray[np.float64],
        lower_bound: NDArray[np.float64],
        status: NDArray[np.int64],
        blocks: Sequence[int],
    ) -> None:
        """RK4 for the blocks ``blocks[0]`` to ``blocks[1]`` (excluded), in place.

        ``y0`` (blocks, states, LANES), ``constants`` (blocks, constants, LANES), ``channels``
        (steps, channels); ``boluses`` (step, state, amount) sorted by step; ``grid`` is
        (n_steps, step, clock at the start, record_every). Records go to
        ``out[j, block * LANES + lane, record]``; ``status[block]`` receives (why, lane, step,
        state) at a block's first state that is not finite or is below ``lower_bound``, and
        that block stops.
        """
        arrays = (y0, constants, channels, *boluses, record_index, out, lower_bound, status)
        for array in arrays:
            if not array.flags.c_contiguous:
                raise ValueError("kernel arrays must be C-contiguous")
        bolus_step, bolus_state, bolus_amount = boluses
        n_steps, h, start, record_every = grid
        values = {
            "y0": y0.ctypes.data,
            "constants": constants.ctypes.data,
            "channels": channels.ctypes.data,
            "n_channels": channels.shape[1],
            "bolus_step": bolus_step.ctypes.data,
            "bolus_state": bolus_state.ctypes.data,
            "bolus_amount": bolus_amount.ctypes.data,
            "n_boluses": len(bolus_step),
            "n_steps": n_steps,
            "h": h,
            "start": start,
            "record_every": record_every,
            "record_index": record_index.ctypes.data,
            "n_record": len(record_index),
            "out": out.ctypes.data,
            "out_lanes": out.shape[1],
            "first_block": blocks[0],
            "last_block": blocks[1],
            "lower_bound": lower_bound.ctypes.data,
            "status": status.ctypes.data,
        }
        self._function(*(values[name] for name, _ in ARGUMENTS))
