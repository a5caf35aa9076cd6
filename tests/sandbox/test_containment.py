"""Hostile programs inside the jail: every case runs a real attack, asserts what contained it,
then asserts that the next run is served normally.

Python programs run as /usr/bin/python3; the cases that need native code run C compiled on the
host with gcc and mounted read-only at /box. Nothing here targets an address other than
127.0.0.1 or ::1: the DNS lookup runs only once the program has proven that its network
namespace has no interface but loopback and no route.

Needs what the service needs to run code: root, nsjail and cgroups (a jail that cannot start
fails the module's fixture loudly rather than skipping a containment suite), and gcc.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import selectors
import signal
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from verifier_service.code.languages import LanguageRegistry, load_languages
from verifier_service.sandbox import Jail, JailMount, RunLimits, RunResult, filesystem, launcher
from verifier_service.sandbox.cgroups import CGROUP_ROOT, PARENT

PYTHON = "/usr/bin/python3"
JAIL_UID = 65534
MIB = 1024 * 1024
FAST = RunLimits(time_s=1, memory_mb=64, max_processes=16, output_bytes=MIB)
BASE_ENVIRONMENT = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8"}
SECRET_NAME = "VERIFIER_TEST_SECRET"
# What the jail's root may hold: its system binds, /proc, /tmp, /dev and the run's own mounts.
JAIL_ROOT_ENTRIES = {"bin", "dev", "etc", "lib", "lib32", "lib64", "libx32", "proc", "sbin", "tmp"}
JAIL_ROOT_ENTRIES |= {"usr"}
USR_SUBTREES = {"/usr/bin", "/usr/lib", "/usr/lib64", "/usr/include", "/usr/share"}
JAIL_MOUNT_POINTS = {
    "/", "/proc", "/tmp", "/etc/alternatives", "/etc/ld.so.cache",
    "/dev/null", "/dev/zero", "/dev/urandom", "/dev/random",
    "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", *USR_SUBTREES,
}  # fmt: skip
JAIL_MOUNT_POINTS |= {f"/proc/{name}" for name in filesystem.HOST_PROC_FILES}

# ---------------------------------------------------------------------------------------------
# Programs

# The normal program every case runs afterwards: it reads stdin, sees an empty /tmp, exits 0.
NORMAL = """
import os, sys
numbers = [int(token) for token in sys.stdin.read().split()]
print(sorted(os.listdir("/tmp")), sum(numbers))
"""

C_SOURCES = {
    "fork_bomb": r"""
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

int main(void) {
    int reported = 0;
    for (;;) {
        if (fork() < 0 && !reported) {
            reported = 1;
            dprintf(1, "fork failed errno=%d\n", errno);
        }
    }
}
""",
    "busy_loop": r"""
#include <signal.h>

int main(void) {
    signal(SIGXCPU, SIG_IGN);
    signal(SIGTERM, SIG_IGN);
    for (volatile unsigned long n = 0;; n++) {
    }
}
""",
    "syscalls": r"""
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

static long secret = 42;

static void report(const char *name, long rc) {
    printf("%s %s\n", name, rc == -1 ? strerrorname_np(errno) : "succeeded");
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    pid_t child = fork();
    if (child == 0) {
        pause();
        _exit(0);
    }
    report("ptrace_traceme", ptrace(PTRACE_TRACEME, 0, NULL, NULL));
    report("ptrace_attach_init", ptrace(PTRACE_ATTACH, 1, NULL, NULL));
    report("ptrace_attach_child", ptrace(PTRACE_ATTACH, child, NULL, NULL));
    report("ptrace_seize_child", ptrace(PTRACE_SEIZE, child, NULL, NULL));
    long copy = 0;
    struct iovec local = {&copy, sizeof copy}, remote = {&secret, sizeof secret};
    report("process_vm_readv", process_vm_readv(child, &local, 1, &remote, 1, 0));
    report("kcmp", syscall(SYS_kcmp, getpid(), child, 0, 0, 0));
    report("unshare_user", unshare(CLONE_NEWUSER));
    report("unshare_mount", unshare(CLONE_NEWNS));
    report("unshare_net", unshare(CLONE_NEWNET));
    long cloned = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);
    if (cloned == 0) _exit(0);
    report("clone_newuser", cloned);
    uint64_t clone_args[8] = {CLONE_NEWUSER, 0, 0, 0, SIGCHLD, 0, 0, 0};
    long cloned3 = syscall(SYS_clone3, clone_args, sizeof clone_args);
    if (cloned3 == 0) _exit(0);
    report("clone3", cloned3);
    report("mount_tmpfs", mount("none", "/tmp", "tmpfs", 0, NULL));
    report("remount_root_rw", mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND, NULL));
    report("umount_usr", umount2("/usr", MNT_DETACH));
    report("chroot", chroot("/tmp"));
    report("setns", setns(open("/proc/self/ns/mnt", O_RDONLY), 0));
    report("add_key", syscall(SYS_add_key, "user", "verifier", "x", 1, -3));
    report("keyctl", syscall(SYS_keyctl, 1, NULL));
    report("bpf", syscall(SYS_bpf, 0, NULL, 0));
    report("perf_event_open", syscall(SYS_perf_event_open, NULL, 0, -1, -1, 0));
    report("userfaultfd", syscall(SYS_userfaultfd, 0));
    report("io_uring_setup", syscall(SYS_io_uring_setup, 1, NULL));
    report("name_to_handle_at", syscall(SYS_name_to_handle_at, AT_FDCWD, "/tmp", NULL, NULL, 0));
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    return 0;
}
""",
    "socket_families": r"""
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

static void report(const char *name, long rc) {
    printf("%s %s\n", name, rc < 0 ? strerrorname_np(errno) : "succeeded");
}

