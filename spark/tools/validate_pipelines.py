#!/usr/bin/env python3
"""Validates `simulate whatif` on real Spark with pipelines that are not the seed's (issue 11,
part 4): runs each pipeline of spark/pipelines.py serially and at parallelism 2, 3, 4 (several
runs each, event logs kept), predicts every parallelism from a serial run's log alone with
`simulate whatif LOG`, and writes the table of predicted against measured makespan and speedup.

Usage:
  spark/tools/validate_pipelines.py [--out-dir out/validate-pipelines] [--pipelines lr-text,rf-tvs,...]
      [--parallelism 1,2,3,4] [--runs 2] [--rows PIPELINE=N ...] [--master local[2]]
      [--serial-log fastest|median|each] [--simulate BIN] [--keep DIR [--keep-serial-only]]
      [--no-warmup | --warmups N] [--whatif-cluster FILE] [--whatif-host-cores N] [--analyze-only]

Measure on a quiet machine: every run's wall time is the measurement. Per pipeline, one process
(spark/pipelines.py) runs an untimed warm-up application, then --runs rounds over --parallelism
(interleaved, so that drift of the machine spreads over all parallelisms), each run its own Spark
application with its own event log. Results accumulate in OUT/results.json (re-running adds runs;
--analyze-only only re-reads them and re-predicts).

The table: per pipeline and parallelism P, the predicted makespan (whatif on the serial log chosen
by --serial-log: the fastest serial run's, the median one's, or the median prediction over every
serial log), the measured makespan (median over runs of the wall time of tuner.fit), the
predicted speedup (whatif's own, its makespan at 1 over its makespan at P), the measured speedup
(median at 1 over median at P) and |speedup error| = |predicted - measured| / measured. Under the
table: the median and the largest |speedup error| over all pipelines at parallelism 2 and more
(issue 11 asks for a median <= 15%, goal <= 8%). Written as Markdown to OUT/table.md and stdout,
and as JSON to OUT/table.json.

With `adaptive` among --parallelism (e.g. 1,2,3,4,adaptive), each round also runs the tuner under
tunesim.adaptive (spark/pipelines.py), and a second table compares its median time with the serial,
the best fixed and the largest fixed parallelism's (spark/tools/adaptive_table.py).

--keep DIR recompresses the event logs (zstd -19; tunesim reads .zstd files) into
DIR/<pipeline>/<appId>.zstd with DIR/results.json naming them relative to DIR (every run's record
is kept; with --keep-serial-only the parallel runs' logs are not, their event_log is null), so a
campaign can be kept as test data and analysed again with --out-dir DIR --analyze-only.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from typing import NoReturn

HERE = os.path.dirname(os.path.abspath(__file__))
SPARK_DIR = os.path.dirname(HERE)  # spark/: pipelines.py and the .venv spark/setup makes
ROOT = os.path.dirname(SPARK_DIR)
sys.path.insert(0, SPARK_DIR)
sys.path.insert(0, HERE)
import adaptive_table  # noqa: E402
from pipelines import ADAPTIVE, PIPELINES  # noqa: E402  (the pipelines' one home)

from tunesim.cpu import path_for  # noqa: E402  (importable once pipelines has put python/ on the path)


def fail(msg: str) -> NoReturn:
    print("validate_pipelines: " + msg, file=sys.stderr)
    sys.exit(2)


def note(msg: str) -> None:
    print("validate_pipelines: " + msg, file=sys.stderr)
    sys.stderr.flush()


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out-dir", default=os.path.join(ROOT, "out", "validate-pipelines"))
    ap.add_argument("--pipelines", default=",".join(PIPELINES))
    ap.add_argument(
        "--parallelism",
        default="1,2,3,4",
        help="parallelisms to run; 1 must be among them; 'adaptive' adds runs of tunesim.adaptive",
    )
    ap.add_argument("--runs", type=int, default=2, help="runs per parallelism and pipeline (default 2)")
    ap.add_argument(
        "--rows",
        action="append",
        default=[],
        metavar="PIPELINE=N",
        help="rows of a pipeline's data (default: spark/pipelines.py's)",
    )
    ap.add_argument("--master", default="local[2]")
    ap.add_argument(
        "--serial-log",
        choices=("fastest", "median", "each"),
        default="fastest",
        help="which serial log(s) whatif predicts from (default fastest)",
    )
    ap.add_argument("--simulate", help="a built simulate binary (default: go build ./cmd/simulate into OUT)")
    ap.add_argument("--python", default=os.path.join(SPARK_DIR, ".venv", "bin", "python"))
    ap.add_argument(
        "--keep", metavar="DIR", help="recompress the logs with zstd -19 into DIR with a results.json"
    )
    ap.add_argument(
        "--keep-serial-only", action="store_true", help="with --keep: keep only the serial runs' logs"
    )
    ap.add_argument("--no-warmup", action="store_true", help="pass --no-warmup to spark/pipelines.py")
    ap.add_argument(
        "--warmups",
        type=int,
        metavar="N",
        help="pass --warmups N to spark/pipelines.py: untimed applications that warm the JVM before a "
        "warm campaign measures (default: its 1)",
    )
    ap.add_argument(
        "--fresh",
        action="store_true",
        help="every run a fresh application in a JVM of its own, as a user's next run "
        "(spark/pipelines.py --fresh)",
    )
    ap.add_argument(
        "--partitions", type=int, help="partitions of the input data (spark/pipelines.py --partitions)"
    )
    ap.add_argument(
        "--run-timeout",
        type=float,
        metavar="SECONDS",
        help="with --fresh: kill a run taking longer and fail its pipeline, going on with the others "
        "(spark/pipelines.py --run-timeout; default its own)",
    )
    ap.add_argument(
        "--hidden-cpu",
        choices=("infer", "auto", "off"),
        default="infer",
        help="whatif's --hidden-cpu: infer the CPU the log does not show from the log alone (default), auto "
        "(the CPU measured beside the log when there), or off",
    )
    ap.add_argument(
        "--whatif-cluster",
        metavar="FILE",
        help="whatif's --cluster FILE: predict the runs as on this cluster (e.g. the hosts a standalone "
        "cluster's JVMs share, which a log does not show)",
    )
    ap.add_argument(
        "--whatif-host-cores",
        metavar="N",
        type=int,
        help="whatif's --host-cores N: the CPUs of the machine the runs' JVMs shared, which a log does not "
        "record (a standalone cluster on this host offers the slots it was started with)",
    )
    ap.add_argument(
        "--analyze-only", action="store_true", help="run nothing on Spark: predict from OUT/results.json"
    )
    a = ap.parse_args(argv)
    a.pipelines = [p for p in a.pipelines.split(",") if p]
    for p in a.pipelines:
        if p not in PIPELINES:
            fail("--pipelines: unknown pipeline %r (allowed: %s)" % (p, ", ".join(PIPELINES)))
    values = [p.strip() for p in a.parallelism.split(",")]
    a.adaptive = ADAPTIVE in values
    try:
        a.parallelisms = sorted({int(p) for p in values if p != ADAPTIVE})
    except ValueError:
        fail("--parallelism %r: want a comma-separated list of integers (and %s)" % (a.parallelism, ADAPTIVE))
    if 1 not in a.parallelisms or min(a.parallelisms) < 1:
        fail(
            "--parallelism %r: values must be 1 or more, and 1 (the serial run whatif reads) must be among "
            "them" % a.parallelism
        )
    if a.runs < 1:
        fail("--runs %d: must be 1 or more" % a.runs)
    if a.run_timeout is not None and not 0 <= a.run_timeout < float("inf"):
        fail("--run-timeout %r: want seconds, 0 or more (0: no limit)" % a.run_timeout)
    a.rows_of = {}
    for kv in a.rows:
        k, sep, v = kv.partition("=")
        if not sep or k not in PIPELINES or not v.isdigit():
            fail("--rows %r: want PIPELINE=N with PIPELINE one of %s" % (kv, ", ".join(PIPELINES)))
        a.rows_of[k] = int(v)
    return a


# ---- running ----------------------------------------------------------------------------------


def run_campaign(a, results):
    """Runs every pipeline's campaign; returns {pipeline: why} for those that failed (the others
    go on: one pipeline's failure, a run that hung say, loses no other's runs)."""
    check_machine(a)
    par = ",".join([str(x) for x in a.parallelisms] + ([ADAPTIVE] if a.adaptive else []))
    failed = {}
    for p in a.pipelines:
        why = run_pipeline(a, p, par, a.rows_of.get(p), results, os.path.join(a.out_dir, "logs", p), p)
        if why:
            note("%s: %s; going on with the other pipelines" % (p, why))
            failed[p] = why
    return failed


def check_machine(a):
    """Fails without the harness's Python; warns when the machine is busy."""
    if not os.path.exists(a.python):
        fail("%s not found: run spark/setup first (or give --python)" % a.python)
    load = os.getloadavg()[0]
    cores = os.cpu_count() or 1
    if load > 0.25 * cores:
        note(
            "the machine is busy (1-minute load %.1f on %d cores): the measured times will carry it; "
            "run the campaign on a quiet machine" % (load, cores)
        )


