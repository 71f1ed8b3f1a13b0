"""Generate the compiled engine from the traced equations: LLVM IR for one evaluation.

:func:`emit_evaluate` turns the outputs and rates of :mod:`oxysim.engine.symbolic` into one
LLVM function, ``evaluate(y, constants, channels, clock, rates, signals, recording)``, for one
subject at one time: straight-line code in which each distinct sub-expression is computed once.
numba's loop in :mod:`oxysim.engine.kernel` calls it through an intrinsic, so numba's own
(slow, per-statement) front end never sees the hundreds of equations; LLVM compiles them in
seconds.

NumPy semantics are kept where they matter: ``maximum``/``minimum`` propagate NaN (so a broken
state cannot hide behind a clip), ``clock % 1440`` is Python's floor modulo, and whole
parameter exponents 1-3 are multiplications as in :func:`oxysim.model.ops.power`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import sympy
from llvmlite import ir

from oxysim.engine.symbolic import SymbolicModel

DOUBLE = ir.DoubleType()
BOOL = ir.IntType(1)
INDEX = ir.IntType(64)
POINTER = DOUBLE.as_pointer()
MINUTES_PER_DAY = 1440.0

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


def _intrinsic(module: ir.Module, name: str, arity: int) -> Any:
    full = f"{name}.f64"
    existing = module.globals.get(full)
    if existing is not None:
        return existing
    return ir.Function(module, ir.FunctionType(DOUBLE, [DOUBLE] * arity), name=full)


def _power_function(module: ir.Module) -> Any:
    """``power(base, exponent)`` with branches for exponents 1, 2 and 3 (as in ops.power)."""
    name = "oxysim_power"
    existing = module.globals.get(name)
    if existing is not None:
        return existing
    function = ir.Function(module, ir.FunctionType(DOUBLE, [DOUBLE, DOUBLE]), name=name)
    function.linkage = "internal"
    base, exponent = function.args
    entry = ir.IRBuilder(function.append_basic_block("entry"))
    blocks = [function.append_basic_block(f"power{n}") for n in (1, 2, 3)]
    general = function.append_basic_block("general")
    tests = [entry] + [ir.IRBuilder(function.append_basic_block(f"test{n}")) for n in (2, 3)]
    for n, (test, block) in enumerate(zip(tests, blocks, strict=True), start=1):
        is_n = test.fcmp_ordered("==", exponent, ir.Constant(DOUBLE, float(n)))
        following = tests[n].block if n < 3 else general
        test.cbranch(is_n, block, following)
        builder = ir.IRBuilder(block)
        value = base
        for _ in range(n - 1):
            value = builder.fmul(value, base)
        builder.ret(value)
    builder = ir.IRBuilder(general)
    builder.ret(builder.call(_intrinsic(module, "llvm.pow", 2), [base, exponent]))
    return function


class _Emitter:
    """Emits sympy expressions as LLVM instructions, each distinct sub-expression once."""

    def __init__(self, builder: ir.IRBuilder, values: dict[str, Any]):
        self.builder = builder
        self.values = values
        self.memo: dict[Any, Any] = {}

    def emit(self, expr: Any) -> Any:
        if expr not in self.memo:
            self.memo[expr] = self._emit(expr)
        return self.memo[expr]

    def _fold(self, args: Sequence[Any], combine: Callable[[Any, Any], Any]) -> Any:
        result = self.emit(args[0])
        for arg in args[1:]:
            result = combine(result, self.emit(arg))
        return result

    def _call(self, name: str, *args: Any) -> Any:
        return self.builder.call(_intrinsic(self.builder.module, name, len(args)), list(args))

    def _emit(self, expr: Any) -> Any:
        b = self.builder
        if expr.is_Symbol:
            return self.values[expr.name]
        if expr.is_Number:
            return ir.Constant(DOUBLE, float(expr))
        if expr is sympy.true or expr is sympy.false:
            return ir.Constant(BOOL, int(bool(expr)))
        if expr.is_Add:
            return self._fold(expr.args, b.fadd)
        if expr.is_Mul:
            return self._emit_mul(expr)
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
            return self._call(_UNARY[type(expr)], self.emit(expr.args[0]))
        raise NotImplementedError(f"no LLVM code for {type(expr).__name__}: {expr}")

    def _emit_mul(self, expr: Any) -> Any:
        """A product, with factors of negative whole powers gathered into one division."""
        above, below = [], []
        for factor in expr.args:
            if factor.is_Pow and factor.exp.is_Integer and factor.exp < 0:
                below.append(factor.base ** (-factor.exp))
            else:
                above.append(factor)
        numerator = self._fold(above, self.builder.fmul) if above else ir.Constant(DOUBLE, 1.0)
        if not below:
            return numerator
        return self.builder.fdiv(numerator, self._fold(below, self.builder.fmul))

    def _emit_pow(self, base: Any, exponent: Any) -> Any:
        b = self.builder
        if exponent.is_Integer and exponent > 0:
            value = self.emit(base)
            result = value
            for _ in range(int(exponent) - 1):
                result = b.fmul(result, value)
            return result
        if exponent.is_Integer:
            return b.fdiv(ir.Constant(DOUBLE, 1.0), self._emit_pow(base, -exponent))
        if exponent == sympy.Rational(1, 2):
            return self._call("llvm.sqrt", self.emit(base))
        if exponent.is_Number:
            return self._call("llvm.pow", self.emit(base), self.emit(exponent))
        power = _power_function(b.module)
        return b.call(power, [self.emit(base), self.emit(exponent)])


def emit_evaluate(
    module: ir.Module,
    name: str,
    equations: SymbolicModel,
    constants: Sequence[str],
    channels: Sequence[str],
    signals: Sequence[str],
) -> Any:
    """Add ``name(y, constants, channels, clock, rates, signals, recording)`` to ``module``.

    ``constants`` orders a subject's row of parameters, covariates and statics; ``channels``
    the columns of the protocol's step table; ``signals`` the values written, when
    ``recording``, for the recorder to pick from.
    """
    signature = ir.FunctionType(
        ir.VoidType(), [POINTER, POINTER, POINTER, DOUBLE, POINTER, POINTER, BOOL]
    )
    function = ir.Function(module, signature, name=name)
    function.linkage = "internal"
    y, row, step_channels, clock, rates, recorded, recording = function.args
    builder = ir.IRBuilder(function.append_basic_block("entry"))

    def load(pointer: Any, index: int) -> Any:
        return builder.load(builder.gep(pointer, [ir.Constant(INDEX, index)]))

    values: dict[str, Any] = {}
    values.update({n: load(y, i) for i, n in enumerate(equations.states)})
    values.update({n: load(row, i) for i, n in enumerate(constants)})
    values.update({n: load(step_channels, i) for i, n in enumerate(channels)})
    day = ir.Constant(DOUBLE, MINUTES_PER_DAY)
    remainder = builder.frem(clock, day)
    negative = builder.fcmp_ordered("<", remainder, ir.Constant(DOUBLE, 0.0))
    values["time_of_day"] = builder.select(negative, builder.fadd(remainder, day), remainder)
    emitter = _Emitter(builder, values)
    for assignment in equations.outputs:
        values[assignment.name] = emitter.emit(assignment.expression)
    for index, assignment in enumerate(equations.rates):
        value = emitter.emit(assignment.expression)
        builder.store(value, builder.gep(rates, [ir.Constant(INDEX, index)]))
    with builder.if_then(recording):
        for index, signal in enumerate(signals):
            builder.store(values[signal], builder.gep(recorded, [ir.Constant(INDEX, index)]))
    builder.ret_void()
    return function
