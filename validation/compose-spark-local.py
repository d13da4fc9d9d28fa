# Builds costmodel/profiles/spark-local.json: set B of the sizes campaign (the seed's operations and
# the overheads) plus, for every operation it does not price, the estimator campaign's calibration
# of the scenario with the most samples of it; count and tree_reduce derived as before.
import glob
import json
import os

root = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
B = json.load(open(f"{root}/validation/2026-11-29-sizes/cal-B.json"))
src_B = (
    "calibrated: 2 serial Spark 4.0.1 local[8] runs of seed-tvs at each of 5,000 and 20,000 rows on this "
    "2-core machine (polyglot), quiet (no run disturbed), 2026-11-29: the sizes campaign's set B "
    "(validation/2026-11-29-sizes/cal-B.json)"
)
prof = {
    "name": "spark-local",
    "description": (
        "Spark seconds: PySpark 4.0.1 on OpenJDK 17 in local mode on this 2-core machine (polyglot), quiet. "
        "The seed's operations and the overheads: `simulate calibrate --against spark -s seed-tvs --rows "
        "5000,20000 --runs 2` "
        "(2 serial runs at each size, local[8]; predicts 80,000 and 320,000 rows within a median 4.1%, "
        "docs/validation/2026-11-29-sizes.md). "
        "The estimators' operations: `simulate calibrate --against spark -s est-NAME.json --rows R/4,R/2 "
        "--runs 1` per estimator "
        "scenario of validation/2026-11-29-estimators (local[2]). count and tree_reduce are derived (no "
        "run had them)."
    ),
    "host": (
        "polyglot: 2 CPUs, quiet; Spark 4.0.1 (pyspark from PyPI), OpenJDK 17; "
        "local[8] (seed) and local[2] (estimators)"
    ),
}
for k, v in B.items():
    if k not in ("name", "description", "host", "ops"):
        prof[k] = v
if "overheads" in prof:
    prof["overheads"]["source"] = src_B
ops = {}
for op, c in B["ops"].items():
    c = dict(c)
    c["source"] = src_B
    ops[op] = c
cands = {}
for f in sorted(glob.glob(f"{root}/validation/2026-11-29-estimators/est-*.cal.json")):
    e = os.path.basename(f)[: -len(".cal.json")]
    p = json.load(open(f))
    for op, c in p["ops"].items():
        if op in ops:
            continue
        if op not in cands or c.get("samples", 0) > cands[op][1].get("samples", 0):
            cands[op] = (e, c)
for op, (e, c) in sorted(cands.items()):
    c = dict(c)
    c["source"] = (
        f"calibrated: 1 serial Spark 4.0.1 local[2] run of {e} at each of 1/4 and 1/2 of its rows on this "
        f"2-core machine, quiet, 2026-11-29 (validation/2026-11-29-estimators/{e}.cal.json)"
    )
    ops[op] = c
cs, first = ops["column_summary"], ops["first"]
ops["count"] = {k: v for k, v in cs.items() if k.endswith("_s")}
ops["count"]["source"] = (
    "derived, not calibrated (no Spark 2 run, which counts before the solver, was calibrated): a count "
    "task is a "
    "treeAggregate task over the same cached rows as column_summary, whose calibrated fixed and per-row "
    "costs it takes"
)
if "tree_reduce" not in ops:
    ops["tree_reduce"] = {
        "fixed_s": first.get("fixed_s", 0),
        "row_out2_s": 2.823e-10,
        "row_elems_s": 2.823e-10,
        "source": (
            "derived, not calibrated (no run had more partitions than treeAggregate reduces without a "
            "reduce stage): a reduce task "
            "reads a few partial aggregates, so its fixed cost is first()'s (one task reading one row); "
            "merging is taken at the gonum "
            "profile's per-element add (2.823e-10 s), as fast in the JVM's JIT-compiled double-array loops"
        ),
    }
if "multiclass_score" not in ops:
    b = {k: v for k, v in ops["binary_score"].items() if k.endswith("_s") and k != "rms_residual_s"}
    ops["multiclass_score"] = dict(
        b,
        source=(
            "derived, not calibrated (no campaign scenario used MulticlassClassificationEvaluator): "
            "binary_score's calibrated costs (est-logreg), the same one pass counting (prediction, label) "
            "pairs by key; "
            "its calibration found the pass free beside the stage's other operations"
        ),
    )
if "pca_project" not in ops:
    ops["pca_project"] = {
        "row_in_out_s": ops["lr_summary"]["row_in_out_s"],
        "source": (
            "derived, not calibrated (the seed's LinearRegression "
            "absorbs PCAModel.transform into its own operations): lr_summary's calibrated per row x input "
            "x k cost, the seed's pass that "
            "projects each row to k components and does little else"
        ),
    }
prof["ops"] = dict(sorted(ops.items()))
gonum = json.load(open(f"{root}/costmodel/profiles/gonum.json"))
missing = sorted(set(gonum["ops"]) - set(prof["ops"]))
print("missing from spark-local:", missing)
json.dump(prof, open(f"{root}/costmodel/profiles/spark-local.json", "w"), indent=2)
open(f"{root}/costmodel/profiles/spark-local.json", "a").write("\n")