int main(void) {
    int pair[2];
    report("vsock", socket(AF_VSOCK, SOCK_STREAM, 0));
    report("netlink", socket(AF_NETLINK, SOCK_RAW, 0));
    report("packet", socket(AF_PACKET, SOCK_DGRAM, 0));
    report("bluetooth", socket(AF_BLUETOOTH, SOCK_STREAM, 0));
    report("vsock_high_bits", syscall(SYS_socket, 0x100000000L | AF_VSOCK, SOCK_STREAM, 0));
    report("socketpair_vsock", socketpair(AF_VSOCK, SOCK_STREAM, 0, pair));
    report("unix", socket(AF_UNIX, SOCK_STREAM, 0));
    report("inet", socket(AF_INET, SOCK_STREAM, 0));
    report("inet6", socket(AF_INET6, SOCK_DGRAM, 0));
    report("socketpair_unix", socketpair(AF_UNIX, SOCK_STREAM, 0, pair));
    return 0;
}
""",
    # Five children burn the CPU and are never waited for; the parent sleeps and answers.
    "unreaped_burners": r"""
#include <stdio.h>
#include <time.h>
#include <unistd.h>

int main(void) {
    for (int i = 0; i < 5; i++) {
        if (fork() == 0) {
            for (volatile unsigned long n = 0;; n++) {
            }
        }
    }
    struct timespec nap = {2, 400000000};
    nanosleep(&nap, NULL);
    puts("6");
    return 0;
}
""",
}

SLEEPERS = """
import os, time
if os.fork() == 0:
    time.sleep(60)
    os._exit(0)
print("sleeping", flush=True)
time.sleep(60)
"""

MEMORY_BOMB = """
hoard = []
while True:
    hoard.append(b"x" * (1 << 20))
    print(len(hoard), flush=True)
"""

DISK_FILL = """
import errno, json, os, sys
token = sys.argv[1]
chunk = b"x" * 65536

def fill(path, limit):
    written = 0
    try:
        with open(path, "wb", buffering=0) as out:
            while written < limit:
                written += out.write(chunk)
    except OSError as error:
        return [written, errno.errorcode[error.errno]]
    return [written, None]

report = {"big": fill(f"/tmp/{token}-big", 1 << 30)}
os.unlink(f"/tmp/{token}-big")
total, count = 0, 0
while True:
    written, error = fill(f"/tmp/{token}-{count}", 1 << 20)
    total, count = total + written, count + 1
    if error:
        report["many"] = [total, error]
        break
stats = os.statvfs("/tmp")
report["tmp_bytes"] = stats.f_blocks * stats.f_frsize
mounts = [line.split(" - ") for line in open("/proc/self/mountinfo")]
report["tmp_fs"] = [tail.split()[0] for head, tail in mounts if head.split()[4] == "/tmp"]
print(json.dumps(report))
"""

FLOOD = """
import os, sys
block = b"A" * 65536
while True:
    os.write(int(sys.argv[1]), block)
"""

NETWORK = """
import errno, json, os, socket, sys
tcp4, tcp6, udp4, abstract = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]

def attempt(action):
    try:
        action()
    except socket.gaierror as error:
        return f"gaierror {error.errno}"
    except OSError as error:
        return errno.errorcode.get(error.errno, str(error.errno))
    return "ok"

def connect(family, address):
    def action():
        with socket.socket(family, socket.SOCK_STREAM) as client:
            client.settimeout(1)
            client.connect(address)
    return action

def datagram():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as client:
        client.sendto(b"escaped", ("127.0.0.1", udp4))

report = {
    "tcp4": attempt(connect(socket.AF_INET, ("127.0.0.1", tcp4))),
    "tcp6": attempt(connect(socket.AF_INET6, ("::1", tcp6))),
    "unix": attempt(connect(socket.AF_UNIX, chr(0) + abstract)),
    "udp4": attempt(datagram),
    "interfaces": [line.split(":")[0].strip() for line in open("/proc/net/dev").readlines()[2:]],
    "netlink_interfaces": attempt(socket.if_nameindex),  # netlink sockets are refused
    "routes4": [line.split()[0] for line in open("/proc/net/route").read().splitlines()[1:]],
    "routes6": sorted({line.split()[-1] for line in open("/proc/net/ipv6_route")}),
    "resolver_files": [
        path for path in ("/etc/resolv.conf", "/etc/hosts", "/etc/nsswitch.conf")
        if os.path.exists(path)
    ],
}
# A lookup cannot leave this machine once nothing but loopback exists and nothing is routed.
if report["interfaces"] == ["lo"] and not report["routes4"] and report["routes6"] == ["lo"]:
    report["dns"] = attempt(lambda: socket.getaddrinfo("example.com", 443))
print(json.dumps(report))
"""

SECRETS = """
import errno, json, os, sys
host_pid, host_tests = sys.argv[1], sys.argv[2]

def attempt(action):
    try:
        return {"ok": action()}
    except OSError as error:
        return {"errno": errno.errorcode[error.errno]}

def read(path):
    return lambda: open(path, "rb").read().decode("latin-1")

report = {
    "shadow": attempt(read("/etc/shadow")),
    "shadow_via_init_root": attempt(read("/proc/1/root/etc/shadow")),
    "root": attempt(lambda: os.listdir("/root")),
    "root_files": {
        name: attempt(read(f"/root/{name}")) for name in (".npmrc", ".gitconfig", ".bashrc")
    },
    "work": attempt(lambda: os.listdir("/work")),
    "host_tests": attempt(lambda: os.listdir(host_tests)),
    "host_pid_environ": attempt(read(f"/proc/{host_pid}/environ")),
    "pids": sorted(int(name) for name in os.listdir("/proc") if name.isdigit()),
    "self": os.getpid(),
    "root_entries": sorted(os.listdir("/")),
    "mounts": [line.split()[4] for line in open("/proc/self/mountinfo")],
    "environ": dict(os.environ),
    "proc": {},
}
for pid in report["pids"]:
    for name in ("environ", "cmdline"):
        report["proc"][f"{pid}/{name}"] = attempt(read(f"/proc/{pid}/{name}"))
print(json.dumps(report))
"""

WRITE_HOST = """
import errno, json, os, sys
token = sys.argv[1]

