"""Python assert tests as calls: HumanEval's `def check(candidate): assert candidate(...) ==
...` with its `check(f)`, MBPP's `assert f(...) == ...` lines, and the like.

The tests are read with `ast`. They convert when every statement is boilerplate (imports, an
alias `candidate = f`, a literal assignment nothing uses such as HumanEval's METADATA, a
docstring, `assert True`, test functions made of these and called once each, by the module
or by a test function: MultiPL-E's `test_check()`) or an assertion of one call of the tested
function (bare, or inside a builtin such as `tuple(...)` or `set(...)`) checked against a
plain value (`python_values.py`): `==`, `!=`, its truth (`assert f(x)`, `assert not f(x)`),
`is True/False/None`, or a tolerance `abs(f(x) - number) < number` (`<=`; the arithmetic is
Python's own, on the host, so it is exact). The expected values are read on the host; the
candidate runs the program and then the tests with each assertion replaced by
`__verifier_emit__(index, call)` (sandboxes/harness/values_python.py), so only the calls
enter its jail. A loop, a local, a print, `math.isclose` or an expected value naming anything
but the builtin constructors is not plain: those tests run as before.
"""

from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass, field

from verifier_service.code.conversion.protocol import Case, Conversion, JailProgram, harness_text
from verifier_service.code.conversion.python_values import (
    CONSTRUCTORS,
    EQUAL,
    FALSE,
    IS,
    IS_NOT,
    TRUE,
    UNEQUAL,
    WITHIN,
    WITHIN_OR_AT,
    NotPlainError,
    plain_value,
    same,
)
from verifier_service.code.languages import BOX

EMITTER = "values_python.py"
COMMAND = ("/usr/bin/python3", "-I", f"{BOX}/{EMITTER}", "{source}")
EMIT = "__verifier_emit__"
BUILTIN_NAMES = frozenset(dir(builtins))
# Builtins a test may apply to the call before comparing (evaluated in the jail, as the tests
# would: the tests see the builtins from before the program ran).
WRAPPERS = frozenset(
    {"set", "frozenset", "tuple", "list", "sorted", "dict", "str", "int", "float", "bool"}
    | {"len", "abs", "round"}
)
IDENTITY_VALUES = (True, False, None)
UNSAFE_ARGUMENTS = (ast.NamedExpr, ast.Yield, ast.YieldFrom, ast.Await)


class _NotPlainTestsError(Exception):
    """The tests are not only boilerplate and plain assertions."""


@dataclass
class _Tests:
    """What the tests' text binds and uses, and the cases read so far."""

    bound: frozenset[str]  # every name the tests bind
    used: frozenset[str]  # every name the tests read
    tested: set[str] = field(default_factory=set)  # aliases and test-function parameters
    functions: dict[str, int] = field(default_factory=dict)  # test function -> times called
    callers: dict[str, str | None] = field(default_factory=dict)  # None: the module
    cases: list[Case] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)  # `same`'s expected text, per case


def convert(code: str, tests: str) -> Conversion | None:
    """The tests as calls, or None when they are anything but boilerplate and plain
    assertions of one call."""
    try:
        module = ast.parse(tests)
    except (SyntaxError, ValueError):
        return None
    state = _Tests(*_names(module))
    try:
        body = _statements(module.body, state, None)
    except (_NotPlainTestsError, NotPlainError):
        return None
    if not state.cases or not _each_runs_once(state):
        return None
    jail_tests = ast.unparse(ast.fix_missing_locations(ast.Module(body, [])))
    emitter = harness_text(EMITTER)
    return Conversion(
        cases=tuple(state.cases),
        candidate=JailProgram(code, COMMAND, ((EMITTER, emitter),), jail_tests.encode()),
        same=same,
        expected=tuple(state.checks),
    )


def _names(module: ast.Module) -> tuple[frozenset[str], frozenset[str]]:
    """(the names the tests bind anywhere, the names they read)."""
    bound: set[str] = set()
    used: set[str] = set()
    for node in ast.walk(module):
        if isinstance(node, ast.Name):
            (used if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.alias):
            bound.add(node.asname or node.name.split(".")[0])
    return frozenset(bound), frozenset(used)


