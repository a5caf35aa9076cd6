#!/usr/bin/env bash
# Installs what `make validate-deploy` and tests/deploy need beside the Python packages of the
# dev extra (kubernetes-validate, PyYAML): kubectl (its `kustomize` renders k8s/) and
# docker-compose (`config -q` checks docker-compose.yml; no Docker engine is needed for that),
# and redis-server, which the queue tests and benchmark start on a free loopback port.
#
# Idempotent and quick when nothing is missing: apt-get runs only for a missing command.
# Debian 12's kubernetes-client is kubectl 1.20 (kustomize v2.0.3), which k8s/ is written to
# build with; a newer kubectl already on PATH is kept.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive
started=$SECONDS

# "command package": the package is installed unless the command is on PATH.
TOOLS=(
  "kubectl kubernetes-client"
  "docker-compose docker-compose"
  "redis-server redis-server"
)

missing=()
for entry in "${TOOLS[@]}"; do
  read -r command package <<<"$entry"
  command -v "$command" >/dev/null 2>&1 || missing+=("$package")
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install_deploy_tools: kubectl, docker-compose and redis-server present ($((SECONDS - started))s)"
  exit 0
fi

SUDO=()
if [[ $EUID -ne 0 ]]; then
  if ! sudo -n true 2>/dev/null; then
    echo "install_deploy_tools: missing ${missing[*]}; run as root to install them" >&2
    exit 1
  fi
  SUDO=(sudo -n)
fi

# Third-party sources failing to refresh must not stop Debian's.
"${SUDO[@]}" apt-get update -q >/dev/null || echo "install_deploy_tools: apt-get update had errors" >&2
"${SUDO[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
echo "install_deploy_tools: installed ${missing[*]} in $((SECONDS - started))s"
