"""Math throughput, latency, memory and agreement: verifier-service against Math-Verify.

Run `make bench` (or `.venv/bin/python benchmarks/math_throughput.py [--quick] [--output F]`).
It prints figures and asserts nothing about timings. The only address it contacts is
127.0.0.1 (a `verifier_service serve` it starts and stops itself).

Scenarios, on the same deterministic items (benchmarks/math_items.py) for both verifiers:
  1. distinct answers: every (reference, answer) pair unique, our cache off, in-process;
  2. GRPO-shaped batches (64 prompts x 16 samples, answers repeating, fresh prompts per
     batch), in-process and through POST /v1/verify of a real server;
  3. sequential single-item HTTP requests: request wall time;
  4. peak RSS (VmHWM) of the server and its worker processes;
  5. Math-Verify (`verify(parse("$" + reference + "$"), parse(response))`, single process,
     its own signal.alarm timeouts) on the same items, run last so that its sympy caches do
     not sit in our in-process runs' heap;
  6. agreement with Math-Verify, every disagreement explained by rule, and our verdicts
     against what docs/math.md says about each generated item.

Heavy imports stay inside functions: the service's worker processes are forked from a
forkserver that re-imports this module, and they should not carry Math-Verify.
"""

# ruff: noqa: PLC0415 - imports inside functions are deliberate (see above)

from __future__ import annotations

import argparse
import gc
import logging
import os
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from live_server import ROOT, running_server
from math_items import GenItem, distinct_items, iter_grpo_batches
from reporting import Output, percentile

if TYPE_CHECKING:
    import httpx

    from verifier_service.schemas.requests import MathItem
    from verifier_service.schemas.results import MathResult
    from verifier_service.service import Service

SEED = 20240611
TARGET_RATIO = 3.0
TARGET_GRPO_HTTP = 2000.0
TARGET_P99_MS = 100.0
MB = 1024.0  # VmHWM is in KiB


@dataclass(frozen=True, slots=True)
class Config:
    distinct: int  # distinct-answer items (Math-Verify sees the same ones)
    repeats: int  # fresh-service runs of ours over them; the median is reported
    grpo_batches: int  # timed batches, after one warm-up batch
    prompts: int  # prompts per GRPO batch (16 samples each)
    single_requests: int
    one_worker: bool  # also time ours with one math worker
    seed: int


FULL = Config(2000, 3, 8, 64, 200, True, SEED)
QUICK = Config(300, 1, 2, 64, 50, False, SEED)


@dataclass(slots=True)
class Figure:
    items_per_s: float | None
    p50_ms: float | None
    p99_ms: float | None
    rss_mb: float | None = None


@dataclass(slots=True)
class Report:
    figures: dict[str, Figure] = field(default_factory=dict)
    we_are_wrong: list[tuple[GenItem, MathResult]] = field(default_factory=list)


# --- measurement helpers ------------------------------------------------------------------


def p50_p99(values: Sequence[float]) -> str:
    return f"p50 {percentile(values, 0.5):.2f} ms, p99 {percentile(values, 0.99):.2f} ms"


def descendants(root: int) -> list[int]:
    """`root` and every process below it, read from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry))
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(sorted(children.get(pid, [])))
    return found


def proc_status(pid: int) -> dict[str, str]:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return {}
    return {
        key: value.strip() for key, _, value in (line.partition(":") for line in text.splitlines())
    }


def kib(status: dict[str, str], key: str) -> int:
    return int(status.get(key, "0 kB").split()[0])


def process_role(pid: int, root: int) -> str:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        parent = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        parent_cmdline = Path(f"/proc/{parent}/cmdline").read_bytes().decode(errors="replace")
    except (OSError, ValueError):
        return "?"
    if pid == root:
        return "service process"
    if "resource_tracker" in cmdline:
        return "multiprocessing resource tracker"
    if "forkserver" in cmdline and "forkserver" in parent_cmdline:
        return "math worker"
    if "forkserver" in cmdline:
        return "forkserver"
    return cmdline[:60]


def tree_peak_rss(root: int) -> list[tuple[int, str, float]]:
    """(pid, role, VmHWM MB) for `root` and every process below it."""
    return [
        (pid, process_role(pid, root), kib(proc_status(pid), "VmHWM") / MB)
        for pid in descendants(root)
    ]


class CountTimeouts(logging.Handler):
    """Math-Verify logs its timeouts as warnings instead of raising them."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.timeouts = 0

    def emit(self, record: logging.LogRecord) -> None:
        if "Timeout" in record.getMessage():
            self.timeouts += 1


