"""Programs that redefine how their assert tests compare values.

Tests compiled with the program compare what it returns with the language's standard
comparisons, and a program can replace them: in C++ a non-template `operator==` taking two
`std::vector<long>` beats the standard template in overload resolution, so an `operator==`
that answers true passes every `assert(f(x) == y)`; in Java a subclass of `ArrayList` whose
`equals` answers true passes every `assert f(x).equals(y)`; in Rust a type of the program's with
`impl PartialEq<i64>` that answers true passes `assert_eq!(f(x), 3)`, and a `macro_rules!
assert_eq` of its own replaces the standard one. No solution needs any of these (the standard
types compare already), so such programs are refused. A program's own macros are
undefined before the tests, so none can rewrite the tests' code.

In Ruby, Perl and Lua a program can as easily redefine equality (`def ==`, `use overload`, an
`__eq` metamethod), and in Ruby the test library itself (reopen `Integer` or `Test::Unit`), and
again no solution needs to: programs that do are refused, on their text as written
(`script_override`). Perl's and Lua's test libraries are kept out of the program's reach by
their drivers instead, which no name built at run time walks past.

The other functions take the program with its literals and comments masked.
"""

from __future__ import annotations

import re

_STD_TYPES = (
    "vector|basic_string|string|wstring|string_view|map|multimap|unordered_map|set|multiset"
    "|unordered_set|pair|tuple|optional|variant|array|deque|list|forward_list|bitset|complex"
    "|valarray|span"
)
_CPP_COMPARISON = re.compile(r"\boperator\s*(==|!=|<=>|<=|>=|<|>)\s*\(")
_CPP_STD_TYPE = re.compile(rf"\b(?:{_STD_TYPES})\b")
_C_DEFINE = re.compile(r"^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)", re.M)

_JDK_TYPES = (
    "ArrayList|LinkedList|Vector|Stack|HashMap|LinkedHashMap|TreeMap|Hashtable|HashSet"
    "|LinkedHashSet|TreeSet|ArrayDeque|PriorityQueue|AbstractList|AbstractMap|AbstractSet"
    "|AbstractCollection|AbstractSequentialList|AbstractQueue|List|Map|Set|Collection|Deque"
    "|Queue|SortedMap|SortedSet|NavigableMap|NavigableSet|Iterable|CharSequence|Number"
)
_JAVA_JDK_SUBTYPE = re.compile(
    rf"\b(?:extends|implements)\s+(?:java\.util\.|java\.lang\.)?(?:{_JDK_TYPES})\b"
    rf"|\bnew\s+(?:java\.util\.)?(?:{_JDK_TYPES})\s*(?:<[^(){{}};]*>)?\s*\([^(){{}};]*\)\s*\{{"
)
_JAVA_EQUALS = re.compile(r"\bboolean\s+equals\s*\(")

_RUST_CROSS_COMPARISON = re.compile(r"\bimpl\b[^{;]*?\b(Partial(?:Eq|Ord)\s*<)")
_RUST_ASSERT_MACRO = re.compile(
    r"\bmacro_rules!\s*(assert\w*|debug_assert\w*|panic|unreachable|todo|unimplemented)\b"
)


_RUBY_CORE = (
    "Integer|Float|Numeric|String|Symbol|Array|Hash|Range|Set|Object|BasicObject|Kernel"
    "|Comparable|NilClass|TrueClass|FalseClass|Rational|Complex|Test|Minitest|MiniTest"
)
_SCRIPT_OVERRIDES = {
    "ruby": re.compile(
        r"\bdef\s+(?:self\.)?(?:==|!=|===|eql\?|equal\?|<=>)"
        r"|:(?:==|!=|===|eql\?|equal\?|<=>)(?![\w?])"
        rf"|^\s*(?:class|module)\s+(?:::)?(?:{_RUBY_CORE})\b"
        rf"|\b(?:{_RUBY_CORE})\s*\.\s*(?:prepend|include|class_eval|class_exec|send"
        r"|define_method|instance_eval)\b"
        r"|\brefine\b|\bassert_\w+\s*=|\bdef\s+(?:self\.)?assert\w*",
        re.M,
    ),
    # Perl and Lua: equality only; their drivers keep the test library out of the program's
    # reach (sandboxes/harness/asserts.pl, asserts.lua), so its names need no refusal.
    "perl": re.compile(r"\buse\s+overload\b|\boverload::"),
    "lua": re.compile(r"__eq\b|__lt\b|__le\b"),
}


def script_override(language: str, code: str) -> str | None:
    """What a Ruby, Perl or Lua program writes that would redefine the tests' equality or their
    test library, if anything."""
    pattern = _SCRIPT_OVERRIDES.get(language)
    found = None if pattern is None else pattern.search(code)
    return None if found is None else " ".join(found.group(0).split())


def cpp_comparison_override(masked: str) -> str | None:
    """The first comparison operator the program defines between two standard types, if any.

    One with a type of the program's on a side (a member operator, or a free one taking it) is
    the program's own: MultiPL-E's prompts declare such unions, comparable with `std::string`.
    """
    for found in _CPP_COMPARISON.finditer(masked):
        parameters = _parenthesized(masked, found.end() - 1)
        sides = _top_level_split(parameters)
        if len(sides) == 2 and all(_CPP_STD_TYPE.search(side) for side in sides):
            return f"operator{found.group(1)}({' '.join(parameters.split())})"
    return None


def c_macros(masked: str) -> list[str]:
    """The names the program #defines, in order, each once."""
    return list(dict.fromkeys(_C_DEFINE.findall(masked)))


def java_equals_override(masked: str) -> bool:
    """Whether the program defines `equals` and subclasses a JDK collection (or number or
    character sequence): the one way its `equals` could stand in for the JDK's in the tests."""
    return bool(_JAVA_EQUALS.search(masked) and _JAVA_JDK_SUBTYPE.search(masked))


def rust_comparison_override(masked: str) -> str | None:
    """What the program would compare or assert with in place of the standard, if anything: an
    impl of PartialEq/PartialOrd against another type, or a macro named like an assertion."""
    macro = _RUST_ASSERT_MACRO.search(masked)
    if macro is not None:
        return f"macro_rules! {macro.group(1)}"
    cross = _RUST_CROSS_COMPARISON.search(masked)
    return None if cross is None else f"impl {' '.join(cross.group(1).split())}..>"


def _top_level_split(parameters: str) -> list[str]:
    """The comma-separated parts of a parameter list, commas inside <>, () or [] kept."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(parameters):
        depth += {"<": 1, "(": 1, "[": 1, ">": -1, ")": -1, "]": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(parameters[start:index])
            start = index + 1
    parts.append(parameters[start:])
    return [part for part in parts if part.strip()]


def _parenthesized(text: str, open_index: int) -> str:
    """The text inside the parentheses opening at `open_index` (to the end if unclosed)."""
    depth = 0
    for index in range(open_index, len(text)):
        depth += {"(": 1, ")": -1}.get(text[index], 0)
        if depth == 0:
            return text[open_index + 1 : index]
    return text[open_index + 1 :]
