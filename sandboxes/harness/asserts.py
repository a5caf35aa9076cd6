# Assert-test driver for Python programs (runs inside the jail).
# stdin: a one-time token on the first line, then the test code. Both are read before the
# program loads, so the program can see neither (stdin is at its end by then). The program
# and then the tests run as __main__ in a namespace of their own, and the token is printed
# only if both ran to the end: a program that exits early (sys.exit, os._exit, an exception)
# never prints it. A failed assertion is a wrong answer (exit 0, no token); any other
# exception is a runtime error. The token is read with raw reads by a thread of its own, which
# keeps it in its frame and prints it when the tests have passed: it is in no frame of the
# thread the program runs in (nor a traceback's), and in no object the garbage collector lists;
# the program gets no sys.settrace, sys.setprofile or sys._current_frames to reach it (or to
# jump over the tests' lines) with.
#
# What the tests rely on is set before the program runs and put back after it: the modules the
# tests import are imported first; every module's attributes, the builtins and sys.modules are
# recorded, and what the program replaced (`math.isclose = lambda *a, **k: True`) is put back
# before the tests run. The tests' own imports give them a view of each recorded module, with
# its attributes as they were before the program ran (what the tests set goes through to the
# module, for the program to see), so a function of the program that replaces one while the
# tests run does not change what the tests call.
#
import _ast
import _collections
import _thread
import builtins
import operator
import os
import sys

GUARD_COMPARE = "__verifier_compare__"
GUARD_CHAIN = "__verifier_chain__"
GUARD_TRUTH = "__verifier_truth__"
GUARD_ARITHMETIC = "__verifier_arithmetic__"
ARITHMETIC = {
    _ast.Add: "+",
    _ast.Sub: "-",
    _ast.Mult: "*",
    _ast.Div: "/",
    _ast.FloorDiv: "//",
    _ast.Mod: "%",
    _ast.Pow: "**",
    _ast.MatMult: "@",
    _ast.LShift: "<<",
    _ast.RShift: ">>",
    _ast.BitOr: "|",
    _ast.BitXor: "^",
    _ast.BitAnd: "&",
}
OPERATORS = {
    _ast.Eq: "==",
    _ast.NotEq: "!=",
    _ast.Lt: "<",
    _ast.LtE: "<=",
    _ast.Gt: ">",
    _ast.GtE: ">=",
    _ast.In: "in",
    _ast.NotIn: "not in",
    _ast.Is: "is",
    _ast.IsNot: "is not",
}
NUMPY_SCALARS = (
    "bool bool_ int8 int16 int32 int64 uint8 uint16 uint32 uint64 float16 float32 float64 "
    "float128 longdouble complex64 complex128 complex256 clongdouble intc uintc int_ uint "
    "longlong ulonglong short ushort byte ubyte half single double csingle cdouble intp uintp "
    "long ulong str_ bytes_"
)
DATETIME_TYPES = "date datetime time timedelta timezone"
# C types of the standard library and numpy whose values compare as plain data (matched by
# module and name on static types, which a program cannot define).
TRUSTED_STATIC = {
    ("decimal", "Decimal"),
    *(("datetime", name) for name in DATETIME_TYPES.split()),
    *(("numpy", name) for name in NUMPY_SCALARS.split()),
}
HEAP_TYPE = 1 << 9  # Py_TPFLAGS_HEAPTYPE: set on every class made by a class statement
HIDDEN_SYS = ("settrace", "setprofile", "_current_frames", "_current_exceptions")
MISSING = object()
MODULE = type(sys)

# The tests are rewritten on their syntax tree (with _ast: the ast module costs a test run
# ~10 ms to import): comparisons become calls of the guard, and conditions are judged by it.


def _guarded_tests(tests, path):
    """The rewritten tests' code, and the modules they import (loaded before the program)."""
    tree = compile(tests, path, "exec", _ast.PyCF_ONLY_AST)
    imported = _imported(tree)
    return compile(_rewrite(tree), path, "exec"), imported


def _imported(node):
    found = []
    if isinstance(node, _ast.Import):
        found.extend(alias.name for alias in node.names)
    elif isinstance(node, _ast.ImportFrom) and node.level == 0 and node.module:
        found.append(node.module)  # and what it names, which may be submodules
        found.extend(f"{node.module}.{alias.name}" for alias in node.names if alias.name != "*")
    for child in _children(node):
        found.extend(_imported(child))
    return found