def counts(values: Iterable[str]) -> str:
    return ", ".join(f"{name} {count}" for name, count in Counter(values).most_common())


def ms_list(seconds: Sequence[float]) -> str:
    return ", ".join(f"{s * 1000:.0f}" for s in seconds) + " ms"


# --- our verifier, in-process -------------------------------------------------------------


def to_math_items(items: Sequence[GenItem]) -> list[MathItem]:
    from verifier_service.schemas.requests import MathItem

    return [
        MathItem(task="math", id=index, response=item.response, reference=item.reference)
        for index, item in enumerate(items)
    ]


@contextmanager
def running_service(cache_size: int, workers: int | None = None) -> Iterator[Service]:
    from verifier_service.config import Settings
    from verifier_service.service import Service

    overrides: dict[str, Any] = {"math_cache_size": cache_size, "log_level": "warning"}
    if workers is not None:
        overrides["math_workers"] = workers
    service = Service(Settings(code_enabled=False, **overrides))
    service.start()
    try:
        service.score(to_math_items(distinct_items(60, SEED - 1)))  # warm-up, off the clock
        yield service
    finally:
        service.close()


def decision_sources(service: Service) -> dict[str, float]:
    registry = service.metrics.registry
    return {
        source: registry.get_sample_value("verifier_math_decisions_total", {"source": source})
        or 0.0
        for source in ("cache", "fast_rules", "worker")
    }


def delta(after: dict[str, float], before: dict[str, float]) -> dict[str, float]:
    return {key: after[key] - before.get(key, 0.0) for key in after}


def score_timed(service: Service, items: list[MathItem]) -> tuple[list[MathResult], float]:
    from verifier_service.schemas.results import MathResult

    gc.collect()
    started = time.perf_counter()
    results = service.score(items)
    elapsed = time.perf_counter() - started
    return [result for result in results if isinstance(result, MathResult)], elapsed


# --- HTTP ----------------------------------------------------------------------------------


def post_verify(
    client: httpx.Client, items: Sequence[GenItem]
) -> tuple[list[dict[str, Any]], float]:
    body = {
        "items": [
            {"task": "math", "id": index, "response": item.response, "reference": item.reference}
            for index, item in enumerate(items)
        ]
    }
    started = time.perf_counter()
    response = client.post("/v1/verify", json=body)
    response.raise_for_status()
    results: list[dict[str, Any]] = response.json()["results"]
    return results, time.perf_counter() - started


def scrape_sources(client: httpx.Client) -> dict[str, float]:
    found: dict[str, float] = {}
    for line in client.get("/metrics").text.splitlines():
        if line.startswith("verifier_math_decisions_total{"):
            source = line.split('source="', 1)[1].split('"', 1)[0]
            found[source] = float(line.rsplit(" ", 1)[1])
    return found


# --- Math-Verify ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MVResult:
    correct: bool
    extracted: str
    elapsed_ms: float


def run_math_verify(items: Sequence[GenItem]) -> tuple[list[MVResult], float, int]:
    """(results, seconds, timeouts): the usual call, single process, its default timeouts."""
    from math_verify import parse, verify

    counter = CountTimeouts()
    for name in ("math_verify", "math_verify.grader", "math_verify.parser"):
        logging.getLogger(name).addHandler(counter)
        logging.getLogger(name).propagate = False
    verify(parse("$1$"), parse("\\boxed{1}"))  # first-call work off the clock
    results: list[MVResult] = []
    gc.collect()
    started = time.perf_counter()
    for item in items:
        begin = time.perf_counter()
        gold = parse(f"${item.reference}$")
        answer = parse(item.response)
        correct = bool(verify(gold, answer))
        took = (time.perf_counter() - begin) * 1000
        results.append(MVResult(correct, _mv_text(answer), took))
    return results, time.perf_counter() - started, counter.timeouts


