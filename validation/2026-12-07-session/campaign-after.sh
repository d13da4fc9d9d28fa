#!/usr/bin/env bash
# campaign-after.sh BIN OUT: held out after the model change of this record (62a522e): iso-tvs and
# poly-tvs, fresh, at 4 partitions, in local[2] (serial, two runs: the logs whatif predicts from), then
# on the standalone 2 x 2 and 3 x 1 clusters sharing this 2-core host (parallelism 1, 2 and 4, two runs
# each), each run's CPU from /proc in its results.json; logs kept in after/. Run it alone: about 20
# minutes.
set -euo pipefail
BIN=$(realpath "$1"); OUT=$(realpath -m "$2"); HERE=$(cd "$(dirname "$0")" && pwd); cd "$HERE/../.."
PY=spark/.venv/bin/python; VP=spark/tools/validate_pipelines.py
COMMON=(--pipelines iso-tvs,poly-tvs --runs 2 --fresh --partitions 4 --simulate "$BIN" --serial-log median
        --keep-serial-only --run-timeout 200)
TUNESIM_BIN=$BIN $PY $VP --out-dir "$OUT/local" --parallelism 1 --master "local[2]" "${COMMON[@]}" \
  --keep "$HERE/after/local"
for shape in 2x2 3x1; do
  w=${shape%x*}; c=${shape#*x}
  URL=$(spark/cluster up --workers "$w" --cores "$c" | tail -1)
  TUNESIM_BIN=$BIN $PY $VP --out-dir "$OUT/sa$w$c" --parallelism 1,2,4 --master "$URL" "${COMMON[@]}" \
    --keep "$HERE/after/sa$w$c" || echo "campaign: sa$w$c failed" >&2
  spark/cluster down
done
