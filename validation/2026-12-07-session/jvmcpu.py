#!/usr/bin/env python3
"""Each JVM's CPU over a serial cluster run, predicted from the local log against /proc (record
2026-12-07-session): for every pair of the two same-session sets, whatif's serial trace on the
cluster (its driver JVM's CPU, `cpu_ns`, and its executors', `executor_cpu_ns`) beside the median of
the measured serial runs (the driver JVM's CPU; the executors' as the host's busy time less the
application's, the standalone daemons included).

Usage: validation/2026-12-07-session/jvmcpu.py BIN > jvmcpu.md   (from the repository's root)
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile

SETS = ["validation/2026-12-07-cold/pairs.json", "validation/2026-12-07-session/pairs.json"]


def main(binary):
    print(
        "| pipeline | cluster | local log | driver JVM CPU-s predicted / measured "
        "| executors' predicted / measured |"
    )
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        trace = os.path.join(tmp, "trace.json")
        for pairs in SETS:
            here = os.path.dirname(pairs)
            for p in json.load(open(pairs))["pairs"]:
                runs = json.load(open(os.path.join(here, p["runs"])))["runs"]
                serial = [r for r in runs if r["pipeline"] == p["pipeline"] and r["parallelism"] == 1]
                if not serial:
                    continue
                execs = statistics.median(r["host_busy_s"] - r["app_cpu_s"] for r in serial)
                driver = statistics.median(r["driver_jvm_cpu_s"] for r in serial)
                log, cluster = os.path.join(here, p["local_log"]), os.path.join(here, p["cluster"])
                argv = [binary, "whatif", log, "--cluster", cluster, "--parallelism", "1"]
                subprocess.run(
                    [*argv, "--hidden-cpu", "infer", "--trace", trace], check=True, capture_output=True
                )
                t = json.load(open(trace))
                names = f"| {p['pipeline']} | {os.path.basename(cluster)} | {os.path.basename(log)} "
                drv, exe = t["cpu_ns"] / 1e9, t["executor_cpu_ns"] / 1e9
                cpu = f"| {drv:.1f} / {driver:.1f} | {exe:.1f} / {execs:.1f} |"
                print(names + cpu)


if __name__ == "__main__":
    main(sys.argv[1])
