#!/usr/bin/env python3
"""Runs Spark ML tuning runs the way a user writes them, for validating `simulate whatif` on
pipelines that are not the seed's (issue 11, part 4). Unlike spark/tune.py it tags nothing: no
tunesim.* property, no job group, no description. Each timed run is its own Spark application
whose event log holds what a user's log holds: data generation, cache + count(), one
tuner.fit(df), stop.

Pipelines (name: estimator under tuner, grid, evaluator):
  lr-text  Tokenizer -> HashingTF -> LogisticRegression(maxIter=10) under CrossValidator(numFolds=3),
           HashingTF.numFeatures [100, 1000, 10000] x LR.regParam [0.1, 0.01],
           BinaryClassificationEvaluator (the shape of Spark's examples/.../ml/cross_validator.py)
  rf-tvs   VectorAssembler -> RandomForestClassifier under TrainValidationSplit(trainRatio=0.75),
           numTrees [10, 20] x maxDepth [3, 5], MulticlassClassificationEvaluator
  gbt-cv   VectorAssembler -> GBTRegressor under CrossValidator(numFolds=2),
           maxDepth [2, 4] x maxIter [5, 10], RegressionEvaluator
  kmeans   VectorAssembler -> KMeans under CrossValidator(numFolds=3), k [2, 4, 8],
           ClusteringEvaluator (silhouette)
  als      ALS(coldStartStrategy="drop") under TrainValidationSplit(trainRatio=0.75),
           rank [5, 10] x regParam [0.1, 0.01], RegressionEvaluator

Pipelines whose estimators tunesim has no unit for (issue 21: whatif on pipelines nobody modelled):
  svc-cv   StringIndexer -> OneHotEncoder -> VectorAssembler -> LinearSVC(maxIter=20) under
           CrossValidator(numFolds=3), regParam [0.01, 0.1, 1.0] x fitIntercept [true, false],
           BinaryClassificationEvaluator
  nb-tvs   Tokenizer -> HashingTF -> IDF -> NaiveBayes under TrainValidationSplit(trainRatio=0.75),
           HashingTF.numFeatures [1000, 10000] x smoothing [0.5, 1.0], MulticlassClassificationEvaluator
  dt-cv    Bucketizer -> VectorAssembler -> DecisionTreeClassifier under CrossValidator(numFolds=3),
           maxDepth [3, 5, 7] x minInstancesPerNode [1, 20], BinaryClassificationEvaluator
  fm-tvs   VectorAssembler -> FMClassifier(maxIter=20) under TrainValidationSplit(trainRatio=0.75),
           factorSize [2, 4] x regParam [0.01, 0.1], BinaryClassificationEvaluator
  mlp-cv   VectorAssembler -> MultilayerPerceptronClassifier under CrossValidator(numFolds=3),
           layers [[10, 5, 2], [10, 10, 2]] x maxIter [20, 40], MulticlassClassificationEvaluator
  glr-cv   VectorAssembler -> GeneralizedLinearRegression under CrossValidator(numFolds=3),
           regParam [0.0, 0.01, 0.1] x maxIter [10, 25], RegressionEvaluator

Held out (added 2026-12-07 after every model decision so far; see docs/validation/):
  iso-tvs  VectorAssembler -> IsotonicRegression under TrainValidationSplit(trainRatio=0.75),
           isotonic [true, false] x featureIndex [0, 1, 2], RegressionEvaluator
  bkm-cv   VectorAssembler -> BisectingKMeans under CrossValidator(numFolds=3), k [2, 4, 8],
           ClusteringEvaluator (silhouette)
  w2v-tvs  Tokenizer -> Word2Vec(minCount=5) -> LogisticRegression(maxIter=10) under
           TrainValidationSplit(trainRatio=0.75), vectorSize [10, 20] x regParam [0.01, 0.1],
           BinaryClassificationEvaluator
  poly-tvs VectorAssembler -> PolynomialExpansion(degree=2) -> LinearRegression(maxIter=20) under
           TrainValidationSplit(trainRatio=0.75), regParam [0.01, 0.1, 1.0] x elasticNetParam
           [0.0, 0.5], RegressionEvaluator

Held out again (added 2026-12-08, after every model decision so far):
  mlr-cv   VectorAssembler -> StandardScaler -> LogisticRegression(family="multinomial", maxIter=20),
           three classes, under CrossValidator(numFolds=3), regParam [0.01, 0.1] x elasticNetParam
           [0.0, 0.5], MulticlassClassificationEvaluator
  gmm-cv   VectorAssembler -> GaussianMixture under CrossValidator(numFolds=3), k [2, 4, 6],
           ClusteringEvaluator (silhouette)
  gbtc-tvs VectorAssembler -> GBTClassifier under TrainValidationSplit(trainRatio=0.75),
           maxDepth [3, 5] x maxIter [5, 10], BinaryClassificationEvaluator
  sel-tvs  VectorAssembler -> UnivariateFeatureSelector(numTopFeatures) -> LogisticRegression(maxIter=20)
           under TrainValidationSplit(trainRatio=0.75), selectionThreshold [3, 6] x regParam
           [0.01, 0.1], BinaryClassificationEvaluator

Data are generated in the JVM from fixed seeds (the same rows every run), cached and counted
before the tuning; the tuner's seed is fixed too, so every run fits the same folds.

With --fresh every timed run is a Python process of its own, so a JVM of its own: a fresh
application as a user's next run is (no warm-up). Every run measures the CPU of the driver's JVM
and of Python and the host's busy time over tuner.fit from /proc (tunesim.measure, which also
leaves them beside the event log for whatif) and records them. A fresh run still going after
--run-timeout seconds (default 900; 0: none) is killed with its JVM, and the script fails naming it.

Otherwise one process runs, in one JVM: --warmups untimed warm-up applications (default 1; the
same tuning, serial; their event logs are deleted; --no-warmup: none), then --runs rounds over the
--parallelism values (a list "1,2,3,4" is interleaved round by round, every other round backwards,
so that drift of the machine and the JVM's own warming spread over all of them), each a new
SparkSession with its own event log.

Usage:
  spark/.venv/bin/python spark/pipelines.py --pipeline lr-text --parallelism 1 --runs 2 \
      --event-log-dir DIR --out results.json [--rows N] [--master local[2]] [--partitions N]
      [--grid-limit N] [--warmups N | --no-warmup] [--fresh [--run-timeout S]] [--spark-log-defaults]
      [--conf KEY=VALUE ...]

--parallelism adaptive (alone or in the list, e.g. "1,2,3,4,adaptive") runs the tuner built at
parallelism 1 under tunesim.adaptive: a serial sample, `simulate whatif` on the application's log so
far, the rest at the recommended parallelism (the CLI: $TUNESIM_BIN, else built with go). Its record
has "adaptive": true, "parallelism": 1 (the tuner's own) and "tunesim", what model.tunesim
reported (the parallelism it chose, the sample's time, the predicted and measured totals).

Every run appends one record to --out (a JSON object {"runs": [...]}, created or merged, written
atomically) and prints it as one JSON line: pipeline, parallelism, fit_s (time.perf_counter
around tuner.fit), app_id, event_log, and the run's settings.
"""

