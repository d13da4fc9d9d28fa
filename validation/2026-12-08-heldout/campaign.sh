#!/usr/bin/env bash
# campaign.sh BIN OUT: the held-out campaign of record 2026-12-08-heldout, four pipelines added to
# spark/pipelines.py after every model decision (mlr-cv, gmm-cv, gbtc-tvs, sel-tvs), fresh, 4 partitions:
#  1. local[2] at parallelism 1-4, two runs each, serial logs kept (local/): whatif from a serial log;
#  2. spark/tools/local_and_clusters.sh: local[2] serial logs, then standalone 2 x 2 and 2 x 1 sharing
#     this host at parallelism 1 and 4, two runs each, every log kept (clusters/local, sa22, sa21).
# Each run's CPU from /proc in its results.json. Run it alone.
set -euo pipefail
BIN=$(realpath "$1"); OUT=$(realpath -m "$2")
HERE=$(cd "$(dirname "$0")" && pwd); cd "$HERE/../.."
P=mlr-cv,gmm-cv,gbtc-tvs,sel-tvs
TUNESIM_BIN=$BIN spark/.venv/bin/python spark/tools/validate_pipelines.py --out-dir "$OUT/local" \
  --pipelines "$P" --parallelism 1,2,3,4 --runs 2 --fresh --partitions 4 --master "local[2]" \
  --simulate "$BIN" --serial-log median --keep "$HERE/local" --keep-serial-only --run-timeout 200
PARALLELISM=1,4 KEEP_ALL=1 spark/tools/local_and_clusters.sh "$BIN" "$OUT/clusters" "$HERE/clusters" "$P" 2x2 2x1
