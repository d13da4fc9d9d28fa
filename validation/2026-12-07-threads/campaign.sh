#!/usr/bin/env bash
# campaign.sh BIN OUT: each JVM's CPU by kind of thread, executors included (tunesim.measure's
# executor_jvm_threads_cpu_s), serial and at parallelism 4, in one session: seed-tvs, nb-tvs,
# rf-tvs, glr-cv fresh at 4 partitions, local[2] at P 1 (two runs each), then standalone 2 x 2 and
# 3 x 1 sharing this host at P 1 and 4 (two runs each), every log kept (validation/2026-12-07-threads/
# local, sa22, sa31). Run it alone, from anywhere.
set -euo pipefail
BIN=$(realpath "$1"); OUT=$(realpath -m "$2")
cd "$(dirname "$0")/../.."
KEEP=validation/2026-12-07-threads
PY=spark/.venv/bin/python; VP=spark/tools/validate_pipelines.py
COMMON=(--pipelines seed-tvs,nb-tvs,rf-tvs,glr-cv --runs 2 --fresh --partitions 4 --simulate "$BIN"
        --serial-log median --run-timeout 200)
TUNESIM_BIN=$BIN $PY $VP --out-dir "$OUT/local" --parallelism 1 --master "local[2]" "${COMMON[@]}" \
  --keep "$KEEP/local"
for shape in 2x2 3x1; do
  w=${shape%x*}; c=${shape#*x}
  URL=$(spark/cluster up --workers "$w" --cores "$c" | tail -1)
  TUNESIM_BIN=$BIN $PY $VP --out-dir "$OUT/sa$w$c" --parallelism 1,4 --master "$URL" "${COMMON[@]}" \
    --keep "$KEEP/sa$w$c" || echo "campaign: sa$w$c failed" >&2
  spark/cluster down
done