import argparse
import glob
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from typing import NoReturn

# tunesim's Python package (python/tunesim) measures the CPU: the same code a notebook uses.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "python"))
from tunesim.cpu import measure  # noqa: E402

PIPELINES = (
    "lr-text",
    "rf-tvs",
    "gbt-cv",
    "kmeans",
    "als",
    "svc-cv",
    "nb-tvs",
    "dt-cv",
    "fm-tvs",
    "mlp-cv",
    "glr-cv",
    "seed-tvs",
    "iso-tvs",
    "bkm-cv",
    "w2v-tvs",
    "poly-tvs",
    "mlr-cv",
    "gmm-cv",
    "gbtc-tvs",
    "sel-tvs",
)
# The pipelines whose estimators tunesim has a unit for (the scenario path's); the rest have none.
MODELLED = ("lr-text", "rf-tvs", "gbt-cv", "kmeans", "als", "seed-tvs")
UNMODELLED = tuple(p for p in PIPELINES if p not in MODELLED)

# Rows per pipeline meant to make a serial tuning take roughly 10-30 s in local[2] on a quiet
# 2-core machine (--rows overrides). After the warm-up, on a shared 2-core machine at a 1-minute
# load of 4-6, the serial tuner.fit took: lr-text 43 s, rf-tvs 15 s, gbt-cv 30 s, kmeans 26 s,
# als 52 s.
# A fresh run's limit by default: the slowest kept campaign run took under 2 minutes; a run past 15
# has hung (the seed's PCA spun in LAPACK's SVD for good twice on 2026-12-07).
DEFAULT_RUN_TIMEOUT = 900.0

DEFAULT_ROWS = {
    "lr-text": 20000,
    "rf-tvs": 100000,
    "gbt-cv": 40000,
    "kmeans": 100000,
    "als": 100000,
    "svc-cv": 20000,
    "nb-tvs": 20000,
    "dt-cv": 50000,
    "fm-tvs": 20000,
    "mlp-cv": 20000,
    "glr-cv": 50000,
    "seed-tvs": 10000,
    "iso-tvs": 200000,
    "bkm-cv": 50000,
    "w2v-tvs": 10000,
    "poly-tvs": 100000,
    "mlr-cv": 20000,
    "gmm-cv": 10000,
    "gbtc-tvs": 10000,
    "sel-tvs": 50000,
}

# The --parallelism value of a run of tunesim.adaptive(tuner): the tuner built at parallelism 1 (a
# user's default), and tunesim picks the parallelism of the fits after its serial sample.
ADAPTIVE = "adaptive"

DATA_SEED = 20240611
TUNER_SEED = 42


