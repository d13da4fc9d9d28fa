#!/usr/bin/env bash
# eval.sh OUT: this session's local logs to its clusters (pairs.json) under the model before this
# record (95867fd, "kept"), the variants of ../2026-12-07-cold/execwork-cold.patch on it, and HEAD
# ("now", which made exec1-cold045 the model), into OUT/<variant>/; prints each one's makespan and
# speedup summary. Builds them in a temporary worktree; no Spark runs; about 1 minute.
set -euo pipefail
OUT=$(realpath -m "$1"); HERE=$(cd "$(dirname "$0")" && pwd); ROOT=$(cd "$HERE/../.." && pwd)
W=$(mktemp -d); trap 'git -C "$ROOT" worktree remove --force "$W"' EXIT
git -C "$ROOT" worktree add --detach "$W" 95867fd >/dev/null 2>&1
mkdir -p "$OUT"; (cd "$W" && go build -o "$OUT/bin-kept" ./cmd/simulate &&
  git apply "$ROOT/validation/2026-12-07-cold/execwork-cold.patch" && go build -o "$OUT/bin-variant" ./cmd/simulate)
(cd "$ROOT" && go build -o "$OUT/bin-now" ./cmd/simulate)
one() { # name binary env...
  local name=$1 bin=$2; shift 2
  env "$@" "$ROOT/spark/tools/local_to_cluster.py" --pairs "$HERE/pairs.json" --out-dir "$OUT/$name" \
    --simulate "$bin" >/dev/null 2>"$OUT/$name.err"
  echo "#### $name ($*)"; tail -5 "$OUT/$name/table.md" | grep -v -e '^$'
}
one kept "$OUT/bin-kept" X=1
one exec1 "$OUT/bin-variant" EXP_EXEC=1
one exec07 "$OUT/bin-variant" EXP_EXEC=0.7
one exec07-cold045 "$OUT/bin-variant" EXP_EXEC=0.7 EXP_COLD=0.45
one exec1-cold045 "$OUT/bin-variant" EXP_EXEC=1 EXP_COLD=0.45
one cold045 "$OUT/bin-variant" EXP_COLD=0.45
one now "$OUT/bin-now" X=1
