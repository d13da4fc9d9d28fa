#!/usr/bin/env python3
"""Runs a tunesim scenario on Apache Spark: the scenario's Pipeline (any chain of the stages tunesim
models, as package spark lists them in the scenario's harness_units) and evaluator under
TrainValidationSplit or CrossValidator, with event logging on, and prints a JSON summary.

Every job of fit i (param map m, fold f; the final refit has fold -1) carries the local properties
tunesim.fit, tunesim.param_map, tunesim.fold and tunesim.param_label, set on the fit's own thread
by the tunesim package's tag_fits (python/tunesim/tagging.py), so the event log says which fit
each job belongs to. Jobs of the
warm-up carry none of them (tunesim.phase=warmup): serial tunings, untimed, until one takes within
5% of the one before or they have taken --warmup-s seconds (150) (see settle), so that the measured
runs find the JVMs warm.

Usage:
  spark/tune.py --scenario FILE --parallelism P --event-dir DIR [--master M] [--app-name NAME]
                [--warmup | --no-warmup] [--warmup-s S] [--serve]

Without --serve it runs the tuning once at P and prints its summary. With --serve it starts the
application, warms it up, prints {"ready": true, ...} and then runs the tuning once for every line
{"parallelism": N} it reads on stdin, printing each run's summary as a line, until its input ends:
the runs share one application, one warm-up and one event log (each summary says when its run
began and ended).

The scenario is the JSON file `simulate` reads (fields data.*, pipeline.*, tuner.*, cluster.*, seed,
scheduler.mode), as package spark hands it over: pipeline.evaluator named, data.classes set for a
classifier, tunesim's own model inputs (such as logreg.iterations) left out of pipeline.params,
string params spelt as Spark spells them, and harness_units: the stages and evaluators tune.py
builds, from tunesim's estimator units (name -> prefix, reads, module, class, kind, task). A param
"<prefix>.<name>" (pipeline.grid or pipeline.params) is Spark's param <name> of the stage whose
prefix is <prefix>. --master defaults to local[N] with N = executors x cores_per_executor for a
local scenario; spark://, yarn or k8s:// masters run the same code unchanged.

The data are generated in the JVM from the scenario's seed, uncached (like the simulator's source:
every uncached read recomputes them), in data.partitions partitions, as the first stage reads them:
a text column of data.features words for a tokenizer, a column of data.features words for
hashing_tf, data.features numeric columns x0.. for a vector_assembler, else a vector column of
data.features numbers without ML attributes (so an estimator that needs its size asks for it, as
the simulator's plan says). The label is a linear function of the features plus noise for a
regressor, that function cut into data.classes classes for a classifier (for text: class-specific
words); for kmeans the rows lie around 8 centres.
"""

import argparse
import json
import os
import sys
import threading
import time

# The fit tags come from the tunesim Python package (python/tunesim), found beside this script as
# in the repository (../python): package spark writes both out so.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "python"))
from tunesim import tagging  # noqa: E402
from tunesim.cpu import executor_pids  # noqa: E402


def fail(msg):
    print("tune.py: " + msg, file=sys.stderr)
    sys.exit(2)


def load_scenario(path):
    try:
        with open(path) as f:
            s = json.load(f)
    except (OSError, ValueError) as e:
        fail("%s: %s" % (path, e))
    for key in ("data", "pipeline", "tuner", "cluster"):
        if not isinstance(s.get(key), dict):
            fail("%s: field %s missing or not an object" % (path, key))
    if not isinstance(s.get("harness_units"), dict) or not s["harness_units"]:
        fail(
            "%s: field harness_units missing: tune.py runs the scenario file package spark writes "
            "(`simulate spark`), whose harness_units lists the stages it builds" % path
        )
    return s


def units_of(s, kind=None):
    """The units tune.py builds (the scenario's harness_units: name -> prefix, what the unit reads
    when first, PySpark module and class, kind and task), those of kind when given."""
    units = s["harness_units"]
    if kind is None:
        return units
    return {n: u for n, u in units.items() if (u["kind"] == "evaluator") == (kind == "evaluator")}


