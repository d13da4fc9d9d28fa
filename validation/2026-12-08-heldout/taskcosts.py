#!/usr/bin/env python3
"""A task's scheduler delay and deserializing wait in every kept serial run, by where it ran: every
results.json under validation/ (from the repository's root), each serial run whose event log is
kept, its tasks within tuner.fit; per run the mean a task of its scheduler delay (slot time less run,
deserialization and result serialization) and of its deserializing's wall time less its CPU; by
shape (local, or executors x cores from the log's ExecutorAdded events), the runs' median and
quartiles.

Usage: validation/2026-12-08-heldout/taskcosts.py   (from the repository's root)
"""

import glob
import json
import os
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "2026-12-07-executors"))

from executors import log_events  # noqa: E402  (the records' event log reader: one home)


def run_costs(path, start_ms, end_ms):
    """(shape, scheduler delay ms, deserializing wait ms) a task of the run's log, or None."""
    n = sched = wait = 0.0
    execs, cores = set(), 0
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
        sched += max(
            d - m["Executor Run Time"] - m["Executor Deserialize Time"] - m["Result Serialization Time"], 0
        )
        wait += m["Executor Deserialize Time"] - m["Executor Deserialize CPU Time"] / 1e6
    if not n:
        return None
    return ("%d x %d" % (len(execs), cores) if execs else "local"), sched / n, wait / n


def quartiles(v):
    return statistics.quantiles(v, n=4) if len(v) > 3 else [min(v), statistics.median(v), max(v)]


def main():
    by = {}
    for f in sorted(glob.glob("validation/**/results.json", recursive=True)):
        try:
            with open(f) as fh:
                runs = json.load(fh)["runs"]
        except (KeyError, ValueError, TypeError):
            continue
        for r in runs:
            log = os.path.join(os.path.dirname(f), r.get("event_log") or "")
            if r.get("parallelism") != 1 or not os.path.isfile(log) or "fit_start_ms" not in r:
                continue
            c = run_costs(log, r["fit_start_ms"], r["fit_end_ms"])
            if c:
                by.setdefault(c[0], []).append(c[1:])
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
