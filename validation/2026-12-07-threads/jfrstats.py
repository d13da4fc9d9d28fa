#!/usr/bin/env python3
"""What each JVM's compilers did, from Java Flight Recorder recordings (JDK 17's `jfr` tool): the
last jdk.CompilerStatistics (methods compiled, OSR, bailouts, compiled code's size, time spent
compiling) and the counts of jdk.Deoptimization and jdk.Compilation events (the latter only
compilations longer than the settings' threshold, 100 ms with `profile`), per recording and summed.

Usage: validation/2026-12-07-threads/jfrstats.py LABEL=DIR ...   (each DIR's *.jfr)
A recording: spark/pipelines.py ... --conf spark.executor.extraJavaOptions=-XX:StartFlightRecording=
filename=DIR/,settings=profile,dumponexit=true
"""

import glob
import json
import os
import subprocess
import sys

STATS = ("compileCount", "osrCompileCount", "bailoutCount", "nmethodsSize", "totalTimeSpent")


def events(path, name):
    out = subprocess.run(
        ["jfr", "print", "--json", "--events", name, path], capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out)["recording"]["events"]


def seconds(iso):
    """An ISO 8601 duration as JFR prints it (PT30.051S, PT1M2.5S) in seconds."""
    body, total = iso[2:], 0.0
    for unit, scale in (("H", 3600), ("M", 60), ("S", 1)):
        if unit in body:
            n, body = body.split(unit, 1)
            total += float(n) * scale
    return total


def main(args):
    print(
        "| run | JVM | methods compiled | OSR | bailouts | compiled code MB | compiling s "
        "| deoptimizations | compiles > 100 ms |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for arg in args:
        label, d = arg.split("=", 1)
        total = [0, 0, 0, 0.0, 0.0, 0, 0]
        for f in sorted(glob.glob(os.path.join(d, "*.jfr"))):
            v = events(f, "jdk.CompilerStatistics")[-1]["values"]
            row = [v["compileCount"], v["osrCompileCount"], v["bailoutCount"], v["nmethodsSize"] / 2**20]
            row += [seconds(v["totalTimeSpent"]), len(events(f, "jdk.Deoptimization"))]
            row += [len(events(f, "jdk.Compilation"))]
            total = [a + b for a, b in zip(total, row)]
            print(
                "| %s | %s | %d | %d | %d | %.1f | %.1f | %d | %d |" % (label, os.path.basename(f)[:20], *row)
            )
        print("| %s | all | %d | %d | %d | %.1f | %.1f | %d | %d |" % (label, *total))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: jfrstats.py LABEL=DIR ...")
    main(sys.argv[1:])
