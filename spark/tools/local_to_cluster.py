#!/usr/bin/env python3
"""Sets whatif's predictions from a local-mode serial log against the same tuning measured on a
standalone cluster (issue 22, part 3): for each pair of a pairs file, whatif reads the local log,
predicts the cluster given as --cluster FILE at the parallelisms the cluster campaign ran, and the
table (OUT/table.md, .json) gives per pipeline and parallelism the predicted and measured makespans
(medians of the cluster campaign's runs), the makespan's signed error and the speedup's (+: whatif
promised more), and the summary over all pairs.

  whatif LOCAL_LOG --cluster CLUSTER --hidden-cpu infer --parallelism P1,P2,... --format json

The pairs file is JSON: {"pairs": [{"pipeline", "cluster", "local_log", "runs", "label"}]}, paths
relative to the file: "cluster" a scenario's cluster section (hosts and cpu_share included),
"local_log" the serial run's event log in local mode, "runs" the cluster campaign's results.json
(spark/tools/validate_pipelines.py's), "label" (optional) names the pair's rows (the pipeline's
name by default). The other way round, a standalone serial log predicting local mode, a pair
names the log "log" and a cluster section of local mode ({"local": true, "executors": 1,
"cores_per_executor": 2, "host_cores": 2}) with the local campaign's results. Re-predicting needs
no Spark.

Usage:
  spark/tools/local_to_cluster.py --pairs PAIRS.json --out-dir OUT [--simulate BIN]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import validate_pipelines as vp  # noqa: E402  (the campaign's runner, builder and writer: one home)


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pairs", required=True, help="the pairs file (JSON)")
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("--simulate", help="a built simulate binary (default: build one)")
    ap.add_argument("--hidden-cpu", default="infer", choices=["infer", "auto", "off"])
    return ap.parse_args(argv)


def by_parallelism(runs, pipeline):
    """A pipeline's runs by parallelism (adaptive runs left out)."""
    by: dict[int, list[dict]] = {}
    for r in runs:
        if r.get("pipeline") == pipeline and not r.get("adaptive"):
            by.setdefault(int(r["parallelism"]), []).append(r)
    return dict(sorted(by.items()))


def measured_medians(runs, pipeline):
    """The median fit time at each parallelism of a pipeline's runs (adaptive runs left out)."""
    return {p: statistics.median(r["fit_s"] for r in rs) for p, rs in by_parallelism(runs, pipeline).items()}


def recommendation(runs, pipeline, rec, maps):
    """Whether whatif's recommended parallelism rec held on the cluster, as validate_pipelines.py
    judges it (within 5% of the real best, runs at or above the param maps pooled); None when no
    run ran as rec would have, or the runs ran at one parallelism only (whatif, asked for it
    alone, has nothing to choose from)."""
    by_par = by_parallelism(runs, pipeline)
    if len(by_par) < 2:
        return None
    return vp.judge(by_par, rec, maps)[1]


def rows_of(pipeline, cluster, predicted, measured):
    """Table rows for one pair: predicted and measured makespans per parallelism, their signed
    errors, and the speedups' (over each side's own serial time)."""
    ps = sorted(p for p in measured if p in predicted)
    if 1 not in ps:
        raise ValueError(f"{pipeline}: no serial runs to take speedups from")
    rows = []
    for p in ps:
        sp_pred = predicted[1] / predicted[p]
        sp_meas = measured[1] / measured[p]
        rows.append(
            {
                "pipeline": pipeline,
                "cluster": cluster,
                "parallelism": p,
                "predicted_makespan_s": predicted[p],
                "measured_makespan_s": measured[p],
                "makespan_error_pct": 100 * (predicted[p] / measured[p] - 1),
                "predicted_speedup": sp_pred,
                "measured_speedup": sp_meas,
                "speedup_error_pct": 100 * (sp_pred / sp_meas - 1),
            }
        )
    return rows


