#!/usr/bin/env python3
"""Cold and warm tasks of every kept standalone serial run, against the same pipeline's local runs.

For every kept fresh serial run at 4 partitions on a standalone cluster (validation/**/results.json)
whose pipeline also has fresh serial local[2] runs kept: each task is matched, by stage order and
partition, to the same task of (up to two of) the local runs. A task is cold when it is the first its
executor runs of its stage, or was launched before that first one ended (a 2-core executor starts two
at once); the rest of the stage's tasks on that executor are warm. For each: the tasks' CPU (executor
CPU + deserialization CPU, as Spark measured it) against the local tasks' (ratio and extra ms a task)
and the cold tasks' extra CPU over the tuning. Local mode has no cold tasks in this sense: its first
task of a stage costs what the others do.

Usage: validation/2026-12-07-cold/cold.py [--json OUT]
"""

import argparse
import collections
import glob
import json
import os
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "validation", "2026-12-07-executors"))

from executors import log_events as events  # noqa: E402  (one reader of kept logs)


def stages(path, start_ms, end_ms):
    """The tuning's tasks by stage, in stage order: dicts of launch, finish, executor, index, CPU ms, and
    exec_end: the launch plus the executor's deserialize, run and result serialization times (when the
    executor was done with it; the finish is later, when the driver had taken its result)."""
    by = collections.defaultdict(list)
    for e in events(path):
        if e["Event"] != "SparkListenerTaskEnd":
            continue
        ti, m = e["Task Info"], e.get("Task Metrics") or {}
        if ti["Launch Time"] < start_ms or ti["Finish Time"] > end_ms:
            continue
        cpu = (m.get("Executor CPU Time", 0) + m.get("Executor Deserialize CPU Time", 0)) / 1e6
        by[e["Stage ID"]].append(
            dict(
                launch=ti["Launch Time"],
                end=ti["Finish Time"],
                exec=ti["Executor ID"],
                part=ti["Index"],
                cpu=cpu,
                exec_end=ti["Launch Time"]
                + m.get("Executor Deserialize Time", 0)
                + m.get("Executor Run Time", 0)
                + m.get("Result Serialization Time", 0),
            )
        )
    return [by[k] for k in sorted(by)]


def split(cluster, local, end="end"):
    """(cold, warm): each [tasks, CPU ms, the local tasks' CPU ms]. A task is cold when launched before
    its executor's first task of the stage ended, by the task's field end ("end", the driver's Finish
    Time; "exec_end", when the executor was done with it, as the simulator counts)."""
    cold, warm = [0, 0.0, 0.0], [0, 0.0, 0.0]
    for k, tasks in enumerate(cluster):
        ref = collections.defaultdict(list)
        for run in local:
            for t in run[k]:
                ref[t["part"]].append(t["cpu"])
        first_end = {}
        for t in sorted(tasks, key=lambda t: t["launch"]):
            if t["exec"] not in first_end:
                first_end[t["exec"]], is_cold = t[end], True
            else:
                is_cold = t["launch"] < first_end[t["exec"]]
            acc = cold if is_cold else warm
            acc[0] += 1
            acc[1] += t["cpu"]
            acc[2] += statistics.mean(ref[t["part"]]) if ref[t["part"]] else 0.0
    return cold, warm


def kept_runs():
    """pipeline -> [(master, log, fit start ms, fit end ms)] of every kept fresh serial run at 4
    partitions under validation/."""
    runs = collections.defaultdict(list)
    for f in sorted(glob.glob(os.path.join(ROOT, "validation", "**", "results.json"), recursive=True)):
        with open(f) as fh:
            for r in json.load(fh).get("runs", []):
                if r.get("parallelism") != 1 or not r.get("fresh_jvm") or not r.get("event_log"):
                    continue
                log = os.path.join(os.path.dirname(f), r["event_log"])
                if r.get("partitions") == 4 and os.path.exists(log):
                    runs[r["pipeline"]].append((r["master"], log, r["fit_start_ms"], r["fit_end_ms"]))
    return runs


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", help="also write the rows as JSON to this file")
    a = ap.parse_args()
    runs = kept_runs()
    rows = []
    print(
        "| pipeline | executors | log | cold tasks | cold CPU ms / local | x local | warm tasks "
        "| warm CPU ms / local | x local | cold extra CPU s |"
    )
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    for pipe, rs in sorted(runs.items()):
        local = [stages(*x[1:]) for x in rs if x[0].startswith("local")][:2]
        for master, log, s, e in rs:
            if master.startswith("local") or not local:
                continue
            cl = stages(log, s, e)
            if any(len(x) != len(cl) for x in local):
                print(
                    "%s: %s has %d stages, the local runs %s: not matched"
                    % (pipe, log, len(cl), [len(x) for x in local]),
                    file=sys.stderr,
                )
                continue
            cold, warm = split(cl, local)
            execs = len({t["exec"] for st in cl for t in st})
            row = dict(pipeline=pipe, executors=execs, log=os.path.relpath(log, ROOT), cold=cold, warm=warm)
            rows.append(row)
            print(
                "| %s | %d | %s | %d | %.1f / %.1f | %.2f | %d | %s | %s | %.1f |"
                % (
                    pipe,
                    execs,
                    os.path.basename(log),
                    cold[0],
                    cold[1] / cold[0],
                    cold[2] / cold[0],
                    cold[1] / cold[2],
                    warm[0],
                    "%.1f / %.1f" % (warm[1] / warm[0], warm[2] / warm[0]) if warm[0] else "-",
                    "%.2f" % (warm[1] / warm[2]) if warm[0] else "-",
                    (cold[1] - cold[2]) / 1000,
                )
            )
    print()
    print("| executors | logs | cold x local: median (range) | warm x local: median (range) |")
    print("|---:|---:|---|---|")
    for n in sorted({r["executors"] for r in rows}):
        c = [r["cold"][1] / r["cold"][2] for r in rows if r["executors"] == n]
        w = [r["warm"][1] / r["warm"][2] for r in rows if r["executors"] == n and r["warm"][0]]
        fmt = lambda v: "%.2f (%.2f-%.2f)" % (statistics.median(v), min(v), max(v)) if v else "-"  # noqa: E731
        print("| %d | %d | %s | %s |" % (n, len(c), fmt(c), fmt(w)))
    if a.json:
        with open(a.json, "w") as fh:
            json.dump(rows, fh, indent=1)


if __name__ == "__main__":
    main()
