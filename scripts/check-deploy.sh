#!/usr/bin/env bash
# Checks the deployment files as far as a machine without a container registry can:
# the compose file with compose's own validator (Debian's docker-compose), Prometheus's
# config and alert rules with promtool (Debian's prometheus) and the alerts' unit tests,
# and that every metric the dashboard and the alerts use is one the services export.
# The images themselves are not built here (no base image can be pulled).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$ROOT/scripts/env.sh"
need docker-compose docker-compose
need promtool prometheus
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# compose refuses secrets whose files are missing: stand-ins, in a copy
cp -r "$ROOT/deploy" "$tmp/deploy"
for f in postgres_password api_db_password indexer_db_password grafana_admin_password \
  migrate.env indexer.env api.env; do
  : >"$tmp/deploy/secrets/$f"
done
docker-compose -f "$tmp/deploy/compose.yaml" --profile localnet config -q
echo "compose: deploy/compose.yaml is valid"
(cd "$ROOT/deploy/prometheus" && promtool check config prometheus.yml >/dev/null \
  && promtool test rules alerts_test.yml >/dev/null)
echo "prometheus: config, rules and rule tests pass"
python3 - "$ROOT" <<'PY'
import json, re, sys, pathlib
root = pathlib.Path(sys.argv[1])
src = "".join(p.read_text() for d in ("api/src", "indexer/src", "client/src") for p in (root / d).rglob("*.rs"))
exported = set(re.findall(r'(?:counter|gauge|histogram)!\(\s*"([a-z_]+)"', src))
dash = json.loads((root / "deploy/grafana/dashboards/bitticket.json").read_text())
exprs = [t["expr"] for p in dash["panels"] for t in p["targets"]]
exprs += re.findall(r"expr: (.+)", (root / "deploy/prometheus/alerts.yml").read_text())
exprs += re.findall(r"expr: \|\n((?:\s{10}.+\n)+)", (root / "deploy/prometheus/alerts.yml").read_text())
used = {m for e in exprs for m in re.findall(r"\b((?:api|indexer)_[a-z_]+)", e)}
base = {re.sub(r"_(bucket|sum|count)$", "", m) for m in used}
unknown = sorted(m for m in base if m not in exported)
if unknown:
    sys.exit(f"dashboard/alerts use metrics no service exports: {unknown}")
print(f"grafana: {len(dash['panels'])} panels; {len(base)} metrics, all exported")
PY
