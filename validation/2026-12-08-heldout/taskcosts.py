#!/usr/bin/env python3
"""A task's scheduler delay and deserializing wait in every kept serial run, by where it ran: every
results.json under validation/ (from the repository's root), each serial run whose event log is
kept, its tasks within tuner.fit; per run the mean a task of its scheduler delay (slot time less run,
deserialization and result serialization) and of its deserializing's wall time less its CPU; by
shape (local, or executors x cores from the log's ExecutorAdded events), the runs' median and
quartiles.

Usage: validation/2026-12-08-heldout/taskcosts.py   (from the repository's root)
"""

import os
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "2026-12-08-noise"))

from sessions import kept_results  # noqa: E402  (every kept campaign's runs: one home)
from tasks import task_costs  # noqa: E402  (a task's costs in a log: one home)


def quartiles(v):
    return statistics.quantiles(v, n=4) if len(v) > 3 else [min(v), statistics.median(v), max(v)]


def main():
    by = {}
    for f, runs in kept_results():
        for r in runs:
            log = os.path.join(os.path.dirname(f), r.get("event_log") or "")
            if r.get("parallelism") != 1 or not os.path.isfile(log) or "fit_start_ms" not in r:
                continue
            c = task_costs(log, r["fit_start_ms"], r["fit_end_ms"])
            if c:
                by.setdefault(c["shape"], []).append((c["sched"], c["deser_wait"]))
    print("| where | serial runs | scheduler delay ms a task, median (quartiles) | deserializing wait ms |")
    print("|---|---:|---|---|")
    for shape, v in sorted(by.items()):
        s, w = [x[0] for x in v], [x[1] for x in v]
        print(
            "| %s | %d | %.1f (%.1f-%.1f) | %.1f (%.1f-%.1f) |"
            % (
                shape,
                len(v),
                statistics.median(s),
                quartiles(s)[0],
                quartiles(s)[-1],
                statistics.median(w),
                quartiles(w)[0],
                quartiles(w)[-1],
            )
        )


if __name__ == "__main__":
    main()
