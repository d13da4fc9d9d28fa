#!/usr/bin/env python3
"""Checks that the harness path and whatif agree (issue 21, part 6): for scenarios tunesim has units
for, `simulate validate --against spark` runs the scenario on Spark (one application, a warm-up,
then --runs runs at each --parallelism) and predicts each parallelism from a profile calibrated on
its own serial runs; whatif predicts the same parallelisms from the median serial run's event log
alone. Both are set against the measured runs, and against each other.

  validate -s S --against spark --parallelism P --runs R --event-dir OUT/S/logs \\
      --journal OUT/S/journal.jsonl --format json -o OUT/S/validation.json
  whatif OUT/S/serial-RUN/APP --parallelism P --hidden-cpu auto --format json

The application's log holds every run; each serial run's jobs (by the start and end the harness
recorded in LOG.tunesim.json) are cut out into a log of their own (OUT/S/serial-N.json, with the
application's events before its first job) for whatif to read. The table (OUT/table.md, .json):
per scenario and parallelism, the measured speedup (median over the runs), the harness's and
whatif's predicted speedups, their signed errors (+: promised more) and whatif's against the
harness's. The issue asks the two paths to agree within 5%.

Usage:
  spark/tools/harness_whatif.py [--out-dir out/harness-whatif] [--scenarios seed-tvs,text-logreg,...]
      [--parallelism 1:4] [--runs 2] [--simulate BIN] [--keep DIR] [--analyze-only]

Measure on a quiet machine. --keep DIR keeps each scenario's validation, its serial runs' logs
(zstd -19) and the summaries; --analyze-only re-predicts from OUT (or a kept DIR given as OUT).
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import validate_pipelines as vp  # noqa: E402  (whatif's runner and the table's helpers: one home)

JOB_EVENTS = ("SparkListenerJobStart", "SparkListenerJobEnd")
STAGE_EVENTS = (
    "SparkListenerStageSubmitted",
    "SparkListenerStageCompleted",
    "SparkListenerTaskStart",
    "SparkListenerTaskGettingResult",
    "SparkListenerTaskEnd",
    "SparkListenerSpeculativeTaskSubmitted",
)


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out-dir", default=os.path.join(vp.ROOT, "out", "harness-whatif"))
    ap.add_argument(
        "--scenarios",
        default="laptop-2core,text-logreg",
        help="built-in scenarios or scenario files, comma-separated (default: two built-ins for 2 cores)",
    )
    ap.add_argument("--parallelism", default="1:4")
    ap.add_argument(
        "--hidden-cpu",
        default="auto",
        choices=("auto", "infer"),
        help="whatif's --hidden-cpu: auto uses the CPU the harness measured (as the harness's profile does); "
        "infer, the log alone",
    )
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--simulate", help="a built simulate binary (default: go build ./cmd/simulate into OUT)")
    ap.add_argument(
        "--keep", metavar="DIR", help="keep the validations, serial logs (zstd -19) and summaries in DIR"
    )
    ap.add_argument("--analyze-only", action="store_true", help="run nothing on Spark: predict from OUT")
    a = ap.parse_args(argv)
    a.scenarios = [s for s in a.scenarios.split(",") if s]
    if not a.scenarios:
        vp.fail("--scenarios: name one or more scenarios (simulate scenarios lists them)")
    if a.runs < 1:
        vp.fail("--runs %d: must be 1 or more" % a.runs)
    return a


def name_of(s):
    """A scenario's name for its folder: a built-in's name, a file's name without .json."""
    return os.path.basename(s)[: -len(".json")] if s.endswith(".json") else s


def run(a, simulate, s):
    d = os.path.join(a.out_dir, name_of(s))
    os.makedirs(os.path.join(d, "logs"), exist_ok=True)
    cmd = [simulate, "validate", "-s", s, "--against", "spark", "--parallelism", a.parallelism]
    cmd += ["--runs", str(a.runs), "--event-dir", os.path.join(d, "logs")]
    cmd += [
        "--journal",
        os.path.join(d, "journal.jsonl"),
        "--format",
        "json",
        "-o",
        os.path.join(d, "validation.json"),
    ]
    vp.note("%s: %s" % (s, " ".join(cmd[1:])))
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        vp.fail("validate -s %s: exit %d: %s" % (s, r.returncode, vp.last_line(r.stderr)))


def app_log(d):
    """The scenario's application log in d/logs (the one with a harness summary beside it)."""
    logs = os.path.join(d, "logs")
    found = sorted(f[: -len(".tunesim.json")] for f in os.listdir(logs) if f.endswith(".tunesim.json"))
    if len(found) != 1:
        vp.fail("%s: want one application log with its .tunesim.json summary, found %d" % (logs, len(found)))
    return os.path.join(logs, found[0])