def _children(node):
    for field in node._fields:
        value = getattr(node, field, None)
        for child in value if isinstance(value, list) else [value]:
            if isinstance(child, _ast.AST):
                yield child


def _rewrite(node):
    """The node with its children rewritten first, then itself."""
    for field in node._fields:
        value = getattr(node, field, None)
        if isinstance(value, list):
            setattr(node, field, [_rewrite(v) if isinstance(v, _ast.AST) else v for v in value])
        elif isinstance(value, _ast.AST):
            setattr(node, field, _rewrite(value))
    if isinstance(node, _ast.Compare):
        return _located(_compare(node), node)
    if isinstance(node, _ast.BinOp):
        operator_name = _ast.Constant(ARITHMETIC[type(node.op)])
        return _located(_call(GUARD_ARITHMETIC, operator_name, node.left, node.right), node)
    if isinstance(node, (_ast.Assert, _ast.If, _ast.While, _ast.IfExp)):
        node.test = _located(_truth(node.test), node.test)
    elif isinstance(node, _ast.comprehension):
        node.ifs = [_located(_truth(condition), condition) for condition in node.ifs]
    elif isinstance(node, _ast.UnaryOp) and isinstance(node.op, _ast.Not):
        node.operand = _located(_truth(node.operand), node.operand)
    return node


def _compare(node):
    names = [OPERATORS[type(op)] for op in node.ops]
    if all(name in ("is", "is not") for name in names):
        return node
    if len(names) == 1:
        return _call(GUARD_COMPARE, _ast.Constant(names[0]), node.left, node.comparators[0])
    # a chain evaluates each operand once, and only as far as it holds
    steps = [
        _ast.Tuple([_ast.Constant(name), _lazy(operand)], _ast.Load())
        for name, operand in zip(names, node.comparators, strict=True)
    ]
    return _call(GUARD_CHAIN, node.left, *steps)


def _truth(expression):
    """A condition as the guard judges it: `and`, `or` and `not` of judged operands."""
    if isinstance(expression, _ast.BoolOp):
        return _ast.BoolOp(expression.op, [_truth(value) for value in expression.values])
    if isinstance(expression, _ast.UnaryOp) and isinstance(expression.op, _ast.Not):
        return expression  # its operand is judged already
    guarded = isinstance(expression, _ast.Call) and isinstance(expression.func, _ast.Name)
    if guarded and expression.func.id in (GUARD_COMPARE, GUARD_CHAIN):
        return expression  # a bool already
    return _call(GUARD_TRUTH, expression)


def _call(name, *arguments):
    return _ast.Call(_ast.Name(name, _ast.Load()), list(arguments), [])


def _lazy(expression):
    arguments = _ast.arguments(
        posonlyargs=[], args=[], vararg=None, kwonlyargs=[], kw_defaults=[], kwarg=None, defaults=[]
    )
    return _ast.Lambda(arguments, expression)


def _located(new, old):
    """Give the nodes made for `old` (those without a position) the position of `old`."""
    if "lineno" in new._attributes and not hasattr(new, "lineno"):
        for attribute in ("lineno", "col_offset", "end_lineno", "end_col_offset"):
            setattr(new, attribute, getattr(old, attribute, None))
    for field in new._fields:
        value = getattr(new, field, None)
        for child in value if isinstance(value, list) else [value]:
            if isinstance(child, _ast.AST) and not hasattr(child, "lineno"):
                _located(child, old)
    return new


class _Builtins:
    """What the guard needs of the interpreter, taken before the program runs."""

    def __init__(self, b, ops, arithmetic, collections):
        self.type, self.id, self.bool, self.TypeError = (
            b["type"],
            b["id"],
            b["bool"],
            b["TypeError"],
        )
        self.list, self.tuple, self.dict = b["list"], b["tuple"], b["dict"]
        self.set, self.frozenset = b["set"], b["frozenset"]
        self.int, self.float, self.complex = b["int"], b["float"], b["complex"]
        self.str, self.bytes = b["str"], b["bytes"]
        self.deque = collections.deque
        self.ordered_dict = collections.OrderedDict
        self.default_dict = collections.defaultdict
        self.ops = ops
        self.arithmetic = arithmetic
        # values compared as they are: no comparison of theirs calls code of the program's
        # (a range or bytearray holds ints; the other operand is read into plain data first)
        numbers = (self.int, self.float, self.complex, self.bool)
        self.scalars = b["frozenset"](
            (*numbers, self.str, self.bytes, type(None), b["range"], b["bytearray"])
        )
        self.keys_view, self.items_view = type({}.keys()), type({}.items())
        self.flags = b["type"].__dict__["__flags__"].__get__
        self.module = b["type"].__dict__["__module__"].__get__
        self.name = b["type"].__dict__["__name__"].__get__


