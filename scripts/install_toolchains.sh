#!/usr/bin/env bash
# Installs the language toolchains that sandboxes/languages.toml declares (Debian 12, as root).
#
# Idempotent and quick when nothing is missing: each toolchain is probed by a file it installs,
# and apt-get (update, then one install of everything missing) runs only when something is.
# Rust: the rustup install in /root/.rustup is used where it works; otherwise Debian's rustc.
# TypeScript: tsc type-checks against Node's type declarations, which Debian ships inside its
# own nodejs package; where Node came from elsewhere (NodeSource) they are taken from that .deb.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive
TYPES_DIR=/usr/local/share/verifier-service/typescript/types
started=$SECONDS

# "package probe": the package is installed unless the probe file exists.
TOOLCHAINS=(
  "python3 /usr/bin/python3"
  "gcc /usr/bin/gcc"
  "g++ /usr/bin/g++"
  "openjdk-17-jdk-headless /usr/bin/javac"
  "nodejs /usr/bin/node"
  "node-typescript /usr/bin/tsc"
  "golang-go /usr/bin/go"
  "ruby /usr/bin/ruby"
  "php-cli /usr/bin/php"
  "php-mbstring /usr/lib/php/20220829/mbstring.so"
  "perl /usr/bin/perl"
  "lua5.4 /usr/bin/lua5.4"
  "bash /usr/bin/bash"
  "ghc /usr/bin/ghc"
  "ocaml-nox /usr/bin/ocamlopt"
  "mono-runtime /usr/bin/mono"
  "mono-mcs /usr/lib/mono/4.5/mcs.exe"
  "libmono-system-numerics4.0-cil /usr/lib/mono/4.5/System.Numerics.dll"
  "kotlin /usr/share/kotlin/kotlinc/lib/kotlin-compiler.jar"
  "scala /usr/share/scala-2.11/lib/scala-compiler.jar"
  "r-base-core /usr/bin/Rscript"
  "racket /usr/bin/racket"
  "ldc /usr/bin/ldc2"
  "pypy3 /usr/bin/pypy3"
  "gfortran /usr/bin/gfortran"
  "nim /usr/bin/nim"
  "sbcl /usr/bin/sbcl"
  # Test libraries that assert-style benchmarks (MultiPL-E) use.
  "lua-unit /usr/share/lua/5.4/luaunit.lua"
  "libtest-deep-perl /usr/share/perl5/Test/Deep.pm"
  "libjavatuples-java /usr/share/java/javatuples.jar"
)

SUDO=()
if [[ $EUID -ne 0 ]]; then
  SUDO=(sudo -n)
fi

rustup_works() {
  [[ -x /root/.cargo/bin/rustc ]] &&
    RUSTUP_HOME=/root/.rustup /root/.cargo/bin/rustc --version >/dev/null 2>&1
}

node_types_present() {
  [[ -f $TYPES_DIR/node/index.d.ts ]]
}

missing=()
for entry in "${TOOLCHAINS[@]}"; do
  read -r package probe <<<"$entry"
  [[ -e $probe ]] || missing+=("$package")
done
if ! rustup_works && [[ ! -x /usr/local/bin/rustc && ! -x /usr/bin/rustc ]]; then
  missing+=(rustc)
fi

if [[ ${#missing[@]} -eq 0 ]] && node_types_present; then
  echo "install_toolchains: all ${#TOOLCHAINS[@]} toolchains present ($((SECONDS - started))s)"
  exit 0
fi

if [[ ${#SUDO[@]} -gt 0 ]] && ! sudo -n true 2>/dev/null; then
  echo "install_toolchains: missing ${missing[*]:-node types}; run as root to install them" >&2
  exit 1
fi

# Third-party sources (NodeSource, vendors) failing to refresh must not stop Debian's.
"${SUDO[@]}" apt-get update -q >/dev/null || echo "install_toolchains: apt-get update had errors" >&2
if [[ ${#missing[@]} -gt 0 ]]; then
  "${SUDO[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi

installed=("${missing[@]}")
if ! node_types_present; then
  installed+=("node-types")
  "${SUDO[@]}" mkdir -p "$TYPES_DIR"
  if [[ -f /usr/share/nodejs/@types/node/index.d.ts ]]; then
    "${SUDO[@]}" cp -r /usr/share/nodejs/@types/node "$TYPES_DIR/"
  else
    # Debian's nodejs provides node-types-node; take the declarations from that package.
    version=$(apt-cache show nodejs |
      awk '/^Version:/ { v = $2 } /^Provides:.*node-types-node/ && !found { found = v } END { print found }')
    if [[ -z $version ]]; then
      echo "install_toolchains: no Debian nodejs package to take Node's types from" >&2
      exit 1
    fi
    scratch=$(mktemp -d)
    trap 'rm -rf "$scratch"' EXIT
    chmod 0755 "$scratch"
    if id _apt >/dev/null 2>&1 && [[ $EUID -eq 0 ]]; then chown _apt "$scratch"; fi
    (cd "$scratch" && apt-get download -q "nodejs=$version" >/dev/null)
    dpkg-deb -x "$scratch"/nodejs_*.deb "$scratch/root"
    "${SUDO[@]}" cp -r "$scratch/root/usr/share/nodejs/@types/node" "$TYPES_DIR/"
  fi
  "${SUDO[@]}" chmod -R a+rX "$TYPES_DIR"
fi

if rustup_works && [[ $(stat -c %A /root/.rustup) != *r-x ]]; then
  echo "install_toolchains: /root/.rustup is not world-readable: the jail cannot use it" >&2
fi

echo "install_toolchains: installed ${installed[*]} in $((SECONDS - started))s"