def read_log(path):
    with open(path) as f:
        return [line for line in f.read().splitlines() if line.strip()]


def cut_run(lines, start_ms, end_ms):
    """The application's events before its first job (its start, its executors), then from the
    first to the last job submitted in [start_ms, end_ms] those jobs with their stages and tasks
    and whatever else the log wrote meanwhile, and the application's end; None when no job was
    submitted then."""
    jobs: set[int] = set()
    stages: set[int] = set()
    app_first, first, last = len(lines), -1, -1
    events = [json.loads(line) for line in lines]
    for i, e in enumerate(events):
        if e.get("Event") == "SparkListenerJobStart":
            app_first = min(app_first, i)
            if start_ms <= e["Submission Time"] <= end_ms:
                jobs.add(e["Job ID"])
                stages.update(e.get("Stage IDs", []))
                first = i if first < 0 else first
        if e.get("Event") == "SparkListenerJobEnd" and e["Job ID"] in jobs:
            last = i
    if first < 0 or last < 0:
        return None
    out = []
    for i, (line, e) in enumerate(zip(lines, events)):
        ev = e.get("Event")
        if ev in JOB_EVENTS:
            keep = e["Job ID"] in jobs
        elif ev in STAGE_EVENTS:
            keep = (e["Stage Info"]["Stage ID"] if "Stage Info" in e else e.get("Stage ID")) in stages
        else:
            keep = i < app_first or first <= i <= last or ev == "SparkListenerApplicationEnd"
        if keep:
            out.append(line)
    return out


def serial_logs(d, summaries, measured):
    """[(run, wall s, path)] of the scenario's serial runs (their harness summaries), each cut out
    into a log of its own in d/serial-N/ with the CPU the harness measured over it beside it, where
    whatif looks for it (tunesim.cpu.path_for). measured: run -> the validation's measured run (its
    host figures). In a kept directory, the kept logs."""
    kept = not os.path.isdir(os.path.join(d, "logs"))
    log = "" if kept else app_log(d)
    lines, out = None, []
    for r in summaries:
        sub = os.path.join(d, "serial-%d" % r["run"])
        path = os.path.join(sub, r["app_id"] + (".zstd" if kept else ""))
        if not kept and not os.path.exists(path):
            lines = lines or read_log(log)
            cut = cut_run(lines, r["start_unix_ms"], r["end_unix_ms"])
            if cut is None:
                vp.fail("%s: no jobs of run %d between its start and end" % (log, r["run"]))
            vp.write_atomic(path, "\n".join(cut) + "\n")
            m = measurement(r, measured.get(r["run"]))
            if m:
                vp.write_atomic(vp.measurement_path(path, r["app_id"]), json.dumps(m, indent=1) + "\n")
        out.append((r["run"], r["wall_s"], path))
    if not out:
        vp.fail("%s: no serial run in its harness summary" % d)
    return out


def serial_summaries(d):
    """The harness's summaries of the scenario's serial runs."""
    kept = not os.path.isdir(os.path.join(d, "logs"))
    with open(os.path.join(d, "app.tunesim.json") if kept else app_log(d) + ".tunesim.json") as f:
        summary = json.load(f)
    runs = summary if isinstance(summary, list) else [summary]
    return [r for r in runs if r.get("parallelism") == 1]


def host_of(summaries, measured):
    """run -> the validation's measured run of that harness run: each summary's nearest in time
    (the harness's wall time against the measured makespan), each measured run taken once."""
    out, left = {}, list(measured)
    for r in summaries:
        if not left:
            break
        best = min(left, key=lambda m: abs(m["makespan_s"] - r["wall_s"]))
        out[r["run"]] = best
        left.remove(best)
    return out


def measurement(r, host):
    """The CPU the harness measured over run r as tunesim.measure writes it (whatif.Measurement):
    the application's (JVM and Python) from its summary, the host's busy time from the
    validation's measured run (its own and other processes' share of the cores); None when the
    harness measured no CPU."""
    if not r.get("cpu_s") or not host:
        return None
    cores, wall = host["cores"], host["wall_s"]
    busy = (host["own_cpu_pct"] + host["others_cpu_pct"]) / 100 * cores * wall
    return {
        "app_id": r["app_id"],
        "app_cpu_s": r["cpu_s"],
        "host_busy_s": busy,
        "cores": cores,
        "wall_s": r["wall_s"],
    }


