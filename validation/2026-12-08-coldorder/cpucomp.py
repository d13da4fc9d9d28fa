#!/usr/bin/env python3
"""Where a local log's prediction for a standalone cluster gets the CPU wrong (record
2026-12-08-coldorder): for every pair of the pairs files whose cluster runs kept each JVM's CPU by
thread, whatif's serial prediction (BIN whatif LOCAL_LOG --cluster FILE --hidden-cpu infer, its
trace) against the cluster's serial runs (medians, /proc): the makespan; the host's CPU (the
prediction's driver and executor CPU against the host's busy time); the driver's (its JVM and
Python); the executors' tasks (the prediction's executor CPU less the compile work it gives them
against the executors' task threads); and the executors' CPU beyond their tasks (that compile work
against the rest of the executor JVMs' CPU). Errors signed, in percent.

Usage: validation/2026-12-08-coldorder/cpucomp.py BIN PAIRS.json...   (from the repository's root)
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "2026-12-07-executors"))
sys.path.insert(0, os.path.join(HERE, "..", "2026-12-07-threads"))

from hsplit import each_pair, serial_logs  # noqa: E402  (the pairs files and their serial runs: one home)

COLUMNS = ("makespan", "host CPU", "driver", "executors' tasks", "executors beyond tasks")


def predicted(binary, log, cluster):
    """(makespan s, driver CPU-s, executor task CPU-s, executor CPU-s beyond tasks) of whatif's serial
    prediction of log on cluster."""
    with tempfile.TemporaryDirectory() as d:
        trace = os.path.join(d, "trace.json")
        cmd = [binary, "whatif", log, "--cluster", cluster, "--hidden-cpu", "infer", "--parallelism", "1"]
        done = subprocess.run(
            cmd + ["--trace", trace, "--format", "json"], capture_output=True, text=True, check=True
        )
        rep = json.loads(done.stdout)
        with open(trace) as f:
            t = json.load(f)
    res = rep["results"][0]
    ap = rep["found"]["cpu_budget"].get("apart") or {}
    execs = t["executors"] if isinstance(t["executors"], int) else len(t["executors"])
    beyond = ap.get("executor_compile_cpu_per_job_s", 0) * res["jobs"] * execs
    return res["makespan_s"], t["cpu_ns"] / 1e9, t["executor_cpu_ns"] / 1e9 - beyond, beyond


def measured(runs):
    """The same figures of the cluster's serial runs (medians), and the host's busy CPU-s."""
    md = statistics.median
    tasks = md(r["executor_jvm_threads_cpu_s"]["tasks"] for r in runs)
    return (
        md(r["fit_s"] for r in runs),
        md(r["driver_jvm_cpu_s"] + r["python_cpu_s"] for r in runs),
        tasks,
        md(r["executor_jvms_cpu_s"] for r in runs) - tasks,
        md(r["host_busy_s"] for r in runs),
    )


def main(binary, pairs_files):
    rows = []
    print("| pair | cluster | " + " | ".join(COLUMNS) + " |")
    print("|---|---|" + "---:|" * len(COLUMNS))
    for p, local, cluster, runs, here in each_pair(pairs_files):
        rs = [r for r, _ in serial_logs(runs, here, p["pipeline"])]
        if not rs or "executor_jvm_threads_cpu_s" not in rs[0]:
            continue
        pm, pd, pt, pb = predicted(binary, local, cluster)
        mm, md_, mt, mb, host = measured(rs)
        errs = [pm / mm - 1, (pd + pt + pb) / host - 1, pd / md_ - 1, pt / mt - 1, pb / mb - 1]
        rows.append(errs)
        cells = [
            "%+.0f%% (%.1f / %.1f)" % (100 * e, a, b)
            for e, a, b in zip(errs[2:], (pd, pt, pb), (md_, mt, mb))
        ]
        print(
            "| %s | %s | %+.0f%% | %+.0f%% | %s |"
            % (p["label"], os.path.basename(cluster)[:-5], 100 * errs[0], 100 * errs[1], " | ".join(cells))
        )
    print()
    for i, name in enumerate(COLUMNS):
        v = [r[i] for r in rows]
        print(
            "%s: %d pairs, median signed %+.1f%%, median |error| %.1f%%"
            % (name, len(v), 100 * statistics.median(v), 100 * statistics.median(abs(x) for x in v))
        )
    mk, cpu = [r[0] for r in rows], [r[1] for r in rows]
    print("makespan error against host CPU error: Pearson r %.2f" % statistics.correlation(mk, cpu))


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2:])
