#!/usr/bin/env bash
# Writes deploy/secrets/ for the compose file with fresh random secrets (refuses to
# overwrite). Usage: scripts/deploy-secrets.sh [API_DOMAIN]
set -euo pipefail
dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/../deploy" && pwd)/secrets
[ -e "$dir/api.env" ] && { echo "$dir already holds secrets" >&2; exit 1; }
mkdir -p "$dir"; umask 077
rand() { head -c 32 /dev/urandom | base64 | tr -d '\n'; }
hex() { head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
pg=$(hex); api=$(hex); indexer=$(hex)
echo "$pg" >"$dir/postgres_password"
echo "$api" >"$dir/api_db_password"
echo "$indexer" >"$dir/indexer_db_password"
hex >"$dir/grafana_admin_password"
cat >"$dir/migrate.env" <<EOT
DATABASE_URL=postgres://bitticket:$pg@postgres:5432/bitticket
EOT
cat >"$dir/indexer.env" <<EOT
DATABASE_URL=postgres://bitticket_indexer_login:$indexer@postgres:5432/bitticket
EOT
cat >"$dir/api.env" <<EOT
BITTICKET_API_DATABASE_URL=postgres://bitticket_api_login:$api@postgres:5432/bitticket
BITTICKET_API_ACCESS_KEY=$(rand)
BITTICKET_API_QR_MASTER_KEY=$(rand)
BITTICKET_API_DOMAIN=${1:-localhost:8080}
EOT
echo "secrets written to $dir (Grafana's admin password: $dir/grafana_admin_password)"
