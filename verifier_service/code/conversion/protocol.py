"""Assert tests as functional cases: what a converter answers, and the value lines it reads.

Test code that is nothing but plain calls compared with values (`assert candidate(2, 3) == 5`,
the shape of HumanEval, MBPP and MultiPL-E in every language) need not run in the program's
process, where a program can silence, rewrite or read it. A converter turns it into:

- `candidate`: the program joined with an emitter that prints, case by case, the value of the
  case's call, as a line `\\x1eVERIFIER_VALUE <index> <text>` (text: one line, the language's
  own serialization of the value);
- the expected values, as the same texts: either read on the host (`expected`, where the host
  can read the tests' literals itself) or printed by `reference`, a program made of the tests'
  expected expressions and the same serializer, with none of the program's code, run in a jail
  of its own;
- `same(expected_text, actual_text)`: the tests' own comparison, judged on the two texts.

So the expected values never enter the program's jail, and nothing the program does to the
test code or the test library matters: it would have to print the right values.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HARNESS_DIR = Path(__file__).resolve().parents[3] / "sandboxes" / "harness"
VALUE_MARKER = b"\x1eVERIFIER_VALUE "
VALUE_TEXT_BYTES = 1 << 20  # a longer value line is not read (the case counts as missing)


@dataclass(frozen=True, slots=True)
class Case:
    """One assertion as a call and the value it must equal, in the tests' own syntax."""

    call: str
    expected: str


@dataclass(frozen=True, slots=True)
class JailProgram:
    """A program to prepare (compile once) and run in a jail: source, extra files, command
    (None: the language's own `run`) and stdin."""

    code: str
    command: tuple[str, ...] | None = None
    files: tuple[tuple[str, str], ...] = ()
    stdin: bytes = b""


@dataclass(frozen=True, slots=True)
class Conversion:
    """Assert tests turned into calls; `reference` or `expected` gives the expected texts."""

    cases: tuple[Case, ...]
    candidate: JailProgram
    same: Callable[[str, str], bool]
    reference: JailProgram | None = None
    expected: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        if (self.reference is None) == (self.expected is None):
            raise ValueError("a conversion has either a reference program or expected texts")
        if self.expected is not None and len(self.expected) != len(self.cases):
            raise ValueError("one expected text per case")


# A converter: (program, test code) -> the conversion, or None when the tests are not only
# plain calls compared with values (they then run as before, behind the completion guard).
Converter = Callable[[str, str], Conversion | None]


@functools.cache
def harness_text(name: str) -> str:
    """A serializer or driver of sandboxes/harness/, read once (every conversion uses it)."""
    return (HARNESS_DIR / name).read_text(encoding="utf-8")


def value_line(index: int, text: str) -> str:
    """The line an emitter prints for case `index` (for converters that build it on the host)."""
    return f"\n\x1eVERIFIER_VALUE {index} {text}\n"


def read_values(stdout: bytes, count: int) -> list[str] | None:
    """The text of each case 0..count-1 (the last line printed for it), or None when a case
    printed none: the program ended, or failed, before its value was emitted."""
    found: dict[int, str] = {}
    for line in stdout.split(b"\n"):
        if not line.startswith(VALUE_MARKER) or len(line) > VALUE_TEXT_BYTES:
            continue
        index, _, text = line[len(VALUE_MARKER) :].partition(b" ")
        if index.isdigit() and int(index) < count:
            found[int(index)] = text.decode("utf-8", "replace").rstrip("\r")
    if len(found) != count:
        return None
    return [found[index] for index in range(count)]


def all_same(conversion: Conversion, expected: list[str], stdout: bytes) -> bool:
    """Every case printed its value and each equals its expected text as the tests compare."""
    actual = read_values(stdout, len(conversion.cases))
    if actual is None:
        return False
    return all(conversion.same(want, got) for want, got in zip(expected, actual, strict=True))
