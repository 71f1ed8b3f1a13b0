"""Generate the compiled engine from the traced equations: LLVM IR for a block of subjects.

:func:`emit_kernel_functions` turns the outputs and rates of :mod:`oxysim.engine.symbolic` into
two LLVM functions over a block of :data:`~oxysim.engine.kernel.LANES` subjects, each value a
SIMD vector with one lane per subject:

- ``prepare(constants, derived)``, once per block: every sub-expression that depends on
  parameters, covariates and statics only (``ln 2 / half_life``, ``1 / volume``, ...);
- ``evaluate(y, constants, derived, channels, clock, rates)``, at every RK4 stage: the rest, as
  straight-line code in which each distinct sub-expression is computed once, and only what the
  rates need (LLVM drops the other outputs);
- ``record(y, constants, derived, channels, clock, rates, signals)``: the same, writing every
  recordable signal too, at the steps that are recorded.

The RK4 loop around them is LLVM IR too (:mod:`oxysim.engine.loop`), and LLVM compiles the
whole kernel in seconds (:mod:`oxysim.engine.kernel`).

NumPy semantics are kept where they matter: ``maximum``/``minimum`` propagate NaN (a broken state
cannot hide behind a clip), ``clock % 1440`` is Python's floor modulo, and whole exponents are
multiplications as in :func:`oxysim.model.ops.power`. Hoisting reassociates products, and a
division becomes a multiplication by a reciprocal computed once: round-off differs from NumPy in
the last bits only (the parity tests bound the difference).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sympy
from llvmlite import ir

from oxysim.engine.kernel import LANES
from oxysim.engine.protocol import channel_gain
from oxysim.engine.symbolic import SymbolicModel

DOUBLE = ir.DoubleType()
VECTOR = ir.VectorType(DOUBLE, LANES)
MASK = ir.VectorType(ir.IntType(1), LANES)
INT32 = ir.IntType(32)
INDEX = ir.IntType(64)
POINTER = DOUBLE.as_pointer()
MINUTES_PER_DAY = 1440.0
#: Largest whole exponent computed by repeated multiplication rather than ``pow``.
LARGEST_WHOLE_POWER = 16.0

_COMPARISONS = {
    sympy.StrictGreaterThan: ">",
    sympy.GreaterThan: ">=",
    sympy.StrictLessThan: "<",
    sympy.LessThan: "<=",
    sympy.Equality: "==",
    sympy.Unequality: "!=",
}
_UNARY = {
    sympy.cos: "llvm.cos",
    sympy.exp: "llvm.exp",
    sympy.log: "llvm.log",
    sympy.Abs: "llvm.fabs",
}


def _splat_constant(value: float) -> Any:
    return ir.Constant(VECTOR, [float(value)] * LANES)


def _splat(builder: ir.IRBuilder, scalar: Any) -> Any:
    """A scalar copied into every lane."""
    single = builder.insert_element(ir.Constant(VECTOR, ir.Undefined), scalar, INT32(0))
    zeros = ir.Constant(ir.VectorType(INT32, LANES), [0] * LANES)
    return builder.shuffle_vector(single, ir.Constant(VECTOR, ir.Undefined), zeros)


def _function(module: ir.Module, name: str, result: Any, arguments: list[Any]) -> Any:
    existing = module.globals.get(name)
    if existing is not None:
        return existing
    return ir.Function(module, ir.FunctionType(result, arguments), name=name)


def _intrinsic(module: ir.Module, name: str, arity: int) -> Any:
    return _function(module, f"{name}.v{LANES}f64", VECTOR, [VECTOR] * arity)


def _power_function(module: ir.Module) -> Any:
    """``power(base, exponent)`` as an LLVM function.

    By multiplication when every lane's exponent is the same whole number up to
    :data:`LARGEST_WHOLE_POWER` (hill coefficients), else ``pow`` lane by lane.
    """
    name = "oxysim_power"
    existing = module.globals.get(name)
    if existing is not None:
        return existing
    function = _function(module, name, VECTOR, [VECTOR, VECTOR])
    function.linkage = "internal"
    base, exponent = function.args
    builder = ir.IRBuilder(function.append_basic_block("entry"))
    first = builder.extract_element(exponent, INT32(0))
    same = builder.fcmp_ordered("==", exponent, _splat(builder, first))
    every_lane = builder.icmp_signed(
        "==", builder.bitcast(same, ir.IntType(LANES)), ir.Constant(ir.IntType(LANES), -1)
    )
    floor = builder.call(_function(module, "llvm.floor.f64", DOUBLE, [DOUBLE]), [first])
    whole = builder.fcmp_ordered("==", floor, first)
    magnitude = builder.call(_function(module, "llvm.fabs.f64", DOUBLE, [DOUBLE]), [first])
    small = builder.fcmp_ordered("<=", magnitude, ir.Constant(DOUBLE, LARGEST_WHOLE_POWER))
    by_multiplication = builder.and_(every_lane, builder.and_(whole, small))
    whole_block = function.append_basic_block("whole")
    general_block = function.append_basic_block("general")
    builder.cbranch(by_multiplication, whole_block, general_block)
    builder.position_at_end(general_block)
    builder.ret(builder.call(_intrinsic(module, "llvm.pow", 2), [base, exponent]))
    builder.position_at_end(whole_block)
    builder.ret(_whole_power(function, builder, base, builder.fptosi(first, INT32)))
    return function


def _whole_power(function: Any, builder: ir.IRBuilder, base: Any, exponent: Any) -> Any:
    """``base ** exponent`` for a whole exponent, by binary powering (as compiler-rt's powi).

    Written out rather than calling ``llvm.powi``, whose library routine a JIT may not find.
    """
    entry = builder.block
    loop = function.append_basic_block("powi_loop")
    body = function.append_basic_block("powi_body")
    done = function.append_basic_block("powi_done")
    negative = builder.icmp_signed("<", exponent, INT32(0))
    remaining = builder.select(negative, builder.neg(exponent), exponent)
    builder.branch(loop)
    builder.position_at_end(loop)
    result = builder.phi(VECTOR)
    factor = builder.phi(VECTOR)
    left = builder.phi(INT32)
    result.add_incoming(_splat_constant(1.0), entry)
    factor.add_incoming(base, entry)
    left.add_incoming(remaining, entry)
    builder.cbranch(builder.icmp_signed("!=", left, INT32(0)), body, done)
    builder.position_at_end(body)
    odd = builder.icmp_signed("!=", builder.and_(left, INT32(1)), INT32(0))
    result.add_incoming(builder.select(odd, builder.fmul(result, factor), result), body)
    factor.add_incoming(builder.fmul(factor, factor), body)
    left.add_incoming(builder.ashr(left, INT32(1)), body)
    builder.branch(loop)
    builder.position_at_end(done)
    return builder.select(negative, builder.fdiv(_splat_constant(1.0), result), result)


@dataclass
class Hoisting:
    """Sub-expressions constant during a run, given slots in the ``derived`` array."""

    constant_names: set[str]
    slots: dict[Any, int] = field(default_factory=dict)
    memo: dict[Any, bool] = field(default_factory=dict)

    def is_constant(self, expr: Any) -> bool:
        """True when ``expr`` depends on run constants only (memoised)."""
        if expr not in self.memo:
            self.memo[expr] = all(s.name in self.constant_names for s in expr.free_symbols)
        return self.memo[expr]

    def slot(self, expr: Any) -> int:
        """The slot of ``expr``, given one on first use."""
        return self.slots.setdefault(expr, len(self.slots))


class _Emitter:
    """Emits sympy expressions as vector instructions, each distinct sub-expression once.

    With ``hoisting``, constant sub-expressions (and the constant factors of a product or the
    constant terms of a sum) are read from ``derived`` instead of computed.
    """

    def __init__(
        self,
        builder: ir.IRBuilder,
        values: dict[str, Any],
        hoisting: Hoisting | None = None,
        derived: Any = None,
    ):
        self.builder = builder
        self.values = values
        self.hoisting = hoisting
        self.derived = derived
        self.memo: dict[Any, Any] = {}

    def emit(self, expr: Any) -> Any:
        if expr not in self.memo:
            self.memo[expr] = self._emit(expr)
        return self.memo[expr]

    def _hoisted(self, expr: Any) -> bool:
        return (
            self.hoisting is not None
            and not (expr.is_Symbol or expr.is_Number or expr.is_Boolean or expr.is_Relational)
            and self.hoisting.is_constant(expr)
        )

    def _fold(self, args: Sequence[Any], combine: Callable[[Any, Any], Any]) -> Any:
        result = self.emit(args[0])
        for arg in args[1:]:
            result = combine(result, self.emit(arg))
        return result

    def _split(self, expr: Any) -> list[Any]:
        """The arguments of a sum or product, its constant ones gathered into one (hoisted)."""
        if self.hoisting is None:
            return list(expr.args)
        constant = [a for a in expr.args if self.hoisting.is_constant(a)]
        varying = [a for a in expr.args if not self.hoisting.is_constant(a)]
        if not varying or not constant:
            return list(expr.args)
        return [expr.func(*constant), *varying]

    def _library_call(self, name: str, argument: Any) -> Any:
        """A maths-library function of a vector: once, when every lane holds the same value.

        Library functions (cos, log, exp) run lane by lane; the circadian phase, for one, is
        usually the same for every subject of a block.
        """
        if name == "llvm.fabs":
            return self._call(name, argument)
        b = self.builder
        first = b.extract_element(argument, INT32(0))
        same = b.fcmp_ordered("==", argument, _splat(b, first))
        uniform = b.icmp_signed(
            "==", b.bitcast(same, ir.IntType(LANES)), ir.Constant(ir.IntType(LANES), -1)
        )
        scalar = _function(b.module, f"{name}.f64", DOUBLE, [DOUBLE])
        with b.if_else(uniform) as (then, otherwise):
            with then:
                once = _splat(b, b.call(scalar, [first]))
                from_once = b.block
            with otherwise:
                each = self._call(name, argument)
                from_each = b.block
        result = b.phi(VECTOR)
        result.add_incoming(once, from_once)
        result.add_incoming(each, from_each)
        return result

    def _call(self, name: str, *args: Any) -> Any:
        return self.builder.call(_intrinsic(self.builder.module, name, len(args)), list(args))

    def _emit(self, expr: Any) -> Any:
        b = self.builder
        if self._hoisted(expr):
            assert self.hoisting is not None
            return _load(b, self.derived, self.hoisting.slot(expr))
        if expr.is_Symbol:
            return self.values[expr.name]
        if expr.is_Number:
            return _splat_constant(float(expr))
        if expr is sympy.true or expr is sympy.false:
            return ir.Constant(MASK, [int(bool(expr))] * LANES)
        if expr.is_Add:
            return self._fold(self._split(expr), b.fadd)
        if expr.is_Mul:
            return self._fold(self._split(expr), b.fmul)
        if expr.is_Pow:
            return self._emit_pow(expr.base, expr.exp)
        if isinstance(expr, sympy.Max | sympy.Min):
            name = "llvm.maximum" if isinstance(expr, sympy.Max) else "llvm.minimum"
            return self._fold(expr.args, lambda x, y: self._call(name, x, y))
        if isinstance(expr, sympy.Piecewise):
            result = self.emit(expr.args[-1][0])
            for value, condition in reversed(expr.args[:-1]):
                result = b.select(self.emit(condition), self.emit(value), result)
            return result
        if type(expr) in _COMPARISONS:
            operator = _COMPARISONS[type(expr)]
            lhs, rhs = self.emit(expr.lhs), self.emit(expr.rhs)
            if operator == "!=":
                return b.fcmp_unordered(operator, lhs, rhs)
            return b.fcmp_ordered(operator, lhs, rhs)
        if isinstance(expr, sympy.Or | sympy.And):
            return self._fold(expr.args, b.or_ if isinstance(expr, sympy.Or) else b.and_)
        if isinstance(expr, sympy.Not):
            return b.not_(self.emit(expr.args[0]))
        if type(expr) in _UNARY:
            return self._library_call(_UNARY[type(expr)], self.emit(expr.args[0]))
        raise NotImplementedError(f"no LLVM code for {type(expr).__name__}: {expr}")

    def _emit_pow(self, base: Any, exponent: Any) -> Any:
        """A power; a reciprocal (negative exponent) is computed once and shared by its users."""
        b = self.builder
        if exponent.is_Integer and exponent > 0:
            value = self.emit(base)
            result = value
            for _ in range(int(exponent) - 1):
                result = b.fmul(result, value)
            return result
        if exponent.is_Integer:
            return b.fdiv(_splat_constant(1.0), self.emit(base ** (-exponent)))
        if exponent == sympy.Rational(1, 2):
            return self._call("llvm.sqrt", self.emit(base))
        if exponent.is_Number:
            return self._call("llvm.pow", self.emit(base), self.emit(exponent))
        power = _power_function(b.module)
        return b.call(power, [self.emit(base), self.emit(exponent)])


def _address(builder: ir.IRBuilder, pointer: Any, index: int) -> Any:
    """Address of row ``index`` of a (rows, LANES) block of doubles, as a vector pointer."""
    element = builder.gep(pointer, [ir.Constant(INDEX, index * LANES)])
    return builder.bitcast(element, VECTOR.as_pointer())


def _load(builder: ir.IRBuilder, pointer: Any, index: int) -> Any:
    return builder.load(_address(builder, pointer, index), align=8)


def _store(builder: ir.IRBuilder, value: Any, pointer: Any, index: int) -> None:
    builder.store(value, _address(builder, pointer, index), align=8)


@dataclass(frozen=True)
class KernelFunctions:
    """The emitted functions and the number of hoisted values ``prepare`` writes."""

    prepare: Any
    evaluate: Any
    record: Any
    n_derived: int


def constant_outputs(equations: SymbolicModel, constants: Sequence[str]) -> set[str]:
    """Constant names: the run constants plus every output computed from them alone."""
    names = set(constants)
    for assignment in equations.outputs:
        if all(s.name in names for s in assignment.expression.free_symbols):
            names.add(assignment.name)
    return names


def emit_kernel_functions(
    module: ir.Module,
    prefix: str,
    equations: SymbolicModel,
    constants: Sequence[str],
    channels: Sequence[str],
    signals: Sequence[str],
) -> KernelFunctions:
    """Add ``{prefix}_prepare``, ``{prefix}_evaluate`` and ``{prefix}_record`` to ``module``.

    Arrays are blocks of LANES subjects: ``y``, ``rates`` (n_states, LANES); ``constants`` a
    block's parameters, covariates and statics (n_constants, LANES); ``derived``
    (n_derived, LANES); ``channels`` one step's protocol channels (shared by the lanes, each
    multiplied by its per-subject ``gain_<channel>`` when that is among the constants);
    ``signals`` (n_signals, LANES).
    """
    hoisting = Hoisting(constant_outputs(equations, constants))
    evaluate, record = (
        _emit_evaluate(
            module, f"{prefix}_{kind}", equations, constants, channels, written, hoisting
        )
        for kind, written in (("evaluate", ()), ("record", signals))
    )
    prepare = _emit_prepare(module, f"{prefix}_prepare", equations, constants, hoisting)
    return KernelFunctions(prepare, evaluate, record, max(len(hoisting.slots), 1))


def _emit_evaluate(
    module: ir.Module,
    name: str,
    equations: SymbolicModel,
    constants: Sequence[str],
    channels: Sequence[str],
    signals: Sequence[str],
    hoisting: Hoisting,
) -> Any:
    """One evaluation; ``signals`` names what is also written (nothing: only the rates)."""
    arguments = [POINTER, POINTER, POINTER, POINTER, DOUBLE, POINTER]
    function = _function(module, name, ir.VoidType(), arguments + ([POINTER] if signals else []))
    function.linkage = "internal"
    y, row, derived, step_channels, clock, rates = function.args[:6]
    builder = ir.IRBuilder(function.append_basic_block("entry"))
    values: dict[str, Any] = {n: _load(builder, y, i) for i, n in enumerate(equations.states)}
    values.update({n: _load(builder, row, i) for i, n in enumerate(constants)})
    for index, channel in enumerate(channels):
        scalar = builder.load(builder.gep(step_channels, [ir.Constant(INDEX, index)]))
        values[channel] = _splat(builder, scalar)
        gain = channel_gain(channel)
        if gain in values:  # a per-subject share of the protocol (engine/protocol.py)
            values[channel] = builder.fmul(values[channel], values[gain])
    day = ir.Constant(DOUBLE, MINUTES_PER_DAY)
    remainder = builder.frem(clock, day)
    negative = builder.fcmp_ordered("<", remainder, ir.Constant(DOUBLE, 0.0))
    time_of_day = builder.select(negative, builder.fadd(remainder, day), remainder)
    values["time_of_day"] = _splat(builder, time_of_day)
    emitter = _Emitter(builder, values, hoisting, derived)
    slots = {signal: index for index, signal in enumerate(signals)}

    def written(name: str) -> None:
        # Stored as soon as known, so that no signal stays live (in a register) to the end.
        if name in slots:
            _store(builder, values[name], function.args[6], slots[name])

    for name in list(values):
        written(name)
    for assignment in equations.outputs:
        values[assignment.name] = emitter.emit(assignment.expression)
        written(assignment.name)
    for index, assignment in enumerate(equations.rates):
        _store(builder, emitter.emit(assignment.expression), rates, index)
    builder.ret_void()
    return function


def _emit_prepare(
    module: ir.Module,
    name: str,
    equations: SymbolicModel,
    constants: Sequence[str],
    hoisting: Hoisting,
) -> Any:
    """Compute every hoisted value; constant outputs first, as the hoisted values may read them."""
    function = _function(module, name, ir.VoidType(), [POINTER, POINTER])
    function.linkage = "internal"
    row, derived = function.args
    builder = ir.IRBuilder(function.append_basic_block("entry"))
    values = {n: _load(builder, row, i) for i, n in enumerate(constants)}
    emitter = _Emitter(builder, values)
    for assignment in equations.outputs:
        if assignment.name in hoisting.constant_names:
            values[assignment.name] = emitter.emit(assignment.expression)
    for expression, slot in list(hoisting.slots.items()):
        _store(builder, emitter.emit(expression), derived, slot)
    builder.ret_void()
    return function