def fail(msg: str) -> NoReturn:
    print("pipelines.py: " + msg, file=sys.stderr)
    sys.exit(2)


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pipeline", required=True, choices=PIPELINES)
    ap.add_argument(
        "--parallelism",
        default="1",
        help="the tuner's parallelism, or a comma-separated list run round by round (default 1); "
        "'adaptive' runs tunesim.adaptive(tuner) (its own parallelism 1)",
    )
    ap.add_argument("--runs", type=int, default=1, help="timed applications per parallelism (default 1)")
    ap.add_argument("--rows", type=int, help="rows (documents, points, ratings) of the data set")
    ap.add_argument(
        "--partitions",
        type=int,
        help="partitions of the input DataFrame (default: Spark's, the master's cores in local mode)",
    )
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--event-log-dir", required=True)
    ap.add_argument("--out", required=True, help="results file (JSON), created or appended to")
    ap.add_argument(
        "--grid-limit",
        type=int,
        help="keep only the first N values of each grid axis (quick checks; default all)",
    )
    ap.add_argument(
        "--fresh",
        action="store_true",
        help="run every timed application in a Python process (and so a JVM) of its own; no warm-up",
    )
    ap.add_argument(
        "--run-timeout",
        type=float,
        default=DEFAULT_RUN_TIMEOUT,
        metavar="SECONDS",
        help="with --fresh: kill a run (its Python process and JVM) that takes longer, and fail "
        "naming it (default %(default)g; 0: no limit)",
    )
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument(
        "--warmups",
        type=int,
        default=1,
        metavar="N",
        help="untimed warm-up applications in the JVM before the timed runs (default 1): a JVM keeps "
        "compiling over several, so with one the first timed run is the least warm",
    )
    ap.add_argument(
        "--no-warmup",
        dest="warmups",
        action="store_const",
        const=0,
        help="skip the untimed warm-up application (--warmups 0)",
    )
    ap.add_argument(
        "--spark-log-defaults",
        action="store_true",
        help="leave spark.eventLog.compress/rolling at Spark's defaults (default: one plain file)",
    )
    ap.add_argument(
        "--conf",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="an extra Spark setting for every application (repeatable)",
    )
    a = ap.parse_args(argv)
    a.parallelisms = []
    for x in a.parallelism.split(","):
        try:
            a.parallelisms.append(ADAPTIVE if x.strip() == ADAPTIVE else int(x))
        except ValueError:
            fail(
                "--parallelism %r: want integers 1 or more or %s, comma-separated" % (a.parallelism, ADAPTIVE)
            )
    if any(p != ADAPTIVE and p < 1 for p in a.parallelisms):
        fail("--parallelism %r: every value must be 1 or more (or %s)" % (a.parallelism, ADAPTIVE))
    if a.runs < 1:
        fail("--runs %d: must be 1 or more" % a.runs)
    if not 0 <= a.run_timeout < float("inf"):
        fail("--run-timeout %r: want seconds, 0 or more (0: no limit)" % a.run_timeout)
    if a.rows is None:
        a.rows = DEFAULT_ROWS[a.pipeline]
    if a.rows < 10:
        fail("--rows %d: must be 10 or more" % a.rows)
    if a.grid_limit is not None and a.grid_limit < 1:
        fail("--grid-limit %d: must be 1 or more" % a.grid_limit)
    if a.partitions is not None and a.partitions < 1:
        fail("--partitions %d: must be 1 or more" % a.partitions)
    a.extra_conf = {}
    for kv in a.conf:
        k, sep, v = kv.partition("=")
        if not sep or not k:
            fail("--conf %r: want KEY=VALUE" % kv)
        if k.startswith("tunesim."):
            fail("--conf %r: this script sets no tunesim.* property (logs must be a user's)" % kv)
        a.extra_conf[k] = v
    return a


# ---- data -------------------------------------------------------------------------------------


def source(spark, rows, partitions):
    if partitions is None:
        return spark.range(0, rows)
    return spark.range(0, rows, 1, partitions)


def text_data(spark, rows, partitions):
    """Documents of 12-27 words over a 2,000-word vocabulary; label 1 documents use the 10
    "signal" words six times as often as label 0 documents."""
    from pyspark.sql import functions as F

    df = source(spark, rows, partitions).withColumn("label", (F.rand(DATA_SEED) < 0.5).cast("double"))
    words = []
    for j in range(27):
        signal = F.rand(DATA_SEED + 100 + j) < (0.05 + 0.25 * F.col("label"))
        w = F.when(
            signal, F.concat(F.lit("spark"), (F.rand(DATA_SEED + 200 + j) * 10).cast("int").cast("string"))
        ).otherwise(
            F.concat(F.lit("w"), (F.pow(F.rand(DATA_SEED + 300 + j), 2) * 2000).cast("int").cast("string"))
        )
        # The last 15 words are present in a document with probability 1/2 each.
        if j >= 12:
            w = F.when(F.rand(DATA_SEED + 400 + j) < 0.5, w).otherwise(F.lit(None))
        words.append(w)
    return df.select("id", F.concat_ws(" ", *words).alias("text"), "label")


def numeric_data(spark, rows, partitions, features, classify):
    """features standard-normal columns x0..; label a nonlinear function of them plus noise,
    thresholded to 0/1 when classify."""
    from pyspark.sql import functions as F

    cols = [F.randn(DATA_SEED + j).alias("x%d" % j) for j in range(features)]
    df = source(spark, rows, partitions).select(*cols)
    y = F.lit(0.0)
    for j in range(features):
        y = y + F.col("x%d" % j) * float(((j * 7919) % 19) - 9) / 9.0
    y = (
        y
        + F.when(F.col("x0") * F.col("x1") > 0, 1.5).otherwise(-1.5)
        + F.pow(F.col("x2"), 2)
        + F.randn(DATA_SEED + 1000) * 0.5
    )
    if classify:
        y = (y > 1.0).cast("double")
    return df.withColumn("label", y)