def _make_opaque(i):
    """The class standing for a value of a type the program defined (made after it ran)."""
    type_, bool_, id_, TypeError_, ops, name = i.type, i.bool, i.id, i.TypeError, i.ops, i.name

    def ordered(operator_name):
        def method(self, other):
            return self._order(other, operator_name)

        return method

    class Opaque:
        """Only another opaque value can equal one; it has no truth and no order."""

        __slots__ = ("value",)

        def __init__(self, value):
            self.value = value

        def __eq__(self, other):
            if type_(other) is not Opaque:
                return False
            return self.value is other.value or bool_(self.value == other.value)

        def __ne__(self, other):
            return not self.__eq__(other)

        def __hash__(self):
            return id_(self.value)

        def __bool__(self):
            raise TypeError_(
                f"the truth of a value of type {name(type_(self.value))} is not judged"
            )

        def __contains__(self, item):
            return type_(item) is Opaque and bool_(item.value in self.value)

        def _order(self, other, operator_name):
            if type_(other) is not Opaque:
                kind = name(type_(self.value))
                raise TypeError_(f"a value of type {kind} is not ordered against plain data")
            return bool_(ops[operator_name](self.value, other.value))

        __lt__, __le__, __gt__, __ge__ = (ordered(name) for name in ("<", "<=", ">", ">="))

    return Opaque


def _make_readers(i, canon):
    """Readers of containers into plain ones of canonical items. Each takes the items through
    the base type's own C method first, which raises TypeError for a value of another type
    (before anything is remembered) and never calls what a subclass defines."""
    id_ = i.id

    def read_list(value, memo):
        items = i.list.__iter__(value)
        out = memo[id_(value)] = []
        out.extend(canon(item, memo) for item in items)
        return out

    def read_dict(value, memo, make=i.dict):
        items = i.dict.items(value)
        out = memo[id_(value)] = make()
        for key, item in items:
            out[canon(key, memo)] = canon(item, memo)
        return out

    def read_deque(value, memo):
        items = i.deque.__iter__(value)
        out = memo[id_(value)] = i.deque()
        out.extend(canon(item, memo) for item in items)
        return out

    def read_tuple(value, memo):
        return i.tuple(canon(item, memo) for item in i.tuple.__iter__(value))

    def read_view(value, memo):
        # a dict's keys or items compare as a set of them, as in Python
        return i.set(canon(item, memo) for item in i.type(value).__iter__(value))

    def read_set(value, memo):
        return i.set(canon(item, memo) for item in i.set.__iter__(value))

    def read_frozenset(value, memo):
        return i.frozenset(canon(item, memo) for item in i.frozenset.__iter__(value))

    exact = {
        i.list: read_list,
        i.tuple: read_tuple,
        i.dict: read_dict,
        i.set: read_set,
        i.frozenset: read_frozenset,
        i.deque: read_deque,
        i.ordered_dict: lambda value, memo: read_dict(value, memo, i.ordered_dict),
        i.default_dict: read_dict,
        i.keys_view: read_view,
        i.items_view: read_view,
    }
    subclass = (
        read_list,
        read_tuple,
        read_dict,
        read_set,
        read_frozenset,
        read_deque,
        lambda value, memo: i.int.__pos__(value),
        lambda value, memo: i.float.__pos__(value),
        lambda value, memo: i.complex.__pos__(value),
        lambda value, memo: i.str.__str__(value),
        lambda value, memo: i.bytes.__bytes__(value),
    )
    return exact, subclass


