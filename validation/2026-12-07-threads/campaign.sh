#!/usr/bin/env bash
# campaign.sh BIN OUT: each JVM's CPU by kind of thread, executors included (tunesim.measure's
# executor_jvm_threads_cpu_s), serial and at parallelism 4, in one session: seed-tvs, nb-tvs,
# rf-tvs, glr-cv fresh at 4 partitions, local[2] at P 1 (two runs each), then standalone 2 x 2 and
# 3 x 1 sharing this host at P 1 and 4 (two runs each), every log kept (validation/2026-12-07-threads/
# local, sa22, sa31). campaign-more.sh is the same for other pipelines and shapes. Run it alone.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
PARALLELISM=1,4 KEEP_ALL=1 "$HERE/../../spark/tools/local_and_clusters.sh" "$1" "$2" "$HERE" \
  seed-tvs,nb-tvs,rf-tvs,glr-cv 2x2 3x1
