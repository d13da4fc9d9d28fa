#!/usr/bin/env python3
"""The tables of spark/tools/local_to_cluster.py under DIR (DIR/*/table.json, .md) summed up
together: makespans' and speedups' median, largest and mean signed errors, and the recommendation.

Usage: validation/2026-12-07-threads/together.py DIR
"""

import glob
import json
import os
import statistics
import sys


def main(d):
    ms, sp, rec, tot = [], [], 0, 0
    for f in sorted(glob.glob(os.path.join(d, "*", "table.json"))):
        with open(f) as fh:
            for r in json.load(fh)["rows"]:
                ms.append(r["makespan_error_pct"])
                if r["parallelism"] != 1:
                    sp.append(r["speedup_error_pct"])
        with open(f[: -len(".json")] + ".md") as fh:
            for line in fh:
                if line.startswith("recommendation"):
                    words = line.split(":")[1].split()
                    rec, tot = rec + int(words[0]), tot + int(words[2])
    if not ms:
        sys.exit("together.py: no table.json under %s" % d)
    am, asp = [abs(x) for x in ms], [abs(x) for x in sp]
    print(
        "together: makespans (%d) median %.1f%%, largest %.1f%%, mean signed %+.1f%%; speedups (%d) "
        "median %.1f%%, largest %.1f%%, mean signed %+.1f%%; recommendation %d of %d"
        % (
            len(ms),
            statistics.median(am),
            max(am),
            statistics.mean(ms),
            len(sp),
            statistics.median(asp),
            max(asp),
            statistics.mean(sp),
            rec,
            tot,
        )
    )


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: together.py DIR")
    main(sys.argv[1])