def _mv_text(parsed: Any) -> str:
    """What Math-Verify extracted: its matched text (last element) when it kept one."""
    if not parsed:
        return "(nothing)"
    return str(parsed[-1])[:70]


# --- 1. distinct answers -------------------------------------------------------------------


def bench_distinct(
    config: Config, items: list[GenItem], out: Output, report: Report
) -> list[MathResult]:
    pairs = {
        (item.reference, item.answer, item.response if item.answer is None else "")
        for item in items
    }
    out(
        f"## 1. Distinct answers: {len(items)} items, "
        f"{len(pairs)} distinct (reference, answer) pairs"
    )
    out(f"   categories: {counts(item.category for item in items)}")
    out(f"   wrappers:   {counts(item.wrapper for item in items)}")
    out(f"   labels (docs/math.md): {counts(_label(item.expected) for item in items)}")
    math_items = to_math_items(items)
    rates: list[float] = []
    first: list[MathResult] = []
    worker_rss = 0.0
    sources: dict[str, float] = {}
    workers = 0
    for _ in range(config.repeats):
        with running_service(cache_size=0) as service:  # fresh workers: cold per-worker caches
            before = decision_sources(service)
            results, seconds = score_timed(service, math_items)
            rates.append(len(items) / seconds)
            if not first:
                first, sources = results, delta(decision_sources(service), before)
                workers = service.settings.math_workers
                rss = tree_peak_rss(os.getpid())
                worker_rss = sum(mb for pid, _, mb in rss if pid != os.getpid())
    rate = statistics.median(rates)
    latency = [result.elapsed_ms for result in first]
    answered = [result.elapsed_ms for result in first if result.verdict != "no_answer"]
    out(
        f"ours in-process, {workers} math workers, cache off, a fresh service per run: "
        f"{rate:.0f} items/s (median of {', '.join(f'{r:.0f}' for r in rates)})"
    )
    out(
        f"   decided by: fast in-process rules {sources['fast_rules']:.0f}, worker processes "
        f"{sources['worker']:.0f}, cache {sources['cache']:.0f}; the rest had no answer"
    )
    out(
        f"   per item elapsed_ms (extraction + judging, excluding queueing): {p50_p99(latency)}, "
        f"max {max(latency):.1f} ms; answered items only: {p50_p99(answered)}"
    )
    out(f"   verdicts: {counts(result.verdict for result in first)}")
    _latency_by_category(items, first, out)
    if config.one_worker:
        with running_service(cache_size=0, workers=1) as service:
            _, seconds = score_timed(service, math_items)
        out(
            f"   with ONE math worker (one core's worth of judging): {len(items) / seconds:.0f} "
            "items/s"
        )
        report.figures["distinct_one_worker"] = Figure(len(items) / seconds, None, None)
    out()
    report.figures["distinct"] = Figure(
        rate, percentile(answered, 0.5), percentile(answered, 0.99), worker_rss
    )
    return first


def _latency_by_category(items: Sequence[GenItem], ours: Sequence[MathResult], out: Output) -> None:
    by_category: dict[str, list[float]] = {}
    for item, result in zip(items, ours, strict=True):
        by_category.setdefault(item.category, []).append(result.elapsed_ms)
    cells = [
        f"{name} {percentile(values, 0.5):.1f}/{percentile(values, 0.99):.1f}"
        for name, values in sorted(by_category.items(), key=lambda kv: -percentile(kv[1], 0.99))
    ]
    out("   elapsed_ms p50/p99 by category: " + ", ".join(cells))
    slowest = sorted(zip(ours, items, strict=True), key=lambda pair: -pair[0].elapsed_ms)[:4]
    out(
        "   slowest: "
        + "; ".join(f"{result.elapsed_ms:.0f} ms {item.answer!r}" for result, item in slowest)
    )


