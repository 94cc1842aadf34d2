#!/usr/bin/env bash
# The fast example: build the program to sBPF, then run a scripted sale
# in LiteSVM (no node, no database) and print what happened. The main job is scripts/run.sh.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$ROOT/scripts/env.sh"
"$ROOT/scripts/build-program.sh"
cd "$ROOT"
cargo run --locked -q -p bitticket-tests --bin demo
