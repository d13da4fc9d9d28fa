#!/usr/bin/env bash
# campaign.sh BIN OUT: held out for local-to-cluster, with the local logs taken in the same session as
# the cluster runs (host drift between sessions: docs/validation/2026-12-07-cold.md). nb-tvs, glr-cv and
# rf-tvs, fresh, at 4 partitions: in local[2] (serial, two runs: the logs whatif predicts from), then on
# the standalone 2 x 1, 2 x 2 and 3 x 1 clusters sharing this 2-core host (parallelism 1, 2 and 4, two
# runs each), each run's CPU from /proc in its results.json; logs kept in this directory's local/, sa21/,
# sa22/ and sa31/. Run it alone: about 45 minutes.
set -euo pipefail
BIN=$(realpath "$1"); OUT=$(realpath -m "$2"); HERE=$(cd "$(dirname "$0")" && pwd); cd "$HERE/../.."
PY=spark/.venv/bin/python; VP=spark/tools/validate_pipelines.py
COMMON=(--pipelines nb-tvs,glr-cv,rf-tvs --runs 2 --fresh --partitions 4 --simulate "$BIN" --serial-log median
        --keep-serial-only --run-timeout 200)
TUNESIM_BIN=$BIN $PY $VP --out-dir "$OUT/local" --parallelism 1 --master "local[2]" "${COMMON[@]}" \
  --keep "$HERE/local"
for shape in 2x1 2x2 3x1; do
  w=${shape%x*}; c=${shape#*x}
  URL=$(spark/cluster up --workers "$w" --cores "$c" | tail -1)
  TUNESIM_BIN=$BIN $PY $VP --out-dir "$OUT/sa$w$c" --parallelism 1,2,4 --master "$URL" "${COMMON[@]}" \
    --keep "$HERE/sa$w$c" || echo "campaign: sa$w$c failed" >&2
  spark/cluster down
done
