#!/usr/bin/env python3
"""whatif on standalone clusters' own serial logs with the CPU measured beside them (record
2026-12-08-cpufit): every kept results.json under validation/ whose runs went to a standalone master,
each serial run whose event log is kept and has tunesim's CPU file beside it (LOG_DIR/.tunesim/),
predicted by BIN whatif LOG (the CPU measured is found there) at the parallelisms the campaign ran;
each prediction's speedups against the campaign's (the median fit times of its runs), signed, in
percent, and its serial makespan against the serial runs' median; the recommendation held when its
real median time is within 5% of the best's. Per campaign and over all, the speedups' median |error|
and mean signed error, the serial makespans' median signed error, and the recommendations held.

Usage: validation/2026-12-08-cpufit/ownlogs.py BIN   (from the repository's root)
"""

import glob
import json
import os
import statistics
import subprocess
import sys


def campaigns():
    """(results.json, its runs) of every kept campaign on a standalone master."""
    for f in sorted(glob.glob(os.path.join("validation", "**", "results.json"), recursive=True)):
        with open(f) as fh:
            runs = json.load(fh).get("runs", [])
        if runs and all(r.get("master", "").startswith("spark://") for r in runs):
            yield f, runs


def measured_logs(f, runs, pipeline):
    """The serial runs' kept logs of pipeline that have tunesim's CPU file beside them."""
    for r in runs:
        log = os.path.join(os.path.dirname(f), r.get("event_log") or "")
        cpu = os.path.join(os.path.dirname(log), ".tunesim", r.get("app_id", "") + ".cpu.json")
        if (
            r["pipeline"] == pipeline
            and r["parallelism"] == 1
            and os.path.isfile(log)
            and os.path.isfile(cpu)
        ):
            yield log


def main(binary):
    everything, serial, held, judged = [], [], 0, 0
    print(
        "| campaign | logs | speedups | median abs error | mean signed | serial makespan | recommendation |"
    )
    print("|---|---:|---:|---:|---:|---:|---|")
    for f, runs in campaigns():
        errs, spans, logs, c_held, c_judged = [], [], 0, 0, 0
        for p in sorted({r["pipeline"] for r in runs}):
            fit = {}
            for r in runs:
                if r["pipeline"] == p:
                    fit.setdefault(r["parallelism"], []).append(r["fit_s"])
            if 1 not in fit or len(fit) < 2:
                continue
            real = {k: statistics.median(v) for k, v in fit.items()}
            ps = sorted(real)
            for log in measured_logs(f, runs, p):
                cmd = [binary, "whatif", log, "--parallelism", ",".join(map(str, ps)), "--format", "json"]
                done = subprocess.run(cmd, capture_output=True, text=True, check=True)
                rep = json.loads(done.stdout)
                pred = {int(x["parallelism"]): x["speedup"] for x in rep["results"]}
                one = [x["makespan_s"] for x in rep["results"] if int(x["parallelism"]) == 1]
                spans.append(100 * (one[0] / real[1] - 1))
                logs += 1
                for k in ps[1:]:
                    errs.append(100 * (pred[k] / (real[1] / real[k]) - 1))
                rec = rep.get("recommended_parallelism")
                if rec in real:
                    c_judged += 1
                    c_held += real[rec] <= 1.05 * min(real.values())
        if not logs:
            continue
        everything += errs
        serial += spans
        held, judged = held + c_held, judged + c_judged
        print(
            "| %s | %d | %d | %.1f%% | %+.1f%% | %+.1f%% | %d of %d |"
            % (
                os.path.dirname(f),
                logs,
                len(errs),
                statistics.median(abs(e) for e in errs),
                statistics.mean(errs),
                statistics.median(spans),
                c_held,
                c_judged,
            )
        )
    print()
    print(
        "all: %d speedups, median |error| %.1f%%, mean signed %+.1f%%, largest %.1f%%; %d serial makespans, "
        "median signed %+.1f%%, median |error| %.1f%%; recommendation %d of %d"
        % (
            len(everything),
            statistics.median(abs(e) for e in everything),
            statistics.mean(everything),
            max(abs(e) for e in everything),
            len(serial),
            statistics.median(serial),
            statistics.median(abs(e) for e in serial),
            held,
            judged,
        )
    )


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