def _make_canon(
    i, opaque, make_readers=_make_readers, heap_type=HEAP_TYPE, trusted_static=TRUSTED_STATIC
):
    """canon(value, memo): the value as plain data, with opaque stand-ins."""
    type_, id_, scalars, TypeError_ = i.type, i.id, i.scalars, i.TypeError
    trusted_static = frozenset(trusted_static)

    def canon(value, memo):
        kind = type_(value)
        if kind in scalars or kind is opaque:
            return value
        if id_(value) in memo:
            return memo[id_(value)]
        reader = exact.get(kind)
        if reader is not None:
            return reader(value, memo)
        if not i.flags(kind) & heap_type:
            trusted = (i.module(kind), i.name(kind)) in trusted_static
            return value if trusted else opaque(value)
        for read in subclass:
            try:
                return read(value, memo)
            except TypeError_:
                continue
        return opaque(value)

    exact, subclass = make_readers(i, canon)
    return canon


def _make_guard(
    i,
    make_opaque=_make_opaque,
    make_canon=_make_canon,
    names=(GUARD_COMPARE, GUARD_CHAIN, GUARD_TRUTH, GUARD_ARITHMETIC),
):
    """The functions the guarded tests call, by name."""
    opaque = make_opaque(i)
    canon = make_canon(i, opaque)
    type_, bool_, scalars, ops, arithmetic_ops = i.type, i.bool, i.scalars, i.ops, i.arithmetic

    def compare(name, left, right):
        if name == "is":
            return left is right
        if name == "is not":
            return left is not right
        if type_(left) not in scalars or type_(right) not in scalars:
            left, right = canon(left, {}), canon(right, {})
        return bool_(ops[name](left, right))

    def chain(left, *steps):
        for name, lazy in steps:
            right = lazy()
            if not compare(name, left, right):
                return False
            left = right
        return True

    def truth(value):
        return bool_(canon(value, {}))

    def arithmetic(name, left, right):
        """Plain values compute as they are, the program's values with each other by their own
        methods. A plain result of the program's value and a plain one (`f(x) - 3.5` giving
        0.0 whatever `f(x)` is) is opaque: it saw the plain operand, so it proves nothing."""
        operation = arithmetic_ops[name]
        if type_(left) in scalars and type_(right) in scalars:
            return operation(left, right)
        plain_left, plain_right = canon(left, {}), canon(right, {})
        left_opaque, right_opaque = type_(plain_left) is opaque, type_(plain_right) is opaque
        if not (left_opaque or right_opaque):
            return operation(plain_left, plain_right)
        result = operation(left, right)
        if left_opaque and right_opaque:
            return result
        return result if type_(canon(result, {})) is opaque else opaque(result)

    return dict(zip(names, (compare, chain, truth, arithmetic), strict=True))


def _tests_namespace(program, pristine, guard):
    """What the tests see: the program's names, except any that shadows a builtin (the tests'
    `abs`, `len` or `round` is Python's, whatever the program defined), the builtins from before
    the program ran, and the guard. The program's own functions keep the program's names."""
    names = {name: value for name, value in program.items() if name not in pristine}
    return {**names, **guard, "__name__": "__main__", "__builtins__": pristine}


def _hold_token(ready, go, done, read=os.read, write=os.write):
    """Run by a thread of its own: the token is read here, byte by byte from stdin, and stays a
    local of this frame, which nothing of the program's thread can walk to; printed once `go`
    is released (the tests passed)."""
    token = b""
    while (byte := read(0, 1)) not in (b"", b"\n"):
        token += byte
    ready.release()
    go.acquire()
    write(1, b"\n\x1eVERIFIER_DONE " + token.strip() + b"\n")
    done.release()


def _token_thread():
    """Start the token's thread; (go, done): release `go` to print the token, then wait on
    `done` until it is printed."""
    ready, go, done = (_thread.allocate_lock() for _ in range(3))
    for lock in (ready, go, done):
        lock.acquire()
    _thread.start_new_thread(_hold_token, (ready, go, done))
    ready.acquire()  # the token's line is read: the rest of stdin is the tests
    return go, done


def _read_rest():
    chunks = []
    while chunk := os.read(0, 65536):
        chunks.append(chunk)
    return b"".join(chunks).decode("utf-8")


def _snapshot(modules):
    """Every module's namespace and a copy of it, before the program runs."""
    saved = {}
    for name, module in list(modules.items()):
        namespace = getattr(module, "__dict__", None)
        if type(namespace) is dict:
            saved[name] = (module, namespace, dict(namespace))
    return saved


