#!/usr/bin/env python3
"""Sets how busy whatif's replay keeps the host against what /proc measured, per case of kept
campaigns: the cores busy (all the CPU the run did over its time) and the compilers' share (the CPU
of the replay's steady threads, /proc's JIT threads), serially and at the largest parallelism
run. The speedup a small host gives comes from the idle the serial run left and from what the
compilers give up under more work; a replay whose serial run leaves no idle can only find the
second. No Spark runs: whatif re-predicts each case's median serial log (as validate_pipelines.py
--serial-log median reads it) from the log alone:

  whatif LOG --parallelism P --hidden-cpu infer --format json --trace TRACE

and the trace's cpu_ns and steady_cpu_ns over the report's makespan give the replay's figures;
results.json's host_busy_s and driver_jvm_threads_cpu_s.jit over fit_s (medians of the case's
runs) give /proc's. Writes the table to stdout (markdown), or to --out atomically.

Usage:
  spark/tools/host_busy.py DIR [DIR ...] [--simulate BIN] [--out FILE]
"""

import argparse
import json
import os
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import validate_pipelines as vp  # noqa: E402  (the campaign's loader, builder and writer: one home)


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dirs", nargs="+", help="kept campaigns (results.json and the serial logs)")
    ap.add_argument("--simulate", help="a built simulate binary (default: build one)")
    ap.add_argument("--out", help="write the table here instead of stdout")
    a = ap.parse_args(argv)
    a.out_dir = tempfile.mkdtemp(prefix="host-busy-")
    return a


def per_second(runs, figure):
    """The median over runs of figure(run) / fit_s: cores busy on it; None when no run has it."""
    xs = [f / r["fit_s"] for r in runs if r.get("fit_s") and (f := figure(r)) is not None]
    return statistics.median(xs) if xs else None


def measured(runs):
    """(cores busy, JIT cores) /proc measured over runs (host_busy_s, the driver JVM's JIT threads)."""
    return (
        per_second(runs, lambda r: r.get("host_busy_s")),
        per_second(runs, lambda r: (r.get("driver_jvm_threads_cpu_s") or {}).get("jit")),
    )


def replayed(trace, makespan_s):
    """(cores busy, steady cores) of a predicted run: its trace's CPU and steady threads' CPU over
    its makespan."""
    return trace.get("cpu_ns", 0) / 1e9 / makespan_s, trace.get("steady_cpu_ns", 0) / 1e9 / makespan_s


def predict(simulate, log, p, out_dir):
    """whatif's (cores busy, steady cores) for log at parallelism p, from the log alone."""
    tr = os.path.join(out_dir, "trace-%d.json" % p)
    rep, err = vp.whatif(simulate, [log], str(p), out_dir, "busy-%d" % p, "infer", ("--trace", tr))
    if err:
        vp.fail("whatif %s at %d: %s" % (log, p, err))
    with open(tr) as f:
        return replayed(json.load(f), rep["results"][0]["makespan_s"])


def change(a, b):
    """b against a in percent, or None."""
    return None if a is None or b is None or a == 0 else 100 * (b / a - 1)


def cases(runs):
    """case -> parallelism -> runs (the adaptive tuner's runs left out)."""
    by: dict[str, dict[int, list[dict]]] = {}
    for r in runs:
        if not r.get("adaptive"):
            by.setdefault(vp.case_of(r), {}).setdefault(r["parallelism"], []).append(r)
    return by


def rows_of(d, simulate, out_dir):
    rows = []
    for case, by_par in sorted(cases(vp.load_runs(os.path.join(d, "results.json"))).items()):
        top = max(by_par)
        if 1 not in by_par or top == 1:
            continue
        log = vp.median_run(by_par[1])["event_log"]
        if not log or not os.path.exists(log):
            continue
        m1, m_top = predict(simulate, log, 1, out_dir), predict(simulate, log, top, out_dir)
        p1, p_top = measured(by_par[1]), measured(by_par[top])
        rows.append(
            {
                "campaign": "/".join(os.path.abspath(d).split(os.sep)[-2:]),
                "case": case,
                "top": top,
                "replay_busy": (m1[0], m_top[0]),
                "replay_steady": (m1[1], m_top[1]),
                "proc_busy": (p1[0], p_top[0]),
                "proc_jit": (p1[1], p_top[1]),
            }
        )
    return rows


def cell(x, fmt="%.2f"):
    return "-" if x is None else fmt % x


def summary(rows):
    """The medians over rows: serial cores busy (replay, /proc) and the compilers' share's change
    (replay, /proc) from 1 to the largest parallelism, each with its count."""

    def med(xs):
        xs = [x for x in xs if x is not None]
        return (statistics.median(xs), len(xs)) if xs else (None, 0)

    return {
        "replay_busy_1": med([r["replay_busy"][0] for r in rows]),
        "proc_busy_1": med([r["proc_busy"][0] for r in rows]),
        "replay_steady_change": med([change(*r["replay_steady"]) for r in rows]),
        "proc_jit_change": med([change(*r["proc_jit"]) for r in rows]),
    }


def markdown(rows):
    out = [
        "| campaign | case | P | cores busy, replay (1 -> P) | cores busy, /proc | compilers, replay | "
        "JIT, /proc | compilers' change, replay | JIT's change, /proc |",
        "|---|---|---:|---|---|---|---|---:|---:|",
    ]
    for r in rows:
        out.append(
            "| %s | %s | %d | %s -> %s | %s -> %s | %s -> %s | %s -> %s | %s | %s |"
            % (
                r["campaign"],
                r["case"],
                r["top"],
                *map(cell, r["replay_busy"]),
                *map(cell, r["proc_busy"]),
                *map(cell, r["replay_steady"]),
                *map(cell, r["proc_jit"]),
                cell(change(*r["replay_steady"]), "%+.0f%%"),
                cell(change(*r["proc_jit"]), "%+.0f%%"),
            )
        )
    s = summary(rows)
    out.append("")
    out.append(
        "Serial cores busy, median: replay %s (%d cases), /proc %s (%d). The compilers' share from 1 to "
        "the largest parallelism, median: replay %s (%d), /proc's JIT %s (%d)."
        % (
            cell(s["replay_busy_1"][0]),
            s["replay_busy_1"][1],
            cell(s["proc_busy_1"][0]),
            s["proc_busy_1"][1],
            cell(s["replay_steady_change"][0], "%+.0f%%"),
            s["replay_steady_change"][1],
            cell(s["proc_jit_change"][0], "%+.0f%%"),
            s["proc_jit_change"][1],
        )
    )
    return "\n".join(out) + "\n"


def main(argv):
    a = parse_args(argv)
    simulate = vp.build_simulate(a)
    rows = []
    for d in a.dirs:
        rows += rows_of(d, simulate, a.out_dir)
    text = markdown(rows)
    if a.out:
        vp.write_atomic(a.out, text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