def unit(s, name):
    """The harness unit named name (a key of harness_units)."""
    u = s["harness_units"].get(name)
    if u is None:
        fail("unit %r: not in the scenario's harness_units" % name)
    return u


def default_master(s):
    c = s["cluster"]
    if not c.get("local", False):
        fail("scenario is not local (cluster.local is false): give --master (spark://..., yarn, k8s://...)")
    return "local[%d]" % (int(c.get("executors", 1)) * int(c.get("cores_per_executor", 1)))


def cluster_conf(s, master):
    """Settings that make a standalone master (spark://) give the scenario's executors: executors x
    cores_per_executor cores in executors of cores_per_executor each, all of them registered before
    the first job, and a driver reachable at loopback when the master is on loopback."""
    if not master.startswith("spark://"):
        return {}
    c = s["cluster"]
    execs, cores = int(c.get("executors", 1)), int(c.get("cores_per_executor", 1))
    conf = {
        "spark.executor.cores": str(cores),
        "spark.cores.max": str(execs * cores),
        "spark.executor.memory": "1g",  # spark/cluster.go's ExecutorMemoryMB checks workers have it
        "spark.dynamicAllocation.enabled": "false",
        # Jobs wait until every executor has registered (or 60 s), not the first one.
        "spark.scheduler.minRegisteredResourcesRatio": "1.0",
        "spark.scheduler.maxRegisteredResourcesWaitingTime": "60s",
    }
    host = master[len("spark://") :].split(",")[0].rsplit(":", 1)[0]
    if host in ("127.0.0.1", "localhost"):
        conf["spark.driver.host"] = "127.0.0.1"
        conf["spark.driver.bindAddress"] = "127.0.0.1"
    return conf


# What a stage reads from the source when it comes first.
TEXT, TOKENS, COLUMNS, VECTORS = "text", "tokens", "columns", "vectors"

CENTRES = 8  # kmeans data: rows around this many centres
VOCABULARY = 2000  # text data: words drawn from this many


def label_score(features, seed, nf):
    """A linear function of the numeric features plus noise, and its standard deviation."""
    from pyspark.sql import functions as F

    score, var = F.lit(0.0), 0.25
    for j in range(nf):
        w = float(((j * 7919) % 19) - 9) / 9.0
        score = score + features(j) * w
        var += w * w
    return score + F.randn(seed * 1000003 + nf) * 0.5, var**0.5


def classes_of(score, sd, classes):
    """score cut into classes equally likely classes (normal quantiles of its spread), as doubles."""
    from statistics import NormalDist

    from pyspark.sql import functions as F

    label = F.lit(0.0)
    for c in range(1, classes):
        label = F.when(score >= NormalDist(0, sd).inv_cdf(c / classes), float(c)).otherwise(label)
    return label


