"""Code sandbox overhead and throughput: nsjail against bare execution of the same programs.

Run `make bench-code` (or `.venv/bin/python benchmarks/code_sandbox.py [--quick] [--output F]`).
It prints figures and asserts nothing about timings. It contacts no address at all: everything
runs in-process (`Service.score`) or as local subprocesses. Bare means `subprocess.run` of the
same command on the host, as this process's user (root), with no jail.

Scenarios, in one run:
  1. per-execution overhead of a Python and a C++ hello-world: bare against `Jail.run` with the
     service's jail (its toolchain binds, cgroups, warm jails) and default limits, median and
     p90; against a fresh jail per run; and what a fresh jail's overhead is made of (variants
     without cgroups, without toolchain binds, without a network namespace, nsjail without the
     Python harness, and a probe timing the cgroup operations nsjail performs per run);
  2. isolated Python executions per second: a few hundred short programs through `Jail.run`
     from a thread pool sized to the CPU count, bare, and through `Service.score` (one code
     item with one stdio test each);
  3. one C++ submission against 100 stdio tests: compile once (the service, with its
     precompiled bits/stdc++.h) against compiling per test as SandboxFusion does (items whose
     programs differ by a comment); the compile alone with and without the precompiled header;
  4. MultiPL-E HumanEval rows (../shared/data): the shipped `gpt_solution`s judged per language
     as assert items (response = the gpt_solution unchanged, tests = the row's tests with the
     per-language adaptations of `adapt_tests`); accepted rows that may not have run their tests
     are judged again with tests that fail at once.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from reporting import Output, percentile

from verifier_service.code.extract import extract_program, fenced_blocks
from verifier_service.code.harness import ASSERT_DRIVERS, ASSERT_EPILOGUES, ASSERT_GENERATED
from verifier_service.code.languages import Language, LanguageRegistry, load_languages
from verifier_service.config import Settings
from verifier_service.sandbox import Jail, JailMount, RunLimits, cgroups
from verifier_service.sandbox.jail import BASE_ENV
from verifier_service.schemas.requests import CodeItem, VerifyRequest
from verifier_service.schemas.results import CodeResult
from verifier_service.service import Service

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
MULTIPL_DIR = Path("sandboxfusion-samples") / "multipl-e"
SEED = 20240611
PYTHON = "/usr/bin/python3"
HELLO = "hello, world"
TARGET_OVERHEAD_MS = 5.0
TARGET_EXECS_PER_S = 30.0
TARGET_TESTS_S = 3.0
SANDBOXFUSION_PER_TEST_S = 102.0  # the measurement of SandboxFusion on this machine
BARE_TIMEOUT_S = 20.0


@dataclass(frozen=True, slots=True)
class Config:
    overhead_runs: int  # per program, bare and jailed (interleaved)
    breakdown_every: int  # breakdown variants run every k-th iteration
    throughput_programs: int
    cpp_tests: int
    per_test_compiles: int  # SandboxFusion-style items compiled (extrapolated to cpp_tests)
    compile_rounds: int  # bare and jailed compiles of the C++ program (compile overhead)
    multipl_rows: int  # rows per language, evenly spaced; 0 = every row


FULL = Config(200, 2, 300, 100, 30, 2, 20)
QUICK = Config(40, 2, 60, 100, 10, 1, 5)


@dataclass(frozen=True, slots=True)
class Row:
    scenario: str
    figure: str
    target: str
    met: bool | None  # None: no target


@dataclass(slots=True)
class Report:
    rows: list[Row] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)


# --- helpers ---------------------------------------------------------------------------------


def timed(action: Callable[[], object]) -> float:
    """Milliseconds one call took."""
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def box_dir(prefix: str) -> Path:
    """A host directory the jail's user (65534) can read, mounted read-only at /box."""
    directory = Path(tempfile.mkdtemp(prefix=f"code-bench-{prefix}-"))
    directory.chmod(0o755)
    return directory


def write_file(path: Path, text: str, mode: int = 0o644) -> Path:
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


def one_slot() -> queue.Queue[int]:
    slots: queue.Queue[int] = queue.Queue()
    slots.put(0)
    return slots


def cpu_seconds() -> float:
    """CPU time of this process and its waited-for children so far (user + system)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def code_items(items: Sequence[dict[str, Any]]) -> list[CodeItem]:
    request = VerifyRequest.model_validate({"items": list(items)})
    return [item for item in request.items if isinstance(item, CodeItem)]


def score_code(service: Service, items: Sequence[CodeItem]) -> tuple[list[CodeResult], float]:
    """(results, seconds) of one `Service.score` call."""
    started = time.perf_counter()
    results = service.score(items)
    elapsed = time.perf_counter() - started
    return [result for result in results if isinstance(result, CodeResult)], elapsed


def verdicts(results: Sequence[CodeResult]) -> str:
    return ", ".join(
        f"{name} {count}" for name, count in Counter(r.verdict for r in results).items()
    )


def fenced(language: str, code: str) -> str:
    return f"````{language}\n{code}\n````\n"


@dataclass(frozen=True)
class VariantJail(Jail):
    """The service's Jail with nsjail flags added or removed (for the overhead breakdown)."""

    extra: tuple[str, ...] = ()  # flags added after the binary
    drop: tuple[str, ...] = ()  # options removed together with their value

    def argv(
        self,
        command: list[str],
        limits: RunLimits,
        mounts: tuple[JailMount, ...],
        environment: dict[str, str],
        leaf: str | None,
        *,
        launcher_binary: Path | None = None,
    ) -> list[str]:
        argv = super().argv(
            command, limits, mounts, environment, leaf, launcher_binary=launcher_binary
        )
        kept = [argv[0], *self.extra]
        index = 1
        while index < len(argv):
            if argv[index] == "--":
                return kept + argv[index:]
            if argv[index] in self.drop:
                index += 2
                continue
            kept.append(argv[index])
            index += 1
        return kept


@contextmanager
def running_service() -> Iterator[Service]:
    service = Service(Settings(math_workers=1, log_level="warning"))
    service.start()
    try:
        if service.code.toolchains is not None:
            service.code.toolchains.versions()  # wait for the toolchain probe, off the clock
        # bits/stdc++.h is precompiled in the background at start: wait for it (at most 120 s)
        # so that C++ compiles are timed with the header the service really uses.
        deadline = time.monotonic() + 120
        store = service.code.store
        while store is not None and "cpp" not in store.precompiled_languages():
            if time.monotonic() > deadline:
                print("warning: no precompiled C++ header after 120 s", file=sys.stderr)
                break
            time.sleep(0.2)
        yield service
    finally:
        service.close()


# --- 1. per-execution overhead ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HelloProgram:
    name: str
    bare: list[str]
    jailed: list[str]
    mounts: tuple[JailMount, ...]


