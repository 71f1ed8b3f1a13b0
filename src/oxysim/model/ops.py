"""The array operations sub-models may use, taken from the namespace of their arguments.

Sub-model functions use arithmetic and these functions only, and never branch on values (no
``if`` on a signal or parameter, no ``float()``): then the same code

- runs on NumPy arrays (the reference path),
- traces into sympy expressions (:mod:`oxysim.engine.symbolic`), from which the compiled
  engine, the SBML export and the equations in the docs are generated.

As in the array API standard (``array_namespace``), each function picks its namespace from its
arguments: sympy when any argument is a sympy expression, NumPy otherwise. sympy is never
imported here; it is recognised only once something else has imported it.
"""

from __future__ import annotations

import math
import sys
from typing import Any, TypeAlias

import numpy as np

#: A float, a NumPy array of subjects, or a symbolic expression.
Value: TypeAlias = Any

pi = math.pi


def _is_symbolic(*args: Value) -> bool:
    sympy = sys.modules.get("sympy")
    return sympy is not None and any(isinstance(a, sympy.Basic) for a in args)


def _sympy() -> Any:
    return sys.modules["sympy"]


def maximum(a: Value, b: Value) -> Value:
    """Element-wise maximum."""
    return _sympy().Max(a, b) if _is_symbolic(a, b) else np.maximum(a, b)


def minimum(a: Value, b: Value) -> Value:
    """Element-wise minimum."""
    return _sympy().Min(a, b) if _is_symbolic(a, b) else np.minimum(a, b)


def clip(x: Value, low: Value, high: Value) -> Value:
    """``x`` limited to [low, high]."""
    return minimum(maximum(x, low), high)


def where(condition: Value, if_true: Value, if_false: Value) -> Value:
    """``if_true`` where ``condition`` holds, else ``if_false`` (a comparison, never a bool)."""
    if _is_symbolic(condition, if_true, if_false):
        sympy = _sympy()
        return sympy.Piecewise((if_true, condition), (if_false, True))
    return np.where(condition, if_true, if_false)


def sqrt(x: Value) -> Value:
    """Square root."""
    return _sympy().sqrt(x) if _is_symbolic(x) else np.sqrt(x)


def exp(x: Value) -> Value:
    """Exponential."""
    return _sympy().exp(x) if _is_symbolic(x) else np.exp(x)


def log(x: Value) -> Value:
    """Natural logarithm."""
    return _sympy().log(x) if _is_symbolic(x) else np.log(x)


def log2(x: Value) -> Value:
    """Base-2 logarithm."""
    return _sympy().log(x) / math.log(2.0) if _is_symbolic(x) else np.log2(x)


def cos(x: Value) -> Value:
    """Cosine (radians)."""
    return _sympy().cos(x) if _is_symbolic(x) else np.cos(x)


def absolute(x: Value) -> Value:
    """Absolute value."""
    return _sympy().Abs(x) if _is_symbolic(x) else np.abs(x)


def power(base: Value, exponent: Value) -> Value:
    """``base ** exponent``; whole-number constant exponents by multiplication (faster, exact).

    The exponent's value is looked at only when it is a constant of the code (a default
    argument), never when it is a traced parameter.
    """
    if _is_symbolic(base, exponent):
        whole = isinstance(exponent, float | int) and float(exponent).is_integer()
        return base ** int(exponent) if whole else base**exponent
    if np.ndim(exponent) == 0:
        if exponent == 1.0:
            return base
        if exponent == 2.0:
            return base * base
        if exponent == 3.0:
            return base * base * base
    return base**exponent


def as_float(x: Value) -> Value:
    """``x`` as floats (NumPy booleans and integers become 0.0/1.0...); expressions unchanged."""
    return x if _is_symbolic(x) else np.asarray(x, dtype=float)


def zeros_like(x: Value) -> Value:
    """Zero with the shape of ``x``."""
    return 0.0 * x if _is_symbolic(x) else np.zeros_like(np.asarray(x, dtype=float))