def _label(expected: bool | None) -> str:
    return {True: "equal", False: "unequal", None: "no answer"}[expected]


# --- 2-4. GRPO batches, HTTP, memory --------------------------------------------------------


def grpo_batches(config: Config) -> tuple[list[GenItem], list[list[GenItem]]]:
    batches = list(iter_grpo_batches(config.grpo_batches + 1, config.seed + 7, config.prompts))
    return batches[0], batches[1:]


def bench_grpo_in_process(
    warm: list[GenItem], timed: list[list[GenItem]], out: Output, report: Report
) -> None:
    total = sum(map(len, timed))
    distinct = [
        len({(item.reference, item.answer) for item in batch if item.answer is not None})
        for batch in timed
    ]
    out(
        f"## 2. GRPO batches: {len(timed)} timed batches of {len(warm)} items ({len(warm) // 16} "
        f"prompts x 16 samples, fresh prompts in every batch) after one warm-up batch; distinct "
        f"answers per batch {min(distinct)}-{max(distinct)}; no-answer samples "
        f"{sum(item.answer is None for batch in timed for item in batch)} of {total}"
    )
    with running_service(cache_size=200_000) as service:  # the default cache
        service.score(to_math_items(warm))
        before = decision_sources(service)
        seconds: list[float] = []
        latency: list[float] = []
        for batch in timed:
            results, took = score_timed(service, to_math_items(batch))
            seconds.append(took)
            latency += [result.elapsed_ms for result in results]
        sources = delta(decision_sources(service), before)
    rate = total / sum(seconds)
    out(f"in-process: {rate:.0f} items/s; batch wall {ms_list(seconds)}")
    out(f"   per item elapsed_ms {p50_p99(latency)}")
    out(
        f"   decided by: cache {sources['cache']:.0f}, fast rules {sources['fast_rules']:.0f}, "
        f"workers {sources['worker']:.0f} (a task repeated inside a batch is judged once)"
    )
    report.figures["grpo_in_process"] = Figure(
        rate, percentile(latency, 0.5), percentile(latency, 0.99)
    )


def bench_http(
    config: Config,
    warm: list[GenItem],
    timed: list[list[GenItem]],
    out: Output,
    report: Report,
) -> None:
    import httpx

    total = sum(map(len, timed))
    with (
        running_server() as server,
        httpx.Client(
            base_url=server.base_url,
            timeout=300,
            trust_env=False,  # no proxy: loopback only
        ) as client,
    ):
        post_verify(client, warm)
        seconds: list[float] = []
        latency: list[float] = []
        for batch in timed:
            results, took = post_verify(client, batch)
            seconds.append(took)
            latency += [float(result["elapsed_ms"]) for result in results]
        rate = total / sum(seconds)
        out(f"HTTP POST /v1/verify: {rate:.0f} items/s; request wall {ms_list(seconds)}")
        out(f"   per item elapsed_ms {p50_p99(latency)}")
        out(f"   server decisions so far: {scrape_sources(client)}")
        out()
        report.figures["grpo_http"] = Figure(
            rate, percentile(latency, 0.5), percentile(latency, 0.99)
        )
        single_requests(config, client, out, report)
        tree = tree_peak_rss(server.process.pid)
    out("## 4. Peak RSS (VmHWM) of the server's process tree")
    for pid, role, mb in tree:
        out(f"   pid {pid:7d}  {mb:7.1f} MB  {role}")
    server_mb = sum(mb for _, _, mb in tree)
    out(f"   total {server_mb:.1f} MB (sum of per-process peaks)")
    out()
    report.figures["grpo_http"].rss_mb = server_mb
    report.figures["single_wall"].rss_mb = server_mb


