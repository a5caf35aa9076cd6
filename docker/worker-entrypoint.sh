#!/bin/sh
# Entrypoint of the sandbox worker image: give the jails a cgroup hierarchy they can write,
# then exec the worker (tini, PID 1, forwards SIGTERM to it).
#
# Container runtimes mount /sys/fs/cgroup read-only in an unprivileged container. The worker
# has CAP_SYS_ADMIN (nsjail needs it) and no AppArmor profile, so it can remount its own view
# read-write. That view must be the container's own cgroup, never the host's tree:
# - cgroup v2 (most clusters): the container needs a private cgroup namespace (Docker's and
#   containerd's default on v2; not `--cgroupns=host`), so /sys/fs/cgroup is the container's
#   cgroup and /proc/self/cgroup reads `0::/`. v2 lets a cgroup hand controllers to children
#   only when it holds no process itself, so every process of the container moves into `init/`
#   first, then memory, pids and cpu are enabled for the jails' subtree (as docker-in-docker
#   does). The jails' memory is charged inside the container's cgroup, under its limit.
# - cgroup v1: the runtime binds the container's own group of each controller; memory, pids and
#   cpu are remounted read-write.
# WORKER_REQUIRE_CGROUPS=true (the default) refuses to start without writable cgroups;
# false starts anyway and the worker caps jails with rlimits only (and logs it).
set -eu

CG=/sys/fs/cgroup
REQUIRE=${WORKER_REQUIRE_CGROUPS:-true}
CONTROLLERS="memory pids cpu"

log() {
    echo "worker-entrypoint: $*" >&2
}

unusable() {
    log "$*"
    if [ "$REQUIRE" = true ]; then
        log "refusing to start: jails need writable cgroups (WORKER_REQUIRE_CGROUPS=false" \
            "starts with rlimits only)"
        exit 1
    fi
    log "continuing: jails are capped by rlimits only"
}

# A probe group made and removed: the hierarchy at $1 is writable.
writable() {
    probe="$1/verifier-probe-$$"
    mkdir "$probe" 2>/dev/null && rmdir "$probe"
}

# Clears the read-only flag of this mount point only (a bind remount): the superblock, which a
# cgroup hierarchy shares with the host's mounts, and its options are left alone.
make_writable() {
    writable "$1" && return 0
    mount -o remount,bind,rw "$1" 2>/dev/null || true
    writable "$1"
}

setup_v2() {
    if [ "$(cat /proc/self/cgroup)" != "0::/" ]; then
        unusable "cgroup v2 without a private cgroup namespace (/proc/self/cgroup:" \
            "$(cat /proc/self/cgroup)): run the container with its own cgroup namespace"
        return 0
    fi
    if ! make_writable "$CG"; then
        unusable "$CG is read-only and cannot be remounted (needs CAP_SYS_ADMIN and" \
            "AppArmor unconfined)"
        return 0
    fi
    available=" $(cat "$CG/cgroup.controllers") "
    enable=""
    for controller in $CONTROLLERS; do
        case "$available" in
            *" $controller "*) enable="$enable +$controller" ;;
            *) unusable "controller $controller is not delegated to this container" \
                   "(available:$available)"; return 0 ;;
        esac
    done
    mkdir -p "$CG/init"
    pids=$(cat "$CG/cgroup.procs")
    for pid in $pids; do
        # A process may exit between the read and the move.
        echo "$pid" >"$CG/init/cgroup.procs" 2>/dev/null || true
    done
    if ! echo "${enable# }" >"$CG/cgroup.subtree_control"; then
        unusable "cannot enable${enable} in $CG/cgroup.subtree_control"
        return 0
    fi
    log "cgroup v2: enabled${enable} for the jails"
}

setup_v1() {
    for controller in $CONTROLLERS; do
        if [ ! -d "$CG/$controller" ]; then
            unusable "cgroup v1 controller $controller is not mounted"
            return 0
        fi
        if ! make_writable "$CG/$controller"; then
            unusable "$CG/$controller is read-only and cannot be remounted (needs" \
                "CAP_SYS_ADMIN and AppArmor unconfined)"
            return 0
        fi
    done
    log "cgroup v1: $CONTROLLERS writable for the jails"
}

if [ -f "$CG/cgroup.controllers" ]; then
    setup_v2
elif [ -d "$CG/memory" ]; then
    setup_v1
else
    unusable "no cgroup hierarchy under $CG"
fi

exec "$@"