def _restore(saved, modules, missing=MISSING):
    """Put back the modules and their attributes that the program replaced or removed (what it
    added stays: its own imports, its helpers)."""
    for name, (module, namespace, attributes) in saved.items():
        if modules.get(name, missing) is not module:
            modules[name] = module
        for key, value in attributes.items():
            if namespace.get(key, missing) is not value:
                namespace[key] = value


def _make_views(saved, original_import, module_type=MODULE):
    """The `__import__` the tests get: a recorded module comes as a view of it."""
    namespace_of, get, put, remove, id_ = vars, getattr, setattr, delattr, id
    by_identity = {id_(module): name for name, (module, _, _) in saved.items()}
    views = {}

    class ModuleView(module_type):
        """A module as it was before the program ran; what is set on it is set on the module
        too (the program sees what the tests patch)."""

        def __getattr__(self, key):
            return get(namespace_of(self)["__verifier_module__"], key)

        def __setattr__(self, key, value):
            put(namespace_of(self)["__verifier_module__"], key, value)
            namespace_of(self)[key] = value

        def __delattr__(self, key):
            remove(namespace_of(self)["__verifier_module__"], key)
            namespace_of(self).pop(key, None)

    def view(name):
        if name not in views:
            module, _, attributes = saved[name]
            views[name] = made = ModuleView(name)
            contents = namespace_of(made)
            for key, value in attributes.items():
                inner = by_identity.get(id_(value))
                viewed = inner is not None and value is saved[inner][0]
                contents[key] = view(inner) if viewed else value
            contents["__verifier_module__"] = module
        return views[name]

    def tests_import(name, globals=None, locals=None, fromlist=(), level=0):
        module = original_import(name, globals, locals, fromlist, level)  # loads what is new
        wanted = name if fromlist else name.partition(".")[0]
        if level == 0 and name in saved and wanted in saved:
            return view(wanted)
        return module

    return tests_import


def _load_first(names, load=__import__):
    for name in names:
        try:
            load(name)
        except Exception:  # the tests' own import fails as it would have
            continue


def run(
    path,
    make_guard=_make_guard,
    tests_namespace=_tests_namespace,
    restore=_restore,
    make_views=_make_views,
):
    # Everything run() uses after the program ran is taken before: the program may rebind
    # builtins, sys's functions or this module's globals.
    exec_, flush, stderr = exec, sys.stdout.flush, sys.stderr
    settrace, setprofile, modules = sys.settrace, sys.setprofile, sys.modules
    go, done = _token_thread()
    tests = _read_rest()
    sys.stdin = open(os.devnull)
    with open(path, encoding="utf-8") as program:
        program_code = compile(program.read(), path, "exec")
    tests_code, imported = _guarded_tests(tests, path)
    del tests
    _load_first(imported)
    for name in HIDDEN_SYS:
        if hasattr(sys, name):
            delattr(sys, name)
    pristine = dict(vars(builtins))
    saved = _snapshot(modules)
    ops = {
        "==": operator.eq,
        "!=": operator.ne,
        "<": operator.lt,
        "<=": operator.le,
        ">": operator.gt,
        ">=": operator.ge,
        "in": lambda a, b: a in b,
        "not in": lambda a, b: a not in b,
    }
    arithmetic = {
        "+": operator.add,
        "-": operator.sub,
        "*": operator.mul,
        "/": operator.truediv,
        "//": operator.floordiv,
        "%": operator.mod,
        "**": operator.pow,
        "@": operator.matmul,
        "<<": operator.lshift,
        ">>": operator.rshift,
        "|": operator.or_,
        "^": operator.xor,
        "&": operator.and_,
    }
    interpreter = _Builtins(pristine, ops, arithmetic, _collections)
    tests_builtins = {**pristine, "__import__": make_views(saved, pristine["__import__"])}
    namespace = {"__name__": "__main__", "__file__": path}
    try:
        exec_(program_code, namespace)
        settrace(None)
        setprofile(None)
        restore(saved, modules)
        guard = make_guard(interpreter)
        exec_(tests_code, tests_namespace(namespace, tests_builtins, guard))
    except AssertionError as failed:
        where = failed.__traceback__
        while where.tb_next is not None:
            where = where.tb_next
        stderr.write(f"AssertionError (line {where.tb_lineno}): {failed}\n")
        return  # a wrong answer: no token
    flush()
    go.release()
    done.acquire()


run(sys.argv[1])