def build_data(spark, s):
    """The scenario's seeded synthetic data, computed in the JVM (uncached), with the columns the
    first stage reads (see the module's doc) and a label for a regressor or classifier."""
    from pyspark.sql import functions as F

    d, stages = s["data"], s["pipeline"]["stages"]
    rows, nf, parts = int(d["rows"]), int(d["features"]), int(d["partitions"])
    seed = int(s.get("seed", 0))
    reads = unit(s, stages[0])["reads"]
    predictor = unit(s, stages[-1])
    classes = int(d.get("classes") or 0) if predictor["task"] == "classification" else 0
    base = spark.range(0, rows, 1, parts)

    if reads in (TEXT, TOKENS):
        # nf words per row: the label's (or, for a regressor, a random class's) signal word with
        # probability 0.3, else a word of the vocabulary; the label of a regressor is its class's
        # number plus noise.
        # (A nondeterministic expression is drawn where it is evaluated: the class is drawn once,
        # in a column of its own, before the words that depend on it.)
        k = max(classes, 2)
        base = base.select(F.floor(F.rand(seed * 1000003) * k).alias("cls"))
        cls = F.col("cls")
        words = []
        for j in range(nf):
            signal = F.rand(seed * 1000003 + 100 + j) < 0.3
            common = F.concat(
                F.lit("w"),
                F.floor(F.pow(F.rand(seed * 1000003 + 200 + j), 2) * VOCABULARY).cast("int").cast("string"),
            )
            words.append(
                F.when(
                    signal,
                    F.concat(F.lit("c"), cls.cast("int").cast("string"), F.lit("_"), F.lit(str(j % 5))),
                ).otherwise(common)
            )
        df = base.select("cls", *[w.alias("t%d" % j) for j, w in enumerate(words)])
        text = F.concat_ws(" ", *["t%d" % j for j in range(nf)])
        label = F.col("cls").cast("double")
        if not classes:
            label = label + F.randn(seed * 1000003 + 300) * 0.5
        col = text.alias("text") if reads == TEXT else F.split(text, " ").alias("tokens")
        return df.select(col, label.alias("label"))

    if predictor["task"] == "clustering":
        # Rows around CENTRES fixed centres, unit-variance noise.
        c = F.floor(F.rand(seed * 1000003) * CENTRES)
        df = base.select(c.alias("c"))
        cols = []
        for j in range(nf):
            centre = F.lit(0.0)
            for i in range(CENTRES):
                centre = F.when(
                    F.col("c") == i, float((((i + 1) * (j + 3) * 2654435761) % 17) - 8)
                ).otherwise(centre)
            cols.append((centre + F.randn(seed * 1000003 + 10 + j)).alias("x%d" % j))
        df = df.select(*cols)
    else:
        df = base.select(*[F.randn(seed * 1000003 + j).alias("x%d" % j) for j in range(nf)])
        score, sd = label_score(lambda j: F.col("x%d" % j), seed, nf)
        # The score (with its noise) is drawn once, in a column, before the classes compare it.
        df = df.withColumn("label", score)
        if classes:
            df = df.withColumn("label", classes_of(F.col("label"), sd, classes))
    if reads == COLUMNS:
        return df
    from pyspark.ml.functions import array_to_vector

    keep = ["label"] if "label" in df.columns else []
    return df.select(array_to_vector(F.array(*["x%d" % j for j in range(nf)])).alias("data"), *keep)


def source_columns(s):
    """The columns the first stage reads."""
    reads = unit(s, s["pipeline"]["stages"][0])["reads"]
    nf = int(s["data"]["features"])
    return {TEXT: ["text"], TOKENS: ["tokens"], COLUMNS: ["x%d" % j for j in range(nf)], VECTORS: ["data"]}[
        reads
    ]


def build_pipeline(s):
    """The scenario's stages as PySpark estimators wired column to column, and its evaluator."""
    import importlib

    stages, out = [], None
    inputs = source_columns(s)
    names = s["pipeline"]["stages"]
    built = units_of(s, "stage")
    for i, name in enumerate(names):
        if name not in built:
            fail(
                "pipeline.stages[%d]: %r is not built by tune.py (it builds %s)"
                % (i, name, ", ".join(sorted(built)))
            )
        est = getattr(importlib.import_module(built[name]["module"]), built[name]["class"])()
        col = inputs[0] if out is None else out
        if name == "vector_assembler":
            est.setInputCols(inputs if out is None else [out])
        elif est.hasParam("inputCol"):
            est.set(est.getParam("inputCol"), col)
        else:
            est.set(est.getParam("featuresCol"), col)
        if i < len(names) - 1:
            out = "s%d_%s" % (i, name)
            est.set(est.getParam("outputCol"), out)
        elif est.hasParam("labelCol"):
            est.set(est.getParam("labelCol"), "label")
        stages.append(est)
    features = inputs[0] if out is None else out
    ev_name = s["pipeline"].get("evaluator")
    evaluators = units_of(s, "evaluator")
    if ev_name not in evaluators:
        fail(
            "pipeline.evaluator %r: tune.py evaluates with %s (package spark names the predictor's default)"
            % (ev_name, ", ".join(sorted(evaluators)))
        )
    ev = getattr(importlib.import_module(evaluators[ev_name]["module"]), evaluators[ev_name]["class"])()
    if ev.hasParam("labelCol"):
        ev.set(ev.getParam("labelCol"), "label")
    if ev_name == "clustering_evaluator":
        ev.set(ev.getParam("featuresCol"), features)
    return stages, ev


