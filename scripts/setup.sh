#!/usr/bin/env bash
# The one place that installs the system packages BitTicket needs, on Debian 12 (bookworm,
# with bookworm-security). scripts/run.sh, scripts/test.sh and .ci/run call it first,
# before anything starts in the background; every other script only checks what it needs
# and points here.
#   scripts/setup.sh          install what is missing (as root, or through sudo), then check
#                             the versions the sBPF toolchain needs
#   scripts/setup.sh --check  install nothing: list what is missing, exit 1 if anything is
# Quick and silent when everything is present (one dpkg-query). When something is missing:
# one `apt-get update` and one `apt-get install --no-install-recommends`, both waiting for
# apt's and dpkg's locks (SETUP_APT_LOCK_TIMEOUT seconds, 600), so that another apt-get on
# the machine (unattended upgrades, a second checkout's setup) delays it instead of failing it.
set -euo pipefail

# what needs each package (installed without recommends: the ones needed are named here)
PACKAGES=(
  # the sBPF toolchain (tools/sbf): Debian's Rust >= 1.96 built on LLVM 22, LLVM 22 itself
  # for sbpf-linker and the fixup pass, g++ for that pass, python3 to patch std
  rustc-web cargo-web rust-web-src rust-web-llvm llvm-22-dev libllvm22 g++ python3
  # solana-test-validator's build (scripts/validator/build.sh): libclang for bindgen
  # (RocksDB), protoc with its well-known types, libudev, OpenSSL, cmake
  clang libclang-dev libclang-rt-14-dev protobuf-compiler libprotobuf-dev libudev-dev
  libssl-dev pkg-config cmake
  # the services the tests and the main job start on loopback (scripts/pg.sh, redis.sh)
  postgresql postgresql-client redis-server
  # the deployment checks (scripts/check-deploy.sh): compose's validator and promtool
  docker-compose prometheus
  # cargo deny's pinned download (scripts/deny.sh); the scripts' own tools
  python3-pip ca-certificates curl jq util-linux procps iproute2
  # the door page's browser test (clients/door/test): headless Chromium, driven by
  # puppeteer-core, and a font for its screenshots' text
  chromium fonts-dejavu-core
)
# the sBPF toolchain's floor: rustc-web at least this, on this LLVM major
RUST_MIN=1.96.0
LLVM_MAJOR=22

say() { echo "setup: $*" >&2; }
check_only=0
case "${1:-}" in
  --check) check_only=1 ;;
  "") ;;
  *) echo "usage: scripts/setup.sh [--check]" >&2; exit 2 ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  say "this is not a Debian-based system (no dpkg/apt-get); see README.md, \"Supported systems\""
  exit 1
fi

missing() {
  local p status
  for p in "${PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
    [ "$status" = installed ] || echo "$p"
  done
}
mapfile -t need < <(missing)

if [ ${#need[@]} -gt 0 ]; then
  if [ "$check_only" = 1 ]; then
    say "missing Debian packages: ${need[*]} (run scripts/setup.sh)"
    exit 1
  fi
  SUDO=()
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || { say "installing ${need[*]} needs root or sudo"; exit 1; }
    SUDO=(sudo)
  fi
  wait_s=${SETUP_APT_LOCK_TIMEOUT:-600}
  apt=("${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q -o "DPkg::Lock::Timeout=$wait_s"
       -o Acquire::Retries=3)
  say "installing ${#need[@]} Debian packages: ${need[*]}"
  t0=$(date +%s)
  # `apt-get update` takes the lists lock, which older apt does not wait for: retry
  # while another apt holds it, up to the same timeout
  until "${apt[@]}" update -qq; do
    [ $(( $(date +%s) - t0 )) -lt "$wait_s" ] || { say "apt-get update kept failing for ${wait_s}s"; exit 1; }
    say "apt-get update failed (another apt running?); retrying in 5 s"
    sleep 5
  done
  "${apt[@]}" install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  mapfile -t still < <(missing)
  [ ${#still[@]} -eq 0 ] || { say "still missing after apt-get install: ${still[*]}"; exit 1; }
  say "installed in $(( $(date +%s) - t0 )) s"
fi

# versions: the point releases of bookworm-security move (1.96.0+dfsg1-1~deb12u2 today);
# any rustc-web from RUST_MIN on, built on LLVM_MAJOR, will do
rust_v=$(/usr/bin/rustc --version | awk '{print $2}')
llvm_v=$(/usr/bin/rustc -vV | sed -n 's/^LLVM version: //p')
if [ "$(printf '%s\n%s\n' "$RUST_MIN" "$rust_v" | sort -V | head -n 1)" != "$RUST_MIN" ]; then
  say "Debian's rustc-web is $rust_v; the sBPF toolchain needs $RUST_MIN or later (bookworm-security)"
  exit 1
fi
if [ "${llvm_v%%.*}" != "$LLVM_MAJOR" ] || ! command -v "llvm-config-$LLVM_MAJOR" >/dev/null 2>&1; then
  say "rustc-web $rust_v is built on LLVM $llvm_v; the sBPF toolchain needs LLVM $LLVM_MAJOR (llvm-$LLVM_MAJOR-dev)"
  exit 1
fi
