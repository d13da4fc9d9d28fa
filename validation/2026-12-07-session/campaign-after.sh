#!/usr/bin/env bash
# campaign-after.sh BIN OUT: held out after the model change of this record (62a522e): iso-tvs and
# poly-tvs, fresh, at 4 partitions, in local[2] (serial, two runs: the logs whatif predicts from), then
# on the standalone 2 x 2 and 3 x 1 clusters sharing this 2-core host (parallelism 1, 2 and 4, two runs
# each), each run's CPU from /proc in its results.json; logs kept in after/. Run it alone: about 20
# minutes.
HERE=$(cd "$(dirname "$0")" && pwd)
exec "$HERE/../../spark/tools/local_and_clusters.sh" "$1" "$2" "$HERE/after" iso-tvs,poly-tvs 2x2 3x1
