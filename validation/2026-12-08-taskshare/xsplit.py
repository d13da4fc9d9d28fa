#!/usr/bin/env python3
"""Each executor JVM's CPU beyond its tasks against the local log's task share of the hidden CPU
(record 2026-12-08-taskshare, prereg.txt): for every pair of the pairs files, beside
2026-12-07-threads/hsplit.py's figures (the steady compilers' CPU the local replay ran, all its hidden
CPU, and each executor's CPU beyond its tasks from /proc), x: the local log's task CPU over that CPU
plus the time the serial replay's driver steps took, and the ratio of each executor's CPU beyond its
tasks to x times all the hidden CPU, with the three ratios' medians, ranges and spreads (standard
deviation of their logarithms).

Usage: validation/2026-12-08-taskshare/xsplit.py BIN PAIRS.json...   (from the repository's root)
"""

import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "2026-12-07-threads"))

from hsplit import beyond_per_executor, each_pair, print_ratios, replayed  # noqa: E402  (one home)


def task_share(binary, log, trace):
    """x of the local log: its tasks' CPU over that plus its serial replay's driver steps' time."""
    argv = [binary, "whatif", log, "--parallelism", "1", "--format", "json", "--trace", trace]
    out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    tasks = json.loads(out)["found"]["cpu_budget"]["task_cpu_s"]
    with open(trace) as f:
        spans = json.load(f)["spans"]
    driver = sum(s["end_ns"] - s["start_ns"] for s in spans if s["kind"] == "driver") / 1e9
    return tasks / (tasks + driver)


def main(binary, pairs_files):
    rows = []
    print(
        "| pipeline | cluster | steady | hidden | x | beyond tasks, each | / steady | / hidden | / x hidden |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for p, log, cluster, runs, here in each_pair(pairs_files):
            beyond = beyond_per_executor(runs, here, p["pipeline"])
            if beyond is None:
                continue
            steady, hidden, n = replayed(binary, log, cluster, os.path.join(tmp, "t.json"))
            x = task_share(binary, log, os.path.join(tmp, "u.json"))
            per = beyond / n
            rows.append((steady, hidden, x * hidden, per))
            name = os.path.splitext(os.path.basename(cluster))[0]
            print(
                "| %s | %s | %.1f | %.1f | %.2f | %.1f | %.2f | %.2f | %.2f |"
                % (
                    p["label"],
                    name,
                    steady,
                    hidden,
                    x,
                    per,
                    per / steady if steady else 0,
                    per / hidden,
                    per / (x * hidden),
                )
            )
    print()
    for i, name in ((0, "the steady compilers' CPU"), (1, "all the hidden CPU"), (2, "x times all of it")):
        print_ratios(name, [r[3] / r[i] for r in rows if r[i] > 0])


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("usage: xsplit.py BIN PAIRS.json...")
    main(sys.argv[1], sys.argv[2:])
