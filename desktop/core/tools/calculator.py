"""A calculator for the model: arithmetic over a whitelist of AST nodes, never `eval`.

The expression is parsed with `ast.parse(mode="eval")` and walked here; only numbers,
arithmetic operators, comparisons and a few named math functions are accepted, so
`__import__`, attribute access, lambdas and comprehensions are refused before anything
runs. Limits keep hostile input cheap: source length, nesting depth, exponent and
factorial size, the size of every intermediate integer, and a wall-clock deadline
checked between steps (each step is bounded by the size limits, so none runs long).
"""

from __future__ import annotations

import ast
import math
import operator
import time
from collections.abc import Callable
from typing import Any

MAX_SOURCE = 1_000
MAX_DEPTH = 250  # AST levels: a long sum is a deep left chain
MAX_BRACKETS = 40
MAX_EXPONENT = 10_000
MAX_INT_BITS = 4_096  # about 1,233 decimal digits
MAX_SECONDS = 1.0


class CalculatorError(ValueError):
    """A plain sentence saying why the expression was refused or could not be computed."""


Number = int | float | complex

_BINARY: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
}
_UNARY: dict[type[ast.unaryop], Callable[[Any], Any]] = {ast.UAdd: operator.pos, ast.USub: operator.neg}
_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], bool]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}
_CONSTANTS: dict[str, float] = {"pi": math.pi, "e": math.e, "tau": math.tau}


def _factorial(x: Number) -> int:
    if not isinstance(x, int) or isinstance(x, bool) or x < 0:
        raise CalculatorError("factorial needs a whole number of zero or more.")
    if x > 500:
        raise CalculatorError("factorial is limited to numbers up to 500.")
    return math.factorial(x)


_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "sqrt": math.sqrt,
    "abs": abs,
    "round": round,
    "floor": math.floor,
    "ceil": math.ceil,
    "log": math.log,
    "log10": math.log10,
    "log2": math.log2,
    "exp": math.exp,
    "sin": math.sin,
    "cos": math.cos,
    "tan": math.tan,
    "asin": math.asin,
    "acos": math.acos,
    "atan": math.atan,
    "degrees": math.degrees,
    "radians": math.radians,
    "factorial": _factorial,
    "min": min,
    "max": max,
}


def _check_size(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_INT_BITS:
        raise CalculatorError("The result is too large to show.")
    return value


class _Evaluator:
    def __init__(self, deadline: float) -> None:
        self._deadline = deadline

    def run(self, node: ast.AST, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            raise CalculatorError("The expression is nested too deeply.")
        if time.monotonic() > self._deadline:
            raise CalculatorError("The calculation took too long.")
        return _check_size(self._node(node, depth + 1))

    def _node(self, node: ast.AST, depth: int) -> Any:
        if isinstance(node, ast.Expression):
            return self.run(node.body, depth)
        if isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, (int, float, complex)):
                raise CalculatorError("Only numbers can be used.")
            return node.value
        if isinstance(node, ast.Name):
            if node.id in _CONSTANTS:
                return _CONSTANTS[node.id]
            raise CalculatorError(f"Unknown name {node.id!r}.")
        if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
            return _UNARY[type(node.op)](self.run(node.operand, depth))
        if isinstance(node, ast.BinOp):
            left = self.run(node.left, depth)
            right = self.run(node.right, depth)
            if isinstance(node.op, ast.Pow):
                return self._power(left, right)
            if type(node.op) in _BINARY:
                self._guard_product(node.op, left, right)
                return _BINARY[type(node.op)](left, right)
        if isinstance(node, ast.Compare) and all(type(op) in _COMPARE for op in node.ops):
            left = self.run(node.left, depth)
            for op, comparator in zip(node.ops, node.comparators, strict=True):
                right = self.run(comparator, depth)
                if not _COMPARE[type(op)](left, right):
                    return False
                left = right
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
            function = _FUNCTIONS.get(node.func.id)
            if function is None:
                raise CalculatorError(f"Unknown function {node.func.id!r}.")
            args = [self.run(arg, depth) for arg in node.args]
            if function is round and len(args) == 2 and abs(args[1]) > 100:
                raise CalculatorError("round keeps at most 100 digits.")
            return function(*args)
        raise CalculatorError(f"{type(node).__name__} is not allowed in a calculation.")

    @staticmethod
    def _power(base: Any, exponent: Any) -> Any:
        if isinstance(exponent, (int, float)) and abs(exponent) > MAX_EXPONENT:
            raise CalculatorError(f"Exponents are limited to {MAX_EXPONENT}.")
        if isinstance(base, int) and isinstance(exponent, int) and exponent > 0:
            # Estimated before computing: 10**10000 is fine, 999999**10000 is not.
            if max(base.bit_length(), 1) * exponent > MAX_INT_BITS * 2:
                raise CalculatorError("The result is too large to show.")
        return operator.pow(base, exponent)

    @staticmethod
    def _guard_product(op: ast.operator, left: Any, right: Any) -> None:
        if isinstance(op, ast.Mult) and isinstance(left, int) and isinstance(right, int):
            if left.bit_length() + right.bit_length() > MAX_INT_BITS * 2:
                raise CalculatorError("The result is too large to show.")


def evaluate(expression: str, *, max_seconds: float = MAX_SECONDS) -> Number | bool:
    """The value of `expression`; CalculatorError (plain message) for anything refused."""
    text = expression.strip().replace("^", "**").replace("×", "*").replace("÷", "/")
    if not text:
        raise CalculatorError("The expression is empty.")
    if len(text) > MAX_SOURCE:
        raise CalculatorError(f"The expression is longer than {MAX_SOURCE} characters.")
    # Deep bracket nesting overflows the parser itself: refuse it before parsing.
    level = deepest = 0
    for char in text:
        level += char in "([{"
        level -= char in ")]}"
        deepest = max(deepest, level)
    if deepest > MAX_BRACKETS:
        raise CalculatorError("The expression is nested too deeply.")
    try:
        tree = ast.parse(text, mode="eval")
    except (SyntaxError, ValueError, MemoryError, RecursionError) as err:
        raise CalculatorError("That is not an expression the calculator understands.") from err
    try:
        return _Evaluator(time.monotonic() + max_seconds).run(tree)  # type: ignore[no-any-return]
    except CalculatorError:
        raise
    except ZeroDivisionError as err:
        raise CalculatorError("Division by zero.") from err
    except (OverflowError, ValueError, TypeError, ArithmeticError, RecursionError, MemoryError) as err:
        raise CalculatorError(f"The calculation failed: {err}.") from err


def format_value(value: Number | bool) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    if isinstance(value, float):
        return repr(value)
    return str(value)
