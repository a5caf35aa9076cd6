"""The seccomp policy of every jail (kafel syntax, compiled by nsjail at start-up).

Refused with EPERM: debugging other processes, mounting, kernel keyrings, eBPF, perf,
userfaultfd, namespaces (unshare, setns, clone with CLONE_NEWUSER), module loading, clock and
host-name changes, raw I/O ports, handle-based opens. clone3 answers ENOSYS so that libc falls
back to clone, whose flags the filter can see.
"""

from __future__ import annotations

CLONE_NEWUSER = 0x10000000

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
    return f"ERRNO(1) {{ {refused}, {new_user_namespace} }} ERRNO(38) {{ clone3 }} DEFAULT ALLOW"