def resolve(s, name, stages, names, ev):
    """The PySpark estimator (or evaluator) and Param a scenario's "<prefix>.<param>" names."""
    prefix, _, p = name.partition(".")
    ev_prefix = unit(s, s["pipeline"]["evaluator"])["prefix"]
    owners = (
        [ev]
        if prefix == ev_prefix
        else [st for st, n in zip(stages, names) if unit(s, n)["prefix"] == prefix]
    )
    for est in owners:
        if est.hasParam(p):
            return est, est.getParam(p)
    known = ["%s.%s" % (unit(s, n)["prefix"], q.name) for st, n in zip(stages, names) for q in st.params]
    fail(
        "param %r: not a Spark param of the pipeline's stages (known: %s)" % (name, ", ".join(sorted(known)))
    )


def convert(param, value):
    """A scenario's value (a number, or a string) as the Spark param takes it."""
    from pyspark.ml.param import TypeConverters

    if param.typeConverter is TypeConverters.toBoolean and isinstance(value, str):
        if value.lower() not in ("true", "false"):
            fail("param %s: %r is not true or false" % (param.name, value))
        return value.lower() == "true"
    try:
        return param.typeConverter(value)
    except TypeError as e:
        fail("param %s: %r: %s" % (param.name, value, e))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scenario", required=True)
    ap.add_argument("--parallelism", type=int)
    ap.add_argument("--event-dir", required=True)
    ap.add_argument("--master")
    ap.add_argument("--app-name", default="tunesim")
    ap.add_argument("--warmup", dest="warmup", action="store_true", default=True)
    ap.add_argument("--no-warmup", dest="warmup", action="store_false")
    ap.add_argument("--serve", action="store_true")
    ap.add_argument("--warmup-s", type=float, default=WARMUP_BUDGET_S)
    a = ap.parse_args()

    s = load_scenario(a.scenario)
    tuner = s["tuner"]
    par = a.parallelism or int(tuner.get("parallelism", 1))
    if par < 1:
        fail("--parallelism %d: must be 1 or more" % par)
    master = a.master or default_master(s)
    os.makedirs(a.event_dir, exist_ok=True)

    from pyspark.ml import Pipeline
    from pyspark.ml.tuning import CrossValidator, ParamGridBuilder, TrainValidationSplit
    from pyspark.sql import SparkSession

    mode = s.get("scheduler", {}).get("mode", "FIFO")
    builder = SparkSession.builder.master(master).appName(a.app_name)
    for k, v in cluster_conf(s, master).items():
        builder = builder.config(k, v)
    spark = (
        builder.config("spark.eventLog.enabled", "true")
        .config("spark.eventLog.dir", "file://" + os.path.abspath(a.event_dir))
        .config("spark.eventLog.compress", "false")
        .config("spark.eventLog.rolling.enabled", "false")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.scheduler.mode", mode)
        .config("spark.driver.memory", "2g")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    sc = spark.sparkContext

    stage_names = s["pipeline"]["stages"]
    stages, ev = build_pipeline(s)
    for name, value in s["pipeline"].get("params", {}).items():
        est, p = resolve(s, name, stages, stage_names, ev)
        est.set(p, convert(p, value))
    grid = ParamGridBuilder()
    params = {}
    for name, values in s["pipeline"].get("grid", {}).items():
        est, p = resolve(s, name, stages, stage_names, ev)
        if est is ev:
            fail(
                "pipeline.grid.%s: the tuner searches the estimator's params, not the evaluator's "
                "(fix it in pipeline.params)" % name
            )
        params[name] = p
        grid.addGrid(p, [convert(p, v) for v in values])
    epm = grid.build()
    names = list(params)

    def label(m):
        return " ".join("%s=%s" % (n, _fmt(epm[m][params[n]])) for n in names)

    kind = tuner.get("kind", "train_validation_split")
    folds = int(tuner.get("folds", 3)) if kind == "cross_validator" else 1

    def tag_extra():
        """The properties a fit's thread carries beside tunesim's fit tags (tagging.tag_fits)."""
        extra = {tagging.PHASE: "tune"}
        if mode == "FAIR":
            extra["spark.scheduler.pool"] = "tunesim-%s" % threading.current_thread().name
        return extra

    def tuner_for(maps, p):
        pipe = Pipeline(stages=stages)
        if kind == "cross_validator":
            return CrossValidator(
                estimator=pipe,
                estimatorParamMaps=maps,
                evaluator=ev,
                numFolds=folds,
                parallelism=p,
                seed=int(s.get("seed", 0)),
            )
        return TrainValidationSplit(
            estimator=pipe,
            estimatorParamMaps=maps,
            evaluator=ev,
            trainRatio=float(tuner.get("train_ratio", 0.75)),
            parallelism=p,
            seed=int(s.get("seed", 0)),
        )

    data = build_data(spark, s)
    jvm_pid = sc._jvm.java.lang.ProcessHandle.current().pid()
    warmup, warmup_jit = (
        settle(lambda: tuner_for(epm, 1).fit(data), sc, jvm_pid, a.warmup_s) if a.warmup else ([], [])
    )
    log = os.path.join(os.path.abspath(a.event_dir), sc.applicationId)

    def measure(par, run):
        """Runs the tuning at parallelism par, tagged, and returns its summary."""
        compilers0, gc0 = compiler_cpu(jvm_pid), gc_cpu(jvm_pid)
        executors0 = executor_cpu(sc.applicationId)
        executor_compilers0 = {k: compiler_cpu(int(k[0])) for k in executors0}
        executor_gc0 = {k: gc_cpu(int(k[0])) for k in executors0}
        cpu0, py0, t0 = proc_cpu(jvm_pid), time.process_time(), time.time()
        model = tagging.tag_fits(tuner_for(epm, par), label=label, extra=tag_extra).fit(data)
        wall = time.time() - t0
        executors1 = executor_cpu(sc.applicationId)
        executor_compilers1 = {k: compiler_cpu(int(k[0])) for k in executors1}
        executor_gc1 = {k: gc_cpu(int(k[0])) for k in executors1}
        # CPU time of the JVM (driver and, in local mode, executor threads) and of this Python
        # process over the tuning; None where /proc does not tell.
        cpu1 = proc_cpu(jvm_pid)
        compilers1, gc1 = compiler_cpu(jvm_pid), gc_cpu(jvm_pid)
        for k in tagging.PROPERTIES:
            sc.setLocalProperty(k, None)
        # The background's parallelism: the JIT compiler threads' CPU over the tuning divided by
        # the busiest one's (C2 does most of the work; C1's thread counts for its share), rounded.
        busy_compilers = busy_threads(compilers0, compilers1)
        # Executor JVMs of their own on this machine (a standalone cluster here) compile too, each
        # in its own JVM: their busy compiler threads, per executor (the mean, rounded), are
        # reported apart from the driver's.
        executor_busy = [
            busy_threads(executor_compilers0.get(k, {}), after) or 0
            for k, after in executor_compilers1.items()
        ]
        executor_busy_compilers = (
            max(1, round(sum(executor_busy) / len(executor_busy)))
            if executor_busy and max(executor_busy) > 0
            else None
        )
        py_cpu = time.process_time() - py0
        cpu = None if cpu0 is None or cpu1 is None else cpu1 - cpu0 + py_cpu
        metrics = [
            float(v) for v in (model.avgMetrics if kind == "cross_validator" else model.validationMetrics)
        ]
        # The tuner's own choice (CrossValidator and TrainValidationSplit take the first best).
        pick = max if ev.isLargerBetter() else min
        best = metrics.index(pick(metrics))
        drained(sc)
        return {
            "app_id": sc.applicationId,
            "spark_version": spark.version,
            "master": master,
            "parallelism": par,
            # The run's number in this application (from 1), and when it began and ended (Unix
            # ms): the event log holds every run of the application, the run's jobs lie between.
            "run": run,
            "start_unix_ms": int(t0 * 1000),
            "end_unix_ms": int((t0 + wall) * 1000) + 1,
            "wall_s": wall,
            # The warm-up's serial tunings, in order (seconds), and the share of each one's CPU
            # the JIT compilers took: the runs were measured once the last two agreed (see
            # settle).
            "warmup_s": warmup,
            "warmup_jit_share": warmup_jit,
            "cpu_s": cpu,
            "python_cpu_s": py_cpu,
            "background_threads": busy_compilers,
            "executor_background_threads": executor_busy_compilers,
            # CPU seconds the JIT compiler threads and the garbage collector's took over the
            # tuning: the driver's JVM's, and the executor JVMs' here together (None where /proc
            # does not tell or none ran here).
            "compiler_cpu_s": thread_seconds(compilers0, compilers1),
            "executor_compiler_cpu_s": executors_seconds(executor_compilers0, executor_compilers1),
            "gc_cpu_s": thread_seconds(gc0, gc1),
            "executor_gc_cpu_s": executors_seconds(executor_gc0, executor_gc1),
            # How this machine's OS shares its cores between the driver's JVM and the executors'
            # JVMs here: "processes" when each is a scheduling group of its own (Linux's
            # autogroup, one per session, or a cgroup of its own), "threads" when they are one
            # pool; None when no executor JVM ran here or /proc does not tell.
            "cpu_share": cpu_share([jvm_pid] + [int(k[0]) for k in executors1]) if executors1 else None,
            # CPU time of the executors' own JVMs on this machine over the tuning (a standalone
            # cluster started here), all their threads; None when none ran here (local mode: the
            # executors are threads of the driver's JVM, in cpu_s).
            "executor_cpu_s": (
                sum(c - executors0.get(k, 0.0) for k, c in executors1.items()) if executors1 else None
            ),
            "executors_here": len(executors1),
            # The log while the application runs (Spark renames it when it stops).
            "event_log": log + ".inprogress",
            "best_index": best,
            "best_param_map": {n: float(epm[best][params[n]]) for n in names},
            "best_metric": metrics[best],
            "metrics": metrics,
        }

    runs: list[dict] = []
    if a.serve:
        # One request per line, {"parallelism": P}; one summary line per run; end of input ends.
        print(
            json.dumps(
                {
                    "ready": True,
                    "app_id": sc.applicationId,
                    "warmup_s": warmup,
                    "warmup_jit_share": warmup_jit,
                }
            ),
            flush=True,
        )
        for line in sys.stdin:
            if not line.strip():
                continue
            try:
                req = int(json.loads(line)["parallelism"])
            except (ValueError, KeyError, TypeError) as e:
                fail('request %r: want {"parallelism": N}: %s' % (line.strip(), e))
            if req < 1:
                fail("request %r: parallelism must be 1 or more" % line.strip())
            runs.append(measure(req, len(runs) + 1))
            print(json.dumps(runs[-1]), flush=True)
    else:
        runs.append(measure(par, 1))
    spark.stop()
    for r in runs:
        r["event_log"] = log
    # The summaries also go next to the event log, for `simulate calibrate --from-eventlog`: the
    # run's summary, or a list of them when the application ran several.
    if runs:
        with open(log + ".tunesim.json", "w") as f:
            json.dump(runs[0] if len(runs) == 1 else runs, f)
    if not a.serve:
        json.dump(runs[0], sys.stdout)
        sys.stdout.write("\n")


# How the warm-up decides the JVMs are warm: serial tunings until one takes within SETTLED of the
# one before, at least WARMUP_MIN and at most WARMUP_MAX of them, and no more once they have taken
# --warmup-s (default WARMUP_BUDGET_S) seconds together. JIT compilation of the first runs
# takes most of their CPU on a small machine (55-65% on 2 cores, three JVMs), and it goes on for
# minutes: on a 2 x 1 standalone cluster here the serial tuning took 64, 30, 20, 13.1 and 13.6 s in
# turn, and a one-param-map warm-up left the next tuning at 2.5 times its settled time. The
# compilers never go quiet: their share of a tuning's CPU fell from 56% to 30% over six tunings,
# and waiting idle for them between tunings did not settle the times sooner. A short warm-up
# leaves the measured runs drifting faster one after another: on 2 x 2 seed-tvs, after 134 s of
# warm-up, the driver's CPU per tuning fell by a third from the first measured run to the second;
# after 198 s the runs' CPU stayed within 15%.
SETTLED, WARMUP_MIN, WARMUP_MAX, WARMUP_BUDGET_S = 0.05, 2, 20, 150.0


def settle(tune, sc, jvm_pid, budget):
    """Warms the JVMs: runs tune (the serial tuning) untagged until it has settled (see SETTLED)
    or the warm-up's budget is spent, and returns the seconds each run took and the share of its
    CPU the JIT compilers took."""
    sc.setLocalProperty(tagging.PHASE, "warmup")
    took: list[float] = []
    jit: list[float] = []
    while len(took) < WARMUP_MAX:
        pids = jvms(jvm_pid, sc.applicationId)
        c0, j0, t0 = jvms_cpu(pids), jit_ticks(pids), time.time()
        tune()
        took.append(time.time() - t0)
        pids = jvms(jvm_pid, sc.applicationId)
        cpu = jvms_cpu(pids) - c0
        jit.append((jit_ticks(pids) - j0) / os.sysconf("SC_CLK_TCK") / cpu if cpu > 0 else 0.0)
        if len(took) >= WARMUP_MIN and (
            abs(took[-1] - took[-2]) <= SETTLED * took[-2] or sum(took) >= budget
        ):
            break
    sc.setLocalProperty(tagging.PHASE, None)
    return took, jit


def jvms(driver, app_id):
    """The pids of the application's JVMs on this machine: the driver's and its executors'."""
    return [driver] + [int(k[0]) for k in executor_cpu(app_id)]


def jvms_cpu(pids):
    """CPU seconds of the processes pids together (0 where /proc does not tell)."""
    return sum(proc_cpu(p) or 0.0 for p in pids)


def jit_ticks(pids):
    """CPU ticks of the JIT compiler threads of the JVMs pids together."""
    return sum(sum(compiler_cpu(p).values()) for p in pids)


def drained(sc):
    """Waits until Spark's listeners have taken every event so far, so the event log holds the
    run's last job (its writer flushes at every job's end)."""
    try:
        sc._jsc.sc().listenerBus().waitUntilEmpty(60000)
    except Exception:  # an older or newer Spark without it: give the listeners a moment
        time.sleep(1.0)


def proc_cpu(pid):
    """User plus system CPU seconds of process pid, from /proc (Linux); None elsewhere."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def executor_cpu(app_id):
    """CPU seconds of each executor JVM of application app_id that runs on this machine
    (tunesim.cpu.executor_pids), by (pid, start time), from /proc (Linux); empty elsewhere or when
    none runs here."""
    out: dict[tuple[str, str], float] = {}
    for pid in executor_pids(app_id):
        try:
            with open("/proc/%d/stat" % pid) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            out[(str(pid), fields[19])] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            continue
    return out


def cpu_group(pid):
    """The CPU scheduling group process pid runs in on Linux: its cpu cgroup, and within the root
    cgroup its autogroup (one per session) when the kernel has autogroup on; None when /proc does
    not tell."""
    try:
        with open("/proc/%d/cgroup" % pid) as f:
            lines = f.read().splitlines()
    except OSError:
        return None
    cg = None
    for line in lines:
        parts = line.split(":", 2)
        if len(parts) == 3 and (parts[1] == "" or "cpu" in parts[1].split(",")):
            cg = parts[2]
            if parts[1] != "":
                break  # cgroup v1's cpu controller decides over the unified hierarchy's entry
    if cg is None:
        return None
    if cg == "/":
        try:
            with open("/proc/sys/kernel/sched_autogroup_enabled") as f:
                enabled = f.read().strip() == "1"
            if enabled:
                with open("/proc/%d/autogroup" % pid) as f:
                    return cg + " " + f.read().split()[0]
        except (OSError, IndexError):
            pass
    return cg


def cpu_share(pids):
    """Says "processes" when every one of pids (the driver's JVM, then the executors' here) is a CPU
    scheduling group of its own, "threads" when any two share one (as threads of one pool: taken
    as the whole machine's pool), None when /proc does not tell."""
    groups = [cpu_group(p) for p in pids]
    if any(g is None for g in groups):
        return None
    return "processes" if len(set(groups)) == len(groups) else "threads"


def busy_threads(before, after):
    """How many threads did a JVM's compiler work, from their CPU ticks before and after: their
    CPU over the busiest one's, rounded (C2 does most; C1's thread counts for its share)."""
    worked = [c - before.get(t, 0) for t, c in after.items()]
    return round(sum(worked) / max(worked)) if worked and max(worked) > 0 else None


def thread_seconds(before, after):
    """CPU seconds a JVM's threads worked between two threads_cpu readings (None without any)."""
    if not after:
        return None
    return sum(c - before.get(t, 0) for t, c in after.items()) / os.sysconf("SC_CLK_TCK")


def executors_seconds(before, after):
    """thread_seconds summed over the executor JVMs here (None when none ran here)."""
    if not after:
        return None
    return sum(thread_seconds(before.get(k, {}), a) or 0.0 for k, a in after.items())


def compiler_cpu(pid):
    """CPU ticks of each of the JVM's JIT compiler threads, by thread id, from /proc (Linux)."""
    return threads_cpu(pid, lambda name: "CompilerThre" in name)


# Names HotSpot gives its garbage collector threads (G1, the default, and the parallel and serial
# collectors) and the VM thread, which runs their pauses, as /proc shows them (15 characters).
GC_THREADS = ("GC Thread", "G1 ", "VM Thread")


def gc_cpu(pid):
    """CPU ticks of each of the JVM's garbage collector threads (and the VM thread), by thread
    id, from /proc (Linux)."""
    return threads_cpu(pid, lambda name: name.startswith(GC_THREADS))


def threads_cpu(pid, named):
    """CPU ticks of each thread of process pid whose name named(name) accepts, by thread id, from
    /proc (Linux); empty elsewhere."""
    out: dict[str, int] = {}
    try:
        for tid in os.listdir("/proc/%d/task" % pid):
            with open("/proc/%d/task/%s/stat" % (pid, tid)) as f:
                stat = f.read()
            if named(stat[stat.index("(") + 1 : stat.rindex(")")]):
                fields = stat.rsplit(")", 1)[1].split()
                out[tid] = int(fields[11]) + int(fields[12])
    except (OSError, ValueError, IndexError):
        pass
    return out


def _fmt(v):
    """Formats a param value as tunesim's param-map labels do (15, 0.001)."""
    if isinstance(v, float) and v == int(v) and abs(v) < 1e15:
        return str(int(v))
    return repr(v) if isinstance(v, float) else str(v)


if __name__ == "__main__":
    main()
