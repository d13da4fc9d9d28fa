#!/usr/bin/env bash
# evall2s.sh BIN OUT: re-predict the kept local-to-standalone sets (2026-12-06-local-to-standalone) and the
# standalone-to-local and more-executors sets (2026-12-07-back) with the simulate binary BIN
# (spark/tools/local_to_cluster.py) into OUT/ and print each set's summary. No Spark runs; about 1 minute.
BIN=$(realpath "$1"); OUT=$(realpath -m "$2"); HERE=$(cd "$(dirname "$0")" && pwd); cd "$HERE/../.."; mkdir -p "$OUT"
for s in chosen-on held-out held-out-2x2 held-out-1x2; do
  spark/tools/local_to_cluster.py --pairs validation/2026-12-06-local-to-standalone/$s.json --out-dir $OUT/l2s-$s --simulate $BIN >/dev/null 2>$OUT/l2s-$s.err || echo FAIL $s
  echo "== l2s-$s"; tail -5 $OUT/l2s-$s/table.md | grep -v '^$'
done
for s in back-1x2 held-out more-executors; do
  spark/tools/local_to_cluster.py --pairs validation/2026-12-07-back/$s.json --out-dir $OUT/back-$s --simulate $BIN >/dev/null 2>$OUT/back-$s.err || echo FAIL $s
  echo "== back-$s"; tail -5 $OUT/back-$s/table.md | grep -v '^$'
done
