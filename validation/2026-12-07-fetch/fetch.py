#!/usr/bin/env python3
"""How long a standalone executor's first task of each stage takes to deserialize, against local mode.

Spark ships each stage's task binary (the RDD and the function, serialized) as a broadcast: in local
mode the task deserializes it from the driver's own block manager; on a cluster the executor's first
task of the stage fetches it from the driver (TorrentBroadcast.readBroadcastBlock) and the executor's
later tasks of the stage find it there. Spark counts both in the task's Executor Deserialize Time.

For each pair of spark/tools/local_to_cluster.py's pairs files (a fresh local[2] serial log and the
standalone runs of the same tuning), the local log's mean first-task deserialization per stage, the
standalone serial run's mean first-task deserialization per (stage, executor), their ratio, and the
extra per other JVM on the executor's host ((ratio - 1) / (JVMs on the host - 1): on these clusters
every JVM shares the one host, the driver's included). Then the medians by cluster shape.

Usage: validation/2026-12-07-fetch/fetch.py PAIRS.json ...
"""

import json
import os
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "2026-12-07-executors"))

from executors import log_events as events  # noqa: E402  (one reader of kept logs)


def first_deserialize(path, start_ms=None, end_ms=None):
    """(mean first-task deserialization ms per (stage, executor), such pairs, executors) of a log,
    counting the tasks within [start_ms, end_ms] when given."""
    seen, firsts, execs = set(), [], set()
    for e in events(path):
        if e["Event"] != "SparkListenerTaskEnd":
            continue
        ti, m = e["Task Info"], e.get("Task Metrics") or {}
        if start_ms and (ti["Launch Time"] < start_ms or ti["Finish Time"] > end_ms):
            continue
        key = (e["Stage ID"], e["Stage Attempt ID"], ti["Executor ID"])
        execs.add(ti["Executor ID"])
        if key not in seen:
            seen.add(key)
            firsts.append(m.get("Executor Deserialize Time", 0))
    return statistics.mean(firsts), len(firsts), len(execs)


def main(files):
    rows, done = [], set()
    for f in files:
        base = os.path.dirname(f)
        with open(f) as fh:
            pairs = json.load(fh)["pairs"]
        for p in pairs:
            log = os.path.normpath(os.path.join(base, p["local_log"]))
            res = os.path.normpath(os.path.join(base, p["runs"]))
            if (log, res, p["pipeline"]) in done:
                continue
            done.add((log, res, p["pipeline"]))
            with open(res) as fh:
                runs = json.load(fh)["runs"]
            serial = [
                r
                for r in runs
                if r["pipeline"] == p["pipeline"]
                and r["parallelism"] == 1
                and r.get("event_log")
                and os.path.exists(os.path.join(os.path.dirname(res), r["event_log"]))
            ]
            if not serial:
                continue
            r = serial[0]
            loc, _, _ = first_deserialize(log)
            cl, _, execs = first_deserialize(
                os.path.join(os.path.dirname(res), r["event_log"]), r.get("fit_start_ms"), r.get("fit_end_ms")
            )
            shape = os.path.basename(p["cluster"]).replace(".json", "").replace("shared-", "")
            jvms = execs + 1  # every executor and the driver on the one host
            ratio = cl / loc
            rows.append((shape, p["pipeline"], loc, cl, ratio, (ratio - 1) / (jvms - 1)))
    print(
        "| cluster | pipeline | local ms per stage | cluster ms per (stage, executor) | ratio "
        "| extra per other JVM |"
    )
    print("|---|---|---:|---:|---:|---:|")
    for shape, name, loc, cl, ratio, per in sorted(rows):
        print("| %s | %s | %.1f | %.1f | %.1f | %.1f |" % (shape, name, loc, cl, ratio, per))
    print()
    for shape in sorted({r[0] for r in rows}):
        rs = [r for r in rows if r[0] == shape]
        print(
            "%s: %d pairs, ratio median %.1f (%.1f-%.1f), extra per other JVM median %.1f"
            % (
                shape,
                len(rs),
                statistics.median(r[4] for r in rs),
                min(r[4] for r in rs),
                max(r[4] for r in rs),
                statistics.median(r[5] for r in rs),
            )
        )


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
