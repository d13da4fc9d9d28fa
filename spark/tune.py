#!/usr/bin/env python3
"""Runs a tunesim scenario on Apache Spark: the seed experiment's Pipeline(PCA, LinearRegression)
under TrainValidationSplit or CrossValidator, with event logging on, and prints a JSON summary.

Every job of fit i (param map m, fold f; the final refit has fold -1) carries the local properties
tunesim.fit, tunesim.param_map, tunesim.fold and tunesim.param_label, set on the fit's own thread
inside the estimator's fit, so the event log says which fit each job belongs to. Jobs of the
optional warm-up run carry none of them (tunesim.phase=warmup).

Usage:
  spark/tune.py --scenario FILE --parallelism P --event-dir DIR [--master M] [--app-name NAME]
                [--warmup | --no-warmup]

The scenario is the JSON file `simulate` reads (fields data.*, pipeline.*, tuner.*, cluster.*, seed,
scheduler.mode). --master defaults to local[N] with N = executors x cores_per_executor for a local
scenario; spark://, yarn or k8s:// masters run the same code unchanged.
"""

import argparse
import json
import os
import sys
import threading
import time


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
    return s


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
    host = master[len("spark://"):].split(",")[0].rsplit(":", 1)[0]
    if host in ("127.0.0.1", "localhost"):
        conf["spark.driver.host"] = "127.0.0.1"
        conf["spark.driver.bindAddress"] = "127.0.0.1"
    return conf


def build_data(spark, s):
    """A seeded synthetic regression data set: rows x features standard normals in the scenario's
    partitions, label = features . w + noise, computed in the JVM (uncached, like the simulator's
    source: every uncached read recomputes it)."""
    from pyspark.ml.feature import VectorAssembler
    from pyspark.sql import functions as F

    d = s["data"]
    rows, nf, parts = int(d["rows"]), int(d["features"]), int(d["partitions"])
    seed = int(s.get("seed", 0))
    cols = [F.randn(seed * 1000003 + j).alias("x%d" % j) for j in range(nf)]
    df = spark.range(0, rows, 1, parts).select(*cols)
    label = F.lit(0.0)
    for j in range(nf):
        label = label + F.col("x%d" % j) * float(((j * 7919) % 19) - 9) / 9.0
    label = label + F.randn(seed * 1000003 + nf) * 0.5
    df = df.withColumn("label", label)
    return VectorAssembler(inputCols=["x%d" % j for j in range(nf)], outputCol="data").transform(df).select("data", "label")


