# Sourced by scripts/test.sh: a private Postgres and a solana-test-validator (with the
# program at its id) on loopback, under one temporary directory, stopped on exit.
# Exports BITTICKET_TEST_PG (admin URL), BITTICKET_TEST_REDIS, BITTICKET_TEST_RPC and BITTICKET_TEST_WS.
#   TEST_PG_PORT (55432), TEST_REDIS_PORT (16379), TEST_RPC_PORT (18899; PubSub on the next port),
#   TEST_FAUCET_PORT (19900)
rpc_port=${TEST_RPC_PORT:-18899}
ports_free TEST_PG_PORT="${TEST_PG_PORT:-55432}" TEST_REDIS_PORT="${TEST_REDIS_PORT:-16379}" \
  TEST_RPC_PORT="$rpc_port" TEST_RPC_PORT="$((rpc_port + 1))" TEST_FAUCET_PORT="${TEST_FAUCET_PORT:-19900}"
SERVICES_DIR=$(mktemp -d /tmp/bitticket-test.XXXXXX)
chmod 755 "$SERVICES_DIR"
services_stop() {
  # every step tolerates failure: this runs in an EXIT trap under `set -e`
  if [ -n "${VALIDATOR_PID:-}" ]; then
    kill "$VALIDATOR_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$VALIDATOR_PID" 2>/dev/null || break; sleep 0.2; done
  fi
  "$ROOT/scripts/pg.sh" stop "$SERVICES_DIR/pg" || true
  "$ROOT/scripts/redis.sh" stop "$SERVICES_DIR/redis" || true
  rm -rf "$SERVICES_DIR" || true
}
# the id the program was built with (programs/bitticket/build.rs): the override, or its default
PROGRAM_ID=${BITTICKET_PROGRAM_ID:-$(sed -n 's/^const DEFAULT: &str = "\(.*\)";$/\1/p' "$ROOT/programs/bitticket/build.rs")}
FORGER_ID=$(grep -o 'declare_id!("[^"]*")' "$ROOT/tests/forger/src/lib.rs" | cut -d'"' -f2)
BITTICKET_TEST_PG=$("$ROOT/scripts/pg.sh" start "$SERVICES_DIR/pg" "${TEST_PG_PORT:-55432}")
BITTICKET_TEST_REDIS=$("$ROOT/scripts/redis.sh" start "$SERVICES_DIR/redis" "${TEST_REDIS_PORT:-16379}")
# the validator builds once (about 30 minutes cold) into a cache outside the checkout
started=$(RPC_PORT=$rpc_port FAUCET_PORT=${TEST_FAUCET_PORT:-19900} \
  "$ROOT/scripts/validator/start.sh" "$PROGRAM_ID" "$ROOT/target/deploy/bitticket.so" "$SERVICES_DIR/ledger" \
  --bpf-program "$FORGER_ID" "$ROOT/target/deploy/forger.so" \
  --dynamic-port-range 18000-18200 --gossip-port 18201 | tail -n 1)
VALIDATOR_PID=${started#pid }
export BITTICKET_TEST_PG BITTICKET_TEST_REDIS BITTICKET_TEST_RPC="http://127.0.0.1:$rpc_port" BITTICKET_TEST_WS="ws://127.0.0.1:$((rpc_port + 1))"
echo "services: postgres 127.0.0.1:${TEST_PG_PORT:-55432} (password in $SERVICES_DIR/pg/password), redis $BITTICKET_TEST_REDIS, validator $BITTICKET_TEST_RPC (pid $VALIDATOR_PID)" >&2
