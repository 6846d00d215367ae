#!/usr/bin/env bash
# The Prometheus alert rules (deploy/prometheus/sac-alerts.yml) through Prometheus's own
# evaluator: they load, and each fires on the trouble it names and stays quiet when healthy
# (deploy/prometheus/sac-alerts.test.yml). promtool comes from Debian's prometheus package;
# `deploy/dev.sh test` puts it in build/tools/ without installing the server.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PROMTOOL=$ROOT/build/tools/promtool
[ -x "$PROMTOOL" ] || PROMTOOL=$(command -v promtool || true)
if [ -z "$PROMTOOL" ]; then
  echo "promtool not found: deploy/dev.sh test fetches it into build/tools/" >&2
  exit 1
fi
"$PROMTOOL" check rules "$ROOT/deploy/prometheus/sac-alerts.yml"
cd "$ROOT/deploy/prometheus" && "$PROMTOOL" test rules sac-alerts.test.yml
