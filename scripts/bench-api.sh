#!/usr/bin/env bash
# The API's load bench: installs oha (once, into ~/.cache/bitticket/tools), starts a
# private Postgres and Redis on loopback, runs api/benches/load.rs, stops them.
#   BENCH_SECS (10), BENCH_CONCURRENCY (8), BENCH_PG_PORT (57432), BENCH_REDIS_PORT (57379)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$ROOT/scripts/env.sh"
TOOLS=${BITTICKET_TOOLS:-$HOME/.cache/bitticket/tools}
if [ ! -x "$TOOLS/bin/oha" ]; then
  cargo install --locked oha --root "$TOOLS" >&2
fi
dir=$(mktemp -d /tmp/bitticket-bench.XXXXXX)
chmod 755 "$dir"
trap '"$ROOT/scripts/pg.sh" stop "$dir/pg" || true; "$ROOT/scripts/redis.sh" stop "$dir/redis" || true; rm -rf "$dir"' EXIT
BITTICKET_TEST_PG=$("$ROOT/scripts/pg.sh" start "$dir/pg" "${BENCH_PG_PORT:-57432}")
BITTICKET_TEST_REDIS=$("$ROOT/scripts/redis.sh" start "$dir/redis" "${BENCH_REDIS_PORT:-57379}")
export BITTICKET_TEST_PG BITTICKET_TEST_REDIS OHA="$TOOLS/bin/oha"
cd "$ROOT"
cargo bench --locked -q -p bitticket-api --bench load
