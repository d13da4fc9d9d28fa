#!/usr/bin/env bash
# eval.sh OUT BIN NAME [BIN NAME...]: each simulate binary BIN on every same-session local-to-cluster set
# (2026-12-07-threads' pairs.json and pairs-more.json, 2026-12-07-session's pairs.json and
# pairs-after.json, 2026-12-07-cold's pairs.json), then the cross-session sets of
# 2026-12-07-executors/evall2s.sh; prints each set's makespan and speedup summaries
# (spark/tools/local_to_cluster.py's) and the five same-session sets together
# (2026-12-07-threads/together.py). No Spark runs; about a minute a binary.
set -euo pipefail
OUT=$(realpath -m "$1"); shift
HERE=$(cd "$(dirname "$0")" && pwd); ROOT=$(cd "$HERE/../.." && pwd); cd "$ROOT"
SETS=(validation/2026-12-07-threads/pairs.json validation/2026-12-07-threads/pairs-more.json
      validation/2026-12-07-session/pairs.json validation/2026-12-07-session/pairs-after.json
      validation/2026-12-07-cold/pairs.json)
while [ $# -ge 2 ]; do
  bin=$(realpath "$1"); name=$2; shift 2
  echo "#### $name"; rm -rf "${OUT:?}/$name"
  for pf in "${SETS[@]}"; do
    label=$(basename "$(dirname "$pf")")-$(basename "$pf" .json)
    spark/tools/local_to_cluster.py --pairs "$pf" --out-dir "$OUT/$name/$label" --simulate "$bin" >/dev/null
    echo "$label: $(tail -5 "$OUT/$name/$label/table.md" | grep -v '^$' | tr '\n' ' ')"
  done
  python3 validation/2026-12-07-threads/together.py "$OUT/$name"
  echo "## cross-session (evall2s.sh)"
  validation/2026-12-07-executors/evall2s.sh "$bin" "$OUT/$name-l2s"
done