def _each_runs_once(state: _Tests) -> bool:
    """Every test function is called once, by the module or by one that is: its assertions
    are emitted once each."""
    if any(calls != 1 for calls in state.functions.values()):
        return False
    for function in state.functions:
        caller = state.callers[function]
        for _ in range(len(state.functions)):
            if caller is None:
                break
            caller = state.callers[caller]
        if caller is not None:
            return False  # a cycle of test functions that the module never enters
    return True


def _statements(statements: list[ast.stmt], state: _Tests, function: str | None) -> list[ast.stmt]:
    """The statements (of the module, or of test function `function`) as the jail runs them:
    boilerplate kept or dropped, assertions as emits; _NotPlainTestsError at anything else."""
    kept: list[ast.stmt] = []
    for statement in statements:
        if isinstance(statement, ast.Import | ast.ImportFrom):
            if any(alias.name == "*" for alias in statement.names):
                raise _NotPlainTestsError("a star import")
            kept.append(statement)
        elif isinstance(statement, ast.Assign):
            kept.extend(_assignment(statement, state))
        elif isinstance(statement, ast.Assert):
            kept.extend(_assertion(statement, state))
        elif isinstance(statement, ast.FunctionDef) and function is None:
            kept.append(_test_function(statement, state))
        elif isinstance(statement, ast.Expr) and _is_test_call(statement, state, function):
            kept.append(statement)
        elif not _is_filler(statement):
            raise _NotPlainTestsError(type(statement).__name__)
    return kept


def _is_filler(statement: ast.stmt) -> bool:
    """`pass` or a docstring."""
    if isinstance(statement, ast.Pass):
        return True
    return isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)


def _assignment(statement: ast.Assign, state: _Tests) -> list[ast.stmt]:
    """An alias (`candidate = f`, kept) or a literal nothing reads (METADATA, dropped)."""
    if len(statement.targets) != 1 or not isinstance(statement.targets[0], ast.Name):
        raise _NotPlainTestsError("an assignment of anything but one name")
    name = statement.targets[0].id
    if isinstance(statement.value, ast.Name):
        state.tested.add(name)
        return [statement]
    if name in state.used:
        raise _NotPlainTestsError(f"a local {name!r}")
    plain_value(statement.value, frozenset(CONSTRUCTORS))
    return []


def _test_function(function: ast.FunctionDef, state: _Tests) -> ast.stmt:
    arguments = function.args
    if (
        function.decorator_list
        or function.returns is not None
        or arguments.posonlyargs
        or arguments.vararg
        or arguments.kwonlyargs
        or arguments.kwarg
        or arguments.defaults
        or any(argument.annotation is not None for argument in arguments.args)
        or function.name in state.functions
    ):
        raise _NotPlainTestsError("a test function of another shape")
    state.tested.update(argument.arg for argument in arguments.args)
    state.functions[function.name] = 0
    function.body = _statements(function.body, state, function.name) or [ast.Pass()]
    return function


def _is_test_call(statement: ast.Expr, state: _Tests, caller: str | None) -> bool:
    """`check(f)`: a call of a test function defined above, with names as arguments."""
    call = statement.value
    if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Name) or call.keywords:
        return False
    if call.func.id not in state.functions:
        return False
    if not all(isinstance(argument, ast.Name) for argument in call.args):
        return False
    state.functions[call.func.id] += 1
    state.callers[call.func.id] = caller
    return True


def _assertion(statement: ast.Assert, state: _Tests) -> list[ast.stmt]:
    """The assertion as an emit of its call; [] for `assert True`."""
    test = statement.test
    if isinstance(test, ast.Constant):
        if not test.value:
            raise _NotPlainTestsError("an assertion that always fails")
        return []
    call, check = _checked_call(test, state)
    emit = ast.Call(ast.Name(EMIT, ast.Load()), [ast.Constant(len(state.cases)), call], [])
    expected = check.partition(" ")[2]
    state.cases.append(Case(ast.unparse(call), expected or check))
    state.checks.append(check)
    return [ast.Expr(emit)]


