#!/usr/bin/env python3
"""Each executor JVM's CPU beyond its tasks against the hidden CPU of the local log's replay
(record 2026-12-07-threads, prereg.txt): for every pair of the pairs files, the executors' CPU
beyond their tasks per executor (/proc's host busy time less the application's less the event log's
task CPU, the median of the serial cluster runs) beside what whatif's serial replay of the local log
ran as its steady compilers' CPU (what each executor is given now) and as all its hidden CPU
(the steady compilers' and the background work each job brings), with the ratios' medians, ranges
and spreads (standard deviation of their logarithms).

Usage: validation/2026-12-07-threads/hsplit.py BIN PAIRS.json...   (from the repository's root)
"""

import json
import math
import os
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from threads import tasks_cpu  # noqa: E402  (the tasks' CPU in a log: one home)


def each_pair(pairs_files):
    """Every pair of the pairs files: (the pair, its local log, its cluster file, its cluster runs,
    the directory those runs' logs are named relative to); paths as the pairs file names them."""
    for pf in pairs_files:
        base = os.path.dirname(pf)
        with open(pf) as f:
            pairs = json.load(f)["pairs"]
        for p in pairs:
            runs_file = os.path.join(base, p["runs"])
            with open(runs_file) as f:
                runs = json.load(f)["runs"]
            local, cluster = os.path.join(base, p["local_log"]), os.path.join(base, p["cluster"])
            yield p, local, cluster, runs, os.path.dirname(runs_file)


def serial_logs(runs, here, pipeline):
    """(run, its event log) of pipeline's serial runs whose log is kept (named relative to here)."""
    for r in runs:
        log = os.path.join(here, r.get("event_log") or "")
        if r["pipeline"] == pipeline and r["parallelism"] == 1 and os.path.isfile(log):
            yield r, log


def beyond_per_executor(runs, here, pipeline):
    """The median over pipeline's serial runs of the executors' CPU beyond the log's tasks."""
    xs = [
        r["host_busy_s"] - r["app_cpu_s"] - tasks_cpu(log, r["fit_start_ms"], r["fit_end_ms"])
        for r, log in serial_logs(runs, here, pipeline)
    ]
    return statistics.median(xs) if xs else None


def replayed(binary, log, cluster, trace):
    """(the steady compilers' CPU each executor is given, all the replay's hidden CPU, executors)."""
    argv = [binary, "whatif", log, "--cluster", cluster, "--parallelism", "1", "--hidden-cpu", "infer"]
    argv += ["--format", "json", "--trace", trace]
    out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    budget = json.loads(out)["found"]["cpu_budget"]
    with open(trace) as f:
        t = json.load(f)
    jobs = sum(1 for s in t["spans"] if s["kind"] == "job")
    steady = (budget.get("apart") or {}).get("executor_compile_cpu_per_job_s", 0) * jobs
    return steady, steady + (budget.get("background_cpu_per_job_s") or 0) * jobs, len(t["executors"])


def main(binary, pairs_files):
    rows = []
    print("| pipeline | cluster | steady CPU-s | hidden CPU-s | beyond tasks, each | / steady | / hidden |")
    print("|---|---|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for p, local, cluster, runs, here in each_pair(pairs_files):
            beyond = beyond_per_executor(runs, here, p["pipeline"])
            if beyond is None:
                continue
            steady, hidden, n = replayed(binary, local, cluster, os.path.join(tmp, "t.json"))
            per = beyond / n
            rows.append((steady, hidden, per))
            name = os.path.splitext(os.path.basename(cluster))[0]
            print(
                "| %s | %s | %.1f | %.1f | %.1f | %.2f | %.2f |"
                % (p["label"], name, steady, hidden, per, per / steady if steady else 0, per / hidden)
            )
    print()
    for i, name in ((0, "steady compilers' CPU"), (1, "all the hidden CPU")):
        print_ratios(name, [r[2] / r[i] for r in rows if r[i] > 0])


def print_ratios(name, rs):
    """Prints ratios rs (measured over what name gives): count, median, range, sd of the logs."""
    sd = statistics.pstdev([math.log(x) for x in rs])
    print(
        "against %s: %d pairs, median %.2f, range %.2f-%.2f, sd(log) %.2f"
        % (name, len(rs), statistics.median(rs), min(rs), max(rs), sd)
    )


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("usage: hsplit.py BIN PAIRS.json...")
    main(sys.argv[1], sys.argv[2:])
