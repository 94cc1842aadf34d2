#!/usr/bin/env bash
# The main job on embedded defaults: build the program to sBPF, then run the scripted sale
# in LiteSVM and print what happened.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$ROOT/scripts/env.sh"
"$ROOT/scripts/build-program.sh"
cd "$ROOT"
cargo run --locked -q -p bitticket-tests --bin demo
