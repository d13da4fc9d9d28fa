#!/usr/bin/env bash
# evalsizes.sh BIN OUT: re-predict the four kept size campaigns of 2026-12-05..07 (validate_sizes.py
# --analyze-only, their bases and factors) with the simulate binary BIN into OUT/<campaign>/ and print
# each one's growth and speedup errors (signed %, in table order) and all of them together. No Spark runs.
set -euo pipefail
BIN=$(realpath "$1"); OUT=$(realpath -m "$2")
HERE=$(cd "$(dirname "$0")" && pwd); cd "$HERE/../.."; mkdir -p "$OUT"
run() { n=$1; src=$2; shift 2; rm -rf "$OUT/$n"; cp -r "$src" "$OUT/$n"
  spark/tools/validate_sizes.py --out-dir "$OUT/$n" --analyze-only --simulate "$BIN" --factors 4,16 --parallelism 1,3 "$@" >/dev/null 2>"$OUT/$n.err" || echo "FAIL $n"; }
run s05 validation/2026-12-05-sizes --pipelines lr-text,rf-tvs,kmeans
run s06r validation/2026-12-06-sizes/repeat --pipelines lr-text,rf-tvs,kmeans
run s06h validation/2026-12-06-sizes/heldout --pipelines seed-tvs,glr-cv,dt-cv,nb-tvs --base seed-tvs=2500 --base glr-cv=2500 --base dt-cv=2500 --base nb-tvs=1250
run s07 validation/2026-12-07-warm/sizes --pipelines lr-text,rf-tvs,kmeans
python3 - "$OUT" <<'PY'
import json,sys,statistics as st
out=sys.argv[1]; G=[];S=[]
for n in ["s05","s06r","s06h","s07"]:
    rows=json.load(open(f"{out}/{n}/table.json"))
    rows=rows.get("rows",rows) if isinstance(rows,dict) else rows
    g=[r["growth_error_pct"] for r in rows if "growth_error_pct" in r]
    s=[r["speedup_error_pct"] for r in rows if "speedup_error_pct" in r]
    G+=g;S+=s
    print(n, "growth", " ".join("%+.1f"%x for x in g), "| speedup", " ".join("%+.1f"%x for x in s))
f=lambda v:"median %.1f%%, mean %+.1f%%, max %.1f%% (%d)"%(st.median(map(abs,v)),st.mean(v),max(map(abs,v)),len(v))
print("all growth:",f(G)); print("all speedup:",f(S))
PY
