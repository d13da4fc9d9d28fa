#!/usr/bin/env python3
"""What a task waits for on a standalone cluster at parallelism 1 and 4 (record 2026-12-08-cpufit):
for the clusters' runs of 2026-12-08-fresh and 2026-12-08-heldout (every log kept), per pipeline and
cluster the medians over the runs of a task's mean scheduler delay, deserializing wait (its wall
time less its CPU), CPU and slot time, ms (../2026-12-08-heldout/tasks.py's task_costs), at P 1
and 4; with BIN, also how much longer whatif's prediction from the first serial log (the CPU
measured beside it) holds a task's slot at P 4 than at P 1 (its traces' mean task spans).

Usage: validation/2026-12-08-cpufit/p4lat.py [BIN]   (from anywhere)
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "2026-12-08-heldout"))

from tasks import task_costs  # noqa: E402  (a task's costs in a log: one home)

KEYS = ("sched", "deser_wait", "cpu", "slot")


def at(d, runs, pipeline, p):
    """The medians of KEYS over pipeline's runs at parallelism p whose logs are kept (None: none)."""
    cs = [
        task_costs(os.path.join(d, r["event_log"]), r["fit_start_ms"], r["fit_end_ms"])
        for r in runs
        if r["pipeline"] == pipeline and r["parallelism"] == p and r.get("event_log")
    ]
    cs = [c for c in cs if c]
    return {k: statistics.median(c[k] for c in cs) for k in KEYS} if cs else None


def predicted_growth(binary, log):
    """whatif's mean task span at P 4 over that at P 1, predicting from log."""
    mean = {}
    with tempfile.TemporaryDirectory() as tmp:
        for p in (1, 4):
            trace = os.path.join(tmp, "t%d.json" % p)
            cmd = [binary, "whatif", log, "--parallelism", str(p), "--trace", trace, "--format", "json"]
            subprocess.run(cmd, capture_output=True, text=True, check=True)
            with open(trace) as f:
                spans = [x for x in json.load(f)["spans"] if x["kind"] == "task"]
            mean[p] = statistics.mean(x["end_ns"] - x["start_ns"] for x in spans)
    return mean[4] / mean[1]


def main(binary):
    print(
        "| record | cluster | pipeline | scheduler delay | deserializing wait | CPU | slot | slot P 4 / P 1 "
        "| predicted |"
    )
    print("|---|---|---|---|---|---|---|---:|---:|")
    growth, pgrowth = [], []
    for rec in ("2026-12-08-fresh", "2026-12-08-heldout"):
        for w in ("sa22", "sa21"):
            d = os.path.join(HERE, "..", rec, "clusters", w)
            with open(os.path.join(d, "results.json")) as f:
                runs = json.load(f)["runs"]
            for p in sorted({r["pipeline"] for r in runs}):
                a, b = at(d, runs, p, 1), at(d, runs, p, 4)
                if not a or not b:
                    continue
                growth.append(b["slot"] / a["slot"])
                pred = "-"
                if binary:
                    first = [r for r in runs if r["pipeline"] == p and r["parallelism"] == 1][0]
                    pgrowth.append(predicted_growth(binary, os.path.join(d, first["event_log"])))
                    pred = "%.2f" % pgrowth[-1]
                cells = " | ".join("%.1f -> %.1f" % (a[k], b[k]) for k in KEYS)
                print("| %s | %s | %s | %s | %.2f | %s |" % (rec, w, p, cells, b["slot"] / a["slot"], pred))
    print()
    print("slot P 4 / P 1: median %.2f (%.2f-%.2f)" % (statistics.median(growth), min(growth), max(growth)))
    if pgrowth:
        print("predicted: median %.2f (%.2f-%.2f)" % (statistics.median(pgrowth), min(pgrowth), max(pgrowth)))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