def single_requests(config: Config, client: httpx.Client, out: Output, report: Report) -> None:
    items = [
        item
        for item in distinct_items(config.single_requests * 2, config.seed + 99)
        if item.answer is not None
    ][: config.single_requests]
    wall: list[float] = []
    elapsed: list[float] = []
    started = time.perf_counter()
    for item in items:
        results, took = post_verify(client, [item])
        wall.append(took * 1000)
        elapsed.append(float(results[0]["elapsed_ms"]))
    per_s = len(items) / (time.perf_counter() - started)
    out(
        f"## 3. {len(items)} single-item requests, sequential, fresh answers: "
        f"{per_s:.0f} requests/s"
    )
    out(f"   request wall {p50_p99(wall)}, max {max(wall):.0f} ms")
    out(f"   per item elapsed_ms {p50_p99(elapsed)}")
    slowest = sorted(zip(wall, items, strict=True), key=lambda pair: -pair[0])[:3]
    out("   slowest: " + "; ".join(f"{ms:.0f} ms {item.answer!r}" for ms, item in slowest))
    out()
    report.figures["single_wall"] = Figure(per_s, percentile(wall, 0.5), percentile(wall, 0.99))
    report.figures["single_elapsed"] = Figure(
        None, percentile(elapsed, 0.5), percentile(elapsed, 0.99)
    )


# --- 5. Math-Verify ------------------------------------------------------------------------


def bench_math_verify(
    items: list[GenItem], seed: int, grpo_sample: list[GenItem], out: Output, report: Report
) -> list[MVResult]:
    results, seconds, timeouts = run_math_verify(items)
    probe = min(len(items), 500)
    peak_mb = math_verify_peak_rss_mb(probe, seed)
    latency = [result.elapsed_ms for result in results]
    rate = len(items) / seconds
    out(
        f"## 5. Math-Verify {_version('math-verify')}, single process (this one), default "
        "parse/verify timeouts (5 s each, signal.alarm)"
    )
    out(
        f"distinct answers: {len(items)} items in {seconds:.1f} s = {rate:.0f} items/s; per item "
        f"{p50_p99(latency)}, max {max(latency):.0f} ms; {timeouts} timeouts"
    )
    out(
        f"   peak RSS of a fresh process running Math-Verify on the first {probe} of these "
        f"items: {peak_mb:.0f} MB"
    )
    grpo_results, grpo_seconds, _ = run_math_verify(grpo_sample)
    grpo_rate = len(grpo_sample) / grpo_seconds
    grpo_latency = [result.elapsed_ms for result in grpo_results]
    out(
        f"GRPO: the first {len(grpo_sample) // 16} prompts of timed batch 1 ({len(grpo_sample)} "
        f"items): {grpo_rate:.0f} items/s; per item {p50_p99(grpo_latency)}"
    )
    out()
    report.figures["mv_distinct"] = Figure(
        rate, percentile(latency, 0.5), percentile(latency, 0.99), peak_mb
    )
    report.figures["mv_grpo"] = Figure(
        grpo_rate, percentile(grpo_latency, 0.5), percentile(grpo_latency, 0.99)
    )
    return results


def math_verify_rss_probe(count: int, seed: int) -> None:
    """Run in a fresh process: Math-Verify on `count` items, then print this process's VmHWM."""
    run_math_verify(distinct_items(count, seed))
    print(kib(proc_status(os.getpid()), "VmHWM"))


def math_verify_peak_rss_mb(count: int, seed: int) -> float:
    """Peak RSS of a fresh process that imports Math-Verify and judges `count` items."""
    command = [sys.executable, __file__, "--math-verify-rss-probe", str(count), "--seed", str(seed)]
    completed = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
    return int(completed.stdout.split()[-1]) / MB


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


# --- 6. agreement ---------------------------------------------------------------------------


MATH_VERIFY_MISSES = {
    "inequality for an interval": "Math-Verify compares an inequality with an interval only "
    "with allow_set_relation_comp=True, off by default",
    "letter with its option text": "Math-Verify's default extraction cannot read a choice "
    "letter followed by its option text",
    "1{,}000 separator": "Math-Verify reads 2{,}822 as 2",
    "column vector for tuple": "Math-Verify (strict) never equates a column matrix and a tuple",
    "case differs": "Math-Verify compares words case-sensitively (or does not extract them)",
    "\\textbf{}": "Math-Verify does not read \\textbf{}",
}


