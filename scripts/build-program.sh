#!/usr/bin/env bash
# Fresh Debian machine -> target/deploy/bitticket.so, with the registry-only sBPF route in
# tools/sbf (Debian rustc-web 1.96 + LLVM 22 + sbpf-linker). Where Solana's official
# toolchain is installed, `anchor build` does the same job.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$ROOT/scripts/env.sh"

"$ROOT/tools/sbf/install.sh"
"$ROOT/tools/sbf/build-program.sh" --out "$ROOT/target/deploy/bitticket.so" "$ROOT/programs/bitticket"
# the indexer's tests load a hostile program beside ours (tests/forger: forged event logs)
"$ROOT/tools/sbf/build-program.sh" --out "$ROOT/target/deploy/forger.so" "$ROOT/tests/forger"