def blob_data(spark, rows, partitions, features=8, centers=6):
    """Points around `centers` fixed centres in `features` dimensions (unit-variance noise)."""
    from pyspark.sql import functions as F

    df = source(spark, rows, partitions).withColumn("c", (F.rand(DATA_SEED) * centers).cast("int"))
    cols = []
    for j in range(features):
        centre = F.lit(0.0)
        for c in range(centers):
            centre = F.when(F.col("c") == c, float((((c + 1) * (j + 3) * 2654435761) % 17) - 8)).otherwise(
                centre
            )
        cols.append((centre + F.randn(DATA_SEED + 10 + j)).alias("x%d" % j))
    return df.select(*cols)


def rating_data(spark, rows, partitions, users=2000, items=1000, rank=4):
    """Ratings of random (user, item) pairs: 3 + a rank-4 product of fixed per-user and per-item
    factors (sines of the ids) + noise."""
    from pyspark.sql import functions as F

    df = source(spark, rows, partitions).select(
        (F.rand(DATA_SEED) * users).cast("int").alias("user"),
        (F.rand(DATA_SEED + 1) * items).cast("int").alias("item"),
    )
    r = F.lit(3.0)
    for k in range(rank):
        r = r + F.sin(F.col("user") * (0.37 + 0.11 * k)) * F.cos(F.col("item") * (0.53 + 0.07 * k))
    return df.withColumn("rating", r + F.randn(DATA_SEED + 2) * 0.3)


def categorical_data(spark, rows, partitions, categories=20):
    """numeric_data's classification rows with a string column cat of categories values (c0..) that
    shifts the label, and the numeric columns x0, x1, x2 beside it."""
    from pyspark.sql import functions as F

    df = numeric_data(spark, rows, partitions, 3, classify=False)
    cat = (F.rand(DATA_SEED + 2000) * categories).cast("int")
    df = df.withColumn("ci", cat).withColumn("cat", F.concat(F.lit("c"), F.col("ci").cast("string")))
    y = F.col("label") + (F.col("ci") % 3 - 1) * 1.0
    return df.withColumn("label", (y > 1.0).cast("double")).drop("ci")


# ---- pipelines --------------------------------------------------------------------------------


