"""Math-Verify's own test suite, replayed through our HTTP API.

Run `make bench-peer-math` (or `.venv/bin/python benchmarks/peer_mathverify.py [--output F]`).
Benchmark-only: it downloads the `math-verify` sdist from PyPI at run time, reads the
`compare_strings`-style cases (gold, prediction, expected verdict) out of its `tests/` folder
with `ast` (nothing of it is imported, run or committed), then sends every case to a real
`verifier_service serve` on 127.0.0.1 as `{"response": prediction, "reference": gold}`, once
with the default extraction and once with `extraction: "lenient"`.

It prints agreement per test file, every disagreement with the rule that decided it, and our
false "correct"s separately. Cases whose expected verdict we do not share for a stated reason
(a wrong label, a peer option we do not offer) are listed and counted apart; everything else
counts. It asserts nothing about timings.
"""

# ruff: noqa: PLC0415 - httpx is imported where it is used

from __future__ import annotations

import argparse
import ast
import math
import subprocess
import sys
import tarfile
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from live_server import running_server
from reporting import Output

PEER_VERSION = "0.9.0"
MODES = ("anchored", "lenient")
BATCH = 64
CASE_COLUMNS = (("gold", "pred", "expected"), ("gold", "pred", "result"))
OPTION_COLUMNS = ("precision", "strict", "allow_set_relation_comp")
# Labels of the peer's suite that are mathematically wrong: counted apart, never "ours to fix".
WRONG_LABELS = {
    ("$1 - \\frac{1}{\\mathrm{e}}$", "$1 + \\frac{1}{\\mathrm{e}}$"): "1 - 1/e is not 1 + 1/e",
}
# Predictions labelled correct although they state a false equality: a chain is its final
# value only when every step holds (docs/math.md), so these are counted apart too.
FALSE_CHAINS = {
    "Answer $ \\frac{1}{2} \\$ = \\frac{10}{9} $": "it states 1/2 = 10/9",
    "$x = 5+5+1 = 7 =11$": "it states 7 = 11",
    "$x = 5+5+1 = 1/3 \\approx 11$": "it states 5+5+1 = 1/3",
    "$z = 3+3 = 2$": "it states 3+3 = 2",
}


@dataclass(frozen=True, slots=True)
class PeerCase:
    file: str
    test: str
    gold: str
    pred: str
    expected: bool
    options: dict[str, object]  # the options the peer's test sets for this case

    def apart(self) -> str | None:
        """Why this case's label is not one we share, or None when it counts."""
        if (self.gold, self.pred) in WRONG_LABELS:
            return f"wrong label: {WRONG_LABELS[(self.gold, self.pred)]}"
        if self.expected and self.pred in FALSE_CHAINS:
            return f"wrong label: {FALSE_CHAINS[self.pred]}, a chain with a false step"
        if self.options.get("strict") is False:
            return "peer option strict=False (symbols renamed freely); we always compare strictly"
        if self.options.get("allow_set_relation_comp") is False and not self.expected:
            return (
                "peer option allow_set_relation_comp=False refuses a set against its relation; "
                "we compare x \\in [a,b] with a \\le x \\le b both ways"
            )
        return None


@dataclass(frozen=True, slots=True)
class Outcome:
    case: PeerCase
    mode: str
    verdict: str
    reason: str
    extracted: str | None

    @property
    def correct(self) -> bool:
        return self.verdict == "correct"

    @property
    def agrees(self) -> bool:
        return self.correct == self.case.expected


# --- reading the peer's suite --------------------------------------------------------------


def fetch_sdist(version: str, directory: Path) -> Path:
    """Download and unpack the `math-verify` sdist; the path of its `tests/` folder."""
    subprocess.run(
        [
            *(sys.executable, "-m", "pip", "download", "--quiet", "--no-deps"),
            *("--no-binary", ":all:", f"math-verify=={version}", "--dest", str(directory)),
        ],
        check=True,
    )
    archive = next(directory.glob("math_verify-*.tar.gz"))
    with tarfile.open(archive) as tar:
        tar.extractall(directory, filter="data")
    return next(directory.glob("math_verify-*/tests"))


