# Sourced by the scripts: shared settings for host builds.
# Host crates must build on rustc 1.95; let cargo pick versions that fit.
export CARGO_RESOLVER_INCOMPATIBLE_RUST_VERSIONS=fallback
# Build caches live outside the checkout so a fresh clone reuses them.
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/bitticket/target}
export CARGO_TARGET_DIR_SBF=${CARGO_TARGET_DIR_SBF:-$HOME/.cache/bitticket/sbf-target}
export SBF_HOME=${SBF_HOME:-$HOME/.cache/sbf-toolchain}
# System packages come from scripts/setup.sh alone; a script that needs a command checks it
# with `need COMMAND PACKAGE` and points there instead of installing it
# `ports_free NAME=PORT ...`: each port must be free on loopback, or a clear message names
# the setting that moves it (a busy port would otherwise surface as a confusing failure later)
ports_free() {
  local a
  for a in "$@"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/${a#*=}") 2>/dev/null; then
      echo "port ${a#*=} on 127.0.0.1 is in use: stop what holds it, or set ${a%%=*}" >&2
      exit 1
    fi
  done
}
need() {
  command -v "$1" >/dev/null 2>&1 && return 0
  echo "$1 not found (Debian package $2): run scripts/setup.sh" >&2
  exit 1
}