def create(path):
    return lambda: open(path, "x").close()

def append(path, data=b""):
    def action():
        with open(path, "ab") as out:
            out.write(data)
    return action

operations = {
    "create_usr": create(f"/usr/bin/{token}"),
    "open_usr_python_for_writing": append("/usr/bin/python3"),
    "mkdir_usr": lambda: os.mkdir(f"/usr/{token}"),
    "create_etc": create(f"/etc/{token}"),
    "open_etc_cache_for_writing": append("/etc/ld.so.cache"),
    "create_root": create(f"/{token}"),
    "create_box": create(f"/box/{token}"),
    "append_box": append("/box/data.txt", b"tampered"),
    "truncate_box": lambda: os.truncate("/box/data.txt", 0),
    "unlink_box": lambda: os.unlink("/box/data.txt"),
    "rename_box": lambda: os.rename("/box/data.txt", f"/box/{token}"),
    "chmod_box": lambda: os.chmod("/box/data.txt", 0o777),
    "utime_box": lambda: os.utime("/box/data.txt", (0, 0)),
    "mkdir_box": lambda: os.mkdir(f"/box/{token}"),
    "symlink_box": lambda: os.symlink("/etc/shadow", f"/box/{token}"),
    "write_tmp": append(f"/tmp/{token}", b"fine"),
}
report = {}
for name, operation in operations.items():
    try:
        operation()
        report[name] = "ok"
    except OSError as error:
        report[name] = errno.errorcode[error.errno]
print(json.dumps(report))
"""

PLANT_SYMLINKS = """
import errno, hashlib, json, os, sys
token, targets = sys.argv[1], json.loads(sys.argv[2])

def follow(path):
    try:
        if os.path.isdir(path):
            return {"listing": sorted(os.listdir(path))}
        with open(path, "rb") as source:
            return {"sha256": hashlib.sha256(source.read()).hexdigest()}
    except OSError as error:
        return {"errno": errno.errorcode[error.errno]}

report = {}
for name, target in targets.items():
    for directory in ("/tmp", "/out"):
        link = f"{directory}/{token}-{name}"
        os.symlink(target, link)
        report[link] = follow(link)
report["tmp"] = sorted(os.listdir("/tmp"))
print(json.dumps(report))
"""

FOLLOW_PLANTED = """
import errno, json, os, sys
report = {}
for link in sorted(os.listdir("/box")):
    try:
        with open(f"/box/{link}", "rb") as source:
            report[link] = {"read": len(source.read())}
    except OSError as error:
        report[link] = {"errno": errno.errorcode[error.errno]}
report["tmp"] = sorted(os.listdir("/tmp"))
print(json.dumps(report))
"""

PERSIST_WRITE = """
import os, sys
token = sys.argv[1]
os.makedirs(f"/tmp/{token}-dir/nested")
for path in (f"/tmp/marker-{token}", f"/tmp/.{token}", f"/tmp/{token}-dir/nested/file"):
    with open(path, "w") as out:
        out.write("left behind")
print(sorted(os.listdir("/tmp")))
"""

PERSIST_READ = """
import os, sys
token = sys.argv[1]
print(sorted(os.listdir("/tmp")), os.path.lexists(f"/tmp/marker-{token}"))
"""

KILL_PARENT = """
import errno, json, os, signal, sys
sentinel = int(sys.argv[1])

def kill(pid):
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError as error:
        return errno.errorcode[error.errno]
    return "sent"

child = os.fork()
if child == 0:
    for target in (os.getppid(), -1, sentinel):
        kill(target)
    os._exit(0)
os.waitpid(child, 0)
report = {str(target): kill(target) for target in (os.getppid(), -1, sentinel)}
report["range"] = sorted({kill(pid) for pid in range(2, 4096) if pid != os.getpid()})
print("alive", json.dumps(report), flush=True)
"""

DAEMONS = """
import os, sys, time

def daemon(delay, close_stdio):
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            if close_stdio:
                quiet = os.open("/dev/null", os.O_RDWR)
                for descriptor in (0, 1, 2):
                    os.dup2(quiet, descriptor)
            time.sleep(delay)
            with open(f"/out/late-{delay}", "w") as out:
                out.write("outlived the run")
            os._exit(0)
        os._exit(0)
    os.wait()

daemon(60, True)
daemon(0.5, False)
print("parent done", flush=True)
"""

IDENTITY = """
import errno, json, os

def attempt(action):
    try:
        action()
    except OSError as error:
        return errno.errorcode[error.errno]
    return "ok"

status = dict(line.split(":\\t", 1) for line in open("/proc/self/status").read().splitlines())
report = {
    "ids": [os.getuid(), os.geteuid(), os.getgid(), os.getegid()],
    "groups": os.getgroups(),
    "status": {name: status[name].strip() for name in status if name.startswith("Cap")},
    "no_new_privs": status["NoNewPrivs"].strip(),
    "seccomp": status["Seccomp"].strip(),
    "setuid_root": attempt(lambda: os.setuid(0)),
    "setgid_root": attempt(lambda: os.setgid(0)),
    "setgroups_root": attempt(lambda: os.setgroups([0])),
}
print(json.dumps(report))
"""

HOST_VIEW = """
import errno, json, os, sys

def size(path):
    try:
        with open(path, "rb") as source:
            return len(source.read())
    except OSError as error:
        return errno.errorcode[error.errno]

