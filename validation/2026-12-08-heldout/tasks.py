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


def task_costs(path, start_ms, end_ms):
    """A task's costs within [start_ms, end_ms] of the event log at path, means in ms: "cpu" (run and
    deserialization), "sched" (scheduler delay: slot time less run, deserialization and result
    serialization), "deser" (deserializing's wall time), "deser_wait" (that less its CPU), "slot";
    "tasks"; and "shape": "local", or "E x C" from the log's executors. None without a task."""
    s = dict.fromkeys(("cpu", "sched", "deser", "deser_wait", "slot"), 0.0)
    n, execs, cores = 0, set(), 0
    for e in log_events(path):
        if e["Event"] == "SparkListenerExecutorAdded" and e["Executor ID"] != "driver":  # not local mode's
            execs.add(e["Executor ID"])
            cores = e["Executor Info"]["Total Cores"]
        if e["Event"] != "SparkListenerTaskEnd":
            continue
        ti, m = e["Task Info"], e["Task Metrics"]
        if ti["Launch Time"] < start_ms or ti["Finish Time"] > end_ms:
            continue
        d = ti["Finish Time"] - ti["Launch Time"]
        n += 1
        s["cpu"] += (m["Executor CPU Time"] + m["Executor Deserialize CPU Time"]) / 1e6
        s["sched"] += max(
            d - m["Executor Run Time"] - m["Executor Deserialize Time"] - m["Result Serialization Time"], 0
        )
        s["deser"] += m["Executor Deserialize Time"]
        s["deser_wait"] += m["Executor Deserialize Time"] - m["Executor Deserialize CPU Time"] / 1e6
        s["slot"] += d
    if not n:
        return None
    out = {k: v / n for k, v in s.items()}
    out["tasks"], out["shape"] = n, ("%d x %d" % (len(execs), cores) if execs else "local")
    return out


def main():
    print("| pipeline | where | tasks | CPU ms | scheduler delay ms | deserializing ms | slot ms |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for where in ("local", "sa22", "sa21"):
        with open(os.path.join(HERE, "clusters", where, "results.json")) as f:
            runs = [r for r in json.load(f)["runs"] if r["parallelism"] == 1 and r.get("event_log")]
        for p in sorted({r["pipeline"] for r in runs}):
            rows = [
                task_costs(
                    os.path.join(HERE, "clusters", where, r["event_log"]), r["fit_start_ms"], r["fit_end_ms"]
                )
                for r in runs
                if r["pipeline"] == p
            ]
            med = [statistics.median(x[k] for x in rows) for k in ("tasks", "cpu", "sched", "deser", "slot")]
            print("| %s | %s | %d | %.1f | %.1f | %.1f | %.1f |" % (p, where, *med))


if __name__ == "__main__":
    main()
