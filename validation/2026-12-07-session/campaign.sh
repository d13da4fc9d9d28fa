#!/usr/bin/env bash
# campaign.sh BIN OUT: held out for local-to-cluster, with the local logs taken in the same session as
# the cluster runs (host drift between sessions: docs/validation/2026-12-07-cold.md). nb-tvs, glr-cv and
# rf-tvs, fresh, at 4 partitions: in local[2] (serial, two runs: the logs whatif predicts from), then on
# the standalone 2 x 1, 2 x 2 and 3 x 1 clusters sharing this 2-core host (parallelism 1, 2 and 4, two
# runs each), each run's CPU from /proc in its results.json; logs kept in this directory's local/, sa21/,
# sa22/ and sa31/. Run it alone: about 45 minutes.
HERE=$(cd "$(dirname "$0")" && pwd)
exec "$HERE/../../spark/tools/local_and_clusters.sh" "$1" "$2" "$HERE" nb-tvs,glr-cv,rf-tvs 2x1 2x2 3x1
