#!/usr/bin/env python3
"""whatif's signed speedup errors by parallelism over re-predicted campaigns, and what the real runs did
where the predictions were flat.

For every DIR/<campaign>/table.json (validate_pipelines.py's): the mean and median signed speedup error
(+: whatif promised more) at each parallelism; within each case, the error at 4 less the error at 2 (a
term that grows with parallelism and that the model lacks would make it one-signed); and over the cases
whose predicted speedups at 2 and up lie within 5% of each other (flat: whatif's largest tie picks the
largest of them), how much faster the real runs were at 4 than at 2.

Usage: validation/2026-12-07-rerun/byp.py DIR (allcampaigns.sh's OUT)
"""

import collections
import glob
import json
import os
import statistics
import sys


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    by_p, cases = collections.defaultdict(list), collections.defaultdict(dict)
    for f in sorted(glob.glob(os.path.join(sys.argv[1], "*", "table.json"))):
        with open(f) as fh:
            rows = json.load(fh)["rows"]
        for r in rows:
            cases[(f, r["pipeline"])][r["parallelism"]] = r
            if r["parallelism"] > 1:
                by_p[r["parallelism"]].append(r["speedup_error_signed_pct"])
    print("| parallelism | pairs | signed speedup error: mean | median |")
    print("|---:|---:|---:|---:|")
    for p, v in sorted(by_p.items()):
        print("| %d | %d | %+.2f%% | %+.2f%% |" % (p, len(v), statistics.mean(v), statistics.median(v)))
    both = [c for c in cases.values() if 2 in c and 4 in c]
    d = [c[4]["speedup_error_signed_pct"] - c[2]["speedup_error_signed_pct"] for c in both]
    print()
    print(
        "error at 4 less error at 2, within each of %d cases: mean %+.2f, median %+.2f points, positive in %d"
        % (len(d), statistics.mean(d), statistics.median(d), sum(x > 0 for x in d))
    )
    flat = []
    for c in both:
        pred = [r["predicted_speedup"] for p, r in c.items() if p > 1]
        if max(pred) / min(pred) < 1.05:
            flat.append((c[4]["measured_speedup"] / c[2]["measured_speedup"] - 1) * 100)
    print(
        "flat predictions (2 and up within 5%%), %d cases: the real runs at 4 faster than at 2 "
        "by a median %+.1f%% (mean %+.1f%%), slower in %d"
        % (len(flat), statistics.median(flat), statistics.mean(flat), sum(x < 0 for x in flat))
    )


if __name__ == "__main__":
    main()