def run_pipeline(a, p, parallelism, rows, results, log_dir, name):
    """Runs spark/pipelines.py for pipeline p at the --parallelism list parallelism (a's runs,
    master, warm-up, --fresh, partitions; rows when not None), its event logs into log_dir, its
    records appended to results; notes each run; Spark's output goes to OUT/spark-<name>.log.
    Returns None, or why it failed (its command, exit status and the last line of Spark's output)."""
    cmd = [
        a.python,
        os.path.join(SPARK_DIR, "pipelines.py"),
        "--pipeline",
        p,
        "--parallelism",
        parallelism,
        "--runs",
        str(a.runs),
        "--master",
        a.master,
        "--event-log-dir",
        log_dir,
        "--out",
        results,
    ]
    if rows is not None:
        cmd += ["--rows", str(rows)]
    if a.no_warmup:
        cmd.append("--no-warmup")
    elif a.warmups is not None:
        cmd += ["--warmups", str(a.warmups)]
    if a.fresh:
        cmd.append("--fresh")
    if a.partitions:
        cmd += ["--partitions", str(a.partitions)]
    if a.run_timeout is not None:
        cmd += ["--run-timeout", "%g" % a.run_timeout]
    spark_out = os.path.join(a.out_dir, "spark-%s.log" % name)
    note("%s: %d runs at parallelism %s (Spark's output in %s)" % (name, a.runs, parallelism, spark_out))
    with open(spark_out, "w") as errf:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=errf, text=True)
        assert proc.stdout is not None  # stdout=PIPE
        for line in proc.stdout:
            rec = json.loads(line)
            what = "P=%d" % rec["parallelism"]
            if rec.get("adaptive"):
                what = "adaptive, chose P=%s" % (rec.get("tunesim") or {}).get("parallelism")
            note(
                "  %s %s: %.2f s (%s, load %.1f)"
                % (name, what, rec["fit_s"], rec["app_id"], max(rec.get("load_avg_1m", [0])))
            )
        rc = proc.wait()
    if rc != 0:
        with open(spark_out) as f:
            return "%s failed (exit %d): %s" % (" ".join(cmd), rc, last_line(f.read()))
    return None