@dataclass(frozen=True, slots=True)
class Explanation:
    rule: str
    why: str
    we_are_wrong: bool


def explain(item: GenItem, ours_correct: bool) -> Explanation:
    """The rule behind one disagreement, and who is right by docs/math.md."""
    truth = item.expected is True
    form = item.form
    if ours_correct != truth:
        side = "rejects an equal answer" if truth else "accepts an unequal answer"
        return Explanation(f"WE ARE WRONG: {form}", f"WE ARE WRONG: ours {side} ({form})", True)
    if item.expected is None:
        return Explanation(
            "no anchored answer: Math-Verify takes a value from unanchored text",
            "we are right by docs/math.md: a response with no box, 'answer is' or '####' (or "
            "an unclosed <think>) is no_answer, and the last number is never taken as a guess",
            False,
        )
    if form.startswith("decimal approximation"):
        return Explanation(
            "Math-Verify accepts a decimal approximation of an exact reference",
            "we are right by docs/math.md: an exact reference never accepts a decimal "
            "approximation; Math-Verify compares floats at 6 decimal places",
            False,
        )
    if form.startswith("two different boxed"):
        return Explanation(
            "we require every boxed answer to match",
            "we are right by docs/math.md: when a response boxes different answers, all must "
            "equal the reference; Math-Verify judges the final box alone",
            False,
        )
    if "rounded reference" in form:
        return Explanation(
            "rounded reference: we accept an answer that rounds to it",
            "we are right by docs/math.md: a reference written with k decimals accepts an exact "
            "or more precise answer that rounds to it at k places (0.33 accepts \\frac{1}{3}); "
            "Math-Verify wants agreement at 6 places",
            False,
        )
    if truth:
        reason = MATH_VERIFY_MISSES.get(form, "Math-Verify says False")
        return Explanation(
            f"Math-Verify misses an equal form: {form}",
            f"we are right: the answer equals the reference ({form}); {reason}",
            False,
        )
    return Explanation(
        f"Math-Verify accepts an unequal answer: {form}",
        f"we are right: the answer differs from the reference ({form}); Math-Verify says True",
        False,
    )


def agreement(
    items: Sequence[GenItem], ours: Sequence[MathResult], mv: Sequence[MVResult], out: Output
) -> float:
    compared = list(zip(items, ours, mv, strict=True))
    disagreements = [
        (item, result, theirs)
        for item, result, theirs in compared
        if (result.verdict == "correct") != theirs.correct
    ]
    rate = 1 - len(disagreements) / len(compared)
    out(f"## 6. Agreement with Math-Verify on the {len(compared)} distinct-answer items")
    out(
        f"correct-vs-not agreement: {rate:.2%} ({len(compared) - len(disagreements)} of "
        f"{len(compared)}); {len(disagreements)} disagreements"
    )
    both_off = [
        (item, result)
        for item, result, theirs in compared
        if (result.verdict == "correct") == theirs.correct
        and (result.verdict == "correct") != (item.expected is True)
    ]
    out(f"agreeing verdicts that both contradict docs/math.md's label: {len(both_off)}")
    for item, result in both_off:
        out(
            f"!! ref {item.reference!r} | answer {item.answer!r} ({item.form}) | both say "
            f"{'correct' if result.verdict == 'correct' else 'not correct'}; ours: {result.reason}"
        )
    classes: dict[str, list[tuple[GenItem, MathResult, MVResult, Explanation]]] = {}
    for item, result, theirs in disagreements:
        explanation = explain(item, result.verdict == "correct")
        classes.setdefault(explanation.rule, []).append((item, result, theirs, explanation))
    ordered = sorted(classes.items(), key=lambda kv: (not kv[0].startswith("WE"), -len(kv[1])))
    out("disagreements by rule:")
    for rule, members in ordered:
        out(f"   {len(members):4d}  {rule}")
    out()
    out(
        "every disagreement: reference | what we extracted | our verdict: reason | Math-Verify's "
        "verdict (what it extracted); '!!' marks the ones where we are wrong"
    )
    for rule, members in ordered:
        out(f"-- {rule} ({len(members)})")
        out(f"   why: {members[0][3].why}")
        for item, result, theirs, explanation in members:
            shown = repr(result.extracted)
            if item.answer is not None and item.answer != result.extracted:
                shown += f" (response: {item.answer!r})"
            right = "WE ARE WRONG" if explanation.we_are_wrong else "we are right"
            out(
                f"{'!!' if explanation.we_are_wrong else '  '} ref {item.reference!r} | {shown} | "
                f"{result.verdict}: {result.reason} | Math-Verify {theirs.correct} "
                f"({theirs.extracted!r}) -> {right}"
            )
    out()
    return rate


