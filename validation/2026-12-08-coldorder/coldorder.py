#!/usr/bin/env python3
"""Cold tasks counted as the simulator counts them (record 2026-12-08-coldorder).

The simulator (ClusterOverheads.ColdStage) makes a task cold when its executor has not finished a
task of its stage when it starts: the slot frees when the executor is done. 2026-12-07-cold/cold.py,
which measured the cold factor the model uses, took the end from the event log's Finish Time, which
the driver sets after it has taken the result, often after it launched the executor's next task: on
a one-core executor the second task of a stage counted as cold. Here a task is cold when launched
before its executor was done with the first task of its stage (that task's launch plus its
deserialize, run and result serialization times); the rest are warm. Same runs, same matching to
the local runs' tasks as cold.py; by executors and by shape (executors x cores), the cold and warm
tasks' CPU against the local tasks' (median and range over the runs), and beside it cold.py's count.

Usage: validation/2026-12-08-coldorder/coldorder.py   (from anywhere)
"""

import os
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "validation", "2026-12-07-cold"))

from cold import kept_runs, split, stages  # noqa: E402  (the kept runs, a log's tasks by stage, the cold count)


def shape(cluster):
    """'E x C' of a run's tasks: its executors, and the most tasks one ran at once."""
    execs, most = set(), 1
    for st in cluster:
        for t in st:
            execs.add(t["exec"])
            at = sum(1 for u in st if u["exec"] == t["exec"] and u["launch"] <= t["launch"] < u["exec_end"])
            most = max(most, at)
    return len(execs), "%d x %d" % (len(execs), most)


def fmt(v):
    return "%.2f (%.2f-%.2f)" % (statistics.median(v), min(v), max(v)) if v else "-"


def main():
    rows = []
    for pipe, rs in sorted(kept_runs().items()):
        local = [stages(*x[1:]) for x in rs if x[0].startswith("local")][:2]
        for master, log, s, e in rs:
            if master.startswith("local") or not local:
                continue
            cl = stages(log, s, e)
            if any(len(x) != len(cl) for x in local):
                continue  # cold.py names these
            n, sh = shape(cl)
            cold, warm = split(cl, local, end="exec_end")
            fcold, _ = split(cl, local)
            rows.append(dict(pipeline=pipe, executors=n, shape=sh, cold=cold, warm=warm, finish_cold=fcold))
    print(
        "| executors | shape | runs | cold tasks a run | cold x local | warm x local "
        "| cold.py: cold tasks, x local |"
    )
    print("|---:|---|---:|---:|---|---|---|")
    for key in sorted({(r["executors"], r["shape"]) for r in rows}) + sorted(
        {(n, "all") for n in {r["executors"] for r in rows}}
    ):
        sel = [r for r in rows if r["executors"] == key[0] and key[1] in ("all", r["shape"])]
        c = [r["cold"][1] / r["cold"][2] for r in sel if r["cold"][2]]
        w = [r["warm"][1] / r["warm"][2] for r in sel if r["warm"][0] and r["warm"][2]]
        fc = [r["finish_cold"][1] / r["finish_cold"][2] for r in sel if r["finish_cold"][2]]
        print(
            "| %d | %s | %d | %.0f | %s | %s | %.0f, %s |"
            % (
                key[0],
                key[1],
                len(sel),
                statistics.median(r["cold"][0] for r in sel),
                fmt(c),
                fmt(w),
                statistics.median(r["finish_cold"][0] for r in sel),
                fmt(fc),
            )
        )


if __name__ == "__main__":
    main()