def build(spark, name, rows, partitions, parallelism, grid_limit=None):
    """Returns (data, tuner) of pipeline name: the data set (not yet cached) and the tuner, its
    grid cut to the first grid_limit values of each axis when given."""
    from pyspark.ml import Pipeline
    from pyspark.ml.tuning import CrossValidator, TrainValidationSplit
    from pyspark.ml.tuning import ParamGridBuilder as _Builder

    class ParamGridBuilder(_Builder):
        def addGrid(self, param, values):
            return _Builder.addGrid(self, param, values[:grid_limit] if grid_limit else values)

    if name == "lr-text":
        from pyspark.ml.classification import LogisticRegression
        from pyspark.ml.evaluation import BinaryClassificationEvaluator
        from pyspark.ml.feature import HashingTF, Tokenizer

        tokenizer = Tokenizer(inputCol="text", outputCol="words")
        hashing_tf = HashingTF(inputCol=tokenizer.getOutputCol(), outputCol="features")
        lr = LogisticRegression(maxIter=10)
        grid = (
            ParamGridBuilder()
            .addGrid(hashing_tf.numFeatures, [100, 1000, 10000])
            .addGrid(lr.regParam, [0.1, 0.01])
            .build()
        )
        tuner = CrossValidator(
            estimator=Pipeline(stages=[tokenizer, hashing_tf, lr]),
            estimatorParamMaps=grid,
            evaluator=BinaryClassificationEvaluator(),
            numFolds=3,
            parallelism=parallelism,
            seed=TUNER_SEED,
        )
        return text_data(spark, rows, partitions), tuner

    if name == "rf-tvs":
        from pyspark.ml.classification import RandomForestClassifier
        from pyspark.ml.evaluation import MulticlassClassificationEvaluator
        from pyspark.ml.feature import VectorAssembler

        nf = 10
        assembler = VectorAssembler(inputCols=["x%d" % j for j in range(nf)], outputCol="features")
        rf = RandomForestClassifier(seed=TUNER_SEED)
        grid = ParamGridBuilder().addGrid(rf.numTrees, [10, 20]).addGrid(rf.maxDepth, [3, 5]).build()
        tuner = TrainValidationSplit(
            estimator=Pipeline(stages=[assembler, rf]),
            estimatorParamMaps=grid,
            evaluator=MulticlassClassificationEvaluator(metricName="accuracy"),
            trainRatio=0.75,
            parallelism=parallelism,
            seed=TUNER_SEED,
        )
        return numeric_data(spark, rows, partitions, nf, classify=True), tuner

    if name == "gbt-cv":
        from pyspark.ml.evaluation import RegressionEvaluator
        from pyspark.ml.feature import VectorAssembler
        from pyspark.ml.regression import GBTRegressor

        nf = 8
        assembler = VectorAssembler(inputCols=["x%d" % j for j in range(nf)], outputCol="features")
        gbt = GBTRegressor(seed=TUNER_SEED)
        grid = ParamGridBuilder().addGrid(gbt.maxDepth, [2, 4]).addGrid(gbt.maxIter, [5, 10]).build()
        tuner = CrossValidator(
            estimator=Pipeline(stages=[assembler, gbt]),
            estimatorParamMaps=grid,
            evaluator=RegressionEvaluator(),
            numFolds=2,
            parallelism=parallelism,
            seed=TUNER_SEED,
        )
        return numeric_data(spark, rows, partitions, nf, classify=False), tuner

    if name == "kmeans":
        from pyspark.ml.clustering import KMeans
        from pyspark.ml.evaluation import ClusteringEvaluator
        from pyspark.ml.feature import VectorAssembler

        nf = 8
        assembler = VectorAssembler(inputCols=["x%d" % j for j in range(nf)], outputCol="features")
        km = KMeans(seed=TUNER_SEED)
        grid = ParamGridBuilder().addGrid(km.k, [2, 4, 8]).build()
        tuner = CrossValidator(
            estimator=Pipeline(stages=[assembler, km]),
            estimatorParamMaps=grid,
            evaluator=ClusteringEvaluator(),
            numFolds=3,
            parallelism=parallelism,
            seed=TUNER_SEED,
        )
        return blob_data(spark, rows, partitions, features=nf), tuner

    if name == "als":
        from pyspark.ml.evaluation import RegressionEvaluator
        from pyspark.ml.recommendation import ALS

        als = ALS(
            userCol="user", itemCol="item", ratingCol="rating", coldStartStrategy="drop", seed=TUNER_SEED
        )
        grid = ParamGridBuilder().addGrid(als.rank, [5, 10]).addGrid(als.regParam, [0.1, 0.01]).build()
        tuner = TrainValidationSplit(
            estimator=als,
            estimatorParamMaps=grid,
            evaluator=RegressionEvaluator(labelCol="rating"),
            trainRatio=0.75,
            parallelism=parallelism,
            seed=TUNER_SEED,
        )
        return rating_data(spark, rows, partitions), tuner

    if name == "seed-tvs":
        # The seed experiment (the built-in scenario seed-tvs, as spark/tune.py runs it): 100
        # standard-normal features in one vector column, Pipeline(PCA, LinearRegression) over a 4 x 4
        # grid, TrainValidationSplit trainRatio 0.8 (give --partitions 2 for the seed's partitions).
        from pyspark.ml.evaluation import RegressionEvaluator
        from pyspark.ml.feature import PCA, VectorAssembler
        from pyspark.ml.regression import LinearRegression

        nf = 100
        data = numeric_data(spark, rows, partitions, nf, classify=False)
        data = VectorAssembler(inputCols=["x%d" % j for j in range(nf)], outputCol="data").transform(data)
        pca = PCA(inputCol="data", outputCol="pca")
        lr = LinearRegression(featuresCol="pca")
        grid = (
            ParamGridBuilder()
            .addGrid(pca.k, [15, 20, 40, 75])
            .addGrid(lr.regParam, [0.001, 0.003, 0.01, 0.03])
            .build()
        )
        tuner = TrainValidationSplit(
            estimator=Pipeline(stages=[pca, lr]),
            estimatorParamMaps=grid,
            evaluator=RegressionEvaluator(),
            trainRatio=0.8,
            parallelism=parallelism,
            seed=TUNER_SEED,
        )
        return data.select("data", "label"), tuner

    if name in UNMODELLED:
        return build_unmodelled(spark, name, rows, partitions, parallelism, ParamGridBuilder)

    fail("unknown pipeline %r (allowed: %s)" % (name, ", ".join(PIPELINES)))


