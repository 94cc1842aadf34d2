#!/usr/bin/env bash
# Every test: build the program to sBPF, check the IDL is current, run all tests against
# the real .so in LiteSVM, and print the figures (compute units, size, write set).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$ROOT/scripts/env.sh"
"$ROOT/scripts/build-program.sh"
cd "$ROOT"
cargo build --locked -q -p bitticket-tests --bins --tests
# rustup's RUSTUP_TOOLCHAIN would make the IDL builder call `cargo +<toolchain>`
env -u RUSTUP_TOOLCHAIN "$CARGO_TARGET_DIR/debug/idl" --check
"$CARGO_TARGET_DIR/debug/bench"
cargo test --locked --workspace