def summary(rows, holds=()):
    """Median, largest and mean signed errors of makespans (every row) and speedups (P > 1), and
    in how many of the pairs judged the recommendation held (holds: True or False per pair)."""

    def stats(xs):
        if not xs:
            return None
        return {
            "median_abs_pct": statistics.median(abs(x) for x in xs),
            "max_abs_pct": max(abs(x) for x in xs),
            "mean_signed_pct": statistics.mean(xs),
            "n": len(xs),
        }

    judged = [h for h in holds if h is not None]
    return {
        "makespan": stats([r["makespan_error_pct"] for r in rows]),
        "speedup": stats([r["speedup_error_pct"] for r in rows if r["parallelism"] != 1]),
        "recommendation_holds": sum(judged),
        "recommendations": len(judged),
    }


def markdown(rows, summ):
    out = [
        "| pipeline | cluster | P | predicted s | measured s | makespan error "
        "| predicted speedup | measured speedup | speedup error |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        out.append(
            f"| {r['pipeline']} | {r['cluster']} | {r['parallelism']} "
            f"| {r['predicted_makespan_s']:.1f} | {r['measured_makespan_s']:.1f} "
            f"| {r['makespan_error_pct']:+.1f}% | {r['predicted_speedup']:.2f} "
            f"| {r['measured_speedup']:.2f} | {r['speedup_error_pct']:+.1f}% |"
        )
    for what in ("makespan", "speedup"):
        s = summ[what]
        if s:
            out.append("")
            out.append(
                f"{what}s ({s['n']}): median |error| {s['median_abs_pct']:.1f}%, "
                f"largest {s['max_abs_pct']:.1f}%, mean signed {s['mean_signed_pct']:+.1f}%"
            )
    if summ.get("recommendations"):
        out.append("")
        held, judged = summ["recommendation_holds"], summ["recommendations"]
        out.append(f"recommendation within 5% of the real best: {held} of {judged}")
    return "\n".join(out) + "\n"


def predict(simulate, log, cluster, parallelisms, hidden_cpu):
    cmd = [simulate, "whatif", log, "--cluster", cluster, "--hidden-cpu", hidden_cpu]
    cmd += ["--parallelism", ",".join(str(p) for p in parallelisms), "--format", "json"]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        vp.fail(f"whatif {log}: exit {done.returncode}: {vp.last_line(done.stderr)}")
    rep = json.loads(done.stdout)
    predicted = {int(r["parallelism"]): float(r["makespan_s"]) for r in rep["results"]}
    return predicted, rep.get("recommended_parallelism"), rep.get("found", {}).get("param_maps")


def main(argv):
    a = parse_args(argv)
    base = os.path.dirname(os.path.abspath(a.pairs))
    with open(a.pairs) as f:
        pairs = json.load(f)["pairs"]
    simulate = a.simulate or vp.build_simulate(a)
    rows, holds = [], []
    for pr in pairs:
        with open(os.path.join(base, pr["runs"])) as f:
            runs = json.load(f)["runs"]
        measured = measured_medians(runs, pr["pipeline"])
        if not measured:
            vp.fail(f"{pr['runs']}: no runs of {pr['pipeline']}")
        name = os.path.splitext(os.path.basename(pr["cluster"]))[0]
        log, cluster = os.path.join(base, pr.get("log") or pr["local_log"]), os.path.join(base, pr["cluster"])
        predicted, rec, maps = predict(simulate, log, cluster, list(measured), a.hidden_cpu)
        rows += rows_of(pr.get("label", pr["pipeline"]), name, predicted, measured)
        holds.append(recommendation(runs, pr["pipeline"], rec, maps))
    summ = summary(rows, holds)
    os.makedirs(a.out_dir, exist_ok=True)
    table = json.dumps({"rows": rows, "summary": summ}, indent=1) + "\n"
    vp.write_atomic(os.path.join(a.out_dir, "table.json"), table)
    vp.write_atomic(os.path.join(a.out_dir, "table.md"), markdown(rows, summ))
    print(markdown(rows, summ), end="")


if __name__ == "__main__":
    main(sys.argv[1:])
