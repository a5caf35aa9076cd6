"""The seccomp policy of every jail (kafel syntax, compiled by nsjail at start-up).

Refused with EPERM: debugging other processes, mounting, kernel keyrings, eBPF, perf,
userfaultfd, namespaces (unshare, setns, clone with CLONE_NEWUSER), module loading, clock and
host-name changes, raw I/O ports, handle-based opens. clone3 answers ENOSYS so that libc falls
back to clone, whose flags the filter can see.

Sockets of any family but AF_UNIX, AF_INET and AF_INET6 answer EAFNOSUPPORT: the network
namespace isolates those three, but not every family is namespaced (AF_VSOCK reaches the
hypervisor's host; netlink and packet sockets talk to the kernel). glibc and Go fall back
when netlink is refused (getaddrinfo then assumes both IPv4 and IPv6 are configured).
"""

from __future__ import annotations

CLONE_NEWUSER = 0x10000000
EAFNOSUPPORT = 97
ALLOWED_SOCKET_FAMILIES = (1, 2, 10)  # AF_UNIX, AF_INET, AF_INET6

REFUSED = (
    "ptrace", "process_vm_readv", "process_vm_writev", "kcmp",
    "mount", "umount", "pivot_root", "chroot", "fsopen", "fsmount", "move_mount", "open_tree",
    "swapon", "swapoff", "reboot", "kexec_load", "kexec_file_load",
    "init_module", "finit_module", "delete_module",
    "add_key", "request_key", "keyctl",
    "bpf", "perf_event_open", "userfaultfd", "io_uring_setup",
    "unshare", "setns", "acct", "quotactl", "vhangup", "syslog",
    "settimeofday", "clock_settime", "sethostname", "setdomainname",
    "iopl", "ioperm", "open_by_handle_at", "name_to_handle_at", "fanotify_init",
)  # fmt: skip


def policy() -> str:
    refused = ", ".join(REFUSED)
    new_user_namespace = f"clone {{ (clone_flags & {CLONE_NEWUSER:#x}) == {CLONE_NEWUSER:#x} }}"
    return (
        f"ERRNO(1) {{ {refused}, {new_user_namespace} }} ERRNO(38) {{ clone3 }} "
        f"ERRNO({EAFNOSUPPORT}) {{ {_other_socket_families()} }} DEFAULT ALLOW"
    )


def _other_socket_families() -> str:
    """socket and socketpair of a family outside ALLOWED_SOCKET_FAMILIES (the whole 64-bit
    argument is compared, so high bits the kernel would truncate away are refused too)."""
    other = " && ".join(f"family != {family}" for family in ALLOWED_SOCKET_FAMILIES)
    return f"socket(family) {{ {other} }}, socketpair(family) {{ {other} }}"
