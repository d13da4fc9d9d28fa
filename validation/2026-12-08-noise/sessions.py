#!/usr/bin/env python3
"""How much the measured speedup of one tuning moves from one session to another: over every kept
campaign's results.json (validation/**), the fresh local[2] runs of each (pipeline, partitions, rows,
param maps), the speedup at each parallelism (median serial fit over median fit at P) in each
campaign that ran it; for every tuning measured in two campaigns or more, each pair of campaigns'
speedups at the same P compared (|a - b| / the mean of the two). A prediction from one serial log
is judged against one campaign's runs: it cannot agree with every campaign more closely than the
campaigns agree with each other.

Usage: validation/2026-12-08-noise/sessions.py [MIN_RUNS]   (from the repository's root; a campaign's
speedup at P counts where it ran at least MIN_RUNS runs serially and at P, default 1)
"""

import glob
import itertools
import json
import statistics
import sys


def kept_results():
    """(path, runs) of every campaign's results.json under validation/ (from the repository's root)."""
    for f in sorted(glob.glob("validation/**/results.json", recursive=True)):
        try:
            with open(f) as fh:
                yield f, json.load(fh)["runs"]
        except (KeyError, ValueError, TypeError):
            continue


def speedups(min_runs):
    """{(pipeline, partitions, rows, maps): {campaign: {P: speedup}}} of fresh local[2] runs, where a
    campaign ran at least min_runs runs serially and at P."""
    out = {}
    for f, runs in kept_results():
        by = {}
        for r in runs:
            if r.get("adaptive") or not r.get("fresh_jvm") or r.get("master") != "local[2]":
                continue
            key = (r["pipeline"], r.get("partitions"), r.get("rows"), r.get("param_maps"))
            by.setdefault(key, {}).setdefault(r["parallelism"], []).append(r["fit_s"])
        for key, ps in by.items():
            if len(ps.get(1, [])) < min_runs:
                continue
            base = statistics.median(ps[1])
            sp = {p: base / statistics.median(v) for p, v in ps.items() if p != 1 and len(v) >= min_runs}
            if sp:
                out.setdefault(key, {})[f] = sp
    return out


def main(min_runs):
    diffs = {}
    rows = []
    for key, camps in sorted(speedups(min_runs).items(), key=lambda kv: str(kv[0])):
        if len(camps) < 2:
            continue
        for (fa, a), (fb, b) in itertools.combinations(sorted(camps.items()), 2):
            for p in sorted(set(a) & set(b)):
                d = abs(a[p] - b[p]) / ((a[p] + b[p]) / 2)
                diffs.setdefault(p, []).append(d)
                rows.append((key, p, fa, a[p], fb, b[p], d))
    print(
        "| tuning (pipeline, partitions, rows, maps) | P | campaign | speedup | campaign | speedup | apart |"
    )
    print("|---|---:|---|---:|---|---:|---:|")
    for key, p, fa, a, fb, b, d in rows:
        short = lambda f: f.split("/")[1] + "/" + "/".join(f.split("/")[2:-1])  # noqa: E731
        print(
            "| %s | %d | %s | %.2f | %s | %.2f | %.1f%% |"
            % (" ".join(map(str, key)), p, short(fa), a, short(fb), b, 100 * d)
        )
    print()
    alld = [d for v in diffs.values() for d in v]
    for p in sorted(diffs):
        v = diffs[p]
        print(
            "P %d: %d pairs of campaigns, apart by a median %.1f%%, largest %.1f%%"
            % (p, len(v), 100 * statistics.median(v), 100 * max(v))
        )
    print(
        "all: %d pairs, median %.1f%%, largest %.1f%%"
        % (len(alld), 100 * statistics.median(alld), 100 * max(alld))
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
