#!/usr/bin/env python3
"""Where a local log's prediction for a standalone cluster puts the time, against where the cluster's
own runs spent it (record 2026-12-08-taskshare): for every pair of the pairs files, the serial
tuning's time split into time inside the fits' jobs (the union of their spans, submission to end)
and the gaps between them (the driver's steps between jobs), for whatif's serial replay of the local
log (local mode), its prediction for the pair's cluster, and the cluster's serial runs' event logs
(medians of the runs, within each run's tuner.fit).

Usage: validation/2026-12-08-taskshare/timeline.py BIN PAIRS.json...   (from the repository's root)
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

from executors import log_events  # noqa: E402  (the records' event log reader: one home)
from hsplit import each_pair, serial_logs  # noqa: E402  (the pairs files and their serial runs: one home)


def union(intervals):
    """The total length of the union of (start, end) intervals."""
    total, cur = 0, None
    for a, b in sorted(intervals):
        if cur is None or a > cur[1]:
            if cur:
                total += cur[1] - cur[0]
            cur = [a, b]
        else:
            cur[1] = max(cur[1], b)
    return total + (cur[1] - cur[0] if cur else 0)


def logged(path, start_ms, end_ms):
    """(time in jobs, gaps) in seconds of the jobs of the event log at path within [start, end]."""
    sub, end = {}, {}
    for e in log_events(path):
        if e["Event"] == "SparkListenerJobStart":
            sub[e["Job ID"]] = e["Submission Time"]
        elif e["Event"] == "SparkListenerJobEnd":
            end[e["Job ID"]] = e["Completion Time"]
    jobs = [(sub[j], end[j]) for j in sub if j in end and sub[j] >= start_ms and end[j] <= end_ms]
    inside = union(jobs) / 1e3
    return inside, (end_ms - start_ms) / 1e3 - inside


def replayed(binary, argv, trace):
    """(time in jobs, gaps) in seconds of whatif's serial prediction with argv, over its fits."""
    cmd = [binary, "whatif"] + argv + ["--hidden-cpu", "infer", "--parallelism", "1", "--format", "json"]
    subprocess.run(cmd + ["--trace", trace], capture_output=True, text=True, check=True)
    with open(trace) as f:
        spans = json.load(f)["spans"]
    fits = [s for s in spans if s["kind"] == "fit"]
    start, stop = min(s["start_ns"] for s in fits), max(s["end_ns"] for s in fits)
    inside = union(
        (s["start_ns"], s["end_ns"]) for s in spans if s["kind"] == "job" and s["start_ns"] >= start
    )
    return inside / 1e9, (stop - start - inside) / 1e9


def main(binary, pairs_files):
    print("| pair | cluster | local replay: jobs / gaps s | predicted | cluster runs | jobs | gaps |")
    print("|---|---|---|---|---|---:|---:|")
    errs = {"jobs": [], "gaps": []}
    with tempfile.TemporaryDirectory() as tmp:
        trace = os.path.join(tmp, "t.json")
        for p, log, cluster, runs, here in each_pair(pairs_files):
            seen = [
                logged(path, r["fit_start_ms"], r["fit_end_ms"])
                for r, path in serial_logs(runs, here, p["pipeline"])
            ]
            if not seen:
                continue
            real = tuple(statistics.median(s[i] for s in seen) for i in (0, 1))
            local = replayed(binary, [log], trace)
            pred = replayed(binary, [log, "--cluster", cluster], trace)
            ej, eg = (100 * (pred[i] / real[i] - 1) for i in (0, 1))
            errs["jobs"].append(ej)
            errs["gaps"].append(eg)
            print(
                "| %s | %s | %.1f / %.1f | %.1f / %.1f | %.1f / %.1f | %+.0f%% | %+.0f%% |"
                % (
                    p["label"],
                    os.path.splitext(os.path.basename(cluster))[0],
                    *local,
                    *pred,
                    *real,
                    ej,
                    eg,
                )
            )
    print()
    for k, v in errs.items():
        print(
            "time %s: %d pairs, predicted against the cluster's runs a median %+.0f%% (%+.0f%% to %+.0f%%)"
            % ("in jobs" if k == "jobs" else "between jobs", len(v), statistics.median(v), min(v), max(v))
        )


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("usage: timeline.py BIN PAIRS.json...")
    main(sys.argv[1], sys.argv[2:])