mounts = [line.split() for line in open("/proc/self/mountinfo")]
print(json.dumps({
    "mountinfo": open("/proc/self/mountinfo").read(),
    "roots": {fields[4]: fields[3] for fields in mounts},
    "usr": sorted(os.listdir("/usr")),
    "usr_local": os.path.lexists("/usr/local"),
    "box": {name: size(f"/box/{name}") for name in sorted(os.listdir("/box"))},
    "launcher": os.readlink("/proc/1/exe"),
    "host_files": {name: size(f"/proc/{name}") for name in json.loads(sys.argv[1])},
    "cpuinfo": size("/proc/cpuinfo") > 0,
    "meminfo": size("/proc/meminfo") > 0,
}))
"""

PYTHON_ENVIRONMENT = "import json, os\nprint(json.dumps(dict(os.environ)))"

# ---------------------------------------------------------------------------------------------
# Fixtures and helpers


@pytest.fixture(scope="module", params=["warm", "fresh"])
def jail(request: pytest.FixtureRequest) -> Iterator[Jail]:
    """Every attack runs in a warm jail (set up ahead of its run, as tests run in the service)
    and in a fresh one (as compiles and checkers run)."""
    created = Jail.create(warm_spares=2 if request.param == "warm" else 0)
    assert (created.warm is not None) == (request.param == "warm")
    yield created
    created.close()


@pytest.fixture(scope="module")
def native(tmp_path_factory: pytest.TempPathFactory) -> JailMount:
    """The C programs, compiled on the host, mounted read-only at /box."""
    directory = tmp_path_factory.mktemp("native")
    directory.chmod(0o755)
    for name, source in C_SOURCES.items():
        (directory / f"{name}.c").write_text(source)
        compile_command = ["gcc", "-O2", "-Wall", "-Werror", "-o", str(directory / name)]
        subprocess.run([*compile_command, f"{directory / name}.c"], check=True, capture_output=True)
    return JailMount(directory, "/box")


@pytest.fixture
def token() -> str:
    return f"verifier-test-{uuid.uuid4().hex}"


def run_python(
    jail: Jail,
    source: str,
    *args: str,
    limits: RunLimits = FAST,
    mounts: tuple[JailMount, ...] = (),
    stdin: bytes = b"",
) -> RunResult:
    return jail.run([PYTHON, "-c", source, *args], limits=limits, mounts=mounts, stdin=stdin)


def report_of(result: RunResult) -> dict[str, Any]:
    assert result.exit_code == 0, result
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def assert_served_normally(jail: Jail) -> None:
    """The run after an attack: correct output, a fresh /tmp, nothing left over."""
    result = run_python(jail, NORMAL, stdin=b"1 2 3\n4\n")
    assert result.jail_log == ""
    assert (result.exit_code, result.signal) == (0, None)
    assert (result.stdout, result.stderr) == (b"[] 10\n", b"")
    assert not result.output_truncated
    assert not result.wall_timed_out
    assert result.wall_s < FAST.wall_s


def jailed_processes(marker: str) -> set[int]:
    """Host processes running as the jail's uid (any of the `Uid:` line's four) whose command
    line holds `marker`: this test's jail, not another one running on the machine meanwhile."""
    found = set()
    for process in Path("/proc").glob("[0-9]*"):
        try:
            status = (process / "status").read_text()
            command_line = (process / "cmdline").read_bytes()
        except OSError:
            continue  # exited while we looked
        uids = next(line.split()[1:] for line in status.splitlines() if line.startswith("Uid:"))
        if str(JAIL_UID) in uids and marker.encode() in command_line:
            found.add(int(process.name))
    return found


def environment_lines(environment: dict[str, str]) -> list[str]:
    return sorted(f"{name}={value}" for name, value in environment.items())


def host_process_count() -> int:
    return sum(1 for entry in os.listdir("/proc") if entry.isdigit())


