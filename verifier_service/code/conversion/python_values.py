"""Python values on the host: the tests' expected expressions, read from their syntax tree, and
the candidate's values, rebuilt from the tagged JSON that sandboxes/harness/values_python.py
prints; `same` compares them with Python's own `==`, truth and `is`, as the tests would.

An expected expression is plain when it is built only of literals, arithmetic on numbers,
`+` of strings, bytes, lists or tuples, and calls of the builtin constructors in
`CONSTRUCTORS` (the tests see the builtins from before the program ran, so `set((1, 2))` there
is this `set`); results are bounded so a test's text cannot make the host build a huge value.

A candidate text is untrusted: a node is `[tag, fields...]` (`n` None, `b` bool, `i` int in
hex, `f` float as `float.hex`, `c` complex, `s` str, `y` bytes and `a` bytearray in hex, `r`
range, `D` Decimal, `l` list, `t` tuple, `S` set, `z` frozenset, `q` deque, `d` dict as keys
and values in turn, `o` opaque: a value of another type, equal to nothing and with no truth).
Anything malformed, nested too deep, or larger than the expected value (two equal values of
these types have as many nodes, so a larger text can only be unequal, and sets are never
built from more items than the test's own value has) is unequal.
"""

from __future__ import annotations

import ast
import decimal
import json
import operator
from collections import deque
from collections.abc import Callable
from functools import lru_cache
from typing import Any

MAX_DEPTH = 200
MAX_ITEMS = 100_000  # the longest range or power a test's expected value may build
CONSTRUCTORS: dict[str, Callable[..., Any]] = {
    "set": set,
    "frozenset": frozenset,
    "tuple": tuple,
    "list": list,
    "dict": dict,
    "str": str,
    "int": int,
    "float": float,
    "complex": complex,
    "bool": bool,
    "bytes": bytes,
    "range": range,
}
NUMBERS = (int, float, complex)
ARITHMETIC: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}
EXPRESSION_ERRORS = (ValueError, TypeError, ArithmeticError, RecursionError, MemoryError)


class NotPlainError(ValueError):
    """The expression is not built of literals and builtin constructors only."""


class Opaque:
    """A value of a type the emitter does not write: equal to nothing, with no truth."""

    __hash__ = object.__hash__

    def __eq__(self, other: object) -> bool:
        return False

    def __ne__(self, other: object) -> bool:
        return True

    def __bool__(self) -> bool:
        raise TypeError("an opaque value has no truth")


def plain_value(node: ast.expr, constructors: frozenset[str]) -> Any:
    """The value of an expected expression; NotPlainError when it is not plain. Only the
    names in `constructors` (those of `CONSTRUCTORS` the tests do not rebind) may be called."""
    try:
        return _evaluate(node, constructors)
    except NotPlainError:
        raise
    except EXPRESSION_ERRORS as error:  # `1 / 0`, int('x'): the tests run the old way
        raise NotPlainError(str(error)) from error


def _evaluate(node: ast.expr, constructors: frozenset[str]) -> Any:
    if isinstance(node, ast.Constant) and node.value is not Ellipsis:
        return node.value
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        if any(isinstance(item, ast.Starred) for item in node.elts):
            raise NotPlainError("an unpacked item")
        items = [_evaluate(item, constructors) for item in node.elts]
        return {ast.List: list, ast.Tuple: tuple, ast.Set: set}[type(node)](items)
    if isinstance(node, ast.Dict):
        if any(key is None for key in node.keys):
            raise NotPlainError("an unpacked mapping")
        keys = [_evaluate(key, constructors) for key in node.keys if key is not None]
        return dict(zip(keys, (_evaluate(v, constructors) for v in node.values), strict=True))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        operand = _evaluate(node.operand, constructors)
        if not isinstance(operand, NUMBERS):
            raise NotPlainError("a sign on a non-number")
        return -operand if isinstance(node.op, ast.USub) else +operand
    if isinstance(node, ast.BinOp) and type(node.op) in ARITHMETIC:
        return _arithmetic(node, constructors)
    if isinstance(node, ast.Call):
        return _construct(node, constructors)
    raise NotPlainError(f"{type(node).__name__} in an expected value")


