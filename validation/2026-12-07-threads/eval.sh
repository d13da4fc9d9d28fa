#!/usr/bin/env bash
# eval.sh OUT: the model at HEAD ("now") and the variants of variants.patch (not kept) on every
# same-session local-to-cluster set: this record's pairs.json and pairs-more.json, 2026-12-07-session's
# pairs.json and pairs-after.json, 2026-12-07-cold's pairs.json; prints each one's makespan and speedup
# summaries (spark/tools/local_to_cluster.py's) and all five together. Builds in a temporary worktree;
# no Spark runs; about 5 minutes.
set -euo pipefail
OUT=$(realpath -m "$1"); HERE=$(cd "$(dirname "$0")" && pwd); ROOT=$(cd "$HERE/../.." && pwd)
W=$(mktemp -d); trap 'git -C "$ROOT" worktree remove --force "$W"' EXIT
git -C "$ROOT" worktree add --detach "$W" HEAD >/dev/null 2>&1
mkdir -p "$OUT"; (cd "$W" && go build -o "$OUT/bin-now" ./cmd/simulate && git apply "$HERE/variants.patch" &&
  go build -o "$OUT/bin-variant" ./cmd/simulate)
SETS=("$HERE/pairs.json" "$HERE/pairs-more.json" "$ROOT/validation/2026-12-07-session/pairs.json"
      "$ROOT/validation/2026-12-07-session/pairs-after.json" "$ROOT/validation/2026-12-07-cold/pairs.json")
one() { # name binary env...
  local name=$1 bin=$2; shift 2
  echo "#### $name ($*)"; rm -rf "${OUT:?}/$name"
  for pf in "${SETS[@]}"; do
    local label; label=$(basename "$(dirname "$pf")")-$(basename "$pf" .json)
    env "$@" "$ROOT/spark/tools/local_to_cluster.py" --pairs "$pf" --out-dir "$OUT/$name/$label" \
      --simulate "$bin" >/dev/null
    echo "$label: $(tail -5 "$OUT/$name/$label/table.md" | grep -v '^$' | tr '\n' ' ')"
  done
  python3 "$HERE/together.py" "$OUT/$name"
}
one now "$OUT/bin-now" X=1
one cap13 "$OUT/bin-variant" EXP_TASKCAP=1.3
one tasks13 "$OUT/bin-variant" EXP_TASKCAP=1.3 EXP_MODE=tasks
one driversteady "$OUT/bin-variant" EXP_DRIVERSTEADY=1
one driversteady-debt "$OUT/bin-variant" EXP_DRIVERSTEADY=debt
one hidden065 "$OUT/bin-variant" EXP_HSHARE=0.65   # the candidate of prereg.txt
