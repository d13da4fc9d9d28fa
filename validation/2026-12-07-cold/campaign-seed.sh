#!/usr/bin/env bash
# campaign-seed.sh BIN OUT: the seed's runs campaign.sh could not finish (PCA's SVD failed at parallelism 2 in
# a fresh JVM, as the whatif warning says it may): on 3 x 1 at parallelism 1 and 4, two runs each, and on
# 2 x 2 one more serial run; kept in sa31-seed/ and sa22-seed/. Run it alone: about 8 minutes.
set -euo pipefail
BIN=$(realpath "$1"); OUT=$(realpath -m "$2"); HERE=$(cd "$(dirname "$0")" && pwd); cd "$HERE/../.."
PY=spark/.venv/bin/python; VP=spark/tools/validate_pipelines.py
COMMON=(--pipelines seed-tvs --fresh --partitions 4 --simulate "$BIN" --serial-log median --keep-serial-only
        --run-timeout 200)
URL=$(spark/cluster up --workers 3 --cores 1 | tail -1)
TUNESIM_BIN=$BIN $PY $VP --out-dir "$OUT/sa31-seed" --parallelism 1,4 --runs 2 --master "$URL" "${COMMON[@]}" \
  --keep "$HERE/sa31-seed" || echo "campaign: sa31-seed failed" >&2
spark/cluster down
URL=$(spark/cluster up --workers 2 --cores 2 | tail -1)
TUNESIM_BIN=$BIN $PY $VP --out-dir "$OUT/sa22-seed" --parallelism 1 --runs 1 --master "$URL" "${COMMON[@]}" \
  --keep "$HERE/sa22-seed" || echo "campaign: sa22-seed failed" >&2
spark/cluster down
