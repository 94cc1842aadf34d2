#!/usr/bin/env bash
# Fresh Debian machine -> target/deploy/bitticket.so, with the registry-only sBPF route in
# tools/sbf (Debian rustc-web 1.96 + LLVM 22 + sbpf-linker). Where Solana's official
# toolchain is installed, `anchor build` does the same job.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export SBF_HOME=${SBF_HOME:-$HOME/.cache/sbf-toolchain}
# the sBPF target dir lives outside the checkout so a fresh clone reuses it
export CARGO_TARGET_DIR_SBF=${CARGO_TARGET_DIR_SBF:-$HOME/.cache/bitticket/sbf-target}
"$ROOT/tools/sbf/install.sh"
"$ROOT/tools/sbf/build-program.sh" --out "$ROOT/target/deploy/bitticket.so" "$ROOT/programs/bitticket"
