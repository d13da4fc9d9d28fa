#!/usr/bin/env python3
"""What a standalone cluster's executor JVMs did beyond their tasks, from the kept campaigns.

For every kept standalone run (a results.json under validation/ whose master is spark://, with its
event log kept): the tasks' executor CPU over the tuning, from the log; the executors' CPU beyond
it, /proc's host busy time less the application's (driver JVM and Python) less the tasks' (so it
holds the standalone master's and workers' daemons too, which idle); the driver JVM's JIT threads.
Serial runs (P=1) by pipeline and cluster shape, medians, with the fresh local JVM's JIT for the
same pipeline (median over every kept fresh local serial run). With --simulate BIN and pairs files
(spark/tools/local_to_cluster.py's), also what whatif's replay of each pair's local log on its
cluster gives the executors' steady compilers at P=1 (the trace's steady CPU over its makespan).

Usage:
  validation/2026-12-07-executors/executors.py [--simulate BIN PAIRS.json ...]
"""

import collections
import glob
import json
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "spark", "tools"))

import validate_pipelines as vp  # noqa: E402  (running whatif and reading its report: one home)


def log_events(path):
    """The event log's events (zstd-compressed or plain)."""
    if path.endswith(".zstd"):
        text = subprocess.run(["zstd", "-dc", path], capture_output=True, check=True).stdout.decode()
    else:
        with open(path) as f:
            text = f.read()
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def tasks_in(path, start_ms, end_ms):
    """(tasks' executor CPU s within [start, end], executors that ran them, cores per executor)."""
    cpu, execs, cores = 0.0, set(), {}
    for e in log_events(path):
        if e["Event"] == "SparkListenerExecutorAdded":
            cores[e["Executor ID"]] = e["Executor Info"]["Total Cores"]
        elif e["Event"] == "SparkListenerTaskEnd":
            ti = e["Task Info"]
            if ti["Launch Time"] < start_ms or ti["Finish Time"] > end_ms:
                continue
            cpu += (e.get("Task Metrics") or {}).get("Executor CPU Time", 0) / 1e9
            execs.add(ti["Executor ID"])
    per = sorted({cores[x] for x in execs if x in cores})
    return cpu, len(execs), per[0] if len(per) == 1 else 0


def kept_runs():
    """Every kept run of validation/*/.../results.json, with its directory."""
    for f in sorted(glob.glob(os.path.join(ROOT, "validation", "**", "results.json"), recursive=True)):
        try:
            with open(f) as fh:
                runs = json.load(fh).get("runs", [])
        except (OSError, ValueError):
            continue
        for r in runs:
            if not r.get("adaptive") and r.get("driver_jvm_threads_cpu_s"):
                yield os.path.dirname(f), r


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def measured():
    cluster = collections.defaultdict(list)
    local_jit = collections.defaultdict(list)
    local_tasks = collections.defaultdict(list)
    for d, r in kept_runs():
        if r["parallelism"] != 1:
            continue
        path = os.path.join(d, r.get("event_log") or "")
        if r["master"].startswith("local"):
            if r.get("fresh_jvm"):
                local_jit[r["pipeline"]].append(r["driver_jvm_threads_cpu_s"]["jit"])
                if os.path.isfile(path):
                    local_tasks[r["pipeline"]].append(tasks_in(path, r["fit_start_ms"], r["fit_end_ms"])[0])
            continue
        if not r["master"].startswith("spark://") or not os.path.isfile(path):
            continue
        tasks, n, cores = tasks_in(path, r["fit_start_ms"], r["fit_end_ms"])
        beyond = r["host_busy_s"] - r["app_cpu_s"] - tasks
        cluster[(r["pipeline"], n, cores)].append(
            (r["fit_s"], tasks, beyond / n, beyond / r["fit_s"], r["driver_jvm_threads_cpu_s"]["jit"])
        )
    print(
        "| pipeline | cluster | serial runs | tuning s | tasks' CPU s | executors' CPU beyond tasks, "
        "s per executor | the same, cores (all executors) | driver JVM's JIT s | fresh local JVM's JIT s | "
        "fresh local tasks' CPU s |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for (p, n, cores), xs in sorted(cluster.items()):
        cols = [med([x[i] for x in xs]) for i in range(5)]
        print(
            "| %s | %d x %s | %d | %.1f | %.1f | %.1f | %.2f | %.1f | %.1f | %.1f |"
            % (
                p,
                n,
                cores or "?",
                len(xs),
                cols[0],
                cols[1],
                cols[2],
                cols[3],
                cols[4],
                med(local_jit[p]),
                med(local_tasks[p]),
            )
        )


def replayed(simulate, pairs_files):
    print()
    print("| pairs | pipeline | cluster | replay at P=1: makespan s | executors' steady CPU, cores (all) |")
    print("|---|---|---|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        trace = os.path.join(tmp, "trace.json")
        for pf in pairs_files:
            base = os.path.dirname(os.path.abspath(pf))
            with open(pf) as fh:
                pairs = json.load(fh)["pairs"]
            for pr in pairs:
                log = os.path.join(base, pr.get("log") or pr["local_log"])
                cl = os.path.join(base, pr["cluster"])
                extra = ("--cluster", cl, "--trace", trace)
                rep, err = vp.whatif(simulate, [log], "1", tmp, "replay", "infer", extra)
                if err:
                    sys.exit("whatif %s --cluster %s: %s" % (log, cl, err))
                ms = vp.predictions(rep)[1][0]
                with open(trace) as fh:
                    steady = json.load(fh)["steady_cpu_ns"] / 1e9
                print(
                    "| %s | %s | %s | %.1f | %.2f |"
                    % (
                        os.path.basename(pf),
                        pr.get("label") or pr["pipeline"],
                        os.path.splitext(os.path.basename(cl))[0],
                        ms,
                        steady / ms,
                    )
                )


def main(argv):
    measured()
    if argv[:1] == ["--simulate"]:
        if len(argv) < 3:
            sys.exit("usage: executors.py [--simulate BIN PAIRS.json ...]")
        replayed(argv[1], argv[2:])
    elif argv:
        sys.exit("usage: executors.py [--simulate BIN PAIRS.json ...]")


if __name__ == "__main__":
    main(sys.argv[1:])
