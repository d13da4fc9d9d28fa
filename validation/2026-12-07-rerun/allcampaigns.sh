#!/usr/bin/env bash
# allcampaigns.sh BIN OUT [ARGS...]: re-predict all 27 kept whatif campaigns of 2026-12-05..07 (the 21 of
# validation/2026-12-07-warm/evalall.sh, validation/2026-12-07-heldout's three, this record's three) with the
# simulate binary BIN into OUT/<campaign>/, then print each campaign's and each kind's speedup errors
# (validation/2026-12-07-warm/agg.py) and how often each way of choosing among the predictions holds
# (rules.py). ARGS go to validate_pipelines.py: --serial-log each predicts from every serial log (the
# median over them, as whatif does given several logs of one size), the default the median run's log.
# No Spark runs; about 20 s.
set -euo pipefail
BIN=$(realpath "$1"); OUT=$(realpath -m "$2"); shift 2
HERE=$(cd "$(dirname "$0")" && pwd); ROOT=$(cd "$HERE/../.." && pwd)
cd "$ROOT"; mkdir -p "$OUT"
validation/2026-12-07-warm/evalall.sh "$BIN" "$OUT" "$@" >/dev/null
for pair in heldout-fresh4:2026-12-07-heldout/fresh4 heldout-warm4:2026-12-07-heldout/warm4 \
            heldout-sa22:2026-12-07-heldout/sa22 rerun-p1-held-out:2026-12-07-rerun/p1-held-out \
            rerun-p2-held-out:2026-12-07-rerun/p2-held-out rerun-heldout-fresh4:2026-12-07-rerun/heldout-fresh4; do
  n=${pair%%:*}; d=$OUT/$n; rm -rf "$d"; cp -r "validation/${pair#*:}" "$d"
  spark/tools/validate_pipelines.py --out-dir "$d" --analyze-only --serial-log median --simulate "$BIN" "$@" >/dev/null 2>"$d.err" || echo "FAIL $n (see $d.err)"
done
python3 validation/2026-12-07-warm/agg.py "$OUT"
"$HERE/rules.py" "$OUT"