def read_cases(tests: Path) -> list[PeerCase]:
    cases: list[PeerCase] = []
    for path in sorted(tests.glob("test_*.py")):
        tree = ast.parse(path.read_text())
        for function in (n for n in tree.body if isinstance(n, ast.FunctionDef)):
            cases.extend(_function_cases(path.name, function))
    return cases


def _function_cases(file: str, function: ast.FunctionDef) -> Iterator[PeerCase]:
    call_options = _call_options(function)
    if call_options is None:
        return
    for decorator in function.decorator_list:
        table = _parametrize(decorator)
        if table is None:
            continue
        names, rows = table
        for row in rows:
            values = dict(zip(names, row, strict=True))
            options = {**call_options, **{k: values[k] for k in OPTION_COLUMNS if k in values}}
            expected = values.get("expected", values.get("result"))
            yield PeerCase(
                file,
                function.name,
                str(values["gold"]),
                str(values["pred"]),
                bool(expected),
                options,
            )
    yield from _inline_cases(file, function)


def _call_options(function: ast.FunctionDef) -> dict[str, object] | None:
    """Keyword options of the comparison the test makes; None when it makes none."""
    for node in ast.walk(function):
        if isinstance(node, ast.Call) and _name(node.func) in ("compare_strings", "verify"):
            return {
                k.arg: ast.literal_eval(k.value)
                for k in node.keywords
                if k.arg in OPTION_COLUMNS and isinstance(k.value, ast.Constant)
            }
    return None


def _parametrize(decorator: ast.expr) -> tuple[list[str], list[tuple[Any, ...]]] | None:
    if not (isinstance(decorator, ast.Call) and _name(decorator.func) == "parametrize"):
        return None
    names_node, rows_node = decorator.args[:2]
    names = [n.strip() for n in ast.literal_eval(names_node).split(",")]
    if not any(set(columns) <= set(names) for columns in CASE_COLUMNS):
        return None
    try:
        rows = ast.literal_eval(rows_node)
    except ValueError:  # rows built by f-strings of math functions (`f"{math.sqrt(17):.15f}"`)
        rows = _evaluate_formatted(rows_node)
    return names, [tuple(row) for row in rows]


_SAFE_NODES = (
    *(ast.Expression, ast.List, ast.Tuple, ast.Constant, ast.JoinedStr, ast.FormattedValue),
    *(ast.Call, ast.Attribute, ast.Name, ast.Load, ast.UnaryOp, ast.USub),
)


def _evaluate_formatted(node: ast.expr) -> Any:
    """Literals, f-strings and `math.<function>(literal)` calls only; anything else refused."""
    tree = ast.Expression(node)
    for child in ast.walk(tree):
        if not isinstance(child, _SAFE_NODES):
            raise ValueError(f"unexpected expression in a peer test table: {ast.dump(child)}")
        if isinstance(child, ast.Name) and child.id != "math":
            raise ValueError(f"unexpected name in a peer test table: {child.id}")
        if isinstance(child, ast.Attribute) and not isinstance(child.value, ast.Name):
            raise ValueError("unexpected attribute in a peer test table")
    return eval(compile(tree, "<peer test table>", "eval"), {"__builtins__": {}, "math": math})


def _inline_cases(file: str, function: ast.FunctionDef) -> Iterator[PeerCase]:
    """`assert compare_strings("gold", "pred", ...) == 1` outside a parametrize table."""
    for node in ast.walk(function):
        if not (isinstance(node, ast.Compare) and isinstance(node.left, ast.Call)):
            continue
        call = node.left
        if _name(call.func) != "compare_strings" or len(call.args) < 2:
            continue
        if not all(isinstance(a, ast.Constant) for a in (*call.args[:2], node.comparators[0])):
            continue
        gold, pred = (ast.literal_eval(a) for a in call.args[:2])
        options = {
            k.arg: ast.literal_eval(k.value) for k in call.keywords if k.arg in OPTION_COLUMNS
        }
        expected = ast.literal_eval(node.comparators[0])
        yield PeerCase(file, function.name, gold, pred, bool(expected), options)


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


# --- replaying through the API -------------------------------------------------------------


