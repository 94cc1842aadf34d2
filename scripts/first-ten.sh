#!/usr/bin/env bash
# Walks README.md's "first ten minutes" as written: every fenced block that follows a line
# `<!-- first-ten: ROLE -->`, in the README's order, each in its own `bash -euo pipefail`,
# all in one scratch HOME (the trial's keys and files) against a running stack
# (scripts/run.sh's: the validator on localhost:8899, the API on 127.0.0.1:8080). The test
# command runs it through run.sh's RUN_THEN. Prints `first ten minutes: ROLE passed` per
# block after its output; the first block that fails stops it.
#   BITTICKET_REPO (this checkout), BITTICKET_BIN (the directory of the built binaries)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$ROOT/scripts/env.sh"
export BITTICKET_REPO=${BITTICKET_REPO:-$ROOT}
# the blocks name run.sh's default ports, as a reader's stack has them: a stack elsewhere
# would be tested by nothing (or another stack tested instead)
for want in "BITTICKET_RPC http://127.0.0.1:8899" "BITTICKET_API http://127.0.0.1:8080"; do
  set -- $want
  if [ -n "${!1:-}" ] && [ "${!1}" != "$2" ]; then
    echo "first-ten: the README's blocks use $2, but the stack's $1 is ${!1}" >&2
    exit 1
  fi
done
export PATH="${BITTICKET_BIN:-$CARGO_TARGET_DIR/debug}:$PATH"
trial=$(mktemp -d /tmp/bitticket-first-ten.XXXXXX)
trap 'rm -rf "$trial"' EXIT
# npm keeps its cache (the SDK's dependencies) where it was
export npm_config_cache=${npm_config_cache:-$HOME/.npm}
export HOME=$trial
blocks=$trial/blocks
mkdir -p "$blocks"
# ROLE<TAB>file per block, the block's lines in the file
awk -v dir="$blocks" '
  /^<!-- first-ten: [a-z-]+ -->$/ { role = $3; want = 1; next }
  want && /^```/ && !inside { inside = 1; n++; file = sprintf("%s/%02d-%s.sh", dir, n, role); next }
  inside && /^```/ { inside = 0; want = 0; close(file); next }
  inside { print > file }
' "$ROOT/README.md"
count=$(find "$blocks" -name '*.sh' | wc -l)
[ "$count" -ge 4 ] || { echo "first-ten: found $count blocks in README.md, expected one per role" >&2; exit 1; }
for f in "$blocks"/*.sh; do
  role=$(basename "$f" .sh); role=${role#*-}
  if ! (cd "$HOME" && bash -euo pipefail "$f") >"$f.log" 2>&1; then
    cat "$f.log" >&2
    echo "first ten minutes: $role FAILED (the README's block $(basename "$f"))" >&2
    exit 1
  fi
  sed 's/^/  /' "$f.log"
  echo "first ten minutes: $role passed"
done