def build_simulate(a):
    if a.simulate:
        return a.simulate
    exe = os.path.join(a.out_dir, "simulate")
    r = subprocess.run(
        ["go", "build", "-o", exe, "./cmd/simulate"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if r.returncode != 0:
        fail("go build ./cmd/simulate failed: %s (give a built binary with --simulate)" % last_line(r.stderr))
    return exe


def last_line(text):
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "no output"


# ---- predicting and comparing -----------------------------------------------------------------


def load_runs(path):
    try:
        with open(path) as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        fail("%s: %s" % (path, e))
    runs = doc.get("runs") if isinstance(doc, dict) else None
    if not isinstance(runs, list):
        fail('%s: not a results file of spark/pipelines.py (want {"runs": [...]})' % path)
    base = os.path.dirname(os.path.abspath(path))
    for r in runs:
        for k in ("pipeline", "parallelism", "fit_s", "event_log"):
            if k not in r:
                fail("%s: a run without field %s: %s" % (path, k, json.dumps(r)[:200]))
        if r["event_log"] is None and r["parallelism"] == 1 and not r.get("adaptive"):
            fail("%s: serial run %s has no event log to predict from" % (path, r.get("app_id")))
        if r["event_log"] is not None and not os.path.isabs(r["event_log"]):
            r["event_log"] = os.path.join(base, r["event_log"])
    return runs


def whatif_extra(a):
    """whatif's flags from the campaign's --whatif-cluster and --whatif-host-cores (a tuple)."""
    extra: tuple[str, ...] = ("--cluster", os.path.abspath(a.whatif_cluster)) if a.whatif_cluster else ()
    if a.whatif_host_cores:
        extra += ("--host-cores", str(a.whatif_host_cores))
    return extra


def whatif(simulate, logs, spec, out_dir, name, hidden_cpu="infer", extra=()):
    """Runs simulate whatif on the logs at --parallelism spec (and the extra flags), keeping its report
    as OUT/whatif/<name>.json; returns (report, None) or (None, error text)."""
    cmd = [
        simulate,
        "whatif",
        *logs,
        "--parallelism",
        spec,
        "--format",
        "json",
        "--hidden-cpu",
        hidden_cpu,
        *extra,
    ]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        return None, "exit %d: %s" % (r.returncode, last_line(r.stderr))
    try:
        rep = json.loads(r.stdout)
    except ValueError as e:
        return None, "unreadable output (%s): %s" % (e, r.stdout[:200])
    write_atomic(os.path.join(out_dir, "whatif", name + ".json"), json.dumps(rep, indent=1) + "\n")
    return rep, None


def runs_alike(by_par, maps):
    """The median fit time of each way the runs ran: by parallelism, except that from the tuning's param
    maps on every parallelism runs alike (a tuner runs at most one fit per param map at once), so
    those runs are pooled under the smallest of them. by_par: parallelism -> runs; maps: the param
    maps whatif found (None: unknown, nothing pooled)."""
    pooled: dict[int, list[float]] = {}
    top = min((par for par in by_par if maps and par >= maps), default=None)
    for par, rs in by_par.items():
        key = top if top is not None and par >= top else par
        pooled.setdefault(key, []).extend(x["fit_s"] for x in rs)
    return {par: statistics.median(v) for par, v in sorted(pooled.items())}


def same_run(rec, alike, maps):
    """The key of alike (runs_alike's) that ran as parallelism rec would have: rec itself, else, when
    rec is at least the param maps, the pooled runs from there on; None when none ran so."""
    if rec in alike:
        return rec
    if rec is None or not maps or rec < maps:
        return None
    return min((par for par in alike if par >= maps), default=None)


def judge(by_par, rec, maps):
    """The real best way the runs ran (runs_alike's key of the fastest) and whether the recommended
    parallelism rec held: the runs that ran as it would have (same_run) within 5% of the best; None
    when none ran so. by_par: parallelism -> runs; maps: the param maps whatif found."""
    alike = runs_alike(by_par, maps)
    best = min(alike, key=lambda par: alike[par])
    ran = same_run(rec, alike, maps)
    if ran is None:
        return best, None
    return best, alike[ran] <= 1.05 * alike[best]


# The figures of a run's record that tunesim.measure wrote beside its event log.
MEASURED = ("app_id", "app_cpu_s", "driver_jvm_cpu_s", "python_cpu_s", "host_busy_s", "cores", "wall_s")


def measurement_path(log, app_id):
    """Where tunesim.measure leaves the CPU measured over a run: beside its event log
    (tunesim.cpu.path_for, as whatif.MeasurementPath reads it)."""
    return path_for(os.path.dirname(log), app_id)


def restore_measurement(r, log):
    """Writes the CPU measured over run r beside its event log, from its record, where the file
    tunesim.measure wrote is not there (campaigns kept before --keep kept it); says whether one is."""
    path = measurement_path(log, r.get("app_id") or "")
    if os.path.exists(path):
        return True
    if not r.get("app_id") or not all(k in r for k in MEASURED):
        return False
    m = {k: r[k] for k in MEASURED}
    if r.get("driver_jvm_threads_cpu_s"):
        m["driver_jvm_threads_cpu_s"] = r["driver_jvm_threads_cpu_s"]
    os.makedirs(os.path.dirname(path), exist_ok=True)
    write_atomic(path, json.dumps(m, indent=1) + "\n")
    return True


def median_run(runs):
    """The run of median fit_s (the lower middle one of an even count)."""
    return sorted(runs, key=lambda x: x["fit_s"])[(len(runs) - 1) // 2]


def predictions(rep):
    """parallelism -> (makespan s, speedup) of a whatif report (makespan_s is the median when the
    report has replicas)."""
    return {r["parallelism"]: (r["makespan_s"], r["speedup"]) for r in rep["results"]}


def found_summary(rep):
    f = rep.get("found", {})
    tuner = f.get("tuner", "?")
    if f.get("folds"):
        tuner += " %d folds" % f["folds"]
    fits = [x for x in f.get("fits") or [] if not x.get("refit")]
    refits = [x for x in f.get("fits") or [] if x.get("refit")]
    jobs = [x.get("jobs", 0) for x in fits]
    s = "%s, %s param maps, %d fits" % (tuner, f.get("param_maps", "?"), len(fits))
    if jobs:
        s += " of %d-%d jobs" % (min(jobs), max(jobs))
    for r in refits:
        s += ", refit (param map %s) %s jobs" % (r.get("param_map", "?"), r.get("jobs", "?"))
    s += "; %s jobs before, %s after" % (f.get("jobs_before", "?"), f.get("jobs_after", "?"))
    if "tuning_s" in f:
        s += "; tuning %.2f s in the log" % f["tuning_s"]
    return s


def job_times(path):
    """Job id -> [submit ms, end ms] of an event log file (plain, or .zstd through the zstd tool);
    None for a rolling log directory."""
    if not os.path.isfile(path):
        return None
    if path.endswith(".zstd"):
        proc = subprocess.Popen(["zstd", "-dcq", path], stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None  # stdout=PIPE
        lines = proc.stdout
    else:
        proc, lines = None, open(path)
    jobs = {}
    try:
        for line in lines:
            if '"SparkListenerJobStart"' in line:
                e = json.loads(line)
                jobs[e["Job ID"]] = [e["Submission Time"], None]
            elif '"SparkListenerJobEnd"' in line:
                e = json.loads(line)
                if e["Job ID"] in jobs:
                    jobs[e["Job ID"]][1] = e["Completion Time"]
    finally:
        lines.close()
        if proc:
            proc.wait()
    return jobs


def span_note(p, s, rep):
    """Where tuner.fit's wall time went outside the tuning whatif found: the driver time from the
    call to the first tuning job, and from the last one to the return (None when the run has no
    fit_start_ms or the log is not a file)."""
    f = rep.get("found", {})
    if "fit_start_ms" not in s or "jobs_before" not in f or "jobs_after" not in f:
        return None
    jobs = job_times(s["event_log"])
    if not jobs:
        return None
    ids = sorted(jobs)
    tuning = ids[f["jobs_before"] : len(ids) - f["jobs_after"]]
    if not tuning or any(jobs[j][1] is None for j in tuning):
        return None
    lead = (jobs[tuning[0]][0] - s["fit_start_ms"]) / 1000
    tail = (s["fit_end_ms"] - max(jobs[j][1] for j in tuning)) / 1000
    text = (
        "%s: tuner.fit of %s took %.2f s; whatif's tuning span is %.2f s; %.2f s passed from the call to "
        "the first tuning job (job %d), %.2f s from the last one's end to the return"
        % (p, s["app_id"], s["fit_s"], f.get("tuning_s", float("nan")), lead, tuning[0], tail)
    )
    # Jobs of a serial run that overlap (one submitted before an earlier one ended: Spark SQL's
    # adaptive execution runs query stages as concurrent jobs) run side by side even serially.
    busy_until, overlapping = None, []
    for j in sorted(tuning, key=lambda j: jobs[j][0]):
        if busy_until is not None and jobs[j][0] < busy_until:
            overlapping.append(j)
        busy_until = max(busy_until or 0, jobs[j][1])
    if overlapping:
        text += "; %d of its %d tuning jobs started before an earlier one ended (e.g. jobs %s)" % (
            len(overlapping),
            len(tuning),
            ", ".join(str(j) for j in overlapping[:5]),
        )
    return text


def case_of(r):
    """A run's case: its pipeline, with its partitions and JVM when the campaign varied them."""
    c = r["pipeline"]
    if "partitions" in r and r.get("fresh_jvm") is not None:
        c += " %dp %s" % (r["partitions"], "fresh" if r["fresh_jvm"] else "warm")
    return c


def analyze(a, runs, simulate):
    runs, adaptive_runs = adaptive_table.split(runs)
    by: dict[str, dict[int, list[dict]]] = {}  # case -> parallelism -> runs
    for r in runs:
        by.setdefault(case_of(r), {}).setdefault(r["parallelism"], []).append(r)
    rows, errors, found, notes = [], [], {}, []
    order = {p: i for i, p in enumerate(PIPELINES)}
    budgets: dict[str, dict] = {}
    for p in sorted(by, key=lambda c: (order.get(c.split()[0], 99), c)):
        measured = {par: statistics.median(x["fit_s"] for x in rs) for par, rs in sorted(by[p].items())}
        counts = {par: len(rs) for par, rs in by[p].items()}
        serial = sorted(by[p].get(1, []), key=lambda x: x["fit_s"])
        if not serial:
            notes.append("%s: no serial run to predict from" % p)
            continue
        if a.serial_log == "fastest":
            chosen = serial[:1]
        elif a.serial_log == "median":
            chosen = [median_run(serial)]
        else:
            chosen = serial
        preds, reps = [], []
        for s in chosen:
            log = s["event_log"]
            if a.hidden_cpu == "auto" and not restore_measurement(s, log):
                notes.append("%s: no CPU measured over %s: whatif infers it" % (p, os.path.basename(log)))
            extra = whatif_extra(a)
            rep, err = whatif(
                simulate, [log], "1:%d" % max(by[p]), a.out_dir, os.path.basename(log), a.hidden_cpu, extra
            )
            if err:
                errors.append((p, s["event_log"], err))
                continue
            preds.append(predictions(rep))
            reps.append((s, rep))
        if not preds:
            continue
        found[p] = found_summary(reps[0][1])
        b = reps[0][1].get("found", {}).get("cpu_budget")
        if b:
            measured_cpu = [x["app_cpu_s"] for x in serial if "app_cpu_s" in x]
            budgets[p] = {
                "inferred_app_cpu_s": b["app_cpu_s"],
                "source": b["source"],
                "ceiling_speedup": b["ceiling_speedup"],
                "jvm": b.get("jvm", {}).get("kind"),
                "measured_app_cpu_s": statistics.median(measured_cpu) if measured_cpu else None,
                "task_cpu_s": b["task_cpu_s"],
            }
        rec = reps[0][1].get("recommended_parallelism")
        maps = reps[0][1].get("found", {}).get("param_maps")
        best, holds = judge(by[p], rec, maps)
        if holds is not None:
            budgets.setdefault(p, {}).update(
                {"recommended": rec, "real_best": best, "recommendation_holds": holds}
            )
        for s, rep in reps:
            own = predictions(rep).get(1)
            if own:
                notes.append(
                    "%s: whatif replays serial run %s (%.2f s measured) as %.2f s (%+.1f%%)"
                    % (p, s["app_id"], s["fit_s"], own[0], 100 * (own[0] / s["fit_s"] - 1))
                )
            sn = span_note(p, s, rep)
            if sn:
                notes.append(sn)
        for par in sorted(by[p]):
            pm = [x[par] for x in preds if par in x]
            if not pm:
                continue
            pred_ms = statistics.median(m for m, _ in pm)
            pred_sp = statistics.median(s for _, s in pm)
            meas_sp = measured[1] / measured[par]
            rows.append(
                {
                    "pipeline": p,
                    "parallelism": par,
                    "predicted_makespan_s": pred_ms,
                    "measured_makespan_s": measured[par],
                    "runs": counts[par],
                    "measured_min_s": min(x["fit_s"] for x in by[p][par]),
                    "measured_max_s": max(x["fit_s"] for x in by[p][par]),
                    "predicted_speedup": pred_sp,
                    "measured_speedup": meas_sp,
                    "speedup_error_pct": 100 * abs(pred_sp - meas_sp) / meas_sp,
                    "speedup_error_signed_pct": 100 * (pred_sp - meas_sp) / meas_sp,
                    "makespan_error_pct": 100 * (pred_ms - measured[par]) / measured[par],
                    "predicted_from": [s["app_id"] for s, _ in reps],
                }
            )
    errs = [r["speedup_error_pct"] for r in rows if r["parallelism"] >= 2]
    loads = [load for r in runs for load in r.get("load_avg_1m", [])]
    signed = [r["speedup_error_signed_pct"] for r in rows if r["parallelism"] >= 2]
    holds = [b["recommendation_holds"] for b in budgets.values() if "recommendation_holds" in b]
    summary = {
        "median_speedup_error_pct": statistics.median(errs) if errs else None,
        "mean_signed_speedup_error_pct": statistics.mean(signed) if signed else None,
        "recommendation_holds": sum(holds),
        "recommendations": len(holds),
        "max_speedup_error_pct": max(errs) if errs else None,
        "compared": len(errs),
        "serial_log": a.serial_log,
        "median_load_avg_1m": statistics.median(loads) if loads else None,
        "cores": os.cpu_count(),
    }
    return {
        "rows": rows,
        "summary": summary,
        "adaptive": adaptive_table.analyze(by, adaptive_runs, case_of) if adaptive_runs else None,
        "found": found,
        "cpu": budgets,
        "whatif_errors": errors,
        "notes": notes,
    }


def markdown(t):
    out = [
        "| pipeline | parallelism | predicted makespan s | measured makespan s (runs, min-max) "
        "| predicted speedup | measured speedup | speedup error % (signed) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in t["rows"]:
        out.append(
            "| %s | %d | %.2f | %.2f (%d, %.2f-%.2f) | %.2f | %.2f | %s |"
            % (
                r["pipeline"],
                r["parallelism"],
                r["predicted_makespan_s"],
                r["measured_makespan_s"],
                r["runs"],
                r["measured_min_s"],
                r["measured_max_s"],
                r["predicted_speedup"],
                r["measured_speedup"],
                "%+.1f" % r["speedup_error_signed_pct"] if r["parallelism"] >= 2 else "-",
            )
        )
    s = t["summary"]
    out.append("")
    if s["compared"]:
        out.append(
            "Median |speedup error| over %d pipeline x parallelism (2 and more) pairs: **%.1f%%** "
            "(largest %.1f%%); predicted from the %s serial log%s."
            % (
                s["compared"],
                s["median_speedup_error_pct"],
                s["max_speedup_error_pct"],
                {"fastest": "fastest", "median": "median", "each": "every"}[s["serial_log"]],
                "s (median prediction)" if s["serial_log"] == "each" else "",
            )
        )
        out.append("")
        out.append(
            "Mean signed speedup error %+.1f%%; the recommendation's real time within 5%% of the real "
            "best in %d of %d cases."
            % (s["mean_signed_speedup_error_pct"], s["recommendation_holds"], s["recommendations"])
        )
    else:
        out.append("No parallel run to compare.")
    if t.get("cpu"):
        out.append("")
        out.append(
            "| case | JVM (as whatif read it) | task CPU s | app CPU s, whatif (source) "
            "| app CPU s, measured | ceiling | recommended P | real best P | holds |"
        )
        out.append("|---|---|---:|---:|---:|---:|---:|---:|---|")
        for p, b in t["cpu"].items():
            m = b.get("measured_app_cpu_s")
            out.append(
                "| %s | %s | %s | %s | %s | %s | %s | %s | %s |"
                % (
                    p,
                    b.get("jvm", "-"),
                    "%.1f" % b["task_cpu_s"] if "task_cpu_s" in b else "-",
                    "%.1f (%s)" % (b["inferred_app_cpu_s"], b["source"])
                    if "inferred_app_cpu_s" in b
                    else "-",
                    "%.1f" % m if m else "-",
                    "%.2f" % b["ceiling_speedup"] if "ceiling_speedup" in b else "-",
                    b.get("recommended", "-"),
                    b.get("real_best", "-"),
                    {True: "yes", False: "no"}.get(b.get("recommendation_holds"), "-"),
                )
            )
    if t.get("adaptive"):
        out.append("")
        out.extend(adaptive_table.markdown(t["adaptive"]))
    if s["median_load_avg_1m"] is not None:
        out.append("")
        out.append(
            "Median 1-minute load average around the runs: %.1f on %d cores."
            % (s["median_load_avg_1m"], s["cores"])
        )
    if t["found"]:
        out.append("")
        out.append("What whatif found in each serial log:")
        out.append("")
        for p, f in t["found"].items():
            out.append("- %s: %s" % (p, f))
    if t["whatif_errors"]:
        out.append("")
        out.append("whatif failed on:")
        out.append("")
        for p, log, err in t["whatif_errors"]:
            out.append("- %s (%s): %s" % (p, os.path.basename(log), err))
    if t["notes"]:
        out.append("")
        for n in t["notes"]:
            out.append("- " + n)
    return "\n".join(out) + "\n"


def write_atomic(path, text):
    d = os.path.dirname(os.path.abspath(path))
    os.makedirs(d, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + "-", dir=d)
    try:
        with os.fdopen(fd, "w") as f:
            f.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


# ---- keeping logs as test data ----------------------------------------------------------------


def keep(a, runs):
    if shutil.which("zstd") is None:
        fail("--keep: zstd not found (apt install zstd)")
    kept, logs = [], 0
    for r in runs:
        if r["pipeline"] not in a.pipelines:
            continue
        k = dict(r)
        kept.append(k)
        if a.keep_serial_only and (r["parallelism"] != 1 or r.get("adaptive")) or r["event_log"] is None:
            k["event_log"] = None  # the measured time is kept, the log is not
            continue
        src = r["event_log"]
        if not os.path.isfile(src):
            fail(
                "--keep: %s is not a plain event log file (a rolling or compressed log: run without "
                "--spark-log-defaults)" % src
            )
        name = os.path.basename(src)
        rel = os.path.join(r["pipeline"], name if name.endswith(".zstd") else name + ".zstd")
        dst = os.path.join(a.keep, rel)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        if name.endswith(".zstd"):
            if os.path.abspath(src) != os.path.abspath(dst):
                shutil.copyfile(src, dst)
        else:
            z = subprocess.run(["zstd", "-q", "-f", "-19", src, "-o", dst], stderr=subprocess.PIPE, text=True)
            if z.returncode != 0:
                fail("zstd %s: %s" % (src, last_line(z.stderr)))
        os.chmod(dst, 0o644)
        src_m, dst_m = measurement_path(src, r["app_id"]), measurement_path(dst, r["app_id"])
        if os.path.exists(src_m):  # the CPU tunesim.measure read over the run, folds and all
            os.makedirs(os.path.dirname(dst_m), exist_ok=True)
            shutil.copyfile(src_m, dst_m)
        else:
            restore_measurement(r, dst)
        k["event_log"] = rel
        logs += 1
    write_atomic(os.path.join(a.keep, "results.json"), json.dumps({"runs": kept}, indent=1) + "\n")
    note("kept %d runs and %d of their logs in %s" % (len(kept), logs, a.keep))


def main(argv):
    a = parse_args(argv)
    os.makedirs(a.out_dir, exist_ok=True)
    results = os.path.join(a.out_dir, "results.json")
    failed = {}
    if not a.analyze_only:
        failed = run_campaign(a, results)
    runs = [r for r in load_runs(results) if r["pipeline"] in a.pipelines and r["pipeline"] not in failed]
    if not runs:
        fail("%s holds no runs of %s%s" % (results, ", ".join(a.pipelines), failed_note(failed)))
    simulate = build_simulate(a)
    t = analyze(a, runs, simulate)
    md = markdown(t)
    write_atomic(os.path.join(a.out_dir, "table.md"), md)
    write_atomic(os.path.join(a.out_dir, "table.json"), json.dumps(t, indent=1) + "\n")
    sys.stdout.write(md)
    if a.keep:
        keep(a, runs)
    if failed:
        fail("the table leaves out what failed (its runs stay in %s)%s" % (results, failed_note(failed)))


def failed_note(failed):
    """The pipelines that failed and why, as a clause ("" when none did)."""
    return "".join("; %s: %s" % (p, why) for p, why in sorted(failed.items()))


if __name__ == "__main__":
    main(sys.argv[1:])
