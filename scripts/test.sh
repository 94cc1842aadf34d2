#!/usr/bin/env bash
# Every test: build the program to sBPF, check the IDL is current, run all tests against
# the real .so in LiteSVM and (the indexer's) on a real validator and Postgres started
# here on loopback, and print the figures (compute units, size, write set).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$ROOT/scripts/env.sh"
T0=$(date +%s)
stage() { echo "test.sh: $1 after $(( $(date +%s) - T0 )) s" >&2; }
# every system package, in one apt-get, before anything starts in the background
"$ROOT/scripts/setup.sh"
# the validator (about 30 minutes cold, once) builds beside everything up to the indexer's
# tests: its long single-crate stretches leave a core to the rest
validator_log=$(mktemp)
"$ROOT/scripts/validator/build.sh" >"$validator_log" 2>&1 &
validator_build=$!
"$ROOT/scripts/build-program.sh"
stage "program built"
cd "$ROOT"
# every test binary (and the bins the tests use), while the validator may still be
# building; always `--workspace`, so that one feature set is built once
# BITTICKET_CLIPPY=1 (.ci/run): clippy's lints (-D warnings) run inside this very build, on
# every workspace target, instead of a separate `cargo clippy` that would check all ~800
# dependencies a second time; the test run below uses the same setting, so nothing rebuilds
clippy=()
if [ "${BITTICKET_CLIPPY:-0}" = 1 ]; then
  driver=$(rustup which clippy-driver 2>/dev/null || command -v clippy-driver)
  clippy=(env RUSTC_WORKSPACE_WRAPPER="$driver" CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__")
fi
"${clippy[@]}" cargo test --locked -q --workspace --all-targets --no-run
stage "test binaries built"
# rustup's RUSTUP_TOOLCHAIN would make the IDL builder call `cargo +<toolchain>`
env -u RUSTUP_TOOLCHAIN "$CARGO_TARGET_DIR/debug/idl" --check
"$CARGO_TARGET_DIR/debug/bench"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
# the IDL as a standard client sees it (@anchor-lang/core with the machine's Node.js):
# it needs no Solana node, so it runs while the validator may still be building
set +e
(cd "$ROOT/tests/ts" && npm ci --silent --no-audit --no-fund && node --test) 2>&1 | tee "$out"
ts=${PIPESTATUS[0]}
# the TypeScript SDK: installed; its `prepare` checks the IDL module current and compiles
# (tested below, its `npm pack` tarball installed into an empty project among them)
(cd "$ROOT/clients/ts" && npm ci --silent --no-audit --no-fund) 2>&1 | tee -a "$out"
sdk_build=${PIPESTATUS[0]}
set -e
# the deployment files (compose, Prometheus, Grafana) as far as this machine can check them
"$ROOT/scripts/check-deploy.sh"
if ! wait "$validator_build"; then
  cat "$validator_log" >&2
  echo "test.sh: building solana-test-validator failed" >&2
  exit 1
fi
grep -h "^built in" "$validator_log" >&2 || true
stage "validator ready"
rm -f "$validator_log"
# a private Postgres and a validator for the indexer's tests, stopped on exit
. "$ROOT/scripts/services.sh"
trap 'rm -f "$out"; services_stop' EXIT
set +e
"${clippy[@]}" cargo test --locked --workspace --no-fail-fast 2>&1 | tee -a "$out"
rc=${PIPESTATUS[0]}
# the SDK's tests send a purchase, a transfer and a check-in to the validator
if [ "$sdk_build" -eq 0 ]; then
  (cd "$ROOT/clients/ts" && node --test dist/test/) 2>&1 | tee -a "$out"
  sdk=${PIPESTATUS[0]}
else
  sdk=$sdk_build
fi
set -e
stage "tests run"
# the main job as a user runs it (on its own ports, beside the test services): the demo
# completes and reads the sold tickets back from the API; afterwards no process it
# started is left
# then, against that stack, the SDK's API client as an app uses it (clients/ts/live) and the
# README's "first ten minutes" for each kind of user, as written (scripts/first-ten.sh)
run_data=$(mktemp -d /tmp/bitticket-run.XXXXXX)
live="'$ROOT/scripts/first-ten.sh'"
if [ "$sdk_build" -eq 0 ]; then live="(cd '$ROOT/clients/ts' && node --test dist/live/) && (cd '$ROOT/clients/door' && npm ci --silent --no-audit --no-fund && npm run build && node --test test/) && $live"; fi
set +e
BITTICKET_DATA=$run_data RUN_PREBUILT=1 RUN_THEN="$live" "$ROOT/scripts/run.sh" --exit >"$run_data.log" 2>&1
main_rc=$?
set -e
left=""
for pid in $(cat "$run_data/pids" 2>/dev/null || true); do
  if kill -0 "$pid" 2>/dev/null; then left="$left $pid"; fi
done
left="$left $( (pgrep -f "$run_data" || true) | tr '\n' ' ')"
# no secret reaches the log: no token, no Postgres password
if [ "$main_rc" -eq 0 ] && [ -z "${left// /}" ] && grep -q "^tickets listed for the organizer: 52\|  tickets listed for the organizer: 52" "$run_data.log" \
   && ! grep -q "Bearer ey" "$run_data.log"; then
  grep -v "^\[sbf\|^sbf-build\|Compiling\|Finished" "$run_data.log" | tee -a "$out" || true
  echo "main job: passed" | tee -a "$out"
else
  cat "$run_data.log" >&2
  echo "main job: FAILED (exit $main_rc; processes left:${left:- none})" | tee -a "$out"
  rc=1
fi
rm -rf "$run_data" "$run_data.log"
stage "main job run"
# one closing line that sums every test binary (cargo's own last line is a doc-test run)
awk '/^test result:/ { p += $4; f += $6 } /^# pass / { p += $3 } /^# fail / { f += $3 }
  /^main job: passed/ { p += 1 } /^main job: FAILED/ { f += 1 }
  /^first ten minutes: .* passed$/ { p += 1 } /^first ten minutes: .* FAILED/ { f += 1 }
  END { printf "tests: %d passed, %d failed\n", p, f }' "$out"
[ "$rc" -eq 0 ] && [ "$ts" -eq 0 ] && [ "$sdk" -eq 0 ]
