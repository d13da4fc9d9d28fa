#!/usr/bin/env python3
"""The driver's CPU a local log's cluster prediction lacks, against the log's task count (record
2026-12-08-fresh, H3 of prereg.txt): from cpucomp.py tables (2026-12-08-coldorder) and the pairs
files they were made from, each pair's driver CPU measured less predicted (CPU-s) and its local
log's tasks; the least-squares line over the FIT tables, and each TEST table's residuals from it.

Usage: validation/2026-12-08-fresh/drvline.py --fit TABLE.md=PAIRS.json[,PAIRS.json]...
           --test TABLE.md=PAIRS.json...
       (from the repository's root; a table made from several pairs files names them all)
"""

import argparse
import os
import re
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "2026-12-07-executors"))
sys.path.insert(0, os.path.join(HERE, "..", "2026-12-07-threads"))

from executors import log_events  # noqa: E402  (the records' event log reader: one home)
from hsplit import each_pair  # noqa: E402  (the pairs files: one home)


def log_tasks(path):
    """How many tasks ended in the event log at path."""
    return sum(1 for e in log_events(path) if e["Event"] == "SparkListenerTaskEnd")


def points(spec):
    """[(label, tasks, driver CPU-s lacking)] of one TABLE.md=PAIRS.json[,PAIRS.json...]."""
    table, pairs = spec.split("=", 1)
    tasks = {}
    for p, local, cluster, _, _ in each_pair(pairs.split(",")):
        tasks[(p["label"], os.path.basename(cluster)[:-5])] = local
    out = []
    with open(table) as f:
        for line in f:
            if not line.startswith("| ") or line.startswith("| pair"):
                continue
            c = [x.strip() for x in line.strip().strip("|").split("|")]
            pred, meas = map(float, re.search(r"\(([\d.]+) / ([\d.]+)\)", c[4]).groups())
            out.append((c[0] + " " + c[1], log_tasks(tasks[(c[0], c[1])]), meas - pred))
    return out


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fit", nargs="+", required=True)
    ap.add_argument("--test", nargs="*", default=[])
    a = ap.parse_args(argv)
    fit = [x for s in a.fit for x in points(s)]
    line = statistics.linear_regression([x[1] for x in fit], [x[2] for x in fit])
    r = statistics.correlation([x[1] for x in fit], [x[2] for x in fit])
    res = [x[2] - (line.slope * x[1] + line.intercept) for x in fit]
    print(
        "fit: %d pairs, lacking = %.2f ms a task %+.2f CPU-s (r %.2f), median |residual| %.2f CPU-s"
        % (len(fit), 1000 * line.slope, line.intercept, r, statistics.median(abs(v) for v in res))
    )
    for s in a.test:
        print()
        print("| pair | tasks | driver CPU-s lacking | the line | residual |")
        print("|---|---:|---:|---:|---:|")
        res = []
        for label, n, lack in points(s):
            want = line.slope * n + line.intercept
            res.append(lack - want)
            print("| %s | %d | %+.1f | %+.1f | %+.1f |" % (label, n, lack, want, lack - want))
        print()
        print(
            "test %s: %d pairs, median |residual| %.2f CPU-s"
            % (s, len(res), statistics.median(abs(v) for v in res))
        )


if __name__ == "__main__":
    main(sys.argv[1:])