def analyze(a, simulate):
    rows = []
    for s in map(name_of, a.scenarios):
        d = os.path.join(a.out_dir, s)
        with open(os.path.join(d, "validation.json")) as f:
            val = json.load(f)
        serial_runs = [m for m in val.get("measured_runs", []) if m["parallelism"] == 1]
        summaries = serial_summaries(d)
        serial = sorted(serial_logs(d, summaries, host_of(summaries, serial_runs)), key=lambda x: x[1])
        run_no, _, log = serial[(len(serial) - 1) // 2]  # the median run (the faster of two)
        spec = ",".join(str(r["parallelism"]) for r in val["rows"])
        rep, err = vp.whatif(simulate, [log], spec, a.out_dir, "%s-whatif" % s, a.hidden_cpu)
        if err:
            vp.fail("whatif %s: %s" % (log, err))
        pred = {p: m for p, (m, _) in vp.predictions(rep).items()}
        base = {r["parallelism"]: r for r in val["rows"]}
        for p, r in sorted(base.items()):
            real = base[1]["real_s"] / r["real_s"]
            harness = base[1]["simulated_s"] / r["simulated_s"]
            whatif = pred[1] / pred[p]
            rows.append(
                {
                    "scenario": s,
                    "parallelism": p,
                    "real_s": r["real_s"],
                    "real_speedup": real,
                    "harness_speedup": harness,
                    "whatif_speedup": whatif,
                    "harness_error_pct": 100 * (harness / real - 1),
                    "whatif_error_pct": 100 * (whatif / real - 1),
                    "whatif_vs_harness_pct": 100 * (whatif / harness - 1),
                    "serial_log": os.path.relpath(log, a.out_dir),
                    "serial_run": run_no,
                }
            )
    return rows


def summary(rows, key):
    xs = [r[key] for r in rows if r["parallelism"] > 1]
    if not xs:
        return "no pairs"
    return "median |%s| %.1f%%, largest %.1f%%, mean signed %+.1f%% over %d pairs" % (
        key.replace("_pct", ""),
        statistics.median(abs(x) for x in xs),
        max(abs(x) for x in xs),
        statistics.mean(xs),
        len(xs),
    )


def markdown(rows):
    out = [
        "| scenario | parallelism | measured s | speedup measured | harness | whatif "
        "| harness error % | whatif error % | whatif vs harness % |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        out.append(
            "| %s | %d | %.2f | %.2f | %.2f | %.2f | %+.1f | %+.1f | %+.1f |"
            % (
                r["scenario"],
                r["parallelism"],
                r["real_s"],
                r["real_speedup"],
                r["harness_speedup"],
                r["whatif_speedup"],
                r["harness_error_pct"],
                r["whatif_error_pct"],
                r["whatif_vs_harness_pct"],
            )
        )
    out.append("")
    for key in ("harness_error_pct", "whatif_error_pct", "whatif_vs_harness_pct"):
        out.append("%s: %s." % (key.replace("_pct", "").replace("_", " "), summary(rows, key)))
        out.append("")
    return "\n".join(out)


def keep(a, rows):
    for s in map(name_of, a.scenarios):
        d, k = os.path.join(a.out_dir, s), os.path.join(a.keep, s)
        os.makedirs(k, exist_ok=True)
        shutil.copy(os.path.join(d, "validation.json"), k)
        log = app_log(d)
        shutil.copy(log + ".tunesim.json", os.path.join(k, "app.tunesim.json"))
        for f in os.listdir(d):
            if not f.startswith("serial-"):
                continue
            src, dst = os.path.join(d, f), os.path.join(k, f)
            for name in os.listdir(src):
                if os.path.isfile(os.path.join(src, name)):
                    os.makedirs(dst, exist_ok=True)
                    subprocess.run(
                        [
                            "zstd",
                            "-19",
                            "-q",
                            "-f",
                            os.path.join(src, name),
                            "-o",
                            os.path.join(dst, name + ".zstd"),
                        ],
                        check=True,
                    )
            if os.path.isdir(os.path.join(src, ".tunesim")):
                shutil.copytree(
                    os.path.join(src, ".tunesim"), os.path.join(dst, ".tunesim"), dirs_exist_ok=True
                )
    vp.write_atomic(os.path.join(a.keep, "table.json"), json.dumps(rows, indent=1) + "\n")
    vp.write_atomic(os.path.join(a.keep, "table.md"), markdown(rows) + "\n")


def main(argv):
    a = parse_args(argv)
    os.makedirs(a.out_dir, exist_ok=True)
    a.simulate = a.simulate or os.environ.get("TUNESIM_BIN")
    simulate = vp.build_simulate(a)
    if not a.analyze_only:
        for s in a.scenarios:
            run(a, simulate, s)
    rows = analyze(a, simulate)
    text = markdown(rows)
    vp.write_atomic(os.path.join(a.out_dir, "table.json"), json.dumps(rows, indent=1) + "\n")
    vp.write_atomic(os.path.join(a.out_dir, "table.md"), text + "\n")
    print(text)
    if a.keep:
        keep(a, rows)


if __name__ == "__main__":
    main(sys.argv[1:])
