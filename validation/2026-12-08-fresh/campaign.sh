#!/usr/bin/env bash
# campaign.sh BIN OUT: record 2026-12-08-fresh, local-to-cluster pairs for pipelines no same-session
# local-to-cluster set had read each JVM's threads for (dt-cv, w2v-tvs, gbt-cv), to judge the
# local-to-cluster model on pairs no term of it was read from: spark/tools/local_and_clusters.sh,
# fresh, 4 partitions, local[2] serial logs, then standalone 2 x 2 and 2 x 1 sharing this host at
# parallelism 1 and 4, two runs each, every log kept (clusters/local, sa22, sa21), each run's CPU by
# JVM and thread from /proc; then pairs.json (../2026-12-08-heldout/mkpairs.py). Run it alone.
set -euo pipefail
BIN=$(realpath "$1"); OUT=$(realpath -m "$2")
HERE=$(cd "$(dirname "$0")" && pwd); cd "$HERE/../.."
PARALLELISM=1,4 KEEP_ALL=1 spark/tools/local_and_clusters.sh "$BIN" "$OUT/clusters" "$HERE/clusters" \
  dt-cv,w2v-tvs,gbt-cv 2x2 2x1
python3 validation/2026-12-08-heldout/mkpairs.py "$HERE"
