"""Rust programs whose code could run before the generated `main` of assert tests.

`#[link_section = ".init_array"]` runs a function before `main`; `#[no_mangle]` and
`#[export_name = "..."]` replace a libc symbol the entry relies on; `global_asm!` can do either.
Those are attributes (and one macro), so the refusal looks for the attribute, not for the word:
a variable called `no_mangle` is refused by nothing. The exceptions are the places where the
word need not be written inside an attribute:

- `global_asm!` is a macro, which `use ... as` can rename: the name is refused anywhere;
- a program with `macro_rules!` can build an attribute out of a macro argument (`#[$name]`,
  or `#` and `[...]` passed as separate tokens), so there the words are refused anywhere.

Every function takes the program with its literals and comments masked (`harness._mask`).
"""

from __future__ import annotations

import re

_ATTRIBUTE_WORDS = re.compile(r"\b(?:link_section|no_mangle|export_name)\b")
_ANYWHERE_WORDS = re.compile(r"\bglobal_asm\b")
_ATTRIBUTE_START = re.compile(r"#\s*!?\s*\[")
_MACRO_RULES = re.compile(r"\bmacro_rules\s*!")


def rust_before_main(masked: str) -> str | None:
    """The attribute or macro that could run the program's code before `main`, or None."""
    anywhere = _ANYWHERE_WORDS.search(masked)
    if anywhere is not None:
        return anywhere.group(0)
    if _MACRO_RULES.search(masked):
        word = _ATTRIBUTE_WORDS.search(masked)
        return None if word is None else word.group(0)
    for start in _ATTRIBUTE_START.finditer(masked):
        word = _ATTRIBUTE_WORDS.search(masked, start.end(), _attribute_end(masked, start.end()))
        if word is not None:
            return word.group(0)
    return None


def _attribute_end(masked: str, inside: int) -> int:
    """Where the attribute whose `[` ends just before `inside` closes (the text's end when it
    does not)."""
    depth = 1
    for index in range(inside, len(masked)):
        depth += {"[": 1, "]": -1}.get(masked[index], 0)
        if depth == 0:
            return index
    return len(masked)
