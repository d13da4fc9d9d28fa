#!/usr/bin/env bash
# campaign-more.sh BIN OUT: as campaign.sh, for iso-tvs, poly-tvs and fm-tvs on standalone 2 x 1 and
# 1 x 2 (validation/2026-12-07-threads/more/local, sa21, sa12). Run it alone.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
PARALLELISM=1,4 KEEP_ALL=1 "$HERE/../../spark/tools/local_and_clusters.sh" "$1" "$2" "$HERE/more" \
  iso-tvs,poly-tvs,fm-tvs 2x1 1x2
