#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian 12 machine (as root) into .venv.
# Idempotent: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
EXTRAS=${EXTRAS:-dev}

apt_install() {
    if [ "$(id -u)" != 0 ]; then
        echo "missing system packages ($*); run as root or install them" >&2
        exit 1
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

pick_python() {
    for candidate in python3.11 python3; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
            echo "$candidate"
            return
        fi
    done
}

PYTHON=$(pick_python)
if [ -z "$PYTHON" ]; then
    apt_install python3 python3-venv python3-pip
    PYTHON=$(pick_python)
fi
if ! "$PYTHON" -c 'import venv, ensurepip' >/dev/null 2>&1; then
    apt_install python3-venv
fi
if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
fi

stamp="$VENV/.installed-$EXTRAS"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    "$VENV/bin/python" -m pip install -q --upgrade pip
    "$VENV/bin/python" -m pip install -q -e ".[$EXTRAS]"
    touch "$stamp"
fi