def build_unmodelled(spark, name, rows, partitions, parallelism, ParamGridBuilder):
    """build's pipelines whose estimators tunesim has no unit for (see the module's doc)."""
    from pyspark.ml import Pipeline
    from pyspark.ml import classification as C
    from pyspark.ml import evaluation as E
    from pyspark.ml import feature as Fe
    from pyspark.ml.regression import GeneralizedLinearRegression
    from pyspark.ml.tuning import CrossValidator, TrainValidationSplit

    def cv(stages, grid, evaluator):
        return CrossValidator(
            estimator=Pipeline(stages=stages),
            estimatorParamMaps=grid,
            evaluator=evaluator,
            numFolds=3,
            parallelism=parallelism,
            seed=TUNER_SEED,
        )

    def tvs(stages, grid, evaluator):
        return TrainValidationSplit(
            estimator=Pipeline(stages=stages),
            estimatorParamMaps=grid,
            evaluator=evaluator,
            trainRatio=0.75,
            parallelism=parallelism,
            seed=TUNER_SEED,
        )

    xs = ["x%d" % j for j in range(10)]
    if name == "svc-cv":
        idx = Fe.StringIndexer(inputCol="cat", outputCol="cat_i")
        ohe = Fe.OneHotEncoder(inputCol="cat_i", outputCol="cat_v")
        asm = Fe.VectorAssembler(inputCols=["cat_v", "x1", "x2"], outputCol="features")
        svc = C.LinearSVC(maxIter=20)
        grid = (
            ParamGridBuilder()
            .addGrid(svc.regParam, [0.01, 0.1, 1.0])
            .addGrid(svc.fitIntercept, [True, False])
        )
        return categorical_data(spark, rows, partitions), cv(
            [idx, ohe, asm, svc], grid.build(), E.BinaryClassificationEvaluator()
        )
    if name == "nb-tvs":
        tok = Fe.Tokenizer(inputCol="text", outputCol="words")
        tf = Fe.HashingTF(inputCol="words", outputCol="tf")
        idf = Fe.IDF(inputCol="tf", outputCol="features")
        nb = C.NaiveBayes()
        grid = ParamGridBuilder().addGrid(tf.numFeatures, [1000, 10000]).addGrid(nb.smoothing, [0.5, 1.0])
        return text_data(spark, rows, partitions), tvs(
            [tok, tf, idf, nb], grid.build(), E.MulticlassClassificationEvaluator(metricName="accuracy")
        )
    if name == "dt-cv":
        buck = Fe.Bucketizer(
            splits=[-float("inf"), -1.0, 0.0, 1.0, float("inf")], inputCol="x0", outputCol="b0"
        )
        asm = Fe.VectorAssembler(inputCols=["b0"] + xs[1:], outputCol="features")
        dt = C.DecisionTreeClassifier(seed=TUNER_SEED)
        grid = ParamGridBuilder().addGrid(dt.maxDepth, [3, 5, 7]).addGrid(dt.minInstancesPerNode, [1, 20])
        return numeric_data(spark, rows, partitions, 10, classify=True), cv(
            [buck, asm, dt], grid.build(), E.BinaryClassificationEvaluator()
        )
    if name == "fm-tvs":
        asm = Fe.VectorAssembler(inputCols=xs, outputCol="features")
        fm = C.FMClassifier(maxIter=20, seed=TUNER_SEED)
        grid = ParamGridBuilder().addGrid(fm.factorSize, [2, 4]).addGrid(fm.regParam, [0.01, 0.1])
        return numeric_data(spark, rows, partitions, 10, classify=True), tvs(
            [asm, fm], grid.build(), E.BinaryClassificationEvaluator()
        )
    if name == "mlp-cv":
        asm = Fe.VectorAssembler(inputCols=xs, outputCol="features")
        mlp = C.MultilayerPerceptronClassifier(layers=[10, 5, 2], seed=TUNER_SEED)
        grid = (
            ParamGridBuilder().addGrid(mlp.layers, [[10, 5, 2], [10, 10, 2]]).addGrid(mlp.maxIter, [20, 40])
        )
        return numeric_data(spark, rows, partitions, 10, classify=True), cv(
            [asm, mlp], grid.build(), E.MulticlassClassificationEvaluator(metricName="accuracy")
        )
    if name == "glr-cv":
        asm = Fe.VectorAssembler(inputCols=xs, outputCol="features")
        glr = GeneralizedLinearRegression(family="gaussian")
        grid = ParamGridBuilder().addGrid(glr.regParam, [0.0, 0.01, 0.1]).addGrid(glr.maxIter, [10, 25])
        return numeric_data(spark, rows, partitions, 10, classify=False), cv(
            [asm, glr], grid.build(), E.RegressionEvaluator()
        )
    return build_held_out(spark, name, rows, partitions, ParamGridBuilder, cv, tvs)


def build_held_out(spark, name, rows, partitions, ParamGridBuilder, cv, tvs):
    """build_unmodelled's pipelines added after the model's decisions (see the module's doc)."""
    from pyspark.ml import classification as C
    from pyspark.ml import clustering as K
    from pyspark.ml import evaluation as E
    from pyspark.ml import feature as Fe
    from pyspark.ml.regression import IsotonicRegression, LinearRegression

    if name == "iso-tvs":
        asm = Fe.VectorAssembler(inputCols=["x0", "x1", "x2"], outputCol="features")
        iso = IsotonicRegression()
        grid = ParamGridBuilder().addGrid(iso.isotonic, [True, False]).addGrid(iso.featureIndex, [0, 1, 2])
        return numeric_data(spark, rows, partitions, 3, classify=False), tvs(
            [asm, iso], grid.build(), E.RegressionEvaluator()
        )
    if name == "bkm-cv":
        asm = Fe.VectorAssembler(inputCols=["x%d" % j for j in range(8)], outputCol="features")
        bkm = K.BisectingKMeans(seed=TUNER_SEED)
        grid = ParamGridBuilder().addGrid(bkm.k, [2, 4, 8])
        return blob_data(spark, rows, partitions), cv([asm, bkm], grid.build(), E.ClusteringEvaluator())
    if name == "w2v-tvs":
        tok = Fe.Tokenizer(inputCol="text", outputCol="words")
        w2v = Fe.Word2Vec(inputCol="words", outputCol="features", minCount=5, seed=TUNER_SEED)
        lr = C.LogisticRegression(maxIter=10)
        grid = ParamGridBuilder().addGrid(w2v.vectorSize, [10, 20]).addGrid(lr.regParam, [0.01, 0.1])
        return text_data(spark, rows, partitions), tvs(
            [tok, w2v, lr], grid.build(), E.BinaryClassificationEvaluator()
        )
    if name == "poly-tvs":
        asm = Fe.VectorAssembler(inputCols=["x%d" % j for j in range(5)], outputCol="raw")
        poly = Fe.PolynomialExpansion(degree=2, inputCol="raw", outputCol="features")
        lin = LinearRegression(maxIter=20)
        grid = (
            ParamGridBuilder()
            .addGrid(lin.regParam, [0.01, 0.1, 1.0])
            .addGrid(lin.elasticNetParam, [0.0, 0.5])
        )
        return numeric_data(spark, rows, partitions, 5, classify=False), tvs(
            [asm, poly, lin], grid.build(), E.RegressionEvaluator()
        )
    return build_held_out_again(spark, name, rows, partitions, ParamGridBuilder, cv, tvs)


