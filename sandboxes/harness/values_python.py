# Value emitter for Python assert tests judged as calls (verifier_service/code/conversion/
# python.py; runs inside the jail).
# stdin: the tests with every assertion replaced by `__verifier_emit__(<index>, <call>)`: the
# calls, the imports, aliases and test functions, never an expected value. They are read and
# compiled before the program loads; the program then runs as __main__ in a namespace of its
# own and the tests in the namespace the guarded driver gives them (asserts.py: the program's
# names except any that shadows a builtin, and the builtins from before the program ran).
# Each call's value is printed as a line `\x1eVERIFIER_VALUE <index> <json>`, a tagged JSON
# text the service rebuilds and compares as the tests would (conversion/python_values.py).
# Only the interpreter's own types are written, read as asserts.py reads them (a subclass of
# list, int, str, ... through the base type's C methods, never its own); any other value, a
# cycle or a value nested too deep is ["o"] (opaque: equal to nothing). What this file uses is
# taken before the program runs; a program that still changes how its values print only lies
# about its own values, which it could have returned instead: it never sees the expected ones.
import _collections
import _json
import builtins
import sys

HEAP_TYPE = 1 << 9  # Py_TPFLAGS_HEAPTYPE: set on every class made by a class statement
MAX_DEPTH = 200
OPAQUE = '["o"]'


def _make_scalar(b):
    """scalar(kind, value): the text of a value of an exact scalar type, or None."""
    type_, int_, float_, complex_ = b["type"], b["int"], b["float"], b["complex"]
    str_, bytes_, bytearray_, range_ = b["str"], b["bytes"], b["bytearray"], b["range"]
    join, hex_int, encode = str_.join, int_.__format__, _json.encode_basestring_ascii
    real, imaginary = complex_.real.__get__, complex_.imag.__get__
    bounds = (range_.start.__get__, range_.stop.__get__, range_.step.__get__)

    def hexes(tag, *texts):
        return "[" + join(",", ['"' + tag + '"', *('"' + text + '"' for text in texts)]) + "]"

    writers = {
        type_(None): lambda value: '["n"]',
        b["bool"]: lambda value: '["b",1]' if value is True else '["b",0]',
        int_: lambda value: hexes("i", hex_int(value, "x")),
        float_: lambda value: hexes("f", float_.hex(value)),
        complex_: lambda value: hexes("c", float_.hex(real(value)), float_.hex(imaginary(value))),
        str_: lambda value: '["s",' + encode(value) + "]",
        bytes_: lambda value: hexes("y", bytes_.hex(value)),
        bytearray_: lambda value: hexes("a", bytearray_.hex(value)),
        range_: lambda value: hexes("r", *(hex_int(bound(value), "x") for bound in bounds)),
    }
    get = writers.get

    def scalar(kind, value):
        write = get(kind)
        return None if write is None else write(value)

    return scalar


def _make_container(b, collections, text):
    """container(kind, value, active, depth): the text of a value read through the C methods
    of builtin container type `kind` (the value's type or a base of it), or None."""
    type_, join = b["type"], b["str"].join
    list_, tuple_, dict_, set_, frozenset_ = (
        b["list"],
        b["tuple"],
        b["dict"],
        b["set"],
        b["frozenset"],
    )
    deque = collections.deque
    sequences = {
        list_: ("l", list_.__iter__),
        tuple_: ("t", tuple_.__iter__),
        set_: ("S", set_.__iter__),  # a dict's keys or items view compares as a set
        type_({}.keys()): ("S", type_({}.keys()).__iter__),
        type_({}.items()): ("S", type_({}.items()).__iter__),
        frozenset_: ("z", frozenset_.__iter__),
        deque: ("q", deque.__iter__),
    }
    mappings = (dict_, collections.OrderedDict, collections.defaultdict)

    def container(kind, value, active, depth):
        if kind in mappings:
            written = ['"d"']
            for key, item in dict_.items(value):
                written.append(text(key, active, depth))
                written.append(text(item, active, depth))
            return "[" + join(",", written) + "]"
        sequence = sequences.get(kind)
        if sequence is None:
            return None
        tag, iterate = sequence
        items = [text(item, active, depth) for item in iterate(value)]
        return "[" + join(",", ['"' + tag + '"', *items]) + "]"

    return container


def _make_writer(b, collections):
    """text(value, active, depth): the tagged JSON of a value, with the functions taken here."""
    type_, id_, TypeError_ = b["type"], b["id"], b["TypeError"]
    int_, float_, complex_, str_, bytes_ = b["int"], b["float"], b["complex"], b["str"], b["bytes"]
    flags = type_.__dict__["__flags__"].__get__
    module = type_.__dict__["__module__"].__get__
    name = type_.__dict__["__name__"].__get__
    encode = _json.encode_basestring_ascii
    scalar = _make_scalar(b)
    # a subclass of a builtin type is read as that type (as the guarded driver does): the
    # first base whose C method takes the value, which raises TypeError for any other
    bases = (
        *((kind, kind.__iter__) for kind in (b["list"], b["tuple"])),
        (b["dict"], b["dict"].items),
        *((kind, kind.__iter__) for kind in (b["set"], b["frozenset"], collections.deque)),
        *((kind, kind.__pos__) for kind in (int_, float_, complex_)),
        (str_, str_.__str__),
        (bytes_, bytes_.__bytes__),
    )

    def as_base(value, active, depth):
        for base, read in bases:
            try:
                read_value = read(value)
            except TypeError_:
                continue
            written = scalar(base, read_value)
            return container(base, value, active, depth) if written is None else written
        return OPAQUE

    def text(value, active, depth):
        kind = type_(value)
        written = scalar(kind, value)
        if written is not None:
            return written
        if depth >= MAX_DEPTH or id_(value) in active:
            return OPAQUE
        active.add(id_(value))
        if flags(kind) & HEAP_TYPE:
            written = as_base(value, active, depth + 1)
        elif (module(kind), name(kind)) == ("decimal", "Decimal"):
            written = '["D",' + encode(kind.__str__(value)) + "]"
        else:
            written = container(kind, value, active, depth + 1)
        active.discard(id_(value))
        return OPAQUE if written is None else written

    container = _make_container(b, collections, text)
    return text


def run(path):
    # Everything run() uses after the program ran is taken before: the program may rebind
    # builtins, sys's functions or this module's globals.
    exec_, write, flush, str_, set_ = exec, sys.stdout.write, sys.stdout.flush, str, set
    settrace, setprofile = sys.settrace, sys.setprofile
    tests = sys.stdin.read()
    sys.stdin = open("/dev/null")
    with open(path, encoding="utf-8") as program:
        program_code = compile(program.read(), path, "exec")
    tests_code = compile(tests, "<tests>", "exec")
    del tests
    pristine = dict(vars(builtins))
    text = _make_writer(pristine, _collections)

    def emit(index, value):
        write("\n\x1eVERIFIER_VALUE " + str_(index) + " " + text(value, set_(), 0) + "\n")
        flush()

    namespace = {"__name__": "__main__", "__file__": path}
    exec_(program_code, namespace)
    settrace(None)
    setprofile(None)
    names = {name: value for name, value in namespace.items() if name not in pristine}
    exec_(
        tests_code,
        {**names, "__verifier_emit__": emit, "__name__": "__main__", "__builtins__": pristine},
    )


run(sys.argv[1])