def _arithmetic(node: ast.BinOp, constructors: frozenset[str]) -> Any:
    left, right = _evaluate(node.left, constructors), _evaluate(node.right, constructors)
    if isinstance(left, NUMBERS) and isinstance(right, NUMBERS):
        if isinstance(node.op, ast.Pow) and isinstance(left, int) and isinstance(right, int):
            _check_power(left, right)
        return ARITHMETIC[type(node.op)](left, right)
    sequences = (str, bytes, list, tuple)
    if isinstance(node.op, ast.Add) and type(left) is type(right) and type(left) in sequences:
        return left + right
    raise NotPlainError("arithmetic on a non-number")


def _check_power(base: int, exponent: int) -> None:
    if exponent > MAX_ITEMS or abs(base).bit_length() * exponent > MAX_ITEMS:
        raise NotPlainError("a power too large to build")


def _construct(node: ast.Call, constructors: frozenset[str]) -> Any:
    if not isinstance(node.func, ast.Name) or node.func.id not in constructors or node.keywords:
        raise NotPlainError("a call of anything but a builtin constructor")
    if any(isinstance(argument, ast.Starred) for argument in node.args):
        raise NotPlainError("an unpacked argument")
    arguments = [_evaluate(argument, constructors) for argument in node.args]
    name = node.func.id
    if name == "range":
        if not all(type(argument) is int for argument in arguments):
            raise NotPlainError("range of non-integers")
        if len(range(*arguments)) > MAX_ITEMS:
            raise NotPlainError("a range too long to build")
    elif name == "bytes" and any(isinstance(argument, int) for argument in arguments):
        raise NotPlainError("bytes of a length")
    return CONSTRUCTORS[name](*arguments)


def nodes(value: Any) -> int:
    """How many nodes the value's text has (equal values have as many)."""
    if isinstance(value, list | tuple | set | frozenset | deque):
        return 1 + sum(nodes(item) for item in value)
    if isinstance(value, dict):
        return 1 + sum(nodes(key) + nodes(item) for key, item in value.items())
    return 1


class MalformedError(ValueError):
    """The candidate's text is not a value the emitter writes."""


def _one(fields: list[Any], kind: type) -> Any:
    if len(fields) != 1 or type(fields[0]) is not kind:
        raise MalformedError("a scalar takes one field")
    return fields[0]


def _hex_int(text: Any) -> int:
    if type(text) is not str:
        raise MalformedError("an integer is a hex text")
    return int(text, 16)


def _range(fields: list[Any]) -> range:
    if len(fields) != 3:
        raise MalformedError("a range has three fields")
    return range(*(_hex_int(field) for field in fields))


def _complex(fields: list[Any]) -> complex:
    if len(fields) != 2 or not all(type(field) is str for field in fields):
        raise MalformedError("a complex has two fields")
    return complex(float.fromhex(fields[0]), float.fromhex(fields[1]))


def _none(fields: list[Any]) -> None:
    if fields:
        raise MalformedError("None has no fields")


def _bool(fields: list[Any]) -> bool:
    flag = _one(fields, int)
    if flag not in (0, 1):
        raise MalformedError("a bool is 0 or 1")
    return bool(flag == 1)


SCALARS: dict[str, Callable[[list[Any]], Any]] = {
    "n": _none,
    "b": _bool,
    "i": lambda fields: _hex_int(_one(fields, str)),
    "f": lambda fields: float.fromhex(_one(fields, str)),
    "c": _complex,
    "s": lambda fields: _one(fields, str),
    "y": lambda fields: bytes.fromhex(_one(fields, str)),
    "a": lambda fields: bytearray.fromhex(_one(fields, str)),
    "r": _range,
    "D": lambda fields: decimal.Decimal(_one(fields, str)),
}
CONTAINERS: dict[str, Callable[[list[Any]], Any]] = {
    "l": list,
    "t": tuple,
    "S": set,
    "z": frozenset,
    "q": deque,
    "d": lambda items: dict(zip(items[::2], items[1::2], strict=True)),
}


