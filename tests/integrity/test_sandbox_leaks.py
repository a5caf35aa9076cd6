"""Sandbox leaks and CPU time, through the real server (warm and fresh jails).

Each leak is a program that prints one word saying whether the leak is open, judged twice: an
item whose expected output is the open leak's word (it must never be accepted) and a control
whose expected output is the closed leak's word (it must be accepted, so the program did run
and the first item was refused for its answer, not for a crash). The CPU case forks children
that burn CPU and are never reaped: wait4 on the program alone saw none of their time.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.integrity.conftest import Judge, code_item

VSOCK = """
import socket
try:
    socket.socket(socket.AF_VSOCK, socket.SOCK_STREAM).close()
    print("open")
except OSError:
    print("closed")
"""

NETLINK = """
import socket
try:
    socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0).close()
    print("open")
except OSError:
    print("closed")
"""

# A host path in a mount's root field: the program's own /box, the launcher, a service
# directory (the service's temp and work directories, the checkout). A declared toolchain
# path bound at its own path (root == mount point) names nothing the jail does not show.
MOUNTINFO = """
leaks = []
for line in open("/proc/self/mountinfo"):
    fields = line.split()
    root, point = fields[3], fields[4]
    if point in ("/box", "/verifier-launcher") and root != "/":
        leaks.append(root)
    if any(part in root for part in ("/tmp/", "/work", "pytest")):
        leaks.append(root)
    if "verifier" in root and root != point:
        leaks.append(root)
print("host" if leaks else "neutral")
"""

LAUNCHER = """
import os
print("host" if "verifier-" in os.readlink("/proc/1/exe") else "neutral")
"""

KERNEL_CONFIG = """
try:
    data = open("/proc/config.gz", "rb").read()
except OSError:
    data = b""
print("readable" if data else "hidden")
"""

# The host's own installs and configuration under /usr (only declared toolchain paths of
# /usr/local are bound).
USR_LOCAL = """
import os
host = ("/usr/local/bin", "/usr/local/etc", "/usr/local/lib", "/usr/src", "/usr/etc", "/usr/sbin")
seen = [path for path in host if os.path.lexists(path)]
print("bound" if seen else "absent")
"""

BURNERS = r"""
#include <stdio.h>
#include <time.h>
#include <unistd.h>

int main(void) {
    for (int i = 0; i < CHILDREN; i++) {
        if (fork() == 0) {
            for (volatile unsigned long n = 0;; n++) {
            }
        }
    }
    struct timespec nap = {2, 400000000};
    nanosleep(&nap, NULL);
    long a, b;
    if (scanf("%ld %ld", &a, &b) == 2) {
        printf("%ld\n", a + b);
    }
    return 0;
}
"""

PYTHON_BURNERS = """
import os, sys, time
for _ in range(5):
    if os.fork() == 0:
        while True:
            pass
time.sleep(2.4)
print(sum(map(int, sys.stdin.read().split())))
"""

# name: (program, the word it prints with the leak open, the word with it closed)
LEAKS = {
    "vsock": (VSOCK, "open", "closed"),
    "netlink": (NETLINK, "open", "closed"),
    "mountinfo": (MOUNTINFO, "host", "neutral"),
    "launcher": (LAUNCHER, "host", "neutral"),
    "kernel_config": (KERNEL_CONFIG, "readable", "hidden"),
    "usr_local": (USR_LOCAL, "bound", "absent"),
}
SUM = [{"stdin": "2 3\n", "stdout": "5\n"}, {"stdin": "4 4\n", "stdout": "8\n"}]
ONE_SECOND = {"time_s": 1, "memory_mb": 128}


def stdio(word: str) -> dict[str, Any]:
    return {"kind": "stdio", "cases": [{"stdin": "", "stdout": word}] * 2}


def leak_items() -> list[dict[str, Any]]:
    items = []
    for name, (program, open_word, closed_word) in LEAKS.items():
        items.append(code_item(f"{name}-open", "python", program, stdio(open_word)))
        items.append(code_item(f"{name}-closed", "python", program, stdio(closed_word)))
    return items


def cpu_items() -> list[dict[str, Any]]:
    tests = {"kind": "stdio", "cases": SUM}
    return [
        code_item("burners-c", "c", BURNERS.replace("CHILDREN", "5"), tests, limits=ONE_SECOND),
        code_item("burners-python", "python", PYTHON_BURNERS, tests, limits=ONE_SECOND),
        code_item("no-burners-c", "c", BURNERS.replace("CHILDREN", "0"), tests, limits=ONE_SECOND),
    ]


@pytest.fixture(scope="module")
def results(judge: Judge) -> dict[str, dict[str, Any]]:
    return judge([*leak_items(), *cpu_items()])


@pytest.mark.parametrize("leak", sorted(LEAKS))
def test_a_program_cannot_profit_from_the_leak(
    results: dict[str, dict[str, Any]], leak: str
) -> None:
    opened, closed = results[f"{leak}-open"], results[f"{leak}-closed"]
    assert (closed["verdict"], closed["reward"]) == ("accepted", 1.0), closed
    assert (opened["verdict"], opened["reward"]) == ("wrong_answer", 0.0), opened


@pytest.mark.parametrize("language", ["c", "python"])
def test_children_never_reaped_count_against_the_time_limit(
    results: dict[str, dict[str, Any]], language: str
) -> None:
    result = results[f"burners-{language}"]
    assert (result["verdict"], result["reward"]) == ("time_limit", 0.0), result
    for test in result["tests"]:
        assert test["verdict"] == "time_limit", test
        assert test["time_ms"] > 1500, test  # the cgroup's figure: the children's CPU too


def test_a_program_that_only_sleeps_is_within_the_limit(
    results: dict[str, dict[str, Any]],
) -> None:
    result = results["no-burners-c"]
    assert (result["verdict"], result["reward"]) == ("accepted", 1.0), result
    assert all(test["time_ms"] < 500 for test in result["tests"]), result
