#!/usr/bin/env bash
# evalall.sh BIN OUT [ARGS...]: re-predict the 21 kept whatif campaigns of 2026-12-05..07 (their serial logs,
# the median one per case, from the log alone) with the simulate binary BIN into OUT/<campaign>/,
# then print each campaign's and each kind's (fresh local, warm local, standalone) speedup errors
# and recommendation count (agg.py); ARGS go to validate_pipelines.py (e.g. --hidden-cpu auto). No Spark runs; about 10 s. Environment variables reach BIN
# (the variants of variants.patch read EXP_WITHTASK, EXP_PERJOB, EXP_GATE).
set -euo pipefail
BIN=$(realpath "$1"); OUT=$(realpath -m "$2"); shift 2
HERE=$(cd "$(dirname "$0")" && pwd); ROOT=$(cd "$HERE/../.." && pwd)
cd "$ROOT"; mkdir -p "$OUT"
for c in 2026-12-05-whatif-cpu/fresh4 2026-12-05-whatif-cpu/fresh1 2026-12-05-whatif-cpu/warm4 \
         2026-12-05-whatif-cpu-heldout/fresh4 2026-12-05-whatif-cpu-heldout/warm4 \
         2026-12-05-whatif-cpu-heldout/sa21 2026-12-05-adaptive 2026-12-06-heldout 2026-12-06-sa22 \
         2026-12-06-sa12 2026-12-06-seed/local 2026-12-06-seed/local4 2026-12-06-seed/sa22 \
         2026-12-06-rf1p 2026-12-06-ties/p2 2026-12-07-ties/tvs1p 2026-12-07-ties/p2-held-out \
         2026-12-07-ties/p1-held-out 2026-12-07-ties/warm-w1 2026-12-07-ties/warm-w3 2026-12-07-compile-debt/p3; do
  n=$(echo "$c" | sed 's#^2026-##; s#/#-#g'); d=$OUT/$n; rm -rf "$d"; cp -r "validation/$c" "$d"
  spark/tools/validate_pipelines.py --out-dir "$d" --analyze-only --serial-log median --simulate "$BIN" "$@" >/dev/null 2>"$d.err" || echo "FAIL $n (see $d.err)"
done
python3 "$HERE/agg.py" "$OUT"
