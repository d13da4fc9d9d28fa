#!/usr/bin/env bash
# combine.sh BIN OUT: predict this record's three re-measured campaigns with the simulate binary BIN,
# each on its own (OUT/new-<campaign>/) and with the campaign's first two rounds (OUT/all-<campaign>/,
# kept in validation/2026-12-07-ties and validation/2026-12-07-heldout: four rounds, the serial log the
# median of four), then print each one's speedup errors and recommendations
# (validation/2026-12-07-warm/agg.py). No Spark runs; about 10 s.
set -euo pipefail
BIN=$(realpath "$1"); OUT=$(realpath -m "$2")
HERE=$(cd "$(dirname "$0")" && pwd); ROOT=$(cd "$HERE/../.." && pwd)
cd "$ROOT"; mkdir -p "$OUT/new" "$OUT/all"
for pair in p1-held-out:2026-12-07-ties/p1-held-out p2-held-out:2026-12-07-ties/p2-held-out \
            heldout-fresh4:2026-12-07-heldout/fresh4; do
  c=${pair%%:*}; old=validation/${pair#*:}
  d=$OUT/new/$c; rm -rf "$d"; cp -r "$HERE/$c" "$d"
  spark/tools/validate_pipelines.py --out-dir "$d" --analyze-only --serial-log median --simulate "$BIN" >/dev/null 2>"$d.err" || echo "FAIL new $c (see $d.err)"
  d=$OUT/all/$c; rm -rf "$d"; mkdir -p "$d"
  python3 - "$ROOT/$old" "$HERE/$c" "$d" <<'EOF'
import json, os, sys
runs = []
for src in sys.argv[1:3]:
    with open(os.path.join(src, "results.json")) as f:
        for r in json.load(f)["runs"]:
            if r["event_log"] is not None:
                r["event_log"] = os.path.join(src, r["event_log"])
            runs.append(r)
with open(os.path.join(sys.argv[3], "results.json"), "w") as f:
    json.dump({"runs": runs}, f, indent=1)
EOF
  spark/tools/validate_pipelines.py --out-dir "$d" --analyze-only --serial-log median --simulate "$BIN" >/dev/null 2>"$d.err" || echo "FAIL all $c (see $d.err)"
done
echo "== this record's two rounds"; python3 validation/2026-12-07-warm/agg.py "$OUT/new"
echo "== with the first two rounds (four in all)"; python3 validation/2026-12-07-warm/agg.py "$OUT/all"