def hello_programs(directory: Path) -> list[HelloProgram]:
    write_file(directory / "hello.py", f"print({HELLO!r})\n")
    source = write_file(
        directory / "hello.cpp",
        f'#include <iostream>\nint main() {{ std::cout << "{HELLO}\\n"; return 0; }}\n',
    )
    binary = directory / "hello"
    subprocess.run(["g++", "-O2", "-o", str(binary), str(source)], check=True)
    binary.chmod(0o755)
    mounts = (JailMount(directory, "/box"),)
    return [
        HelloProgram("Python", [PYTHON, "-B", str(directory / "hello.py")],
                     [PYTHON, "-B", "/box/hello.py"], mounts),
        HelloProgram("C++ (g++ -O2)", [str(binary)], ["/box/hello"], mounts),
    ]  # fmt: skip


NO_NET = ("--disable_clone_newnet",)
NO_PIN_SECCOMP = ("--max_cpus", "--seccomp_string")
CG_MEMORY = ("--cgroup_mem_max", "--cgroup_mem_swap_max")
CG_PIDS = ("--cgroup_pids_max",)
CG_CPU = ("--cgroup_cpu_ms_per_sec",)
CG_ALL = CG_MEMORY + CG_PIDS + CG_CPU
# name, label, cgroups, toolchain binds, nsjail flags added, nsjail options removed
BREAKDOWN = (
    ("direct", "nsjail alone: same argv, plain subprocess.run", True, True, (), ()),
    ("cg_none", "  ... with its cgroup limits removed", True, True, (), CG_ALL),
    ("cg_memory", "  ... with the memory cgroup only", True, True, (), CG_PIDS + CG_CPU),
    ("cg_pids", "  ... with the pids cgroup only", True, True, (), CG_MEMORY + CG_CPU),
    ("cg_cpu", "  ... with the cpu cgroup only", True, True, (), CG_MEMORY + CG_PIDS),
    ("direct_nocg", "nsjail alone without cgroups (rlimits only)", False, True, (), ()),
    ("no_binds", "  ... and without the toolchain binds", False, False, (), ()),
    ("no_netns", "  ... and without a network namespace", False, False, NO_NET, ()),
    ("no_pin", "  ... and without --max_cpus 1", False, False, NO_NET, ("--max_cpus",)),
    ("no_seccomp", "  ... and without seccomp", False, False, NO_NET, NO_PIN_SECCOMP),
)  # fmt: skip