def label_check(
    items: Sequence[GenItem], ours: Sequence[MathResult], out: Output, report: Report
) -> None:
    """Our verdicts against what docs/math.md says about each generated item."""
    expected = {True: "correct", False: "wrong", None: "no_answer"}
    off = [
        (item, result)
        for item, result in zip(items, ours, strict=True)
        if result.verdict != expected[item.expected]
    ]
    out(
        f"## 7. Our verdicts against docs/math.md's label, all {len(items)} items: {len(off)} "
        "differ (each one is a verifier bug or a generator bug)"
    )
    for form, count in Counter(
        f"{i.category}: {i.form} -> {r.verdict}" for i, r in off
    ).most_common():
        out(f"   {count:4d}  {form}")
    for item, result in off:
        out(
            f"!! ref {item.reference!r} | answer {item.answer!r} | expected "
            f"{expected[item.expected]}, got {result.verdict} ({result.reason}); extracted "
            f"{result.extracted!r}"
        )
    out()
    report.we_are_wrong = off


# --- summary --------------------------------------------------------------------------------


def summary(report: Report, agreement_rate: float, out: Output) -> None:
    f = report.figures
    mv, mv_grpo = f["mv_distinct"], f["mv_grpo"]

    def ratio(figure: Figure, base: Figure) -> float | None:
        if figure.items_per_s is None or base.items_per_s is None:
            return None
        return figure.items_per_s / base.items_per_s

    distinct_ratio = ratio(f["distinct"], mv)
    rows: list[tuple[str, Figure, float | None, str]] = [
        ("distinct, ours in-process", f["distinct"], distinct_ratio, _target_ratio(distinct_ratio)),
    ]
    if "distinct_one_worker" in f:
        rows.append(
            (
                "distinct, ours, 1 worker",
                f["distinct_one_worker"],
                ratio(f["distinct_one_worker"], mv),
                "",
            )
        )
    rows += [
        ("distinct, Math-Verify", mv, 1.0, ""),
        (
            "GRPO 64x16, ours in-process",
            f["grpo_in_process"],
            ratio(f["grpo_in_process"], mv_grpo),
            "",
        ),
        (
            "GRPO 64x16, ours HTTP",
            f["grpo_http"],
            ratio(f["grpo_http"], mv_grpo),
            _target_http(f["grpo_http"]),
        ),
        ("GRPO 64x16, Math-Verify", mv_grpo, 1.0, ""),
        ("1-item HTTP requests (wall)", f["single_wall"], None, ""),
        (
            "1-item HTTP requests (elapsed)",
            f["single_elapsed"],
            None,
            _target_p99(f["single_elapsed"]),
        ),
    ]
    header = (
        f"{'scenario':31} | {'items/s':>7} | {'p50 ms':>6} | {'p99 ms':>6} | {'ratio to MV':>11} "
        f"| {'peak RSS MB':>11} | target"
    )
    out("## Summary")
    out(header)
    out("-" * (len(header) + 24))
    for name, figure, row_ratio, target in rows:
        out(
            f"{name:31} | {_cell(figure.items_per_s, '7.0f')} | {_cell(figure.p50_ms, '6.2f')} | "
            f"{_cell(figure.p99_ms, '6.2f')} | {_ratio_cell(row_ratio)} | "
            f"{_cell(figure.rss_mb, '11.0f')} | {target}"
        )
    distinct_p99 = f["distinct"].p99_ms or 0.0
    out(
        f"p99 per-item latency, distinct answers (answered items): {distinct_p99:.1f} ms "
        f"(target < {TARGET_P99_MS:g} ms: {'met' if distinct_p99 < TARGET_P99_MS else 'NOT met'})"
    )
    out(f"agreement with Math-Verify (correct vs not): {agreement_rate:.2%}")
    out(
        "notes: ratio = our items/s over Math-Verify's on the same items (GRPO rows: against "
        "Math-Verify on 32 prompts of the same batches). p50/p99 = per-item elapsed_ms "
        "(extraction + judging; queueing excluded), Math-Verify = parse + parse + verify per "
        "item, '1-item HTTP (wall)' = request round trip and its items/s = requests/s. RSS: ours "
        "in-process = forkserver + workers (the scoring thread lives in the caller), HTTP = the "
        "whole server tree, Math-Verify = a fresh process running it on up to 500 of the items."
    )
    if report.we_are_wrong:
        out()
        out(f"Items where WE are wrong by docs/math.md: {len(report.we_are_wrong)}")
        by_form: dict[str, list[tuple[GenItem, MathResult]]] = {}
        for item, result in report.we_are_wrong:
            by_form.setdefault(item.form, []).append((item, result))
        for form, members in by_form.items():
            item, result = members[0]
            out(
                f"   {len(members):3d} x {form}: e.g. ref {item.reference!r}, answer "
                f"{item.answer!r} -> {result.verdict} ({result.reason})"
            )


