"""The RK4 time loop of the compiled engine, as LLVM IR around the emitted equations.

``oxysim_integrate`` (arguments: :data:`oxysim.engine.kernel.ARGUMENTS`) runs, for every block
of LANES subjects in ``[first_block, last_block)``: ``prepare`` once, then at every step the
boluses due, a record (``record`` instead of ``evaluate`` for the first stage) when the step is
recorded, and the four RK4 stages. Records go to ``out[j, subject, record]``: a block's records
stay in cache while it runs, and each variable's array is already in the (subject, time) order
of the results. The stage arithmetic is that of
:func:`oxysim.engine.solvers.integrate_rk4`, in the same order, so the two agree to round-off.
After each step every state is checked: not finite, or below its lower bound, and the block
stops with ``status[block] = (why, lane, step, state)``. A block that reaches the end writes
its final state over its ``y0``, so that a run in windows of time goes on from it. Blocks are
independent, so the result does not depend on how blocks are shared among threads.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

from llvmlite import ir

from oxysim.engine.codegen import (
    DOUBLE,
    INDEX,
    INT32,
    POINTER,
    VECTOR,
    KernelFunctions,
    _function,
    _load,
    _splat,
    _splat_constant,
    _store,
)
from oxysim.engine.kernel import LANES, NEGATIVE, NOT_FINITE

_TYPES = {"d*": POINTER, "i*": INDEX.as_pointer(), "i": INDEX, "d": DOUBLE}


def _index(value: int) -> Any:
    return ir.Constant(INDEX, value)


def _element(builder: ir.IRBuilder, pointer: Any, offset: Any) -> Any:
    return builder.load(builder.gep(pointer, [offset]))


class _Loop:
    """A counted loop ``for i in range(start, stop)``, ``i`` being :attr:`index`.

    Construction leaves the builder in the loop's body; emit the body, then call :meth:`close`.
    """

    def __init__(self, builder: ir.IRBuilder, start: Any, stop: Any, name: str):
        self.builder = builder
        function = builder.function
        self.head = function.append_basic_block(f"{name}_head")
        self.body_block = function.append_basic_block(f"{name}_body")
        self.exit = function.append_basic_block(f"{name}_exit")
        entry = builder.block
        builder.branch(self.head)
        builder.position_at_end(self.head)
        self.index = builder.phi(INDEX, name=name)
        self.index.add_incoming(start, entry)
        builder.cbranch(builder.icmp_signed("<", self.index, stop), self.body_block, self.exit)
        builder.position_at_end(self.body_block)

    def close(self) -> None:
        """Branch from the current block to the next iteration; continue after the loop."""
        b = self.builder
        self.index.add_incoming(b.add(self.index, _index(1)), b.block)
        b.branch(self.head)
        b.position_at_end(self.exit)


def emit_rk4_loop(
    module: ir.Module,
    functions: KernelFunctions,
    arguments: Sequence[tuple[str, str]],
    *,
    n_states: int,
    n_constants: int,
    n_signals: int,
) -> Any:
    """Add ``oxysim_integrate`` (external) to ``module``, calling ``functions``.

    ``arguments`` are its (name, kind) pairs (:data:`oxysim.engine.kernel.ARGUMENTS`), read by
    name in the body as ``a.<name>``.
    """
    function = _function(
        module, "oxysim_integrate", ir.VoidType(), [_TYPES[kind] for _, kind in arguments]
    )
    for (name, _), value in zip(arguments, function.args, strict=True):
        value.name = name
    a = SimpleNamespace(**{value.name: value for value in function.args})
    b = ir.IRBuilder(function.append_basic_block("entry"))

    def scratch(rows: int) -> Any:
        vectors = b.alloca(VECTOR, size=_index(rows))
        vectors.align = 32
        return b.bitcast(vectors, POINTER)

    y, stage, k1, k2, k3, k4 = (scratch(n_states) for _ in range(6))
    derived, signals = scratch(functions.n_derived), scratch(n_signals)
    bolus_cursor = b.alloca(INDEX)
    half = b.fmul(a.h, ir.Constant(DOUBLE, 0.5))
    sixth = b.fdiv(a.h, ir.Constant(DOUBLE, 6.0))
    half_vector, h_vector, sixth_vector = (_splat(b, v) for v in (half, a.h, sixth))
    lower = [_splat(b, _element(b, a.lower_bound, _index(i))) for i in range(n_states)]
    last_row = b.sub(a.n_steps, _index(1))
    n_records = b.add(b.sdiv(a.n_steps, a.record_every), _index(1))

    blocks = _Loop(b, a.first_block, a.last_block, "block")
    block = blocks.index
    block_start = b.gep(a.y0, [b.mul(block, _index(n_states * LANES))])
    for i in range(n_states):
        _store(b, _load(b, block_start, i), y, i)
    row = b.gep(a.constants, [b.mul(block, _index(n_constants * LANES))])
    b.call(functions.prepare, [row, derived])
    b.store(_index(0), bolus_cursor)

    steps = _Loop(b, _index(0), b.add(a.n_steps, _index(1)), "step")
    k = steps.index
    _apply_boluses(b, y, k, bolus_cursor, a.bolus_step, a.bolus_state, a.bolus_amount, a.n_boluses)
    clock = b.fadd(a.start, b.fmul(b.sitofp(k, DOUBLE), a.h))
    step_row = b.select(b.icmp_signed("<", k, last_row), k, last_row)
    step_channels = b.gep(a.channels, [b.mul(step_row, a.n_channels)])
    arguments = [row, derived, step_channels]
    recorded = b.icmp_signed("==", b.srem(k, a.record_every), _index(0))
    with b.if_else(recorded) as (then, otherwise):
        with then:
            b.call(functions.record, [y, *arguments, clock, k1, signals])
            copies = _Loop(b, _index(0), a.n_record, "record")
            source = b.mul(_element(b, a.record_index, copies.index), _index(LANES))
            vector = b.load(b.bitcast(b.gep(signals, [source]), VECTOR.as_pointer()), align=8)
            subject = b.add(b.mul(copies.index, a.out_lanes), b.mul(block, _index(LANES)))
            target = b.add(b.mul(subject, n_records), b.sdiv(k, a.record_every))
            for lane in range(LANES):
                value = b.extract_element(vector, INT32(lane))
                b.store(value, b.gep(a.out, [b.add(target, b.mul(_index(lane), n_records))]))
            copies.close()
        with otherwise:
            b.call(functions.evaluate, [y, *arguments, clock, k1])
    stages = function.append_basic_block("stages")
    finished = function.append_basic_block("finished")
    blocks_next = function.append_basic_block("block_next")
    b.cbranch(b.icmp_signed("==", k, a.n_steps), finished, stages)
    b.position_at_end(finished)
    for i in range(n_states):  # the state at the end, for a run that goes on from it
        _store(b, _load(b, y, i), block_start, i)
    b.branch(blocks_next)
    b.position_at_end(stages)
    clock_half, clock_full = b.fadd(clock, half), b.fadd(clock, a.h)
    for rates, factor, stage_clock, result in (
        (k1, half_vector, clock_half, k2),
        (k2, half_vector, clock_half, k3),
        (k3, h_vector, clock_full, k4),
    ):
        for i in range(n_states):
            value = b.fadd(_load(b, y, i), b.fmul(_load(b, rates, i), factor))
            _store(b, value, stage, i)
        b.call(functions.evaluate, [stage, *arguments, stage_clock, result])
    two = _splat_constant(2.0)
    broken = None
    for i in range(n_states):
        combined = b.fadd(
            b.fadd(
                b.fadd(_load(b, k1, i), b.fmul(_load(b, k2, i), two)), b.fmul(_load(b, k3, i), two)
            ),
            _load(b, k4, i),
        )
        value = b.fadd(_load(b, y, i), b.fmul(combined, sixth_vector))
        _store(b, value, y, i)
        bad = b.not_(_acceptable(b, value, lower[i]))
        broken = bad if broken is None else b.or_(broken, bad)
    assert broken is not None
    any_broken = b.icmp_unsigned(
        "!=", b.bitcast(broken, ir.IntType(LANES)), ir.Constant(ir.IntType(LANES), 0)
    )
    failure = function.append_basic_block("failure")
    step_next = function.append_basic_block("step_next")
    b.cbranch(any_broken, failure, step_next)
    b.position_at_end(step_next)
    steps.close()
    # The step loop ends only through `finished` or `failure`; its exit is never reached.
    b.branch(blocks_next)

    b.position_at_end(failure)
    _report(b, y, a.lower_bound, n_states, a.status, block, k)
    b.branch(blocks_next)

    b.position_at_end(blocks_next)
    blocks.close()
    b.ret_void()
    return function


def _acceptable(b: ir.IRBuilder, value: Any, lower: Any) -> Any:
    """Lanes that are finite and at or above their lower bound (NaN fails both)."""
    magnitude = b.call(_function(b.module, "llvm.fabs.v4f64", VECTOR, [VECTOR]), [value])
    finite = b.fcmp_ordered("<", magnitude, _splat_constant(float("inf")))
    return b.and_(finite, b.fcmp_ordered(">=", value, lower))


def _apply_boluses(
    b: ir.IRBuilder,
    y: Any,
    k: Any,
    cursor: Any,
    bolus_step: Any,
    bolus_state: Any,
    bolus_amount: Any,
    n_boluses: Any,
) -> None:
    """Add every bolus due at step ``k`` (sorted by step; ``cursor`` is the next one)."""
    function = b.function
    check = function.append_basic_block("bolus_check")
    due = function.append_basic_block("bolus_due")
    apply = function.append_basic_block("bolus_apply")
    done = function.append_basic_block("bolus_done")
    b.branch(check)
    b.position_at_end(check)
    next_bolus = b.load(cursor)
    b.cbranch(b.icmp_signed("<", next_bolus, n_boluses), due, done)
    b.position_at_end(due)
    b.cbranch(b.icmp_signed("==", _element(b, bolus_step, next_bolus), k), apply, done)
    b.position_at_end(apply)
    state = _element(b, bolus_state, next_bolus)
    address = b.bitcast(b.gep(y, [b.mul(state, _index(LANES))]), VECTOR.as_pointer())
    amount = _splat(b, _element(b, bolus_amount, next_bolus))
    b.store(b.fadd(b.load(address, align=8), amount), address, align=8)
    b.store(b.add(next_bolus, _index(1)), cursor)
    b.branch(check)
    b.position_at_end(done)


def _report(
    b: ir.IRBuilder, y: Any, lower_bound: Any, n_states: int, status: Any, block: Any, k: Any
) -> None:
    """Write (why, lane, step, state) of the first broken state (by state, then lane)."""
    function = b.function
    states = _Loop(b, _index(0), _index(n_states), "broken_state")
    i = states.index
    address = b.bitcast(b.gep(y, [b.mul(i, _index(LANES))]), VECTOR.as_pointer())
    value = b.load(address, align=8)
    lower = _splat(b, _element(b, lower_bound, i))
    good = b.bitcast(_acceptable(b, value, lower), ir.IntType(LANES))
    all_good = ir.Constant(ir.IntType(LANES), 2**LANES - 1)
    found = function.append_basic_block("broken_found")
    keep_looking = function.append_basic_block("broken_next")
    b.cbranch(b.icmp_unsigned("!=", good, all_good), found, keep_looking)
    b.position_at_end(found)
    bad_lanes = b.xor(good, all_good)
    count_zeros = _function(
        b.module, f"llvm.cttz.i{LANES}", ir.IntType(LANES), [ir.IntType(LANES), ir.IntType(1)]
    )
    lane = b.zext(b.call(count_zeros, [bad_lanes, ir.Constant(ir.IntType(1), 1)]), INDEX)
    scalar = b.extract_element(value, b.trunc(lane, INT32))
    magnitude = b.call(_function(b.module, "llvm.fabs.f64", DOUBLE, [DOUBLE]), [scalar])
    finite = b.fcmp_ordered("<", magnitude, ir.Constant(DOUBLE, float("inf")))
    why = b.select(finite, _index(NEGATIVE), _index(NOT_FINITE))
    row = b.mul(block, _index(4))
    for offset, item in enumerate((why, lane, b.add(k, _index(1)), i)):
        b.store(item, b.gep(status, [b.add(row, _index(offset))]))
    b.branch(states.exit)
    b.position_at_end(keep_looking)
    states.close()
