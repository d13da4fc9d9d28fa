#!/usr/bin/env python3
"""Where each JVM's CPU went, serial and at parallelism 4 (record 2026-12-07-threads): for every
pipeline and master of the campaign's results.json files, the medians over the runs of the fit's
time, the host's busy time, the driver JVM's CPU by kind of thread and (on a cluster) the executor
JVMs' (tunesim.measure), and the tasks' CPU from the kept event logs (executor CPU time plus
deserialization CPU, the tasks that ran inside the fit).

Usage: validation/2026-12-07-threads/threads.py RESULTS.json...   (prints a markdown table)
"""

import json
import os
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "2026-12-07-executors"))

from executors import log_events  # noqa: E402  (an event log's events, zstd or plain: one home)

KINDS = ("tasks", "jit", "gc", "scheduler", "other", "ended")


def tasks_cpu(path, start_ms, end_ms):
    """The CPU of the tasks that ran within [start_ms, end_ms] of the event log at path."""
    cpu = 0.0
    for e in log_events(path):
        if e["Event"] != "SparkListenerTaskEnd":
            continue
        ti = e["Task Info"]
        if ti["Launch Time"] < start_ms or ti["Finish Time"] > end_ms:
            continue
        m = e.get("Task Metrics") or {}
        cpu += (m.get("Executor CPU Time", 0) + m.get("Executor Deserialize CPU Time", 0)) / 1e9
    return cpu


def row(runs, here):
    med = statistics.median
    r0 = runs[0]
    out = {
        "fit": med(r["fit_s"] for r in runs),
        "host": med(r["host_busy_s"] for r in runs),
        "driver": med(r["driver_jvm_cpu_s"] for r in runs),
        "py": med(r["python_cpu_s"] for r in runs),
        "execs": med(r.get("executor_jvms_cpu_s", 0) for r in runs),
        "n": r0.get("executor_jvms", 0),
    }
    for k in KINDS:
        out["d_" + k] = med((r.get("driver_jvm_threads_cpu_s") or {}).get(k, 0) for r in runs)
        out["e_" + k] = med((r.get("executor_jvm_threads_cpu_s") or {}).get(k, 0) for r in runs)
    logs = [r for r in runs if r.get("event_log") and os.path.isfile(os.path.join(here, r["event_log"]))]
    out["logtasks"] = (
        med(tasks_cpu(os.path.join(here, r["event_log"]), r["fit_start_ms"], r["fit_end_ms"]) for r in logs)
        if logs
        else float("nan")
    )
    return out


def main(files):
    cols = ["fit", "host", "driver", "py", "d_tasks", "d_jit", "d_gc", "d_scheduler", "d_other", "d_ended"]
    cols += ["execs", "e_tasks", "e_jit", "e_gc", "e_scheduler", "e_other", "e_ended", "logtasks"]
    print("| pipeline | master | P | runs | " + " | ".join(cols) + " |")
    print("|---|---|---:|---:|" + "---:|" * len(cols))
    for f in files:
        here = os.path.dirname(f)
        with open(f) as fh:
            runs = [r for r in json.load(fh)["runs"] if not r.get("adaptive")]
        keys = sorted({(r["pipeline"], r["parallelism"]) for r in runs})
        for p, par in keys:
            rs = [r for r in runs if r["pipeline"] == p and r["parallelism"] == par]
            x = row(rs, here)
            master = "local" if rs[0]["master"].startswith("local") else "%d executors" % x["n"]
            print(
                "| %s | %s | %d | %d | " % (p, master, par, len(rs))
                + " | ".join("%.1f" % x[c] for c in cols)
                + " |"
            )


if __name__ == "__main__":
    main(sys.argv[1:])
