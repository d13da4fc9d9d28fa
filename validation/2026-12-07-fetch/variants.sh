#!/usr/bin/env bash
# variants.sh OUT: build fetch.patch (applied to cfa0f1d in a temporary git worktree) and re-predict the
# local-to-standalone sets (validation/2026-12-07-executors/evall2s.sh) with each variant it reads from
# the environment, one summary per variant in OUT/<variant>.txt. No Spark runs; about 1 minute each.
#   EXP_FETCH=c       each executor's first task of a stage waits c x (JVMs on its host - 1) x the
#                     stage's logged deserialization, off the CPU
#   EXP_EXEC=1        each executor compiles what the local JVM's compilers did, as work its jobs bring
#                     (validation/2026-12-07-executors/execwork.patch)
#   EXP_TASKS_<E>=f   with E executors, every task's CPU times f
#   EXP_RPC_MS=ms     the driver's CPU per task on a cluster, half at launch and half at the result
set -euo pipefail
OUT=$(realpath -m "$1"); HERE=$(cd "$(dirname "$0")" && pwd); ROOT=$(cd "$HERE/../.." && pwd)
WT=$(mktemp -d); trap 'git -C "$ROOT" worktree remove --force "$WT"' EXIT
git -C "$ROOT" worktree add --detach "$WT" cfa0f1d >/dev/null 2>&1
git -C "$WT" apply "$HERE/fetch.patch"
mkdir -p "$OUT"; (cd "$WT" && go build -o "$OUT/simulate" ./cmd/simulate)
run() { # run NAME VAR=VALUE...
  local name=$1; shift
  env "$@" "$ROOT/validation/2026-12-07-executors/evall2s.sh" "$OUT/simulate" "$OUT/$name" >"$OUT/$name.txt" 2>&1
}
run kept
run fetch2.8 EXP_FETCH=2.8
run exec EXP_EXEC=1
run exec-fetch2.8 EXP_EXEC=1 EXP_FETCH=2.8
run exec-tasks EXP_EXEC=1 EXP_TASKS_1=1.3 EXP_TASKS_2=1.8 EXP_TASKS_3=2.0
run exec-tasks-rpc2 EXP_EXEC=1 EXP_TASKS_1=1.3 EXP_TASKS_2=1.8 EXP_TASKS_3=2.0 EXP_RPC_MS=2
run exec-tasks-rpc4 EXP_EXEC=1 EXP_TASKS_1=1.3 EXP_TASKS_2=1.8 EXP_TASKS_3=2.0 EXP_RPC_MS=4
