#!/usr/bin/env bash
# campaign-held.sh BIN: held out for --host-cores (measured after 1098dc1): nb-tvs and rf-tvs, which no 2 x 2
# campaign had, fresh on standalone 2 x 2 on this 2-core host at parallelism 1, 2 and 4, two runs each, whatif
# given the host's 2 cores; kept in sa22-held/. Run it alone: about 10 minutes.
set -euo pipefail
BIN=$(realpath "$1"); HERE=$(cd "$(dirname "$0")" && pwd); cd "$HERE/../.."
URL=$(spark/cluster up --workers 2 --cores 2 | tail -1)
TUNESIM_BIN="$BIN" spark/.venv/bin/python spark/tools/validate_pipelines.py --out-dir "${OUT:-/tmp/campaign-held}" \
  --pipelines nb-tvs,rf-tvs --parallelism 1,2,4 --runs 2 --fresh --partitions 4 --master "$URL" --simulate "$BIN" \
  --serial-log median --keep "$HERE/sa22-held" --keep-serial-only --run-timeout 200 \
  --whatif-host-cores 2 || echo "campaign failed" >&2
spark/cluster down
