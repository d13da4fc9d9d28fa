#!/usr/bin/env bash
# variants.sh OUT: the kept model and the variants of execwork-cold.patch (not kept) on every
# local-to-standalone set (validation/2026-12-07-executors/evall2s.sh) and on this record's same-session
# pairs (pairs.json), into OUT/<variant>/; prints each set's makespan and speedup summary. Builds
# 95867fd (the model before 2026-12-07-session made exec1-cold045 the model) and it with the patch in a
# temporary worktree; no Spark runs; about 2 minutes.
set -euo pipefail
OUT=$(realpath -m "$1"); HERE=$(cd "$(dirname "$0")" && pwd); ROOT=$(cd "$HERE/../.." && pwd)
W=$(mktemp -d); trap 'git -C "$ROOT" worktree remove --force "$W"' EXIT
git -C "$ROOT" worktree add --detach "$W" 95867fd >/dev/null 2>&1 # the model before 2026-12-07-session
mkdir -p "$OUT"; (cd "$W" && go build -o "$OUT/bin-kept" ./cmd/simulate && git apply "$HERE/execwork-cold.patch" && go build -o "$OUT/bin-variant" ./cmd/simulate)
one() { # name binary env...
  local name=$1 bin=$2; shift 2
  env "$@" "$ROOT/validation/2026-12-07-executors/evall2s.sh" "$bin" "$OUT/$name" >"$OUT/$name.txt" 2>&1
  env "$@" "$ROOT/spark/tools/local_to_cluster.py" --pairs "$HERE/pairs.json" --out-dir "$OUT/$name/same-session" \
    --simulate "$bin" >/dev/null 2>>"$OUT/$name.txt"
  { echo "== same-session"; tail -5 "$OUT/$name/same-session/table.md" | grep -v '^$'; } >>"$OUT/$name.txt"
  echo "#### $name ($*)"; grep -A2 '^==' "$OUT/$name.txt" | grep -v -e '^--' -e recommendation
}
one kept "$OUT/bin-kept" X=1
one exec1 "$OUT/bin-variant" EXP_EXEC=1
one exec07 "$OUT/bin-variant" EXP_EXEC=0.7
one exec07-cold045 "$OUT/bin-variant" EXP_EXEC=0.7 EXP_COLD=0.45
one exec1-cold045 "$OUT/bin-variant" EXP_EXEC=1 EXP_COLD=0.45
one cold045 "$OUT/bin-variant" EXP_COLD=0.45
