#!/usr/bin/env python3
"""Where the host's CPU went in every kept fresh serial run: local[2] against standalone clusters.

For every kept run (validation/**/results.json) that is serial, at 4 partitions, in a fresh
application, with its event log and /proc figures kept: the host's busy CPU over the tuning
(host_busy_s), the tasks' CPU from the log (executor CPU + deserialization CPU), and, on a cluster,
the driver JVM's and Python's (app_cpu_s) and the rest (the executors' JVMs beyond their tasks,
with the idle standalone daemons).
Medians by pipeline and shape (local, or executors x cores from the log); then each cluster row
against its pipeline's local medians, by executor count.

Usage: validation/2026-12-07-fetch/hostcpu.py
"""

import collections
import glob
import json
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(__file__))

from fetch import events  # noqa: E402  (one reader of kept logs in this record)

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def tasks_cpu(path, start_ms, end_ms):
    """(tasks' CPU s within [start, end], shape "local" or "<executors>x<cores>")."""
    cpu, execs, cores = 0.0, set(), {}
    for e in events(path):
        if e["Event"] == "SparkListenerExecutorAdded":
            cores[e["Executor ID"]] = e["Executor Info"]["Total Cores"]
        if e["Event"] != "SparkListenerTaskEnd":
            continue
        ti, m = e["Task Info"], e.get("Task Metrics") or {}
        if ti["Launch Time"] < start_ms or ti["Finish Time"] > end_ms:
            continue
        execs.add(ti["Executor ID"])
        cpu += (m.get("Executor CPU Time", 0) + m.get("Executor Deserialize CPU Time", 0)) / 1e9
    if "driver" in execs or not execs:
        return cpu, "local"
    return cpu, "%dx%s" % (len(execs), cores.get(sorted(execs)[0], "?"))


def main():
    by = collections.defaultdict(list)  # (pipeline, shape) -> [(fit, host busy, tasks, app)]
    for f in sorted(glob.glob(os.path.join(ROOT, "validation", "**", "results.json"), recursive=True)):
        with open(f) as fh:
            runs = json.load(fh).get("runs", [])
        for r in runs:
            if (
                r.get("parallelism") != 1
                or not r.get("fresh_jvm")
                or not r.get("event_log")
                or r.get("partitions") != 4
            ):
                continue
            log = os.path.join(os.path.dirname(f), r["event_log"])
            if "host_busy_s" not in r or not os.path.exists(log):
                continue
            cpu, shape = tasks_cpu(log, r["fit_start_ms"], r["fit_end_ms"])
            by[(r["pipeline"], shape)].append((r["fit_s"], r["host_busy_s"], cpu, r["app_cpu_s"]))
    print(
        "| pipeline | shape | runs | fit s | host busy CPU-s | tasks | driver + Python "
        "| executors beyond tasks |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for (name, shape), v in sorted(by.items()):
        fit, busy, tasks, app = (statistics.median(x[i] for x in v) for i in range(4))
        if shape == "local":
            print(
                "| %s | %s | %d | %.1f | %.1f | %.1f | %.1f (with the tasks) | - |"
                % (name, shape, len(v), fit, busy, tasks, app)
            )
        else:
            print(
                "| %s | %s | %d | %.1f | %.1f | %.1f | %.1f | %.1f |"
                % (name, shape, len(v), fit, busy, tasks, app, busy - app - tasks)
            )
    by_executors(by)


def by_executors(by):
    """Each cluster row against its pipeline's local medians, then the medians by executor count."""
    local = {
        name: [statistics.median(x[i] for x in v) for i in range(4)]
        for (name, shape), v in by.items()
        if shape == "local"
    }
    groups = collections.defaultdict(list)
    for (name, shape), v in by.items():
        if shape == "local" or name not in local:
            continue
        fit, busy, tasks, app = (statistics.median(x[i] for x in v) for i in range(4))
        lfit, lbusy, ltasks, _ = local[name]
        execs, rest = int(shape.split("x")[0]), lbusy - ltasks
        groups[execs].append(
            (fit / lfit, busy / lbusy, app / rest, (busy - app - tasks) / execs / rest, tasks / ltasks)
        )
    print()
    print(
        "| executors | rows | tuning time / local | host busy / local "
        "| driver + Python / local beyond tasks | each executor beyond tasks / local beyond tasks "
        "| tasks' CPU / local |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for e, rows in sorted(groups.items()):
        med = [statistics.median(r[i] for r in rows) for i in range(5)]
        lo = [min(r[i] for r in rows) for i in range(5)]
        hi = [max(r[i] for r in rows) for i in range(5)]
        print(
            "| %d | %d | %s |"
            % (e, len(rows), " | ".join("%.2f (%.2f-%.2f)" % (med[i], lo[i], hi[i]) for i in range(5)))
        )


if __name__ == "__main__":
    main()