def rebuild(node: Any, depth: int = 0, *, hashed: bool = True) -> Any:
    """The value a candidate's (parsed) text stands for; MalformedError if it is none. With
    `hashed` false, every container is read as a list (the text checked, no set built)."""
    if depth > MAX_DEPTH or type(node) is not list or not node or type(node[0]) is not str:
        raise MalformedError("a node is a list starting with its tag")
    tag, fields = node[0], node[1:]
    if tag == "o" and not fields:
        return Opaque()
    if tag in SCALARS:
        return SCALARS[tag](fields)
    if tag not in CONTAINERS or (tag == "d" and len(fields) % 2):
        raise MalformedError(f"unknown tag {tag!r}")
    items = [rebuild(field, depth + 1, hashed=hashed) for field in fields]
    return CONTAINERS[tag](items) if hashed else items


def _count(node: Any, limit: int) -> int:
    """The nodes of a parsed text, counting stops past `limit`."""
    count, pending = 0, [node]
    while pending and count <= limit:
        current = pending.pop()
        count += 1
        if type(current) is list and current and current[0] in CONTAINERS:
            pending.extend(current[1:])
    return count


def _truth(node: Any) -> bool:
    """The value's truth, without building a container (only its length counts)."""
    if type(node) is list and node and node[0] in CONTAINERS:
        rebuild(node, hashed=False)
        return len(node) > 1
    return bool(rebuild(node))


@lru_cache(maxsize=1024)  # the tests of a GRPO group are read once
def _expected(source: str) -> tuple[Any, int]:
    value = plain_value(ast.parse(source, mode="eval").body, frozenset(CONSTRUCTORS))
    return value, nodes(value)


# The tests' checks: how `same` reads an expected text `<check> <expression>`.
EQUAL, UNEQUAL, TRUE, FALSE, IS, IS_NOT = "==", "!=", "truth", "not", "is", "is-not"
WITHIN, WITHIN_OR_AT = (
    "abs<",
    "abs<=",
)  # `abs(call - value) < tolerance`, source `(value, tolerance)`
IDENTITIES = {"True": True, "False": False, "None": None}


def same(expected_text: str, actual_text: str) -> bool:
    """Whether the candidate's value passes the test's check (never raises)."""
    check, _, source = expected_text.partition(" ")
    try:
        actual = json.loads(actual_text)
        if check in (TRUE, FALSE):
            return _truth(actual) == (check == TRUE)
        if check in (IS, IS_NOT):
            wanted = IDENTITIES[source]  # a container is none of them
            identical = _count(actual, 1) == 1 and bool(rebuild(actual) is wanted)
            return identical is (check == IS)
        if check in (WITHIN, WITHIN_OR_AT):
            return _within(actual, source, check == WITHIN_OR_AT)
        value, size = _expected(source)
        if _count(actual, size) > size:
            rebuild(actual, hashed=False)
            return check == UNEQUAL
        equal = bool(rebuild(actual) == value)
        return equal if check == EQUAL else not equal
    except (ValueError, TypeError, KeyError, RecursionError, ArithmeticError, MemoryError):
        return False


def _within(actual: Any, source: str, or_at: bool) -> bool:
    """`abs(actual - value) < tolerance` (or `<=`), with Python's own arithmetic: a number
    is one node, anything larger is no operand of `-` against the test's number."""
    (value, tolerance), _ = _expected(source)
    if _count(actual, 1) != 1:
        return False
    distance = abs(rebuild(actual) - value)
    return bool(distance <= tolerance) if or_at else bool(distance < tolerance)
