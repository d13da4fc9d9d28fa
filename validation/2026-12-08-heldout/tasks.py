#!/usr/bin/env python3
"""What a task costs on the standalone clusters against local mode, from the event logs of this
record's serial runs (clusters/local, sa22, sa21; medians over each pipeline's serial runs): per task,
its CPU (run and deserialization), its scheduler delay (slot time less run, deserialization and
result serialization: launching it and taking its result), its deserialization's wall time, and
its slot time.

Usage: validation/2026-12-08-heldout/tasks.py   (from anywhere)
"""

import json
import os
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "2026-12-07-executors"))

from executors import log_events  # noqa: E402  (the records' event log reader: one home)


def per_task(path, start_ms, end_ms):
    """(tasks, CPU ms, scheduler delay ms, deserialization ms, slot ms) a task, within the fit."""
    n = cpu = sched = deser = slot = 0.0
    for e in log_events(path):
        if e["Event"] != "SparkListenerTaskEnd":
            continue
        ti, m = e["Task Info"], e["Task Metrics"]
        if ti["Launch Time"] < start_ms or ti["Finish Time"] > end_ms:
            continue
        d = ti["Finish Time"] - ti["Launch Time"]
        n += 1
        cpu += (m["Executor CPU Time"] + m["Executor Deserialize CPU Time"]) / 1e6
        sched += max(
            d - m["Executor Run Time"] - m["Executor Deserialize Time"] - m["Result Serialization Time"], 0
        )
        deser += m["Executor Deserialize Time"]
        slot += d
    return n, cpu / n, sched / n, deser / n, slot / n


def main():
    print("| pipeline | where | tasks | CPU ms | scheduler delay ms | deserializing ms | slot ms |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for where in ("local", "sa22", "sa21"):
        with open(os.path.join(HERE, "clusters", where, "results.json")) as f:
            runs = [r for r in json.load(f)["runs"] if r["parallelism"] == 1 and r.get("event_log")]
        for p in sorted({r["pipeline"] for r in runs}):
            rows = [
                per_task(
                    os.path.join(HERE, "clusters", where, r["event_log"]), r["fit_start_ms"], r["fit_end_ms"]
                )
                for r in runs
                if r["pipeline"] == p
            ]
            med = [statistics.median(x[i] for x in rows) for i in range(5)]
            print("| %s | %s | %d | %.1f | %.1f | %.1f | %.1f |" % (p, where, *med))


if __name__ == "__main__":
    main()
