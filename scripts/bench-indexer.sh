#!/usr/bin/env bash
# The indexer's figures: the sink bench (ours vs per-row vs COPY, decode -> sink) and the
# chain bench (a 10k-purchase backfill from the validator, lag while tailing a sale),
# against a private Postgres and validator started here. BENCH_PURCHASES sets the size.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$ROOT/scripts/env.sh"
"$ROOT/scripts/build-program.sh"
cd "$ROOT"
cargo bench --locked -p bitticket-indexer --no-run
. "$ROOT/scripts/services.sh"
trap services_stop EXIT
PG_FSYNC=on cargo bench --locked -q -p bitticket-indexer --bench sink
cargo bench --locked -q -p bitticket-indexer --bench chain
