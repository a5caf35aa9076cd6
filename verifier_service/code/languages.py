"""Languages as data: `sandboxes/languages.toml` (schema in sandboxes/README.md)."""

from __future__ import annotations

import glob
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "sandboxes" / "languages.toml"
BOX = "/box"
OUT = "/out"
MAX_FILE_NAME_BYTES = 255  # NAME_MAX of Linux file systems


class LanguageFileError(ValueError):
    """languages.toml does not follow the schema; the message names the language and key."""


@dataclass(frozen=True, slots=True)
class PrecompiledHeader:
    """A header compiled once at start-up (in the jail) and offered to every compile at /pch."""

    header: str  # glob of the header to precompile; the last match wins
    name: str  # where the result goes under /pch, e.g. "bits/stdc++.h.gch"
    compile: tuple[str, ...]  # writes /out/header.gch from {header}


@dataclass(frozen=True, slots=True)
class Language:
    name: str
    display: str
    aliases: frozenset[str]
    source: str
    version: tuple[str, ...]
    run: tuple[str, ...]
    compile: tuple[str, ...] | None = None
    artifacts: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()
    env: Mapping[str, str] = field(default_factory=dict)
    compile_time_s: float = 30.0
    compile_memory_mb: int = 2048
    processes: int = 64
    memory_extra_mb: int = 0
    class_pattern: str | None = None
    main_pattern: str | None = None
    precompiled_header: PrecompiledHeader | None = None

    def source_name(self, program: str) -> str:
        """The program's file name; Java's must match its public class. A class name too
        long for a file name (ENAMETOOLONG) keeps the default name: the compiler then
        refuses the program, as it would refuse any class whose file it cannot write."""
        if self.class_pattern:
            match = re.search(self.class_pattern, program)
            if match:
                named = match.group(1) + Path(self.source).suffix
                if len(named.encode()) <= MAX_FILE_NAME_BYTES:
                    return named
        return self.source

    def main_name(self, program: str, source_name: str) -> str:
        """What `{main}` runs: the class holding `main` (Java), else the source's stem."""
        if self.main_pattern:
            match = re.search(self.main_pattern, program)
            if match:
                return match.group(1)
        return Path(source_name).stem

    def command(self, template: tuple[str, ...], source_name: str, main: str = "") -> list[str]:
        stem = Path(source_name).stem
        values = {"source": f"{BOX}/{source_name}", "stem": stem, "main": main or stem}
        return [part.format(**values) for part in template]


def load_languages(path: Path = DEFAULT_FILE) -> dict[str, Language]:
    with path.open("rb") as handle:
        document = tomllib.load(handle)
    tables = document.get("languages")
    if not isinstance(tables, dict):
        raise LanguageFileError(f"{path}: no [languages.NAME] tables")
    return {name: _language(name, table) for name, table in tables.items()}


def _language(name: str, table: dict[str, Any]) -> Language:
    required = ("display", "aliases", "source", "version", "run")
    missing = [key for key in required if key not in table]
    if missing:
        raise LanguageFileError(f"languages.{name}: missing {', '.join(missing)}")
    known = set(Language.__dataclass_fields__) - {"name"}
    unknown = set(table) - known
    if unknown:
        raise LanguageFileError(f"languages.{name}: unknown keys {', '.join(sorted(unknown))}")
    try:
        return Language(
            name=name,
            display=str(table["display"]),
            aliases=frozenset(str(a).lower() for a in [name, *table["aliases"]]),
            source=str(table["source"]),
            version=_argv(table["version"]),
            run=_argv(table["run"]),
            compile=_argv(table["compile"]) if "compile" in table else None,
            artifacts=tuple(str(a) for a in table.get("artifacts", ())),
            paths=tuple(str(p) for p in table.get("paths", ())),
            env={str(k): str(v) for k, v in table.get("env", {}).items()},
            compile_time_s=float(table.get("compile_time_s", 30.0)),
            compile_memory_mb=int(table.get("compile_memory_mb", 2048)),
            processes=int(table.get("processes", 64)),
            memory_extra_mb=int(table.get("memory_extra_mb", 0)),
            class_pattern=table.get("class_pattern"),
            main_pattern=table.get("main_pattern"),
            precompiled_header=_precompiled_header(table.get("precompiled_header")),
        )
    except (TypeError, ValueError, AttributeError) as error:
        raise LanguageFileError(f"languages.{name}: {error}") from error


def _precompiled_header(table: Any) -> PrecompiledHeader | None:
    if table is None:
        return None
    return PrecompiledHeader(str(table["header"]), str(table["name"]), _argv(table["compile"]))


def _argv(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise ValueError(f"expected a non-empty list of strings, got {value!r}")
    return tuple(value)


class LanguageRegistry:
    """Looks languages up by any alias (fence tags and `language` values)."""

    def __init__(self, languages: Mapping[str, Language]) -> None:
        self.languages = dict(languages)
        self._by_alias = {alias: lang for lang in languages.values() for alias in lang.aliases}

    def resolve(self, name: str | None) -> Language | None:
        return self._by_alias.get(name.strip().lower()) if name else None

    def toolchain_paths(self) -> tuple[str, ...]:
        """Read-only binds for every declared toolchain path that exists here.

        An entry is `SOURCE` or `SOURCE:TARGET`; SOURCE may be a glob (the last match in
        sorted order wins), so a toolchain under a private home can appear at a neutral path
        without exposing the rest of that home.
        """
        entries = {p for language in self.languages.values() for p in language.paths}
        binds = (_bind(entry) for entry in sorted(entries))
        return tuple(sorted(bind for bind in binds if bind is not None))


def _bind(entry: str) -> str | None:
    source, _, target = entry.partition(":")
    matches = sorted(glob.glob(source))
    if not matches:
        return None
    return f"{matches[-1]}:{target}" if target else matches[-1]
