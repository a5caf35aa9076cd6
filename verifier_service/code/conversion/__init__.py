"""Assert tests turned into functional cases, one converter per language (`protocol.py`)."""

from __future__ import annotations

import logging

from verifier_service.code.conversion import (
    bash,
    cpp,
    go,
    java,
    javascript,
    lua,
    perl,
    php,
    python,
    ruby,
    rust,
)
from verifier_service.code.conversion.protocol import (
    VALUE_MARKER,
    Case,
    Conversion,
    Converter,
    JailProgram,
    all_same,
    read_values,
    value_line,
)

log = logging.getLogger(__name__)

CONVERTERS: dict[str, Converter] = {
    "cpp": cpp.convert,
    "cpp20": cpp.convert,
    "java": java.convert,
    "go": go.convert,
    "python": python.convert,
    "rust": rust.convert,
    "javascript": javascript.convert_javascript,
    "typescript": javascript.convert_typescript,
    "php": php.convert,
    "perl": perl.convert,
    "bash": bash.convert,
    "lua": lua.convert,
    "ruby": ruby.convert,
}


def convert_asserts(language: str, code: str, tests: str) -> Conversion | None:
    """The tests as calls, or None when this language has no converter or the tests are not
    only plain calls compared with values."""
    converter = CONVERTERS.get(language)
    if converter is None:
        return None
    try:
        return converter(code, tests)
    except (ValueError, RecursionError, MemoryError):
        # Test code a converter cannot read runs as before, behind the completion guard.
        log.warning("%s assert tests could not be converted", language, exc_info=True)
        return None


__all__ = [
    "CONVERTERS",
    "VALUE_MARKER",
    "Case",
    "Conversion",
    "Converter",
    "JailProgram",
    "all_same",
    "convert_asserts",
    "read_values",
    "value_line",
]
