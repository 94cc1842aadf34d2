#!/usr/bin/env bash
# The main job: all of BitTicket on a real local chain, on embedded defaults.
#   scripts/run.sh          build what is missing, start everything, run the demo sale,
#                           then keep running until Ctrl-C (which stops every process started here)
#   scripts/run.sh --exit   the same, ending after the demo (CI)
# Builds (cached outside the checkout): the program to sBPF, solana-test-validator, the
# services. Starts on loopback: the validator with the program (RPC 8899, the Solana CLI's
# `localhost`), a private Postgres and Redis, the indexer and the API (8080); all their data
# under one directory, fresh each run. Then the demo (`bitticket-demo`) runs a sale through
# the CLI's library and prints what the API says happened.
#   BITTICKET_DATA (/tmp/bitticket-run), RUN_RPC_PORT (8899; PubSub on the next port),
#   RUN_FAUCET_PORT (9900), RUN_API_PORT (8080), RUN_PG_PORT (54329), RUN_REDIS_PORT (16380),
#   RUN_METRICS_PORT (9464 the indexer, +1 the API), RUN_PREBUILT=1 (the test command: the
#   services' binaries are current already), RUN_THEN (a shell command run after the demo
#   against the running stack, with BITTICKET_RPC and BITTICKET_API set; its failure fails
#   the run: the test command's live checks)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$ROOT/scripts/env.sh"
EXIT_AFTER_DEMO=0
for a in "$@"; do
  case "$a" in
    --exit) EXIT_AFTER_DEMO=1 ;;
    *) echo "usage: scripts/run.sh [--exit]" >&2; exit 2 ;;
  esac
done
DATA=${BITTICKET_DATA:-/tmp/bitticket-run}
RPC_PORT=${RUN_RPC_PORT:-8899}
API_PORT=${RUN_API_PORT:-8080}
PG_PORT=${RUN_PG_PORT:-54329}
REDIS_PORT=${RUN_REDIS_PORT:-16380}
METRICS_PORT=${RUN_METRICS_PORT:-9464}
say() { echo "run: $*" >&2; }

# --- install and build what is missing -------------------------------------------------------
"$ROOT/scripts/setup.sh"
"$ROOT/scripts/build-program.sh"
VALIDATOR=$("$ROOT/scripts/validator/build.sh" | tail -n 1)
if [ "${RUN_PREBUILT:-0}" != 1 ]; then
  (cd "$ROOT" && cargo build --locked -q --workspace --bins)
fi
BIN=$CARGO_TARGET_DIR/debug
for b in bitticket-indexer bitticket-api bitticket-demo bitticket; do
  [ -x "$BIN/$b" ] || { echo "run: $BIN/$b is missing" >&2; exit 1; }
done

# --- start, and stop everything on the way out ---------------------------------------------
PIDS=()
stop_all() {
  trap - EXIT INT TERM
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  done
  "$ROOT/scripts/pg.sh" stop "$DATA/pg" || true
  "$ROOT/scripts/redis.sh" stop "$DATA/redis" || true
  say "stopped"
}
trap stop_all EXIT
trap 'exit 130' INT TERM
if [ -d "$DATA" ]; then
  # a run left behind by a killed shell: its servers go first
  "$ROOT/scripts/pg.sh" stop "$DATA/pg" 2>/dev/null || true
  "$ROOT/scripts/redis.sh" stop "$DATA/redis" 2>/dev/null || true
  rm -rf "$DATA"
fi
mkdir -p "$DATA/logs"
chmod 755 "$DATA"
ports_free RUN_RPC_PORT="$RPC_PORT" RUN_RPC_PORT="$((RPC_PORT + 1))" RUN_FAUCET_PORT="${RUN_FAUCET_PORT:-9900}" \
  RUN_API_PORT="$API_PORT" RUN_PG_PORT="$PG_PORT" RUN_REDIS_PORT="$REDIS_PORT" \
  RUN_METRICS_PORT="$METRICS_PORT" RUN_METRICS_PORT="$((METRICS_PORT + 1))"
: >"$DATA/pids"

# the id the program was built with (programs/bitticket/build.rs): the override, or its default
program_id=${BITTICKET_PROGRAM_ID:-$(sed -n 's/^const DEFAULT: &str = "\(.*\)";$/\1/p' "$ROOT/programs/bitticket/build.rs")}
started=$(RPC_PORT=$RPC_PORT FAUCET_PORT=${RUN_FAUCET_PORT:-9900} \
  "$ROOT/scripts/validator/start.sh" "$program_id" "$ROOT/target/deploy/bitticket.so" "$DATA/ledger" \
  --dynamic-port-range 38000-38200 --gossip-port 38201 | tail -n 1)