def build_held_out_again(spark, name, rows, partitions, ParamGridBuilder, cv, tvs):
    """build_unmodelled's pipelines added on 2026-12-08 (see the module's doc)."""
    from pyspark.ml import classification as C
    from pyspark.ml import clustering as K
    from pyspark.ml import evaluation as E
    from pyspark.ml import feature as Fe
    from pyspark.sql import functions as F

    xs = ["x%d" % j for j in range(10)]
    if name == "mlr-cv":
        asm = Fe.VectorAssembler(inputCols=xs, outputCol="raw")
        scale = Fe.StandardScaler(inputCol="raw", outputCol="features")
        lr = C.LogisticRegression(family="multinomial", maxIter=20)
        grid = ParamGridBuilder().addGrid(lr.regParam, [0.01, 0.1]).addGrid(lr.elasticNetParam, [0.0, 0.5])
        y = F.col("label")
        df = numeric_data(spark, rows, partitions, 10, classify=False)
        df = df.withColumn("label", F.when(y < -1.0, 0.0).when(y < 1.5, 1.0).otherwise(2.0))
        return df, cv([asm, scale, lr], grid.build(), E.MulticlassClassificationEvaluator())
    if name == "gmm-cv":
        asm = Fe.VectorAssembler(inputCols=["x%d" % j for j in range(8)], outputCol="features")
        gmm = K.GaussianMixture(seed=TUNER_SEED)
        grid = ParamGridBuilder().addGrid(gmm.k, [2, 4, 6])
        return blob_data(spark, rows, partitions), cv([asm, gmm], grid.build(), E.ClusteringEvaluator())
    if name == "gbtc-tvs":
        asm = Fe.VectorAssembler(inputCols=xs, outputCol="features")
        gbt = C.GBTClassifier(seed=TUNER_SEED)
        grid = ParamGridBuilder().addGrid(gbt.maxDepth, [3, 5]).addGrid(gbt.maxIter, [5, 10])
        return numeric_data(spark, rows, partitions, 10, classify=True), tvs(
            [asm, gbt], grid.build(), E.BinaryClassificationEvaluator()
        )
    if name == "sel-tvs":
        asm = Fe.VectorAssembler(inputCols=xs, outputCol="raw")
        sel = (
            Fe.UnivariateFeatureSelector(
                featuresCol="raw", outputCol="features", selectionMode="numTopFeatures"
            )
            .setFeatureType("continuous")
            .setLabelType("categorical")
        )
        lr = C.LogisticRegression(maxIter=20)
        grid = (
            ParamGridBuilder().addGrid(sel.selectionThreshold, [3.0, 6.0]).addGrid(lr.regParam, [0.01, 0.1])
        )
        return numeric_data(spark, rows, partitions, 10, classify=True), tvs(
            [asm, sel, lr], grid.build(), E.BinaryClassificationEvaluator()
        )
    fail("unknown pipeline %r" % name)


def describe(tuner):
    """The tuner's kind, folds (CrossValidator) or train ratio (TrainValidationSplit), param maps."""
    from pyspark.ml.tuning import CrossValidator

    d = {"tuner": type(tuner).__name__, "param_maps": len(tuner.getEstimatorParamMaps())}
    if isinstance(tuner, CrossValidator):
        d["folds"] = tuner.getNumFolds()
    else:
        d["train_ratio"] = tuner.getTrainRatio()
    return d


# ---- one application --------------------------------------------------------------------------


def run_app(a, parallelism, event_dir, app_name):
    """Runs one application: a SparkSession with event logging into event_dir, the data cached and
    counted, one timed tuner.fit(df), stop. Returns the run's record."""
    from pyspark.sql import SparkSession

    builder = (
        SparkSession.builder.master(a.master)
        .appName(app_name)
        .config("spark.eventLog.enabled", "true")
        .config("spark.eventLog.dir", "file://" + os.path.abspath(event_dir))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.memory", "2g")
    )
    if not a.spark_log_defaults:
        builder = builder.config("spark.eventLog.compress", "false").config(
            "spark.eventLog.rolling.enabled", "false"
        )
    for k, v in a.extra_conf.items():
        builder = builder.config(k, v)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    try:
        adaptive = parallelism == ADAPTIVE
        df, tuner = build(
            spark, a.pipeline, a.rows, a.partitions, 1 if adaptive else parallelism, a.grid_limit
        )
        if adaptive:
            import tunesim

            tunesim.adaptive(tuner)
        df = df.cache()
        count = df.count()
        load0 = os.getloadavg()[0]
        wall0 = time.time()
        t0 = time.perf_counter()
        with measure(spark) as cpu:
            model = tuner.fit(df)
        fit_s = time.perf_counter() - t0
        wall1 = time.time()
        load1 = os.getloadavg()[0]
        metrics = [float(m) for m in getattr(model, "avgMetrics", None) or model.validationMetrics]
        app_id = spark.sparkContext.applicationId
        rec = {
            "pipeline": a.pipeline,
            "parallelism": 1 if adaptive else parallelism,
            "adaptive": adaptive,
            "fit_s": fit_s,
            "app_id": app_id,
            "spark_version": spark.version,
            "master": a.master,
            "rows": a.rows,
            "grid_limit": a.grid_limit,
            "count": count,
            "partitions": df.rdd.getNumPartitions(),
            "metrics": metrics,
            "load_avg_1m": [load0, load1],
            # When tuner.fit started and returned, in ms since the epoch as the event log's
            # timestamps are (same clock: the driver's JVM runs on this host).
            "fit_start_ms": round(wall0 * 1000),
            "fit_end_ms": round(wall1 * 1000),
            "fresh_jvm": a.fresh,
        }
        # The CPU over tuner.fit (driver JVM + Python, the host's busy time), as whatif reads it.
        for k, v in (cpu.result or {}).items():
            if k != "app_id":
                rec[k] = v
        rec.update(describe(tuner))
        if adaptive:
            # What tunesim sampled, predicted and chose (model.tunesim); the rest ran at its
            # "parallelism".
            report = getattr(model, "tunesim", None)
            rec["tunesim"] = report.as_dict() if report is not None else None
    finally:
        spark.stop()
    rec["event_log"] = find_log(event_dir, rec["app_id"])
    return rec