def wait_until(condition: Callable[[], bool], timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() >= deadline:
            return condition()
        time.sleep(0.01)
    return True


def assert_no_jailed_processes_remain(marker: str, within_s: float = 1.0) -> None:
    wait_until(lambda: not jailed_processes(marker), within_s)
    assert jailed_processes(marker) == set(), "a jailed process outlived its run"


def oom_kills() -> int:
    for line in Path("/proc/vmstat").read_text().splitlines():
        name, _, value = line.partition(" ")
        if name == "oom_kill":
            return int(value)
    raise AssertionError("/proc/vmstat has no oom_kill counter")


class KernelLog:
    """Kernel messages logged after `open()`; None where /dev/kmsg cannot be read."""

    def __init__(self, descriptor: int) -> None:
        self.descriptor = descriptor

    @classmethod
    def open(cls) -> KernelLog | None:
        try:
            descriptor = os.open("/dev/kmsg", os.O_RDONLY | os.O_NONBLOCK)
        except OSError:
            return None
        os.lseek(descriptor, 0, os.SEEK_END)
        return cls(descriptor)

    def read_new(self) -> list[str]:
        messages = []
        try:
            while True:
                try:
                    record = os.read(self.descriptor, 16384)
                except BrokenPipeError:
                    continue  # records were overwritten under us: read on
                except BlockingIOError:
                    break
                _, _, text = record.decode("utf-8", "replace").partition(";")
                messages.append(text.split("\n", 1)[0])
        finally:
            os.close(self.descriptor)
        return messages


def jail_cgroups(jail: Jail) -> set[Path]:
    """The per-run cgroups nsjail made under this jail's group and has not removed, whose
    process is gone (a warm jail waiting for its run has a live one)."""
    group = Path(PARENT, jail.cgroups.group)
    parents = [CGROUP_ROOT / group, *(CGROUP_ROOT / name / group for name in ("memory", "pids"))]
    found = set()
    for parent in parents:
        for directory, children, _ in os.walk(parent):  # skips what vanishes meanwhile
            for name in children:
                if name.startswith("NSJAIL.") and not Path("/proc", name[7:]).exists():
                    found.add(Path(directory, name))
    return found


def file_fingerprint(path: Path) -> tuple[int, int, int, str]:
    status = path.stat()
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return status.st_mode, status.st_size, status.st_mtime_ns, digest


@dataclass
class HostListeners:
    """TCP on 127.0.0.1 and ::1, UDP on 127.0.0.1 and an abstract unix socket, on the host."""

    abstract: str = field(default_factory=lambda: f"verifier-test-{uuid.uuid4().hex}")
    events: list[str] = field(default_factory=list)
    sockets: dict[str, socket.socket] = field(default_factory=dict)
    stop: threading.Event = field(default_factory=threading.Event)

    def port(self, kind: str) -> int:
        port: int = self.sockets[kind].getsockname()[1]
        return port

    def serve(self) -> None:
        with selectors.DefaultSelector() as selector:
            for kind, listener in self.sockets.items():
                selector.register(listener, selectors.EVENT_READ, kind)
            while not self.stop.is_set():
                for key, _ in selector.select(timeout=0.05):
                    listener = self.sockets[key.data]
                    if key.data == "udp4":
                        listener.recvfrom(65536)
                    else:
                        listener.accept()[0].close()
                    self.events.append(key.data)


@pytest.fixture
def listeners() -> Iterator[HostListeners]:
    host = HostListeners()
    specs: dict[str, tuple[socket.AddressFamily, socket.SocketKind, tuple[str, int] | str]] = {
        "tcp4": (socket.AF_INET, socket.SOCK_STREAM, ("127.0.0.1", 0)),
        "tcp6": (socket.AF_INET6, socket.SOCK_STREAM, ("::1", 0)),
        "udp4": (socket.AF_INET, socket.SOCK_DGRAM, ("127.0.0.1", 0)),
        "unix": (socket.AF_UNIX, socket.SOCK_STREAM, "\0" + host.abstract),
    }
    for kind, (family, kind_of_socket, address) in specs.items():
        listener = socket.socket(family, kind_of_socket)
        listener.bind(address)
        if kind_of_socket == socket.SOCK_STREAM:
            listener.listen(16)
        host.sockets[kind] = listener
    thread = threading.Thread(target=host.serve, daemon=True)
    thread.start()
    try:
        yield host
    finally:
        host.stop.set()
        thread.join(timeout=5)
        for listener in host.sockets.values():
            listener.close()


def reach_from_host(host: HostListeners) -> None:
    """The control: the same listeners are reachable from outside the jail."""
    for kind, family, address in (
        ("tcp4", socket.AF_INET, ("127.0.0.1", host.port("tcp4"))),
        ("tcp6", socket.AF_INET6, ("::1", host.port("tcp6"))),
        ("unix", socket.AF_UNIX, "\0" + host.abstract),
    ):
        with socket.socket(family, socket.SOCK_STREAM) as client:
            client.settimeout(5)
            client.connect(address)
            assert kind in host.sockets
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as client:
        client.sendto(b"control", ("127.0.0.1", host.port("udp4")))


def writable_directory(path: Path) -> Path:
    path.mkdir()
    path.chmod(0o777)
    return path


# ---------------------------------------------------------------------------------------------
# Resource exhaustion


def test_fork_bomb_is_capped_by_the_process_limit(
    jail: Jail, native: JailMount, token: str
) -> None:
    limits = RunLimits(time_s=1, memory_mb=64, max_processes=16)
    host_before = host_process_count()
    peak_jailed, peak_host = 0, 0
    with ThreadPoolExecutor(max_workers=1) as pool:
        command = ["/box/fork_bomb", token]
        running = pool.submit(jail.run, command, limits=limits, mounts=(native,))
        while not running.done():
            peak_jailed = max(peak_jailed, len(jailed_processes(token)))
            peak_host = max(peak_host, host_process_count())
            time.sleep(0.005)
        result = running.result()
    assert f"fork failed errno={errno.EAGAIN}".encode() in result.stdout
    # Seen from the host (the sampler saw the bomb grow: it can see jailed processes).
    assert limits.max_processes // 2 <= peak_jailed <= limits.max_processes
    # Other sessions may start processes meanwhile; an uncapped bomb makes thousands.
    assert peak_host - host_before <= limits.max_processes + 64
    assert result.signal == signal.SIGKILL
    assert result.wall_s <= limits.wall_s + 0.5
    assert_no_jailed_processes_remain(token)
    assert_served_normally(jail)


def test_memory_bomb_is_killed_at_the_cgroup_cap(jail: Jail) -> None:
    limits = RunLimits(time_s=2, memory_mb=64)
    kernel_log, kills_before = KernelLog.open(), oom_kills()
    result = run_python(jail, MEMORY_BOMB, limits=limits)
    kills = oom_kills() - kills_before
    reached_mb = int(result.stdout.split()[-1])
    assert (result.exit_code, result.signal) == (None, signal.SIGKILL)
    assert not result.wall_timed_out
    assert 40 <= reached_mb < limits.memory_mb
    # The reported peak is near the cap, and a capped run cannot have used more than the cap.
    assert 0.75 <= result.memory_kb / (limits.memory_mb * 1024) <= 1.05
    assert kills >= 1, "the bomb died of something other than the OOM killer"
    if kernel_log is not None:
        killed = [line for line in kernel_log.read_new() if "Killed process" in line]
        assert killed, "no OOM kill was logged"
        for line in killed:  # the cgroup's OOM killer, never the host's
            assert line.startswith("Memory cgroup out of memory: Killed process"), line
            assert f"UID:{JAIL_UID}" in line, line
    assert_served_normally(jail)


@pytest.mark.parametrize("language", ["python", "c"])
def test_busy_loop_is_stopped_at_the_cpu_limit(
    jail: Jail, native: JailMount, language: str
) -> None:
    limits = RunLimits(time_s=1, memory_mb=64)
    command = (
        [PYTHON, "-c", "while True:\n    pass"] if language == "python" else ["/box/busy_loop"]
    )
    result = jail.run(command, limits=limits, mounts=(native,))
    assert result.exit_code is None
    assert result.signal in (signal.SIGKILL, signal.SIGXCPU)
    # (wait4 reports a little under the rlimit on a loaded machine: 0.85 s seen for 1 s.)
    assert limits.time_s * 0.75 <= result.cpu_s <= limits.time_s + 0.5
    assert not result.wall_timed_out
    assert result.wall_s < limits.wall_s
    assert_served_normally(jail)


def test_sleep_past_the_wall_limit_is_cut(jail: Jail, token: str) -> None:
    limits = RunLimits(time_s=1, memory_mb=64)
    result = run_python(jail, SLEEPERS, token, limits=limits)
    assert result.stdout == b"sleeping\n"
    assert result.wall_timed_out
    assert result.signal == signal.SIGKILL
    assert limits.wall_s <= result.wall_s <= limits.wall_s + 0.5
    assert result.cpu_s < 0.5
    assert_no_jailed_processes_remain(token)  # the sleeping child went with the jail
    assert_served_normally(jail)


def test_runs_killed_at_the_wall_leave_no_cgroups_behind(jail: Jail) -> None:
    """A killed nsjail cannot remove its cgroup; they must not pile up on the host."""
    if jail.cgroups.version is None:
        pytest.skip("no cgroup hierarchy here: jails are limited by rlimits only")
    before = jail_cgroups(jail)
    for _ in range(2):
        result = run_python(jail, SLEEPERS, limits=RunLimits(time_s=0.1))
        assert result.wall_timed_out

    def left_by_runs() -> set[str]:  # one name per run, whatever its controllers
        return {path.name for path in jail_cgroups(jail) - before}

    wait_until(lambda: len(left_by_runs()) <= 1, 1.0)
    assert len(left_by_runs()) <= 1  # per slot (one here): the last killed run's, if any
    assert_served_normally(jail)
    wait_until(lambda: not jail_cgroups(jail) - before, 1.0)
    assert jail_cgroups(jail) - before == set(), "the killed runs' cgroups were never removed"


def test_disk_fill_stops_at_the_file_size_limit_and_the_tmpfs_cap(jail: Jail, token: str) -> None:
    limits = RunLimits(time_s=2, memory_mb=128, tmpfs_mb=8, file_size_mb=4)
    report = report_of(run_python(jail, DISK_FILL, token, limits=limits))
    assert report["big"] == [limits.file_size_mb * MIB, "EFBIG"]
    written, error = report["many"]
    assert error == "ENOSPC"
    assert (limits.tmpfs_mb - 1) * MIB <= written <= limits.tmpfs_mb * MIB
    assert report["tmp_bytes"] == limits.tmpfs_mb * MIB
    assert report["tmp_fs"] == ["tmpfs"]
    assert list(Path("/tmp").glob(f"{token}*")) == []  # nothing reached the host's disk
    assert_served_normally(jail)


@pytest.mark.parametrize("descriptor", [1, 2])
def test_output_flood_is_truncated_at_the_cap(jail: Jail, descriptor: int) -> None:
    limits = RunLimits(time_s=5, memory_mb=64, output_bytes=256 * 1024)
    result = run_python(jail, FLOOD, str(descriptor), limits=limits)
    flooded, quiet = (
        (result.stdout, result.stderr) if descriptor == 1 else (result.stderr, result.stdout)
    )
    assert result.output_truncated
    assert (flooded, quiet) == (b"A" * limits.output_bytes, b"")
    assert not result.wall_timed_out
    assert result.wall_s < 2.0  # cut at the cap, not at the wall clock (11 s here)
    assert_served_normally(jail)


# ---------------------------------------------------------------------------------------------
# Isolation


def test_network_is_unreachable(jail: Jail, listeners: HostListeners) -> None:
    args = (listeners.port("tcp4"), listeners.port("tcp6"), listeners.port("udp4"))
    result = run_python(jail, NETWORK, *map(str, args), listeners.abstract)
    report = report_of(result)
    time.sleep(0.1)  # let a datagram that escaped arrive
    assert listeners.events == [], "the jail reached a listener on the host"
    assert report["tcp4"] == report["tcp6"] == report["unix"] == "ECONNREFUSED"
    assert report["udp4"] == "ok"  # sent into the jail's own loopback, where nobody listens
    assert report["interfaces"] == ["lo"]
    assert report["netlink_interfaces"] == "EAFNOSUPPORT"
    assert report["routes4"] == []
    assert report["routes6"] == ["lo"]
    assert report["resolver_files"] == []
    assert report["dns"].startswith("gaierror")
    reach_from_host(listeners)
    assert wait_until(lambda: sorted(listeners.events) == ["tcp4", "tcp6", "udp4", "unix"], 5)
    assert_served_normally(jail)


def service_toolchain_paths() -> tuple[str, ...]:
    return LanguageRegistry(load_languages()).toolchain_paths()


@pytest.mark.parametrize("toolchains", ["none", "service"])
def test_host_secrets_are_invisible(
    jail: Jail, monkeypatch: pytest.MonkeyPatch, toolchains: str
) -> None:
    """The bare jail, and the jail as the service makes it (its languages' toolchain binds)."""
    secret = f"secret-{uuid.uuid4().hex}"
    monkeypatch.setenv(SECRET_NAME, secret)
    paths = service_toolchain_paths() if toolchains == "service" else ()
    fresh = Jail.create(paths)  # made while the service's environment holds the secret
    tests_directory = str(Path(__file__).resolve().parent)
    result = run_python(fresh, SECRETS, str(os.getpid()), tests_directory)
    assert secret.encode() not in result.stdout + result.stderr
    assert SECRET_NAME.encode() not in result.stdout + result.stderr
    report = report_of(result)
    for name in ("shadow", "shadow_via_init_root", "root", "work", "host_tests"):
        assert report[name] == {"errno": "ENOENT"}, name
    for name, outcome in report["root_files"].items():
        assert outcome == {"errno": "ENOENT"}, name
    own = report["self"]
    assert report["pids"] == [1, own]  # its own PID namespace: itself and the launcher
    assert "ok" not in report["host_pid_environ"] or os.getpid() in (1, own)
    own_environ = report["proc"][f"{own}/environ"]["ok"].split("\0")
    assert sorted(filter(None, own_environ)) == environment_lines(BASE_ENVIRONMENT)
    assert report["proc"][f"{own}/cmdline"]["ok"].startswith(f"{PYTHON}\0-c\0")
    assert report["proc"]["1/environ"] == {"ok": ""}
    assert report["proc"]["1/cmdline"]["ok"].startswith(launcher.IN_JAIL)
    targets = {path.split(":")[-1] for path in paths}  # a bind is SOURCE or SOURCE:TARGET
    toolchain_tops = {Path(target).parts[1] for target in targets}
    assert set(report["root_entries"]) <= JAIL_ROOT_ENTRIES | toolchain_tops
    assert set(report["mounts"]) <= JAIL_MOUNT_POINTS | targets
    assert not any(mount.startswith(("/work", "/home")) for mount in report["mounts"])
    assert_served_normally(fresh)
    assert_served_normally(jail)


def test_host_paths_are_read_only(jail: Jail, token: str, tmp_path: Path) -> None:
    box = writable_directory(tmp_path / "box")
    data = box / "data.txt"
    data.write_text("original\n")
    data.chmod(0o666)  # only the read-only mount stands between the program and this file
    before = file_fingerprint(data), file_fingerprint(Path(PYTHON))
    report = report_of(run_python(jail, WRITE_HOST, token, mounts=(JailMount(box, "/box"),)))
    assert report.pop("write_tmp") == "ok"  # the program could write where it may
    for name, outcome in report.items():
        if name == "create_root":
            assert outcome == "EROFS", name
        elif name.endswith("_box"):  # a root-owned tmpfs the service filled (filesystem.py)
            assert outcome in ("EACCES", "EPERM"), name
        else:
            assert outcome in ("EROFS", "EACCES", "EPERM"), name
    assert (file_fingerprint(data), file_fingerprint(Path(PYTHON))) == before
    assert sorted(path.name for path in box.iterdir()) == ["data.txt"]
    for path in (f"/usr/bin/{token}", f"/usr/{token}", f"/etc/{token}", f"/{token}"):
        assert not os.path.lexists(path), path
    assert_served_normally(jail)


def test_symlink_plants_change_nothing_on_the_host(jail: Jail, token: str, tmp_path: Path) -> None:
    shadow = Path("/etc/shadow")
    shadow_before = file_fingerprint(shadow)
    tests_directory = str(Path(__file__).resolve().parent)
    targets = {
        "shadow": "/etc/shadow",
        "init_root": "/proc/1/root/etc/shadow",
        "self_root": "/proc/self/root",
        "up": "../../../../../../etc/shadow",
        "work": "/work",
        "tests": tests_directory,
        "root_home": "/root",
    }
    out = writable_directory(tmp_path / "out")
    mounts = (JailMount(out, "/out", writable=True),)
    report = report_of(run_python(jail, PLANT_SYMLINKS, token, json.dumps(targets), mounts=mounts))
    assert report.pop("tmp") == sorted(f"{token}-{name}" for name in targets)
    for directory in ("/tmp", "/out"):
        for name in ("shadow", "init_root", "up", "work", "tests", "root_home"):
            assert report[f"{directory}/{token}-{name}"] == {"errno": "ENOENT"}, name
        listing = report[f"{directory}/{token}-self_root"]["listing"]
        assert set(listing) <= JAIL_ROOT_ENTRIES | {"out"}  # the jail's root, not the host's
    assert file_fingerprint(shadow) == shadow_before
    assert list(Path("/tmp").glob(f"{token}*")) == []
    # The planted links stay in the writable directory; a later run that mounts it resolves
    # them inside its own jail, where none of the targets exist.
    assert sorted(path.name for path in out.iterdir()) == sorted(f"{token}-{n}" for n in targets)
    later = report_of(run_python(jail, FOLLOW_PLANTED, mounts=(JailMount(out, "/box"),)))
    assert later.pop("tmp") == []
    for name in ("shadow", "init_root", "up", "root_home"):
        assert later[f"{token}-{name}"] == {"errno": "ENOENT"}, name
    assert_served_normally(jail)


def test_files_do_not_persist_between_runs(jail: Jail, token: str) -> None:
    first = run_python(jail, PERSIST_WRITE, token)
    assert first.exit_code == 0, first
    assert first.stdout.decode().strip() == str(
        sorted([f".{token}", f"{token}-dir", f"marker-{token}"])
    )
    second = run_python(jail, PERSIST_READ, token)
    assert (second.exit_code, second.stdout) == (0, b"[] False\n")
    assert not os.path.lexists(f"/tmp/marker-{token}")
    assert_served_normally(jail)


# ---------------------------------------------------------------------------------------------
# Privilege


def test_ptrace_namespaces_and_mount_are_refused(jail: Jail, native: JailMount) -> None:
    result = jail.run(["/box/syscalls"], limits=FAST, mounts=(native,))
    assert (result.exit_code, result.stderr) == (0, b""), result
    outcomes = dict(line.split(" ", 1) for line in result.stdout.decode().splitlines())
    expected = dict.fromkeys(
        [
            "ptrace_traceme", "ptrace_attach_init", "ptrace_attach_child", "ptrace_seize_child",
            "process_vm_readv", "kcmp", "unshare_user", "unshare_mount", "unshare_net",
            "clone_newuser", "mount_tmpfs", "remount_root_rw", "umount_usr", "chroot", "setns",
            "add_key", "keyctl", "bpf", "perf_event_open", "userfaultfd", "io_uring_setup",
            "name_to_handle_at",
        ],
        "EPERM",
    )  # fmt: skip
    expected["clone3"] = "ENOSYS"  # so that libc falls back to clone, whose flags are checked
    assert outcomes == expected
    assert_served_normally(jail)


def test_killing_its_parent_harms_nothing_outside(jail: Jail) -> None:
    sentinel = subprocess.Popen(["/usr/bin/sleep", "30"], user=JAIL_UID, group=JAIL_UID)
    try:
        result = run_python(jail, KILL_PARENT, str(sentinel.pid))
        assert result.jail_log == ""
        assert not result.wall_timed_out
        if jail.launcher is None:  # the program is the jail's init: signals from inside never land
            assert (result.exit_code, result.signal) == (0, None), result  # nsjail survived
            assert result.stdout.startswith(b"alive ")
            report = json.loads(result.stdout.removeprefix(b"alive "))
            assert report["range"] == ["ESRCH"]  # no pid but its own exists for it
        else:  # the launcher is init; the program, an ordinary process, is killed by its child
            assert (result.exit_code, result.signal) == (None, signal.SIGKILL), result
        time.sleep(0.05)
        assert sentinel.poll() is None, "the jail killed a host process of its own uid"
        os.kill(os.getpid(), 0)
    finally:
        sentinel.kill()
        sentinel.wait()
    assert_served_normally(jail)


def test_daemons_do_not_outlive_the_run(jail: Jail, token: str, tmp_path: Path) -> None:
    out = writable_directory(tmp_path / "out")
    result = run_python(jail, DAEMONS, token, mounts=(JailMount(out, "/out", writable=True),))
    returned = time.monotonic()
    assert (result.exit_code, result.stdout) == (0, b"parent done\n"), result
    assert not result.wall_timed_out  # a daemon holding stdout does not hold the run
    assert_no_jailed_processes_remain(token)
    time.sleep(max(0.0, returned + 1.0 - time.monotonic()))
    assert list(out.iterdir()) == []  # the 0.5 s daemon never wrote
    assert_served_normally(jail)


def test_runs_as_an_unprivileged_uid_without_capabilities(jail: Jail) -> None:
    report = report_of(run_python(jail, IDENTITY))
    assert report["ids"] == [JAIL_UID] * 4
    assert report["groups"] in ([], [JAIL_UID])
    assert report["status"] == dict.fromkeys(
        ["CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"], "0000000000000000"
    )
    assert (report["no_new_privs"], report["seccomp"]) == ("1", "2")
    assert report["setuid_root"] == report["setgid_root"] == report["setgroups_root"] == "EPERM"
    assert_served_normally(jail)


def test_environment_is_exactly_path_home_and_lang(
    jail: Jail, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SECRET_NAME, "must-not-pass")
    result = jail.run(["/usr/bin/env"], limits=FAST)
    assert result.exit_code == 0, result
    assert sorted(result.stdout.decode().splitlines()) == environment_lines(BASE_ENVIRONMENT)
    seen = report_of(run_python(jail, PYTHON_ENVIRONMENT))
    seen.pop("LC_CTYPE", None)  # python may add it when it coerces the locale
    assert seen == BASE_ENVIRONMENT
    extra = jail.run(["/usr/bin/env"], limits=FAST, environment={"EXTRA": "1"})
    with_extra = environment_lines({**BASE_ENVIRONMENT, "EXTRA": "1"})
    assert sorted(extra.stdout.decode().splitlines()) == with_extra
    assert_served_normally(jail)


# ---------------------------------------------------------------------------------------------
# Leaks and CPU accounting


def test_sockets_of_other_families_are_refused(jail: Jail, native: JailMount) -> None:
    """vsock is not namespaced (it reaches the hypervisor's host); netlink and packet sockets
    talk to the kernel: only AF_UNIX, AF_INET and AF_INET6 are allowed."""
    result = jail.run(["/box/socket_families"], limits=FAST, mounts=(native,))
    assert (result.exit_code, result.stderr) == (0, b""), result
    outcomes = dict(line.split(" ", 1) for line in result.stdout.decode().splitlines())
    refused = ["vsock", "netlink", "packet", "bluetooth", "vsock_high_bits", "socketpair_vsock"]
    allowed = ["unix", "inet", "inet6", "socketpair_unix"]
    expected = {**dict.fromkeys(refused, "EAFNOSUPPORT"), **dict.fromkeys(allowed, "succeeded")}
    assert outcomes == expected
    assert_served_normally(jail)


def test_the_jail_names_no_host_path(jail: Jail, tmp_path: Path) -> None:
    """mountinfo's root field is the bind source's path: a program's mounts, the launcher and
    the system binds must show nothing but the jail's own paths. Twice: a shape's first run
    (a fresh jail) and its second (a warm one, where the pool has one)."""
    box = writable_directory(tmp_path / "box")
    (box / "data.txt").write_text("original\n")
    (box / "nested").mkdir(mode=0o755)
    (box / "nested" / "deep.txt").write_text("deep\n")
    for _ in range(2):
        hidden = json.dumps(filesystem.HOST_PROC_FILES)
        report = report_of(run_python(jail, HOST_VIEW, hidden, mounts=(JailMount(box, "/box"),)))
        for host_path in (str(tmp_path), str(jail.work_dir), "/work", "/tmp/", "/root"):
            assert host_path not in report["mountinfo"], host_path
        for point, root in report["roots"].items():
            assert root in ("/", point) or point.startswith("/proc/") or point.startswith("/dev/")
        assert report["box"] == {"data.txt": 9, "nested": "EISDIR"}
        assert report["launcher"].startswith("/memfd:")
        assert set(report["usr"]) == {
            Path(path).name for path in USR_SUBTREES if Path(path).exists()
        }
        assert report["usr_local"] is False
        assert set(report["host_files"].values()) <= {0, "ENOENT"}
        assert report["cpuinfo"] and report["meminfo"]  # what runtimes read stays
    assert_served_normally(jail)


def test_cpu_time_counts_children_never_reaped(jail: Jail, native: JailMount) -> None:
    """wait4 sees only what was waited for; the run's cgroup sees every process."""
    if jail.cgroups.version is None:
        pytest.skip("no cgroup hierarchy here: CPU time comes from wait4 alone")
    limits = RunLimits(time_s=1, memory_mb=64)
    for _ in range(2):  # a fresh jail, then (where the pool has one) a warm one
        result = jail.run(["/box/unreaped_burners"], limits=limits, mounts=(native,))
        assert (result.exit_code, result.stdout) == (0, b"6\n"), result
        assert result.cpu_s > 1.5 * limits.time_s, result.cpu_s
        assert result.cpu_s <= result.wall_s * 1.5 + 0.5  # one CPU's quota, give or take
    assert_served_normally(jail)