def _checked_call(test: ast.expr, state: _Tests) -> tuple[ast.expr, str]:
    """(the call, `same`'s expected text for it)."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return _tested(test.operand, state), f"{FALSE} "
    if not isinstance(test, ast.Compare):
        return _tested(test, state), f"{TRUE} "
    if len(test.ops) != 1:
        raise _NotPlainTestsError("a chained comparison")
    operation, left, right = test.ops[0], test.left, test.comparators[0]
    if isinstance(operation, ast.Is | ast.IsNot):
        if not isinstance(right, ast.Constant) or not any(
            right.value is value for value in IDENTITY_VALUES
        ):
            raise _NotPlainTestsError("`is` with anything but True, False or None")
        check = IS if isinstance(operation, ast.Is) else IS_NOT
        return _tested(left, state), f"{check} {right.value!r}"
    if isinstance(operation, ast.Lt | ast.LtE):
        return _tolerance(left, right, isinstance(operation, ast.LtE), state)
    if not isinstance(operation, ast.Eq | ast.NotEq):
        raise _NotPlainTestsError("a comparison other than ==, != and a tolerance")
    check = EQUAL if isinstance(operation, ast.Eq) else UNEQUAL
    constructors = frozenset(CONSTRUCTORS) - state.bound
    for call, expected in ((left, right), (right, left)):
        try:
            plain_value(expected, constructors)
            return _tested(call, state), f"{check} {ast.unparse(expected)}"
        except (NotPlainError, _NotPlainTestsError):
            continue
    raise _NotPlainTestsError("no side is one call and the other a plain value")


def _tolerance(
    distance: ast.expr, tolerance: ast.expr, or_at: bool, state: _Tests
) -> tuple[ast.expr, str]:
    """`abs(call - value) < tolerance` (either order inside, or `<=`)."""
    constructors = frozenset(CONSTRUCTORS) - state.bound
    if (
        not isinstance(distance, ast.Call)
        or not isinstance(distance.func, ast.Name)
        or distance.func.id != "abs"
        or "abs" in state.bound
        or len(distance.args) != 1
        or distance.keywords
        or not isinstance(distance.args[0], ast.BinOp)
        or not isinstance(distance.args[0].op, ast.Sub)
        or not isinstance(plain_value(tolerance, constructors), int | float)
    ):
        raise _NotPlainTestsError("a comparison other than a tolerance")
    difference = distance.args[0]
    for call, expected in (
        (difference.left, difference.right),
        (difference.right, difference.left),
    ):
        try:
            if not isinstance(plain_value(expected, constructors), int | float | complex):
                continue
            pair = ast.unparse(ast.Tuple([expected, tolerance], ast.Load()))
            return _tested(call, state), f"{WITHIN_OR_AT if or_at else WITHIN} {pair}"
        except (NotPlainError, _NotPlainTestsError):
            continue
    raise _NotPlainTestsError("no side of the difference is one call and the other a number")


def _tested(node: ast.expr, state: _Tests) -> ast.expr:
    """The node when it is a call of the tested function, bare or inside builtin wrappers."""
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
        raise _NotPlainTestsError("not a call")
    name = node.func.id
    if name in WRAPPERS and name not in state.bound:
        extra = node.args[1:]
        rounding = name == "round" and len(extra) == 1 and isinstance(extra[0], ast.Constant)
        if node.keywords or len(node.args) not in (1, 2) or (extra and not rounding):
            raise _NotPlainTestsError(f"{name}() with other arguments")
        _tested(node.args[0], state)
        return node
    own = name not in state.bound and name not in BUILTIN_NAMES
    if not (own or name in state.tested):
        raise _NotPlainTestsError(f"{name} is not the tested function")
    if any(isinstance(inner, UNSAFE_ARGUMENTS) for inner in ast.walk(node)):
        raise _NotPlainTestsError("an argument that binds or yields")
    return node
