#!/usr/bin/env bash
# campaign.sh BIN OUT: the seed and KMeans measured again, fresh, at 4 partitions, in local[2] (serial, the
# logs whatif predicts from) and on the standalone 2 x 2 and 3 x 1 clusters sharing this 2-core host
# (parallelism 1, 2 and 4, two runs each), each run's CPU from /proc in its results.json; logs kept in
# this directory's local/, sa22/ and sa31/. Run it alone: about 30 minutes.
HERE=$(cd "$(dirname "$0")" && pwd)
exec "$HERE/../../spark/tools/local_and_clusters.sh" "$1" "$2" "$HERE" seed-tvs,kmeans 2x2 3x1
