#!/usr/bin/env bash
# variants.sh OUT [PAIRS]: the model before 2026-12-07-session (95867fd, "kept"), the variants of
# execwork-cold.patch on it, and HEAD ("now", which made exec1-cold045 the model; not in variants.txt,
# written before), into OUT/<variant>/; prints each one's makespan and speedup summaries. Without
# PAIRS: every local-to-standalone set (validation/2026-12-07-executors/evall2s.sh) and this record's
# same-session pairs (pairs.json); with PAIRS (a pairs file of spark/tools/local_to_cluster.py) that
# file alone. Builds in a temporary worktree; no Spark runs; about 2 minutes (1 with PAIRS).
set -euo pipefail
OUT=$(realpath -m "$1"); HERE=$(cd "$(dirname "$0")" && pwd); ROOT=$(cd "$HERE/../.." && pwd)
W=$(mktemp -d); trap 'git -C "$ROOT" worktree remove --force "$W"' EXIT
git -C "$ROOT" worktree add --detach "$W" 95867fd >/dev/null 2>&1 # the model before 2026-12-07-session
mkdir -p "$OUT"; (cd "$W" && go build -o "$OUT/bin-kept" ./cmd/simulate && git apply "$HERE/execwork-cold.patch" && go build -o "$OUT/bin-variant" ./cmd/simulate)
(cd "$ROOT" && go build -o "$OUT/bin-now" ./cmd/simulate)
PAIRS=${2:+$(realpath "$2")}
one() { # name binary env...
  local name=$1 bin=$2; shift 2
  local pairs=${PAIRS:-$HERE/pairs.json} label; label=$(basename "${PAIRS:-same-session}" .json)
  : >"$OUT/$name.txt"
  [ -n "$PAIRS" ] || env "$@" "$ROOT/validation/2026-12-07-executors/evall2s.sh" "$bin" "$OUT/$name" >"$OUT/$name.txt" 2>&1
  env "$@" "$ROOT/spark/tools/local_to_cluster.py" --pairs "$pairs" --out-dir "$OUT/$name/$label" \
    --simulate "$bin" >/dev/null 2>>"$OUT/$name.txt"
  { echo "== $label"; tail -5 "$OUT/$name/$label/table.md" | grep -v '^$'; } >>"$OUT/$name.txt"
  echo "#### $name ($*)"; grep -A2 '^==' "$OUT/$name.txt" | grep -v -e '^--' -e recommendation
}
one kept "$OUT/bin-kept" X=1
one exec1 "$OUT/bin-variant" EXP_EXEC=1
one exec07 "$OUT/bin-variant" EXP_EXEC=0.7
one exec07-cold045 "$OUT/bin-variant" EXP_EXEC=0.7 EXP_COLD=0.45
one exec1-cold045 "$OUT/bin-variant" EXP_EXEC=1 EXP_COLD=0.45
one cold045 "$OUT/bin-variant" EXP_COLD=0.45
one now "$OUT/bin-now" X=1