def replay(base_url: str, cases: Sequence[PeerCase]) -> list[Outcome]:
    import httpx

    outcomes: list[Outcome] = []
    with httpx.Client(base_url=base_url, timeout=300, trust_env=False) as client:
        for mode in MODES:
            for start in range(0, len(cases), BATCH):
                batch = cases[start : start + BATCH]
                items = [_item(case, mode) for case in batch]
                response = client.post("/v1/verify", json={"items": items})
                response.raise_for_status()
                for case, result in zip(batch, response.json()["results"], strict=True):
                    verdict, reason = result["verdict"], result["reason"]
                    outcomes.append(Outcome(case, mode, verdict, reason, result["extracted"]))
    return outcomes


def _item(case: PeerCase, mode: str) -> dict[str, Any]:
    options: dict[str, Any] = {} if mode == "anchored" else {"extraction": mode}
    precision = case.options.get("precision")
    if isinstance(precision, int):
        # The test sets the peer's float rounding (decimal places); ours is a relative
        # tolerance, asked for explicitly the same way: numeric_tolerance = 10^-precision.
        options["numeric_tolerance"] = 10.0**-precision
    return {"task": "math", "response": case.pred, "reference": case.gold, "options": options}


# --- report --------------------------------------------------------------------------------


def report(cases: Sequence[PeerCase], outcomes: Sequence[Outcome], out: Output) -> None:
    out(f"# Math-Verify {PEER_VERSION} test suite through POST /v1/verify")
    out(f"{len(cases)} cases from {len({c.file for c in cases})} test files")
    apart = [c for c in cases if c.apart()]
    out(f"{len(apart)} counted apart (their label is not one we share):")
    for case in apart:
        out(f"  - {case.file}: gold {case.gold!r} pred {case.pred!r}: {case.apart()}")
    for mode in MODES:
        mine = [o for o in outcomes if o.mode == mode and not o.case.apart()]
        _mode_report(mode, mine, out)


def _mode_report(mode: str, outcomes: Sequence[Outcome], out: Output) -> None:
    agreed = sum(o.agrees for o in outcomes)
    out()
    share = _percent(agreed, len(outcomes))
    out(f"## extraction: {mode}: {agreed} of {len(outcomes)} agree ({share})")
    if mode == "anchored":
        anchored = [o for o in outcomes if o.verdict != "no_answer" or not o.case.expected]
        anchored_agreed = sum(o.agrees for o in anchored)
        unanchored = len(outcomes) - len(anchored)
        out(
            f"   cases with an answer we could extract (or expected wrong): {anchored_agreed} "
            f"of {len(anchored)} agree; {unanchored} expected correct have no anchor"
        )
    by_file: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_file[outcome.case.file].append(outcome)
    for file, group in sorted(by_file.items()):
        out(f"   {file:28s} {sum(o.agrees for o in group):4d} / {len(group):4d}")
    false_correct = [o for o in outcomes if o.correct and not o.case.expected]
    out(f'   false "correct": {len(false_correct)}')
    _list(false_correct, out)
    wrong = [o for o in outcomes if not o.agrees and o.case.expected]
    if mode == "anchored":
        wrong = [o for o in wrong if o.verdict != "no_answer"]
    excluding = ", excluding no anchor" if mode == "anchored" else ""
    out(f'   false "wrong" (expected correct{excluding}): {len(wrong)}')
    _list(wrong, out)


def _list(outcomes: Iterable[Outcome], out: Output) -> None:
    for o in outcomes:
        out(
            f"     - {o.case.file}::{o.case.test} gold {o.case.gold!r} pred {o.case.pred!r}"
            f" -> {o.verdict} ({o.reason}; extracted {o.extracted!r})"
        )


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "n/a"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tests", type=Path, help="an unpacked sdist's tests/ (skips download)")
    parser.add_argument("--output", type=Path, help="also write the report here")
    args = parser.parse_args(argv)
    out = Output(args.output)
    try:
        with tempfile.TemporaryDirectory() as scratch:
            tests = args.tests or fetch_sdist(PEER_VERSION, Path(scratch))
            cases = read_cases(tests)
            with running_server() as server:
                outcomes = replay(server.base_url, cases)
            report(cases, outcomes, out)
    finally:
        out.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
