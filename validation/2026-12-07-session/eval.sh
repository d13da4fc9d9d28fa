#!/usr/bin/env bash
# eval.sh OUT: this session's local logs to its clusters (pairs.json) under the model before this
# record (95867fd, "kept"), the variants of ../2026-12-07-cold/execwork-cold.patch on it, and HEAD
# ("now"), into OUT/<variant>/pairs/ (../2026-12-07-cold/variants.sh with this record's pairs); no
# Spark runs; about 1 minute.
HERE=$(cd "$(dirname "$0")" && pwd)
exec "$HERE/../2026-12-07-cold/variants.sh" "$1" "$HERE/pairs.json"
