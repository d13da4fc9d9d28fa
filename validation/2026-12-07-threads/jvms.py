#!/usr/bin/env python3
"""Each JVM's CPU on the cluster, predicted from the local log against /proc, serial and at
parallelism 4 (record 2026-12-07-threads): for every pair of this record's pairs.json, whatif's
trace on the pair's cluster (the makespan, the driver JVM's CPU `cpu_ns`, the executors'
`executor_cpu_ns`) beside the medians of the measured runs (fit_s, driver_jvm_cpu_s,
executor_jvms_cpu_s from tunesim.measure).

Usage: validation/2026-12-07-threads/jvms.py BIN [PAIRS] > jvms.md   (PAIRS: pairs.json by default,
or pairs-more.json)
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def main(binary, pairs_file):
    print(
        "| pair | cluster | P | makespan s predicted / measured | driver JVM CPU-s predicted / measured "
        "| executor JVMs' CPU-s predicted / measured |"
    )
    print("|---|---|---:|---|---|---|")
    with open(os.path.join(HERE, pairs_file)) as f:
        pairs = json.load(f)["pairs"]
    with tempfile.TemporaryDirectory() as tmp:
        trace = os.path.join(tmp, "trace.json")
        for p in pairs:
            with open(os.path.join(HERE, p["runs"])) as f:
                runs = json.load(f)["runs"]
            for par in (1, 4):
                rs = [r for r in runs if r["pipeline"] == p["pipeline"] and r["parallelism"] == par]
                if not rs:
                    continue
                log, cluster = os.path.join(HERE, p["local_log"]), os.path.join(HERE, p["cluster"])
                argv = [binary, "whatif", log, "--cluster", cluster, "--parallelism", str(par)]
                argv += ["--hidden-cpu", "infer", "--trace", trace]
                subprocess.run(argv, check=True, capture_output=True)
                with open(trace) as f:
                    t = json.load(f)
                ms = max(s["end_ns"] for s in t["spans"]) / 1e9
                med = statistics.median
                print(
                    "| %s | %s | %d | %.1f / %.1f | %.1f / %.1f | %.1f / %.1f |"
                    % (
                        p["label"],
                        os.path.splitext(os.path.basename(cluster))[0],
                        par,
                        ms,
                        med(r["fit_s"] for r in rs),
                        t["cpu_ns"] / 1e9,
                        med(r["driver_jvm_cpu_s"] for r in rs),
                        t.get("executor_cpu_ns", 0) / 1e9,
                        med(r["executor_jvms_cpu_s"] for r in rs),
                    )
                )


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: jvms.py BIN [PAIRS]")
    main(sys.argv[1], sys.argv[2] if len(sys.argv) == 3 else "pairs.json")