def param_of(name, pca, lr):
    stage, _, p = name.partition(".")
    est = {"pca": pca, "lr": lr}.get(stage)
    if est is None or not est.hasParam(p):
        fail("pipeline.grid: unknown param %r (allowed: pca.k, lr.regParam, lr.elasticNetParam, lr.maxIter)" % name)
    return est.getParam(p)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scenario", required=True)
    ap.add_argument("--parallelism", type=int)
    ap.add_argument("--event-dir", required=True)
    ap.add_argument("--master")
    ap.add_argument("--app-name", default="tunesim")
    ap.add_argument("--warmup", dest="warmup", action="store_true", default=True)
    ap.add_argument("--no-warmup", dest="warmup", action="store_false")
    a = ap.parse_args()

    s = load_scenario(a.scenario)
    tuner = s["tuner"]
    par = a.parallelism or int(tuner.get("parallelism", 1))
    if par < 1:
        fail("--parallelism %d: must be 1 or more" % par)
    master = a.master or default_master(s)
    os.makedirs(a.event_dir, exist_ok=True)

    from pyspark.sql import SparkSession
    from pyspark.ml import Pipeline
    from pyspark.ml.feature import PCA
    from pyspark.ml.regression import LinearRegression
    from pyspark.ml.evaluation import RegressionEvaluator
    from pyspark.ml.tuning import ParamGridBuilder, TrainValidationSplit, CrossValidator

    mode = s.get("scheduler", {}).get("mode", "FIFO")
    builder = SparkSession.builder.master(master).appName(a.app_name)
    for k, v in cluster_conf(s, master).items():
        builder = builder.config(k, v)
    spark = (builder
             .config("spark.eventLog.enabled", "true")
             .config("spark.eventLog.dir", "file://" + os.path.abspath(a.event_dir))
             .config("spark.eventLog.compress", "false")
             .config("spark.eventLog.rolling.enabled", "false")
             .config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false")
             .config("spark.scheduler.mode", mode)
             .config("spark.driver.memory", "2g")
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    sc = spark.sparkContext

    stages = s["pipeline"].get("stages", ["pca", "linear_regression"])
    use_pca = "pca" in stages
    pca = PCA(inputCol="data", outputCol="features")
    lr = LinearRegression(featuresCol="features" if use_pca else "data", labelCol="label")
    grid = ParamGridBuilder()
    for name, values in s["pipeline"].get("grid", {}).items():
        p = param_of(name, pca, lr)
        grid.addGrid(p, [int(v) if p.name in ("k", "maxIter") else float(v) for v in values])
    epm = grid.build()
    names = list(s["pipeline"].get("grid", {}).keys())

    def label(m):
        return " ".join("%s=%s" % (n, _fmt(epm[m][param_of(n, pca, lr)])) for n in names)

    kind = tuner.get("kind", "train_validation_split")
    folds = int(tuner.get("folds", 3)) if kind == "cross_validator" else 1
    tag_state = {"fold": -1, "calls": 0}
    tls = threading.local()
    lock = threading.Lock()

    def tag(fit, m, fold):
        # PySpark's inheritable_thread_target gives every pool thread the same java.util.Properties
        # object; a private copy keeps one thread's tags from landing on another thread's jobs.
        jsc = sc._jsc.sc()
        jsc.setLocalProperties(jsc.getLocalProperties().clone())
        sc.setLocalProperty("tunesim.fit", str(fit))
        sc.setLocalProperty("tunesim.param_map", str(m))
        sc.setLocalProperty("tunesim.fold", str(fold))
        sc.setLocalProperty("tunesim.param_label", label(m))
        sc.setLocalProperty("tunesim.phase", "tune")
        if mode == "FAIR":
            sc.setLocalProperty("spark.scheduler.pool", "tunesim-%s" % threading.current_thread().name)

    class TaggedPipeline(Pipeline):
        """A Pipeline whose fits tag their thread's jobs with the fit they belong to."""

        def fitMultiple(self, dataset, paramMaps):
            with lock:
                fold = tag_state["calls"]
                tag_state["calls"] += 1
            outer = self
            counter = {"next": 0}
            it_lock = threading.Lock()

            class It:
                def __iter__(self):
                    return self

                def __next__(self):
                    with it_lock:
                        m = counter["next"]
                        if m >= len(paramMaps):
                            raise StopIteration
                        counter["next"] += 1
                    if tagging["on"]:
                        tag(fold * len(paramMaps) + m, m, fold)
                    tls.inner = True
                    try:
                        return m, Pipeline.fit(outer, dataset, paramMaps[m])
                    finally:
                        tls.inner = False

            return It()

        def fit(self, dataset, params=None):
            if tagging["on"] and not getattr(tls, "inner", False) and isinstance(params, dict):
                m = next((i for i, pm in enumerate(epm) if pm == params), 0)
                tag(folds * len(epm), m, -1)  # the final refit, on the calling thread
            return Pipeline.fit(self, dataset, params)

    tagging = {"on": False}
    ev = RegressionEvaluator(labelCol="label", metricName="rmse")

    def tuner_for(maps, p):
        pipe = TaggedPipeline(stages=([pca] if use_pca else []) + [lr])
        if kind == "cross_validator":
            return CrossValidator(estimator=pipe, estimatorParamMaps=maps, evaluator=ev,
                                  numFolds=folds, parallelism=p, seed=int(s.get("seed", 0)))
        return TrainValidationSplit(estimator=pipe, estimatorParamMaps=maps, evaluator=ev,
                                    trainRatio=float(tuner.get("train_ratio", 0.75)), parallelism=p,
                                    seed=int(s.get("seed", 0)))

    data = build_data(spark, s)
    if a.warmup:
        # Warm the JVM (class loading, JIT) on the same code paths; these jobs carry no fit tags.
        sc.setLocalProperty("tunesim.phase", "warmup")
        tuner_for(epm[:2], 1).fit(data)
        sc.setLocalProperty("tunesim.phase", None)

    tagging["on"] = True
    tag_state["calls"] = 0
    jvm_pid = sc._jvm.java.lang.ProcessHandle.current().pid()
    compilers0 = compiler_cpu(jvm_pid)
    cpu0, py0, t0 = proc_cpu(jvm_pid), time.process_time(), time.time()
    model = tuner_for(epm, par).fit(data)
    wall = time.time() - t0
    # CPU time of the JVM (driver and, in local mode, executor threads) and of this Python process
    # over the tuning; None where /proc does not tell.
    cpu1 = proc_cpu(jvm_pid)
    compilers1 = compiler_cpu(jvm_pid)
    # The background's parallelism: the JIT compiler threads' CPU over the tuning divided by the
    # busiest one's (C2 does most of the work; C1's thread counts for its share), rounded.
    worked = [c - compilers0.get(t, 0) for t, c in compilers1.items()]
    busy_compilers = round(sum(worked) / max(worked)) if worked and max(worked) > 0 else None
    py_cpu = time.process_time() - py0
    cpu = None if cpu0 is None or cpu1 is None else cpu1 - cpu0 + py_cpu
    for k in ("tunesim.fit", "tunesim.param_map", "tunesim.fold", "tunesim.param_label", "tunesim.phase"):
        sc.setLocalProperty(k, None)

    metrics = [float(v) for v in (model.avgMetrics if kind == "cross_validator" else model.validationMetrics)]
    best = min(range(len(metrics)), key=lambda i: metrics[i])
    out = {
        "app_id": sc.applicationId,
        "spark_version": spark.version,
        "master": master,
        "parallelism": par,
        "wall_s": wall,
        "cpu_s": cpu,
        "python_cpu_s": py_cpu,
        "background_threads": busy_compilers,
        "event_log": os.path.join(os.path.abspath(a.event_dir), sc.applicationId),
        "best_index": best,
        "best_param_map": {n: epm[best][param_of(n, pca, lr)] for n in names},
        "best_metric": metrics[best],
        "metrics": metrics,
    }
    spark.stop()
    # The summary also goes next to the event log, for `simulate calibrate --from-eventlog`.
    with open(out["event_log"] + ".tunesim.json", "w") as f:
        json.dump(out, f)
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


def proc_cpu(pid):
    """User plus system CPU seconds of process pid, from /proc (Linux); None elsewhere."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def compiler_cpu(pid):
    """CPU ticks of each of the JVM's JIT compiler threads, by thread id, from /proc (Linux)."""
    out = {}
    try:
        for tid in os.listdir("/proc/%d/task" % pid):
            with open("/proc/%d/task/%s/stat" % (pid, tid)) as f:
                stat = f.read()
            name = stat[stat.index("(") + 1:stat.rindex(")")]
            if "CompilerThre" in name:
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