PIDS+=("${started#pid }"); echo "${started#pid }" >>"$DATA/pids"
RPC=http://127.0.0.1:$RPC_PORT
say "validator $RPC ($VALIDATOR)"

admin=$("$ROOT/scripts/pg.sh" start "$DATA/pg" "$PG_PORT")
psql -q "$admin" -c "CREATE DATABASE bitticket" >/dev/null
DB=${admin%/postgres}/bitticket
REDIS=$("$ROOT/scripts/redis.sh" start "$DATA/redis" "$REDIS_PORT")
echo "$(cat "$DATA/redis/redis.pid")" >>"$DATA/pids"
say "postgres 127.0.0.1:$PG_PORT/bitticket (password authentication), redis $REDIS"

# three roles: the owner applies the migrations; the indexer writes the mirror as
# bitticket_indexer (DML on the mirror's tables, nothing else); the API reads as
# bitticket_api. Files holding a password are readable by their owner only
secret() { head -c 32 /dev/urandom | base64 | tr -d '\n'; }
password() { head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
umask 077
"$BIN/bitticket-indexer" --database-url "$DB" migrate >"$DATA/logs/migrate.log" 2>&1 \
  || { cat "$DATA/logs/migrate.log" >&2; exit 1; }
api_pw=$(password)
indexer_pw=$(password)
psql -q "$DB" -c "ALTER ROLE bitticket_api LOGIN PASSWORD '$api_pw'" \
  -c "ALTER ROLE bitticket_indexer LOGIN PASSWORD '$indexer_pw'" >/dev/null
cat >"$DATA/indexer.env" <<EOT
DATABASE_URL=postgres://bitticket_indexer:$indexer_pw@127.0.0.1:$PG_PORT/bitticket
BITTICKET_RPC_URLS=$RPC
BITTICKET_WS_URLS=ws://127.0.0.1:$((RPC_PORT + 1))
BITTICKET_METRICS_ADDR=127.0.0.1:$METRICS_PORT
EOT
"$BIN/bitticket-indexer" --config "$DATA/indexer.env" run >"$DATA/logs/indexer.log" 2>&1 &
PIDS+=("$!"); echo "$!" >>"$DATA/pids"

cat >"$DATA/api.env" <<EOT
BITTICKET_API_DATABASE_URL=postgres://bitticket_api:$api_pw@127.0.0.1:$PG_PORT/bitticket
BITTICKET_API_ACCESS_KEY=$(secret)
BITTICKET_API_QR_MASTER_KEY=$(secret)
BITTICKET_API_REDIS_URL=$REDIS
BITTICKET_API_RPC_URL=$RPC
BITTICKET_API_LISTEN=127.0.0.1:$API_PORT
BITTICKET_API_METRICS_LISTEN=127.0.0.1:$((METRICS_PORT + 1))
BITTICKET_API_DOMAIN=127.0.0.1:$API_PORT
BITTICKET_API_DOOR_DIR=$ROOT/clients/door/dist
EOT
umask 022
BITTICKET_API_ENV_FILE=$DATA/api.env "$BIN/bitticket-api" >"$DATA/logs/api.log" 2>&1 &
PIDS+=("$!"); echo "$!" >>"$DATA/pids"
API=http://127.0.0.1:$API_PORT
for _ in $(seq 1 150); do
  curl -sf "$API/health/live" >/dev/null 2>&1 && break
  kill -0 "${PIDS[-1]}" 2>/dev/null || { cat "$DATA/logs/api.log" >&2; exit 1; }
  sleep 0.2
done
say "indexer (metrics 127.0.0.1:$METRICS_PORT), API $API (metrics 127.0.0.1:$((METRICS_PORT + 1))); logs in $DATA/logs"
if [ -f "$ROOT/clients/door/dist/index.html" ]; then
  say "the door page: $API/door/"
else
  say "the door page is served at $API/door/ once built (cd clients/door && npm ci && npm run build)"
fi

# --- the demo --------------------------------------------------------------------------------
# the demo's admin token goes to a file of mode 600, never to the log
BITTICKET_DEMO_TOKEN_FILE=$DATA/admin.token "$BIN/bitticket-demo" "$RPC" "$API"
if [ -n "${RUN_THEN:-}" ]; then
  say "then: $RUN_THEN"
  BITTICKET_RPC=$RPC BITTICKET_API=$API bash -c "$RUN_THEN"
fi
if [ "$EXIT_AFTER_DEMO" = 1 ]; then
  exit 0
fi
say "everything keeps running; the CLI works against it (export PATH=\"$BIN:\$PATH\"; bitticket --url localhost ...). Ctrl-C stops it all"
wait "${PIDS[-1]}"
