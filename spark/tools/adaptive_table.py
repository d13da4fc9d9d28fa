"""The adaptive tuner against fixed parallelisms: the table validate_pipelines.py writes when a
campaign ran `--parallelism ...,adaptive` (spark/pipelines.py's tunesim.adaptive runs).

Per case (pipeline, partitions, JVM): the median time of tuner.fit serially, at the best fixed
parallelism and at the largest fixed one run (the "up to 10" a user is told to pick stands in for
it), and of the adaptive tuner; the parallelisms tunesim chose; its overhead (sample_s less the
serial fits is not separable from the log, so the report's whatif_s: flushing the log, measuring,
the CLI) and how the adaptive total compares with each fixed choice. Issue 23 asks: within 10% of
the best fixed parallelism's, never more than 5% slower than serial, faster than the largest fixed
choice on average.
"""

import statistics


def split(runs):
    """The runs of fixed parallelism and the adaptive ones (their record's "adaptive" is true)."""
    fixed = [r for r in runs if not r.get("adaptive")]
    adaptive = [r for r in runs if r.get("adaptive")]
    return fixed, adaptive


def analyze(fixed_by_case, adaptive_runs, case_of):
    """The adaptive table's rows and summary. fixed_by_case: case -> parallelism -> runs (the fixed
    runs); adaptive_runs: the adaptive runs; case_of: a run's case."""
    by: dict[str, list[dict]] = {}
    for r in adaptive_runs:
        by.setdefault(case_of(r), []).append(r)
    rows = []
    for case in sorted(by):
        fixed = fixed_by_case.get(case, {})
        med = {p: statistics.median(x["fit_s"] for x in rs) for p, rs in fixed.items()}
        if 1 not in med:
            continue
        best = min(med, key=lambda p: med[p])
        top = max(med)
        ad = by[case]
        reports = [x.get("tunesim") or {} for x in ad]
        chosen = sorted({rep["parallelism"] for rep in reports if isinstance(rep.get("parallelism"), int)})
        fallbacks = [rep.get("fallback") for rep in reports if rep.get("fallback")]
        whatif_s = [rep["whatif_s"] for rep in reports if isinstance(rep.get("whatif_s"), (int, float))]
        predicted = [
            rep["predicted_total_s"]
            for rep in reports
            if isinstance(rep.get("predicted_total_s"), (int, float))
        ]
        a_med = statistics.median(x["fit_s"] for x in ad)
        rows.append(
            {
                "case": case,
                "serial_s": med[1],
                "best_fixed": best,
                "best_fixed_s": med[best],
                "largest_fixed": top,
                "largest_fixed_s": med[top],
                "adaptive_s": a_med,
                "adaptive_runs": len(ad),
                "adaptive_min_s": min(x["fit_s"] for x in ad),
                "adaptive_max_s": max(x["fit_s"] for x in ad),
                "chosen": chosen,
                "fallbacks": fallbacks,
                "whatif_s": statistics.median(whatif_s) if whatif_s else None,
                "predicted_total_s": statistics.median(predicted) if predicted else None,
                "vs_best_pct": 100 * (a_med / med[best] - 1),
                "vs_serial_pct": 100 * (a_med / med[1] - 1),
                "vs_largest_pct": 100 * (a_med / med[top] - 1),
            }
        )
    summary = {
        "cases": len(rows),
        "within_10pct_of_best": sum(r["vs_best_pct"] <= 10 for r in rows),
        "not_5pct_slower_than_serial": sum(r["vs_serial_pct"] <= 5 for r in rows),
        "mean_vs_best_pct": statistics.mean(r["vs_best_pct"] for r in rows) if rows else None,
        "mean_vs_largest_pct": statistics.mean(r["vs_largest_pct"] for r in rows) if rows else None,
    }
    return {"rows": rows, "summary": summary}


def markdown(t):
    """The adaptive table as Markdown lines."""
    out = [
        "The adaptive tuner (tunesim.adaptive, the tuner's own parallelism 1) against fixed parallelisms, "
        "medians of tuner.fit:",
        "",
        "| case | serial s | best fixed P (s) | largest fixed P (s) | adaptive s (runs, min-max) "
        "| chose P | whatif overhead s | vs best % | vs serial % | vs largest % |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in t["rows"]:
        chose = ",".join(str(p) for p in r["chosen"]) or "-"
        if r["fallbacks"]:
            chose += " (fell back %d times)" % len(r["fallbacks"])
        out.append(
            "| %s | %.2f | %d (%.2f) | %d (%.2f) | %.2f (%d, %.2f-%.2f) | %s | %s | %+.1f | %+.1f | %+.1f |"
            % (
                r["case"],
                r["serial_s"],
                r["best_fixed"],
                r["best_fixed_s"],
                r["largest_fixed"],
                r["largest_fixed_s"],
                r["adaptive_s"],
                r["adaptive_runs"],
                r["adaptive_min_s"],
                r["adaptive_max_s"],
                chose,
                "%.2f" % r["whatif_s"] if r["whatif_s"] is not None else "-",
                r["vs_best_pct"],
                r["vs_serial_pct"],
                r["vs_largest_pct"],
            )
        )
    s = t["summary"]
    if s["cases"]:
        out.append("")
        out.append(
            "Within 10%% of the best fixed parallelism in %d of %d cases (mean %+.1f%%); not more than 5%% "
            "slower than serial in %d of %d; against the largest fixed parallelism run, mean %+.1f%%."
            % (
                s["within_10pct_of_best"],
                s["cases"],
                s["mean_vs_best_pct"],
                s["not_5pct_slower_than_serial"],
                s["cases"],
                s["mean_vs_largest_pct"],
            )
        )
    return out
