#!/usr/bin/env bash
# local_and_clusters.sh BIN OUT KEEP PIPELINES SHAPE...: a local-to-cluster campaign measured in one
# session (this host's speed drifts between sessions: docs/validation/2026-12-07-cold.md). The
# pipelines (comma-separated names of spark/pipelines.py), fresh, at 4 partitions: in local[2], serial,
# two runs (the logs whatif predicts from), then on each standalone cluster SHAPE (WxC: W workers of C
# cores, sharing this host; spark/cluster) at parallelism 1, 2 and 4, two runs each; each run's CPU
# from /proc in its results.json; serial logs and runs kept in KEEP/local and KEEP/saWC, the
# campaign's outputs in OUT. BIN is the simulate binary the campaign's tables use. Run it alone.
# PARALLELISM=1,4 (say) runs the clusters at other parallelisms; KEEP_ALL=1 keeps every run's log,
# not only the serial ones.
set -euo pipefail
BIN=$(realpath "$1"); OUT=$(realpath -m "$2"); KEEP=$(realpath -m "$3"); PIPELINES=$4; shift 4
cd "$(dirname "$0")/../.."
PY=spark/.venv/bin/python; VP=spark/tools/validate_pipelines.py
COMMON=(--pipelines "$PIPELINES" --runs 2 --fresh --partitions 4 --simulate "$BIN" --serial-log median
        --run-timeout 200)
[ -n "${KEEP_ALL:-}" ] || COMMON+=(--keep-serial-only)
TUNESIM_BIN=$BIN $PY $VP --out-dir "$OUT/local" --parallelism 1 --master "local[2]" "${COMMON[@]}" \
  --keep "$KEEP/local"
for shape in "$@"; do
  w=${shape%x*}; c=${shape#*x}
  URL=$(spark/cluster up --workers "$w" --cores "$c" | tail -1)
  TUNESIM_BIN=$BIN $PY $VP --out-dir "$OUT/sa$w$c" --parallelism "${PARALLELISM:-1,2,4}" --master "$URL" "${COMMON[@]}" \
    --keep "$KEEP/sa$w$c" || echo "campaign: sa$w$c failed" >&2
  spark/cluster down
done