def bench_overhead(config: Config, out: Output, report: Report) -> None:
    paths = LanguageRegistry(load_languages(Settings().languages_file)).toolchain_paths()
    limits = RunLimits()
    out("## 1. Per-execution overhead: bare subprocess.run vs Jail.run (default limits)")
    jail = Jail.create(paths, 1)
    fresh = Jail(jail.binary, jail.cgroups, one_slot(), paths)
    no_cgroups = Jail(jail.binary, cgroups.Cgroups(None), one_slot(), paths)
    directory = box_dir("hello")
    try:
        out(
            f"the service's jail: cgroup v{jail.cgroups.version or '- (none)'}, "
            f"{len(paths)} toolchain paths bound besides /usr, seccomp, fresh PID/mount/net/"
            f"IPC/UTS/cgroup namespaces; limits {limits.time_s:g} s CPU, {limits.memory_mb} MB, "
            f"{limits.max_processes} processes; each run in a warm jail (set up ahead of it, "
            "sandbox/warm.py) unless said otherwise"
        )
        out(
            f"{config.overhead_runs} runs of bare and Jail.run, every {config.breakdown_every}"
            "nd run also the breakdown variants, in a shuffled order each round"
        )
        variants = {
            name: VariantJail(
                jail.binary,
                jail.cgroups if with_cgroups else cgroups.Cgroups(None),
                one_slot(),
                paths if with_binds else (),
                extra=extra,
                drop=drop,
            )
            for name, _, with_cgroups, with_binds, extra, drop in BREAKDOWN
        }
        for program in hello_programs(directory):
            overhead_one(
                config,
                program,
                jails=(jail, fresh, no_cgroups),
                variants=variants,
                limits=limits,
                out=out,
                report=report,
            )
        cgroup_probe(jail.cgroups, max(20, config.overhead_runs // 4), out, report)
    finally:
        jail.close()
        shutil.rmtree(directory, ignore_errors=True)
    out()


def overhead_one(
    config: Config,
    program: HelloProgram,
    *,
    jails: tuple[Jail, Jail, Jail],
    variants: Mapping[str, Jail],
    limits: RunLimits,
    out: Output,
    report: Report,
) -> None:
    expected = (HELLO + "\n").encode()

    def bare() -> bytes:
        return subprocess.run(program.bare, input=b"", capture_output=True, check=False).stdout

    def jailed(which: Jail) -> Callable[[], bytes]:
        return lambda: which.run(program.jailed, limits=limits, mounts=program.mounts).stdout

    def direct(which: Jail) -> Callable[[], bytes]:
        leaf = cgroups.slot_leaf(0) if which.cgroups.version is not None else None
        argv = which.argv(program.jailed, limits, program.mounts, dict(BASE_ENV), leaf)
        return lambda: subprocess.run(argv, input=b"", capture_output=True, check=False).stdout

    runners: dict[str, Callable[[], bytes]] = {
        "bare": bare,
        "jail": jailed(jails[0]),
        "jail_fresh": jailed(jails[1]),
        "jail_nocg": jailed(jails[2]),
        **{name: direct(variant) for name, variant in variants.items()},
    }
    for name, runner in runners.items():  # warm-up and correctness, off the clock
        for _ in range(3):
            got = runner()
            if got != expected:
                raise RuntimeError(f"{program.name} {name}: printed {got!r}, not {expected!r}")
    samples: dict[str, list[float]] = {name: [] for name in runners}
    rng = random.Random(SEED)
    for index in range(config.overhead_runs):
        names = list(runners) if index % config.breakdown_every == 0 else ["bare", "jail"]
        rng.shuffle(names)
        for name in names:
            samples[name].append(timed(runners[name]))
    median = {name: statistics.median(values) for name, values in samples.items()}
    labels = {
        "bare": "bare subprocess.run",
        "jail": "Jail.run, the service's jail (warm)",
        "jail_fresh": "Jail.run, a fresh jail per run",
        "jail_nocg": "... and without cgroups (rlimits only)",
        **{name: label for name, label, *_ in BREAKDOWN},
    }
    out(f"### {program.name} hello-world")
    out(f"{'':47} {'runs':>5} {'median ms':>9} {'p90 ms':>8} {'over bare':>9}")
    for name, values in samples.items():
        out(
            f"{labels[name]:47} {len(values):5d} {median[name]:9.2f} "
            f"{percentile(values, 0.9):8.2f} {median[name] - median['bare']:+9.2f}"
        )
    overhead = median["jail"] - median["bare"]
    out(
        f"overhead at the median: {overhead:+.2f} ms (p90: "
        f"{percentile(samples['jail'], 0.9) - percentile(samples['bare'], 0.9):+.2f} ms)"
    )
    out(
        "what the warm jails save (a fresh jail per run - the service's jail): "
        f"{median['jail_fresh'] - median['jail']:+.2f} ms"
    )
    parts = {
        "the Python harness (Jail.run - nsjail alone)": median["jail_fresh"] - median["direct"],
        "cgroups in nsjail": median["direct"] - median["direct_nocg"],
        "toolchain binds": median["direct_nocg"] - median["no_binds"],
        "network namespace": median["no_binds"] - median["no_netns"],
        "CPU pinning": median["no_netns"] - median["no_pin"],
        "seccomp": median["no_pin"] - median["no_seccomp"],
        "the rest of nsjail (clone, PID/mount/IPC/UTS namespaces, /usr binds, tmpfs, rlimits)": (
            median["no_seccomp"] - median["bare"]
        ),
    }
    out(
        "a fresh jail's overhead is made of (differences of medians, each noisy by a few ms): "
        + ", ".join(f"{part} {value:+.2f} ms" for part, value in parts.items())
    )
    out(
        "cgroups as a fresh Jail.run sees them (with - without cgroups): "
        f"{median['jail_fresh'] - median['jail_nocg']:+.2f} ms; one controller at a time (nsjail "
        "alone, against its cgroup limits removed): "
        + ", ".join(
            f"{name.removeprefix('cg_')} {median[name] - median['cg_none']:+.2f} ms"
            for name in ("cg_memory", "cg_pids", "cg_cpu")
        )
        + f"; all three {median['direct'] - median['cg_none']:+.2f} ms"
    )
    out()
    report.rows.append(
        Row(
            f"overhead, {program.name.split()[0]} hello",
            f"{overhead:+.1f} ms (bare {median['bare']:.1f}, jail {median['jail']:.1f})",
            f"<= {TARGET_OVERHEAD_MS:g} ms",
            overhead <= TARGET_OVERHEAD_MS,
        )
    )


IDLE_GAP_S = 0.05  # longer than an RCU grace period on an idle machine


def cgroup_probe(cg: cgroups.Cgroups, runs: int, out: Output, report: Report) -> None:
    """Time the cgroup operations nsjail does per run, on a sleeping process of our own.

    Back to back, and then each after an idle gap like the one between two jail runs: moving a
    task between cgroups takes the kernel's cgroup_threadgroup_rwsem for writing, which waits
    for an RCU grace period unless another writer went through shortly before.
    """
    if cg.version is None:
        out("cgroup probe: no cgroup hierarchy in use")
        return
    controllers = ("memory", "pids", "cpu") if cg.version == 1 else ("",)
    child = subprocess.Popen(["/usr/bin/sleep", "120"])
    made: list[Path] = []
    try:
        lines = []
        total = 0.0
        spaced: list[float] = []
        for controller in controllers:
            home = _cgroup_of(child.pid, controller) / "cgroup.procs"
            base = cgroups.CGROUP_ROOT / controller / f"VERIFIER_BENCH-{os.getpid()}"
            base.mkdir(exist_ok=True)
            made.append(base)
            times: dict[str, list[float]] = {"mkdir": [], "attach": [], "detach": [], "rmdir": []}
            for index in range(runs):
                group = base / f"run-{index}"
                times["mkdir"].append(timed(group.mkdir))
                procs = group / "cgroup.procs"
                times["attach"].append(timed(partial(procs.write_text, str(child.pid))))
                times["detach"].append(timed(partial(home.write_text, str(child.pid))))
                times["rmdir"].append(timed(group.rmdir))
            if not spaced:  # the same attach and detach, each after an idle gap
                procs = base / "cgroup.procs"
                for _ in range(max(10, runs // 3)):
                    for target in (procs, home):
                        time.sleep(IDLE_GAP_S)
                        spaced.append(timed(partial(target.write_text, str(child.pid))))
            medians = {step: statistics.median(values) for step, values in times.items()}
            total += medians["mkdir"] + medians["attach"] + medians["rmdir"]
            lines.append(
                f"   {controller or 'unified'}: "
                + ", ".join(f"{step} {value:.2f} ms" for step, value in medians.items())
            )
        out(
            f"cgroup probe on a sleeping process ({runs} runs per controller, back to back, "
            "medians; nsjail does mkdir + attach + rmdir per controller per run):"
        )
        for line in lines:
            out(line)
        out(f"   mkdir + attach + rmdir over all controllers: {total:.2f} ms per run")
        spaced_median = statistics.median(spaced)
        out(
            f"   one attach or detach after {IDLE_GAP_S * 1000:.0f} ms idle (as between two "
            f"jail runs): median {spaced_median:.2f} ms, p90 {percentile(spaced, 0.9):.2f} ms "
            f"({len(spaced)} moves): the cgroup_threadgroup_rwsem write waits for an RCU grace "
            "period unless another move went through just before, so a fresh jail pays it once "
            "whatever the number of controllers (a warm jail pays it before its run)"
        )
        report.findings.append(
            f"cgroup v{cg.version}: moving a task into a cgroup after an idle moment takes "
            f"{spaced_median:.1f} ms (an RCU grace period), back to back "
            f"{statistics.median(times['attach']):.2f} ms; nsjail moves every jailed process "
            "into fresh cgroups, which warm jails do before their run (probe in section 1)"
        )
    except OSError as error:
        out(f"cgroup probe failed: {error}")
    finally:
        child.kill()
        child.wait()
        for base in made:
            for group in base.glob("run-*"):
                with suppress(OSError):
                    group.rmdir()
            with suppress(OSError):
                base.rmdir()


def _cgroup_of(pid: int, controller: str) -> Path:
    """The cgroup directory `pid` is in for this v1 controller ("" = the v2 hierarchy)."""
    for line in Path(f"/proc/{pid}/cgroup").read_text().splitlines():
        _, names, path = line.split(":", 2)
        if (controller and controller in names.split(",")) or (not controller and not names):
            return cgroups.CGROUP_ROOT / controller / path.lstrip("/")
    raise OSError(f"process {pid} is in no {controller or 'unified'} cgroup")


# --- 2. throughput ----------------------------------------------------------------------------


def bench_throughput(config: Config, service: Service, out: Output, report: Report) -> None:
    workers = os.cpu_count() or 1
    count = config.throughput_programs
    out(
        f"## 2. Throughput: {count} short Python programs (each a different sum of squares), "
        f"{workers} threads"
    )
    directory = box_dir("throughput")
    programs: list[tuple[str, str]] = []
    for index in range(count + 2 * workers):
        size = (index * 7919) % 5000
        code = f"print(sum(i * i for i in range({size})))  # program {index}\n"
        programs.append((code, f"{sum(i * i for i in range(size))}\n"))
        program_dir = directory / f"p{index}"  # one directory per program, as in the store
        program_dir.mkdir(mode=0o755)
        write_file(program_dir / "main.py", code)
    paths = service.code.registry.toolchain_paths()
    jail = Jail.create(paths, workers)
    timed_range = range(2 * workers, len(programs))
    try:

        def run_jailed(index: int) -> bool:
            result = jail.run(
                [PYTHON, "-B", "/box/main.py"],
                limits=RunLimits(),
                mounts=(JailMount(directory / f"p{index}", "/box"),),
            )
            return result.stdout.decode() == programs[index][1]

        def run_bare(index: int) -> bool:
            result = subprocess.run(
                [PYTHON, "-B", str(directory / f"p{index}" / "main.py")],
                input=b"",
                capture_output=True,
                check=False,
            )
            return result.stdout.decode() == programs[index][1]

        rates: dict[str, float] = {}
        for name, runner in (("bare", run_bare), ("jail", run_jailed)):
            with ThreadPoolExecutor(workers) as pool:
                list(pool.map(runner, range(2 * workers)))  # warm-up
                cpu_before = cpu_seconds()
                started = time.perf_counter()
                correct = sum(pool.map(runner, timed_range))
                elapsed = time.perf_counter() - started
                cpu = cpu_seconds() - cpu_before
            rates[name] = len(timed_range) / elapsed
            out(
                f"{'bare subprocess.run' if name == 'bare' else 'Jail.run':22}: "
                f"{rates[name]:6.1f} executions/s ({len(timed_range)} in {elapsed:.2f} s, "
                f"{correct} correct), CPU of this process + children "
                f"{cpu * 1000 / len(timed_range):.1f} ms per execution"
            )
    finally:
        jail.close()
        shutil.rmtree(directory, ignore_errors=True)
    items = code_items(
        [
            {
                "task": "code",
                "id": index,
                "language": "python",
                "response": fenced("python", code + f"# service item {index}"),
                "tests": {"kind": "stdio", "cases": [{"stdin": "", "stdout": expected}]},
            }
            for index, (code, expected) in enumerate(programs)
        ]
    )
    score_code(service, items[: 2 * workers])  # warm-up
    results, elapsed = score_code(service, items[2 * workers :])
    service_rate = len(results) / elapsed
    latency = [result.elapsed_ms for result in results]
    out(
        f"{'Service.score':22}: {service_rate:6.1f} items/s ({len(results)} items, one stdio "
        f"test each, in {elapsed:.2f} s; {verdicts(results)}); per-item elapsed p50 "
        f"{percentile(latency, 0.5):.0f} ms, p90 {percentile(latency, 0.9):.0f} ms"
    )
    out()
    target = f">= {TARGET_EXECS_PER_S:g}/s"
    report.rows.append(
        Row(
            "Python execs/s, Jail.run",
            f"{rates['jail']:.1f}/s (bare {rates['bare']:.0f}/s)",
            target,
            rates["jail"] >= TARGET_EXECS_PER_S,
        )
    )
    report.rows.append(
        Row(
            "Python items/s, Service.score",
            f"{service_rate:.1f}/s",
            target,
            service_rate >= TARGET_EXECS_PER_S,
        )
    )


# --- 3. compile once vs per test ----------------------------------------------------------

CPP_PROGRAM = """#include <bits/stdc++.h>
using namespace std;

int main() {
    ios::sync_with_stdio(false);
    cin.tie(nullptr);
    int n;
    if (!(cin >> n)) return 0;
    vector<long long> values(n);
    for (auto& value : values) cin >> value;
    sort(values.begin(), values.end());
    long long total = accumulate(values.begin(), values.end(), 0LL);
    cout << total << ' ' << values[n / 2] << '\\n';
    return 0;
}
"""


def cpp_cases(count: int, seed: int) -> list[dict[str, str]]:
    rng = random.Random(seed)
    cases = []
    for _ in range(count):
        values = [rng.randint(-(10**9), 10**9) for _ in range(rng.randint(1, 2000))]
        ordered = sorted(values)
        cases.append(
            {
                "stdin": f"{len(values)}\n{' '.join(map(str, values))}\n",
                "stdout": f"{sum(values)} {ordered[len(values) // 2]}\n",
            }
        )
    return cases


def bench_compile_once(config: Config, service: Service, out: Output, report: Report) -> None:
    cases = cpp_cases(config.cpp_tests, SEED)
    out(
        f"## 3. One C++ submission (read n numbers, sort, print sum and median; "
        f"bits/stdc++.h) against {len(cases)} stdio tests"
    )
    stamp = f"// run {os.getpid()}-{time.time_ns()}\n"  # a program the store has not seen

    def item(program: str, item_cases: list[dict[str, str]], index: int = 0) -> dict[str, Any]:
        return {
            "task": "code",
            "id": index,
            "language": "cpp",
            "response": fenced("cpp", program),
            "tests": {"kind": "stdio", "cases": item_cases},
            "scoring": "fraction",
        }

    once = code_items([item(CPP_PROGRAM + stamp, cases)])
    [cold], cold_s = score_code(service, once)
    warm_runs = [score_code(service, once) for _ in range(3)]
    warm_s = statistics.median(seconds for _, seconds in warm_runs)
    compile_s = cold_s - warm_s
    test_wall = [test.wall_ms or 0.0 for test in warm_runs[0][0][0].tests]
    out(
        f"compile once (service, fresh program, precompiled bits/stdc++.h "
        f"{'in use' if service_header(service, 'cpp') else 'NOT built'}): {cold_s:.2f} s in "
        "all = compile "
        f"~{compile_s:.2f} s + {len(cases)} tests; {cold.verdict}, {cold.reason}"
    )
    out(
        f"the {len(cases)} tests again (program cached): {warm_s:.2f} s (median of 3: "
        f"{', '.join(f'{s:.2f}' for _, s in warm_runs)}); per-test wall p50 "
        f"{percentile(test_wall, 0.5):.0f} ms, p90 {percentile(test_wall, 0.9):.0f} ms"
    )
    sampled = min(config.per_test_compiles, len(cases))
    per_test = code_items(
        [
            item(CPP_PROGRAM + stamp + f"// submission {index}\n", [cases[index]], index)
            for index in range(sampled)
        ]
    )
    results, per_test_s = score_code(service, per_test)
    full_s = per_test_s * len(cases) / sampled
    ratio = full_s / cold_s
    measured = (
        f"{per_test_s:.1f} s for all {sampled}"
        if sampled == len(cases)
        else f"{per_test_s:.1f} s for {sampled}, extrapolated to {full_s:.1f} s"
    )
    out(
        f"compile per test, SandboxFusion-style ({sampled} items, one test each, programs "
        f"differing by a comment, one batch): {measured} ({verdicts(results)}); "
        f"{full_s / cold_s:.1f}x the compile-once time; SandboxFusion itself: "
        f"{SANDBOXFUSION_PER_TEST_S:g} s here (issue 3)"
    )
    _, bare_tests_s = bare_cpp(service, cases)
    out(f"bare, on the host: {len(cases)} runs {bare_tests_s:.2f} s ({os.cpu_count()} threads)")
    compile_row = compile_breakdown(service, config.compile_rounds, out)
    out()
    report.rows += [
        Row(
            f"C++ {len(cases)} tests after compile",
            f"{warm_s:.2f} s (bare {bare_tests_s:.2f} s)",
            f"< {TARGET_TESTS_S:g} s",
            warm_s < TARGET_TESTS_S,
        ),
        Row(
            f"C++ compile once + {len(cases)} tests",
            f"{cold_s:.2f} s (compile ~{compile_s:.2f} s)",
            "",
            None,
        ),
        Row(
            f"C++ compile per test x{len(cases)}",
            f"{full_s:.1f} s{'' if sampled == len(cases) else ' (extrap.)'} = {ratio:.0f}x once",
            f"SandboxFusion {SANDBOXFUSION_PER_TEST_S:g} s",
            None,
        ),
        compile_row,
    ]


def bare_cpp(service: Service, cases: list[dict[str, str]]) -> tuple[float, float]:
    """(compile seconds, seconds for every case) of the same program on the host, no jail."""
    language = service.code.registry.resolve("cpp")
    assert language is not None and language.compile is not None
    directory = Path(tempfile.mkdtemp(prefix="code-bench-bare-"))
    try:
        source = write_file(directory / language.source, CPP_PROGRAM)
        binary = directory / "main"
        command = [
            str(binary) if part == "/out/main" else part.replace("{source}", str(source))
            for part in language.compile
        ]
        compile_s = timed(lambda: subprocess.run(command, check=True)) / 1000

        def run(case: dict[str, str]) -> bool:
            result = subprocess.run(
                [str(binary)], input=case["stdin"].encode(), capture_output=True, check=False
            )
            return result.stdout.decode().split() == case["stdout"].split()

        with ThreadPoolExecutor(os.cpu_count() or 1) as pool:
            started = time.perf_counter()
            correct = sum(pool.map(run, cases))
            tests_s = time.perf_counter() - started
        if correct != len(cases):
            raise RuntimeError(f"bare C++: {correct}/{len(cases)} correct")
        return compile_s, tests_s
    finally:
        shutil.rmtree(directory, ignore_errors=True)


WITH_PCH = "jail with the service's precompiled bits/stdc++.h (/pch)"


def compile_breakdown(service: Service, rounds: int, out: Output) -> Row:
    """The same g++ compile bare and in jails (the program store's compile limits), interleaved."""
    language = service.code.registry.resolve("cpp")
    assert language is not None and language.compile is not None
    paths = service.code.registry.toolchain_paths()
    jail = Jail.create(paths, 1)
    directory = box_dir("compile")
    try:
        source = write_file(directory / language.source, CPP_PROGRAM)
        out_dir = directory / "out"
        out_dir.mkdir()
        os.chown(out_dir, 65534, 65534)
        bare_command = [
            str(out_dir / "bare") if part == "/out/main" else part.replace("{source}", str(source))
            for part in language.compile
        ]
        limits = RunLimits(
            time_s=language.compile_time_s,
            memory_mb=language.compile_memory_mb,
            max_processes=max(language.processes, 64),
            output_bytes=1024 * 1024,
            tmpfs_mb=512,
            file_size_mb=512,
        )
        mounts = (JailMount(directory, "/box"), JailMount(out_dir, "/out", writable=True))
        command = language.command(language.compile, language.source)
        no_cgroups = Jail(jail.binary, cgroups.Cgroups(None), one_slot(), paths)
        unpinned = VariantJail(
            jail.binary, cgroups.Cgroups(None), one_slot(), paths, drop=("--max_cpus",)
        )
        pch_command = precompiled_header(language, directory / "pch", out)
        service_pch = service_header(service, "cpp")  # the service's /pch (None: not built)
        pch_mounts = mounts + ((JailMount(service_pch, "/pch"),) if service_pch else ())
        runs: dict[str, Callable[[], object]] = {
            "bare": lambda: subprocess.run(bare_command, check=True),
            WITH_PCH: lambda: jail.run(command, limits=limits, mounts=pch_mounts),
            "jail without it": lambda: jail.run(command, limits=limits, mounts=mounts),
            "  ... and without cgroups": lambda: no_cgroups.run(
                command, limits=limits, mounts=mounts
            ),
            "  ... and without --max_cpus 1": lambda: unpinned.run(
                command, limits=limits, mounts=mounts
            ),
        }
        if pch_command:
            runs["bare with a precompiled bits/stdc++.h"] = lambda: subprocess.run(
                [*bare_command[:1], *pch_command, *bare_command[1:]], check=True
            )
        samples: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(rounds):
            for name, run in runs.items():
                samples[name].append(timed(run) / 1000)
        if not (out_dir / "main").exists():
            raise RuntimeError("the jailed compile produced no binary")
    finally:
        jail.close()
        shutil.rmtree(directory, ignore_errors=True)
    median = {name: statistics.median(values) for name, values in samples.items()}
    out(
        f"the compile alone ({' '.join(language.compile[:4])} ...; median of {rounds}, "
        "interleaved): "
        + ", ".join(
            f"{name.strip()} {value:.2f} s ({value - median['bare']:+.2f})"
            for name, value in median.items()
        )
    )
    pch = median.get("bare with a precompiled bits/stdc++.h")
    return Row(
        "C++ compile alone",
        f"jail+PCH {median[WITH_PCH]:.2f} s, "
        f"jail {median['jail without it']:.2f} s, bare g++ {median['bare']:.2f} s"
        + ("" if pch is None else f", bare+PCH {pch:.2f} s"),
        "",
        None,
    )


def service_header(service: Service, language: str) -> Path | None:
    """The directory the program store binds at /pch for `language` (None: none built)."""
    store = service.code.store
    if store is None or language not in store.precompiled_languages():
        return None
    headers: dict[str, Path] = getattr(store, "_headers", {})
    return headers.get(language)


def precompiled_header(language: Language, directory: Path, out: Output) -> list[str]:
    """Precompile bits/stdc++.h with the language's flags; the g++ options that use it."""
    headers = sorted(Path("/usr/include").glob("*/c++/*/bits/stdc++.h"))
    if not headers or language.compile is None:
        return []
    flags = [part for part in language.compile[1:] if part.startswith(("-std", "-O"))]
    (directory / "bits").mkdir(parents=True)
    target = directory / "bits" / "stdc++.h.gch"
    build = [language.compile[0], *flags, "-x", "c++-header", str(headers[-1]), "-o", str(target)]
    try:
        seconds = timed(lambda: subprocess.run(build, check=True, capture_output=True)) / 1000
    except subprocess.CalledProcessError as error:
        out(f"precompiling bits/stdc++.h failed: {error.stderr.decode(errors='replace')[-300:]}")
        return []
    out(f"precompiling {headers[-1]} ({' '.join(flags)}) once: {seconds:.2f} s")
    return ["-I", str(directory), "-Winvalid-pch"]


# --- 4. MultiPL-E -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MultiplItem:
    row: dict[str, Any]
    solution: str  # the block the service extracts from the response ("" if none)
    tests: str  # the row's tests after the benchmark's adaptation (`adapt_tests`)
    adaptations: tuple[str, ...]  # what `adapt_tests` changed, empty if nothing
    suspect: str  # why a pass may not mean the tests ran ("" if no reason)
    item: dict[str, Any]


@dataclass(frozen=True, slots=True)
class BareCheck:
    disagreements: list[str]  # rows where the jail and bare execution disagree
    messages: Counter[str]  # why bare runs failed (full stderr, not a tail)


@dataclass(slots=True)
class LanguageOutcome:
    language: str
    mode: str  # how the service runs assert tests in this language
    rows: int
    passed: int
    failed: Counter[str]
    rate: float
    messages: Counter[str]
    several_blocks: int  # rows whose response has more than one block of the language
    adapted: Counter[str]  # adaptation -> rows
    suspects: list[str]  # accepted rows whose tests may not have run
    failures: list[str]  # every failed row: name, verdict, message
    bare: BareCheck | None  # None: not cross-checked (compiled languages)


def bench_multipl(
    config: Config, service: Service, data: Path, out: Output, report: Report
) -> None:
    directory = data / MULTIPL_DIR
    out(f"## 4. MultiPL-E HumanEval rows: {directory}")
    if not data.is_dir() or not directory.is_dir():
        out(f"{directory} is missing: skipped (see ../shared/data/README.md)")
        out()
        report.findings.append("MultiPL-E skipped: ../shared/data is missing")
        return
    registry = service.code.registry
    toolchains = service.code.toolchains
    outcomes: list[LanguageOutcome] = []
    missing: list[str] = []
    for path in sorted(directory.glob("humaneval-*.jsonl")):
        suffix = path.stem.removeprefix("humaneval-")
        language = registry.resolve(suffix)
        if language is None or toolchains is None or not toolchains.available(language):
            missing.append(suffix)
            continue
        rows = [_json(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
        chosen = _spread(rows, config.multipl_rows)
        outcomes.append(judge_language(service, language, chosen))
    show_multipl(outcomes, missing, config, out, report)


def _json(line: str) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(line)
    return value


def _spread(rows: list[dict[str, Any]], count: int) -> list[dict[str, Any]]:
    """`count` rows evenly spaced over the file (all of them for 0)."""
    if count <= 0 or count >= len(rows):
        return rows
    return [rows[index * len(rows) // count] for index in range(count)]


def assert_mode(language: str) -> str:
    """How the service runs assert tests (verifier_service/code/harness.py `_asserts`)."""
    if language in ASSERT_DRIVERS or language == "typescript":
        # a driver reads the one-time token first, runs program then tests (TypeScript: both
        # compiled as one file) and prints the token only at their end
        return "driver"
    if language in ASSERT_GENERATED:
        return "main"  # the tests' main is renamed; a generated main prints the token after it
    if language in ASSERT_EPILOGUES:
        return "epilogue"  # program, tests, then a line printing the token
    return "refused"  # no completion guard yet: the service answers `error` (reward null)


def judge_language(
    service: Service, language: Language, rows: list[dict[str, Any]]
) -> LanguageOutcome:
    prepared = [multipl_item(language, row, index) for index, row in enumerate(rows)]
    results, elapsed = score_code(service, code_items([p.item for p in prepared]))
    failed: Counter[str] = Counter()
    messages: Counter[str] = Counter()
    failures: list[str] = []
    passes = [result.verdict == "accepted" for result in results]
    for prep, result, ok in zip(prepared, results, passes, strict=True):
        if not ok:
            failed[result.verdict] += 1
            message = _failure_message(result)
            messages[message] += 1
            failures.append(f"{prep.row.get('name', '?')}: {message}")
    several = sum(
        len(
            [
                b
                for b in fenced_blocks(row["gpt_solution"])
                if not b.tag or b.tag in language.aliases
            ]
        )
        > 1
        for row in rows
    )
    adapted = Counter(change for prep in prepared for change in prep.adaptations)
    suspects = confirm_suspects(
        service, [prep for prep, ok in zip(prepared, passes, strict=True) if ok and prep.suspect]
    )
    bare = bare_check(language, prepared, passes, results) if language.compile is None else None
    return LanguageOutcome(
        language=language.name,
        mode=assert_mode(language.name),
        rows=len(rows),
        passed=sum(passes),
        failed=failed,
        rate=len(rows) / elapsed,
        messages=messages,
        several_blocks=several,
        adapted=adapted,
        suspects=suspects,
        failures=failures,
        bare=bare,
    )


def _failure_message(result: CodeResult) -> str:
    if result.verdict == "compile_error":
        text = result.reason
    elif result.tests and result.tests[0].message:
        text = result.tests[0].message
    else:
        text = result.reason
    return f"{result.verdict}: {_error_line(text) or result.verdict}"


def _error_line(text: str) -> str:
    """The line of an error output that says what went wrong, numbers as N."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    pattern = r"error|not found|exception|panic|can't locate|undefined|fail|no such"
    pick = next(
        (line for line in lines if re.search(pattern, line, re.I)), lines[-1] if lines else ""
    )
    pick = re.sub(r"(?:/box|/tmp/code-bench-[^/\s]+/\d+)/[\w.]+(?::\d+)*:?", "", pick)
    return re.sub(r"\d+", "N", pick).strip()[:110]


def multipl_item(language: Language, row: dict[str, Any], index: int) -> MultiplItem:
    """An assert item as a model's answer would arrive: the response is the shipped
    `gpt_solution` unchanged (the service extracts its code block); only the tests are adapted."""
    response: str = row["gpt_solution"]
    block = extract_program(response, language.aliases)
    solution = block.code if block is not None else ""
    tests, adaptations = adapt_tests(language.name, solution, row["tests"])
    item = {
        "task": "code",
        "id": index,
        "language": language.name,
        "response": response,
        "tests": {"kind": "assert", "code": tests},
    }
    return MultiplItem(row, solution, tests, adaptations, _suspect(language.name, solution), item)


# MultiPL-E's tests continue its prompt, whose completion stops before the function's closing
# brace: in C++, Java, Rust and Bash every row's tests start with a `}` line closing it (the
# language's closer would be `end` in Ruby and Lua; none of their rows here start with one).
# The shipped gpt_solutions are complete programs that close the function themselves, so that
# leading closer is dropped when the extracted solution's braces balance (or, for `end`, when
# it has a top-level `end`); a solution left open keeps it.
LEADING_CLOSER = {
    "cpp": "}",
    "java": "}",
    "rust": "}",
    "go": "}",
    "javascript": "}",
    "typescript": "}",
    "php": "}",
    "bash": "}",
    "ruby": "end",
    "lua": "end",
}


def adapt_tests(language: str, solution: str, tests: str) -> tuple[str, tuple[str, ...]]:
    """(the tests to send, the adaptations made): the per-language rules, nothing else."""
    changes: list[str] = []
    closer = LEADING_CLOSER.get(language)
    lines = tests.splitlines()
    first = next((index for index, line in enumerate(lines) if line.strip()), None)
    if (
        closer is not None
        and first is not None
        and lines[first].strip() == closer
        and _closed(language, solution)
    ):
        tests = "\n".join(lines[first + 1 :]) + "\n"
        changes.append(f"leading {closer} dropped")
        if language == "java":
            # Java: the tests' `main` then ends with the `}` that closed the prompt's class,
            # but the solution closed its class already: open a class for the tests that
            # extends the solution's (so the tests' unqualified calls reach its static methods).
            owner = re.search(r"\bclass\s+([A-Za-z_$][\w$]*)", solution)
            if owner is not None:
                tests = f"class VerifierTests extends {owner.group(1)} {{\n{tests}"
                changes.append("tests' main wrapped in a class extending the solution's")
    return tests, tuple(changes)


def _closed(language: str, solution: str) -> bool:
    """Whether the solution closes what it opens (so the tests' leading closer is extra)."""
    if LEADING_CLOSER.get(language) == "end":
        return re.search(r"^end\b", solution, flags=re.M) is not None
    return "{" in solution and _brace_depth(solution) == 0


def _suspect(language: str, solution: str) -> str:
    """Why an `accepted` may not mean the tests ran (for the report; judged by the service)."""
    if language == "php" and solution.rstrip().endswith("?>"):
        return "the solution ends with ?>, so the tests after it are output text, not run"
    if language == "java" and re.search(r"\bstatic\s+void\s+main\s*\(", solution):
        return "the solution declares a main too (the service renames it)"
    if language in ("rust", "go") and re.search(r"\b(?:fn|func)\s+main\s*\(", solution):
        return "the solution has a main of its own (the service renames it)"
    if language == "cpp" and re.search(r"\bint\s+main\s*\(", solution):
        return "the solution has a main of its own (the service renames it)"
    exits = EARLY_EXITS.get(language)
    if exits is not None and re.search(exits, solution):
        return "the solution can exit early"
    return ""


# Calls that end a program before the tests that follow it run (a suspect when accepted).
EARLY_EXITS = {
    "javascript": r"\bprocess\.exit\b",
    "typescript": r"\bprocess\.exit\b",
    "ruby": r"\bexit!?\b|\babort\b",
    "lua": r"\bos\.exit\b",
    "perl": r"\bexit\b|^__(?:END|DATA)__$",
    "bash": r"\bexit\b",
    "go": r"\bos\.Exit\b",
    "rust": r"\bprocess::exit\b",
    "java": r"\bSystem\.exit\b",
    "cpp": r"\b(?:exit|_Exit|quick_exit|abort)\s*\(",
    "php": r"\bexit\b|\bdie\b|__halt_compiler",
}


def confirm_suspects(service: Service, suspects: list[MultiplItem]) -> list[str]:
    """Re-judge each suspect accepted row with tests that fail at once (a control): if the
    service accepts that too, its tests never ran and the `accepted` was not earned."""
    controls = [(prep, control_tests(prep.item["language"], prep.tests)) for prep in suspects]
    checked = [(prep, tests) for prep, tests in controls if tests is not None]
    items = [{**prep.item, "tests": {"kind": "assert", "code": tests}} for prep, tests in checked]
    results, _ = score_code(service, code_items(items)) if items else ([], 0.0)
    return [
        f"{prep.row.get('name', '?')}: {prep.suspect}; with failing tests: {result.verdict}"
        + (" (tests never ran)" if result.verdict == "accepted" else "")
        for (prep, _), result in zip(checked, results, strict=True)
    ]


def control_tests(language: str, tests: str) -> str | None:
    """The tests with a failure as their first statement (None: no control for the language)."""
    if language == "php":
        return 'throw new Exception("benchmark control: must fail");\n' + tests
    if language == "java":
        return re.sub(
            r"(\bstatic\s+void\s+main\s*\([^)]*\)\s*\{)",
            r'\1 if (true) throw new AssertionError("benchmark control: must fail");',
            tests,
            count=1,
        )
    if language == "cpp":
        return re.sub(
            r"(\bint\s+main\s*\([^)]*\)\s*\{)",
            r'\1 assert(!"benchmark control: must fail");',
            tests,
            count=1,
        )
    if language == "rust":
        return re.sub(
            r"(\bfn\s+main\s*\(\s*\)\s*\{)",
            r'\1 if true { panic!("benchmark control: must fail"); }',
            tests,
            count=1,
        )
    if language == "go":
        return tests + (
            "\nfunc TestBenchmarkControl(t *testing.T) {\n"
            '\tt.Fatal("benchmark control: must fail")\n}\n'
        )
    first = CONTROL_FAILURES.get(language)
    return None if first is None else first + "\n" + tests


# A first statement that fails the tests (the control of `confirm_suspects`).
CONTROL_FAILURES = {
    "javascript": 'throw new Error("benchmark control: must fail");',
    "typescript": 'throw new Error("benchmark control: must fail");',
    "ruby": 'raise "benchmark control: must fail"',
    "lua": 'error("benchmark control: must fail")',
    "perl": 'die "benchmark control: must fail\\n";',
    "bash": "echo 'benchmark control: must fail' >&2; exit 1",
}


def _brace_depth(code: str) -> int:
    """`{` minus `}` over the code, strings and comments skipped."""
    depth = 0
    index = 0
    while index < len(code):
        char = code[index]
        if code.startswith("//", index):
            index = code.find("\n", index)
            if index < 0:
                break
        elif code.startswith("/*", index):
            index = code.find("*/", index + 2) + 1
            if index <= 0:
                break
        elif char in "\"'`":
            index = _string_end(code, index)
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        index += 1
    return depth


def _string_end(code: str, start: int) -> int:
    quote = code[start]
    if quote == "'" and code[start + 1 : start + 2] != "\\" and code[start + 2 : start + 3] != "'":
        return start  # a Rust lifetime or the like, not a character literal
    index = start + 1
    while index < len(code) and code[index] != quote:
        if code[index] == "\\":
            index += 1
        elif code[index] == "\n" and quote != "`":
            return index
        index += 1
    return index


def bare_check(
    language: Language,
    prepared: list[MultiplItem],
    jail_passes: list[bool],
    results: list[CodeResult],
) -> BareCheck:
    """Run program + tests bare on the host (exit 0 = passed); compare with the jail.

    As the service joins them for `exit 0` languages; for driver languages (no token here)
    the same join with `;`, which only approximates the driver."""
    directory = Path(tempfile.mkdtemp(prefix="code-bench-multipl-"))
    joiner = "\n;\n" if language.name in ("python", "javascript") else "\n\n"
    try:

        def bare_run(numbered: tuple[int, MultiplItem]) -> tuple[bool, str]:
            index, prep = numbered
            code = f"{prep.solution}{joiner}{prep.tests}\n"
            row_dir = directory / str(index)
            row_dir.mkdir()
            source = write_file(row_dir / language.source, code)
            command = language.command(language.run, language.source)
            command = [part.replace(f"/box/{language.source}", str(source)) for part in command]
            try:
                result = subprocess.run(
                    command,
                    input=b"",
                    capture_output=True,
                    cwd=row_dir,
                    timeout=BARE_TIMEOUT_S,
                    check=False,
                )
            except subprocess.TimeoutExpired:
                return False, "timeout"
            return result.returncode == 0, _error_line(result.stderr.decode("utf-8", "replace"))

        with ThreadPoolExecutor(os.cpu_count() or 1) as pool:
            bare = list(pool.map(bare_run, enumerate(prepared)))
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    disagreements = [
        f"{prep.row.get('name', index)}: jail {result.verdict}, bare "
        f"{'pass' if bare_ok else 'fail'}"
        for index, (prep, jail_ok, (bare_ok, _), result) in enumerate(
            zip(prepared, jail_passes, bare, results, strict=True)
        )
        if jail_ok != bare_ok
    ]
    messages = Counter(message or "(no stderr)" for ok, message in bare if not ok)
    return BareCheck(disagreements, messages)


def show_multipl(
    outcomes: list[LanguageOutcome],
    missing: list[str],
    config: Config,
    out: Output,
    report: Report,
) -> None:
    rows_note = (
        "every row"
        if config.multipl_rows <= 0
        else f"{config.multipl_rows} rows per language, evenly spaced"
    )
    out(
        f"{rows_note}; each language one Service.score batch of assert items: response = the "
        "shipped gpt_solution unchanged, tests = the row's tests adapted per language "
        "(`adapt_tests`); passed = accepted. mode: how the service runs assert tests (driver: "
        "a driver reads the one-time token, runs program and tests, prints the token at their "
        "end: Python, JS, TS, Lua, Perl, Bash; main: the tests' main renamed, a generated main "
        "prints the token after it: C/C++, Java, Rust, Go; epilogue: Ruby/PHP "
        "token printed after the tests; refused: no "
        "completion guard yet, so the service answers `error` rather than risk accepting "
        "tests that never ran)"
    )
    header = (
        f"{'language':11} {'mode':6} {'rows':>4} {'passed':>6} {'items/s':>7} {'2+ blocks':>9}"
        f" {'adapted':>7}  failed by verdict"
    )
    out(header)
    out("-" * (len(header) + 30))
    for outcome in outcomes:
        failed = ", ".join(f"{verdict} {n}" for verdict, n in outcome.failed.most_common()) or "-"
        adapted = max(outcome.adapted.values(), default=0)
        out(
            f"{outcome.language:11} {outcome.mode:6} {outcome.rows:4d} {outcome.passed:6d} "
            f"{outcome.rate:7.2f} {outcome.several_blocks:9d} {adapted:7d}  {failed}"
        )
    out(
        "(2+ blocks: responses with more than one block of the language; the service judges the "
        "last one, which in these rows is often a usage example without the solution. adapted: "
        "rows whose tests the benchmark changed)"
    )
    show_multipl_details(outcomes, out)
    if missing:
        out(f"not installed or not declared: {', '.join(missing)}")
    out()
    for outcome in outcomes:
        report.rows.append(
            Row(
                f"MultiPL-E {outcome.language} ({outcome.mode})",
                f"{outcome.passed}/{outcome.rows} passed, {outcome.rate:.1f} items/s",
                "",
                None,
            )
        )
    suspects = sum(len(o.suspects) for o in outcomes)
    never = sum(line.endswith("(tests never ran)") for o in outcomes for line in o.suspects)
    if suspects:
        report.findings.append(
            f"{suspects} MultiPL-E rows accepted although their tests may not have run "
            f"({never} of them accepted again with tests that fail at once; section 4)"
        )


def show_multipl_details(outcomes: list[LanguageOutcome], out: Output) -> None:
    out("adaptations of the tests (rows):")
    for outcome in outcomes:
        if outcome.adapted:
            out(
                f"   {outcome.language:11} "
                + ", ".join(f"{change} {n}" for change, n in outcome.adapted.most_common())
            )
    out("most common failure messages in the jail (the service's stderr tail; numbers as N):")
    for outcome in outcomes:
        for message, count in outcome.messages.most_common(3):
            out(f"   {outcome.language:11} {count:3d} x {message}")
    out("every failed row:")
    for outcome in outcomes:
        for line in outcome.failures:
            out(f"   {outcome.language:11} {line[:150]}")
    suspects = [(o.language, line) for o in outcomes for line in o.suspects]
    out(
        f"accepted rows whose tests may not have run: {len(suspects)} (each judged again "
        "with tests failing at once: 'accepted' again means the tests never ran)"
    )
    for language, line in suspects:
        out(f"   {language:11} {line}")
    checked = [(o, o.bare) for o in outcomes if o.bare is not None]
    if checked:
        out(
            "bare cross-check (languages without a compile step: solution + tests run on the "
            "host, exit 0 = passed): "
            + ", ".join(f"{o.language} {len(bare.disagreements)}" for o, bare in checked)
            + " rows disagree with the jail"
        )
        for outcome, bare in checked:
            for line in bare.disagreements[:3]:
                out(f"   {outcome.language:11} differs: {line}")
            for message, count in bare.messages.most_common(2):
                out(f"   {outcome.language:11} {count:3d} x bare failure: {message}")


# --- summary and main ---------------------------------------------------------------------------


def summary(report: Report, out: Output) -> None:
    width = max(len(row.scenario) for row in report.rows)
    figure_width = max(len(row.figure) for row in report.rows)
    out("## Summary")
    target_width = max(len(row.target) for row in report.rows)
    header = f"{'scenario':{width}} | {'figure':{figure_width}} | {'target':{target_width}} | met?"
    out(header)
    out("-" * len(header))
    for row in report.rows:
        met = "-" if row.met is None else "met" if row.met else "NOT met"
        out(
            f"{row.scenario:{width}} | {row.figure:{figure_width}} | "
            f"{row.target:{target_width}} | {met}"
        )
    if report.findings:
        out()
        out("notes:")
        for finding in report.findings:
            out(f"- {finding}")


SECTIONS = ("overhead", "throughput", "compile", "multipl")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Code sandbox overhead and throughput.")
    parser.add_argument("--quick", action="store_true", help="a smaller run (about a minute)")
    parser.add_argument("--output", type=Path, help="also write the report to this file")
    parser.add_argument("--data", type=Path, default=DATA, help="the shared data directory")
    parser.add_argument("--rows", type=int, help="MultiPL-E rows per language (0: all)")
    parser.add_argument(
        "--per-test-compiles", type=int, help="SandboxFusion-style compiles to run (<= 100)"
    )
    parser.add_argument(
        "--only",
        choices=SECTIONS,
        action="append",
        help="run only this section (repeatable); all sections by default",
    )
    args = parser.parse_args(argv)
    sections = set(args.only or SECTIONS)
    config = QUICK if args.quick else FULL
    if args.rows is not None or args.per_test_compiles is not None:
        config = replace(
            config,
            per_test_compiles=args.per_test_compiles or config.per_test_compiles,
            multipl_rows=config.multipl_rows if args.rows is None else args.rows,
        )
    if os.geteuid() != 0:
        print("nsjail needs root (cgroups, namespaces): run as root", file=sys.stderr)
        return 1
    out = Output(args.output)
    report = Report()
    started = time.perf_counter()
    try:
        out(
            f"# verifier-service code sandbox benchmark ({'quick' if args.quick else 'full'}): "
            f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}, load average at start "
            f"{load_average()}"
        )
        out()
        if "overhead" in sections:
            bench_overhead(config, out, report)
        with running_service() as service:
            if "throughput" in sections:
                bench_throughput(config, service, out, report)
            if "compile" in sections:
                bench_compile_once(config, service, out, report)
            if "multipl" in sections:
                bench_multipl(config, service, args.data, out, report)
        summary(report, out)
        out()
        out(
            f"total benchmark time {time.perf_counter() - started:.0f} s; load average at end "
            f"{load_average()}"
        )
    finally:
        out.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