def _cell(value: float | None, spec: str) -> str:
    width = int(spec.split(".", maxsplit=1)[0])
    return "-".rjust(width) if value is None else format(value, spec)


def _ratio_cell(value: float | None) -> str:
    return "-".rjust(11) if value is None else f"{value:10.1f}x"


def _target_ratio(value: float | None) -> str:
    met = value is not None and value >= TARGET_RATIO
    return f">= {TARGET_RATIO:g}x: {'met' if met else 'NOT met'}"


def _target_http(figure: Figure) -> str:
    met = (figure.items_per_s or 0.0) >= TARGET_GRPO_HTTP
    return f">= {TARGET_GRPO_HTTP:,.0f} items/s: {'met' if met else 'NOT met'}"


def _target_p99(figure: Figure) -> str:
    met = (figure.p99_ms or 0.0) < TARGET_P99_MS
    return f"p99 < {TARGET_P99_MS:g} ms: {'met' if met else 'NOT met'}"


# --- main -----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Math throughput: ours against Math-Verify.")
    parser.add_argument("--quick", action="store_true", help="a smaller run (under a minute)")
    parser.add_argument("--output", type=Path, help="also write the report to this file")
    parser.add_argument("--seed", type=int, default=SEED, help="item generator seed")
    parser.add_argument("--math-verify-rss-probe", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.math_verify_rss_probe:
        math_verify_rss_probe(args.math_verify_rss_probe, args.seed)
        return 0
    config = replace(QUICK if args.quick else FULL, seed=args.seed)
    out = Output(args.output)
    report = Report()
    started = time.perf_counter()
    try:
        out(
            f"# verifier-service math benchmark ({'quick' if args.quick else 'full'}): seed "
            f"{config.seed}, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, "
            f"verifier-service {_version('verifier-service')}"
        )
        out()
        items = distinct_items(config.distinct, config.seed)
        ours = bench_distinct(config, items, out, report)
        warm, timed = grpo_batches(config)
        bench_grpo_in_process(warm, timed, out, report)
        bench_http(config, warm, timed, out, report)
        mv = bench_math_verify(items, config.seed, timed[0][: 32 * 16], out, report)
        rate = agreement(items, ours, mv, out)
        label_check(items, ours, out, report)
        summary(report, rate, out)
        out()
        out(f"total benchmark time {time.perf_counter() - started:.0f} s")
    finally:
        out.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