def find_log(event_dir, app_id):
    """The event log Spark wrote for app_id in event_dir: a file <appId>[.codec] or a rolling
    directory eventlog_v2_<appId>; waits a little for the .inprogress rename."""
    pattern = os.path.join(os.path.abspath(event_dir), "*" + glob.escape(app_id) + "*")
    for _ in range(50):
        found = [p for p in glob.glob(pattern) if not p.endswith(".inprogress")]
        if found:
            return sorted(found)[0]
        time.sleep(0.1)
    fail("no finished event log of %s in %s (looked for %s)" % (app_id, event_dir, pattern))


def append_results(path, recs):
    """Merges recs into the results file path ({"runs": [...]}), atomically."""
    doc: dict = {"runs": []}
    if os.path.exists(path):
        try:
            with open(path) as f:
                doc = json.load(f)
        except (OSError, ValueError) as e:
            fail('%s: %s (a results file is a JSON object {"runs": [...]})' % (path, e))
        if not isinstance(doc, dict) or not isinstance(doc.get("runs"), list):
            fail('%s: not a results file (want a JSON object with a list "runs")' % path)
    doc["runs"].extend(recs)
    d = os.path.dirname(os.path.abspath(path))
    os.makedirs(d, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".results-", dir=d)
    try:
        with os.fdopen(fd, "w") as f:
            json.dump(doc, f, indent=1)
            f.write("\n")
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def round_order(parallelisms, r):
    """The parallelisms of round r: every other round backwards (1, 2, 3, 4, then 4, 3, 2, 1), so
    that a drift over the campaign (the machine's, or a JVM still warming, which makes each run
    faster than the one before) touches every parallelism alike instead of favouring those run
    last in every round."""
    return list(parallelisms) if r % 2 == 0 else list(reversed(parallelisms))


def fresh_runs(a, argv):
    """--fresh: every run a child process of this script (one application, one JVM), in the order
    the rounds give; each child appends its record to --out and prints it, which is passed on."""
    drop = {"--fresh", "--no-warmup"}
    base, skip = [], False
    for x in argv:
        if skip:
            skip = False
            continue
        if x in ("--runs", "--parallelism", "--run-timeout", "--warmups"):
            skip = True
            continue
        if x.startswith(("--runs=", "--parallelism=", "--run-timeout=", "--warmups=")) or x in drop:
            continue
        base.append(x)
    for r in range(a.runs):
        for p in round_order(a.parallelisms, r):
            cmd = [
                sys.executable,
                os.path.abspath(__file__),
                *base,
                "--runs",
                "1",
                "--parallelism",
                str(p),
                "--no-warmup",
                "--child",
            ]
            out = run_child(cmd, a.run_timeout, "run at parallelism %s" % p)
            sys.stdout.write(out)
            sys.stdout.flush()


def run_child(cmd, timeout, what):
    """Runs cmd (a child run: a Python process and the JVM it starts) in a process group of its
    own and returns its output; fails naming it when it exits non-zero or, after timeout seconds
    (0: no limit), when it is still running: then the whole group is killed first (a fit that never
    ends, like PCA's first SVDs made at once in F2j LAPACK, would hold the campaign forever)."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=timeout or None)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.communicate()
        fail(
            "%s took longer than %g s (--run-timeout): killed it and its JVM: %s"
            % (what, timeout, " ".join(cmd))
        )
    if proc.returncode != 0:
        fail("%s failed (exit %d): %s" % (what, proc.returncode, " ".join(cmd)))
    return out


def main(argv):
    a = parse_args(argv)
    os.makedirs(a.event_log_dir, exist_ok=True)
    if a.fresh and not a.child:
        fresh_runs(a, argv)
        return
    a.fresh = a.fresh or a.child
    for i in range(a.warmups):
        tmp = tempfile.mkdtemp(prefix="tunesim-warmup-")
        try:
            run_app(a, 1, tmp, "warmup %d %s" % (i + 1, a.pipeline))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    for r in range(a.runs):
        for p in round_order(a.parallelisms, r):
            rec = run_app(a, p, a.event_log_dir, a.pipeline)
            append_results(a.out, [rec])
            json.dump(rec, sys.stdout)
            sys.stdout.write("\n")
            sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
