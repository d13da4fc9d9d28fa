"""tunesim from a real PySpark session (local[2], tiny data): whatif on the session's own event log
of a serial Tokenizer -> HashingTF -> LogisticRegression CrossValidator, and tag_fits on the same
tuning at parallelism 2.

The tunesim CLI is $TUNESIM_BIN, else built once into a temporary directory with
`go build -o TMP/simulate ./cmd/simulate` in this checkout. Skipped with the reason when pyspark,
Java or Go is missing.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

PY_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(PY_DIR)
sys.path.insert(0, PY_DIR)

import tunesim  # noqa: E402

try:
    import pyspark  # noqa: F401

    HAVE_SPARK = shutil.which("java") is not None or bool(os.environ.get("JAVA_HOME"))
    WHY = "no java on PATH and no JAVA_HOME"
except ImportError as e:
    HAVE_SPARK, WHY = False, "pyspark does not import (%s): run spark/setup" % e

_build = {}


def setUpModule():  # noqa: N802 - unittest's name
    if not HAVE_SPARK:
        return
    if os.environ.get("TUNESIM_BIN"):
        _build["bin"] = os.environ["TUNESIM_BIN"]
        return
    if shutil.which("go") is None:
        return
    _build["dir"] = tempfile.mkdtemp(prefix="tunesim-cli-")
    out = os.path.join(_build["dir"], "simulate")
    subprocess.run(["go", "build", "-o", out, "./cmd/simulate"], cwd=ROOT, check=True)
    _build["bin"] = out


def tearDownModule():  # noqa: N802
    if "dir" in _build:
        shutil.rmtree(_build["dir"], ignore_errors=True)


DOCS = [
    "a b c d e spark",
    "b d",
    "spark f g h",
    "hadoop mapreduce",
    "spark i j k",
    "l m n",
    "spark hadoop spark",
    "apache hadoop",
    "spark ml tuning",
    "map reduce jobs",
    "spark spark c",
    "e f g",
    "spark data frame",
    "hdfs blocks",
    "pyspark notebook",
    "yarn queue",
]


def session(event_dir, **conf):
    from pyspark.sql import SparkSession

    b = (
        SparkSession.builder.master("local[2]")
        .appName("tunesim-python-test")
        .config("spark.eventLog.enabled", "true")
        .config("spark.eventLog.dir", "file://" + event_dir)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
    )
    for k, v in conf.items():
        b = b.config(k, v)
    spark = b.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def training(spark):
    rows = [(i, d, 1.0 if "spark" in d else 0.0) for i, d in enumerate(DOCS)]
    return spark.createDataFrame(rows, ["id", "text", "label"]).repartition(2).cache()


def cross_validator(parallelism):
    """The shape of Spark's examples/src/main/python/ml/cross_validator.py, smaller."""
    from pyspark.ml import Pipeline
    from pyspark.ml.classification import LogisticRegression
    from pyspark.ml.evaluation import BinaryClassificationEvaluator
    from pyspark.ml.feature import HashingTF, Tokenizer
    from pyspark.ml.tuning import CrossValidator, ParamGridBuilder

    tokenizer = Tokenizer(inputCol="text", outputCol="words")
    tf = HashingTF(inputCol="words", outputCol="features", numFeatures=64)
    lr = LogisticRegression(maxIter=5)
    grid = ParamGridBuilder().addGrid(lr.regParam, [0.1, 0.01]).build()
    return CrossValidator(
        estimator=Pipeline(stages=[tokenizer, tf, lr]),
        estimatorParamMaps=grid,
        evaluator=BinaryClassificationEvaluator(),
        numFolds=2,
        parallelism=parallelism,
        seed=7,
    )


class TestCLIRefusal(unittest.TestCase):
    def test_refusal_carries_the_clis_message(self):
        if "bin" not in _build:
            self.skipTest("no tunesim CLI: set TUNESIM_BIN or put go on PATH")
        d = tempfile.mkdtemp(prefix="tunesim-events-")
        self.addCleanup(shutil.rmtree, d, True)
        # A log with an application but no tuning: the CLI exits 2.
        log = os.path.join(d, "local-1")
        with open(log, "w") as f:
            for e in (
                {"Event": "SparkListenerLogStart", "Spark Version": "4.0.1"},
                {
                    "Event": "SparkListenerApplicationStart",
                    "App Name": "x",
                    "App ID": "local-1",
                    "Timestamp": 1700000000000,
                    "User": "u",
                },
                {"Event": "SparkListenerApplicationEnd", "Timestamp": 1700000001000},
            ):
                f.write(json.dumps(e) + "\n")
        with self.assertRaises(tunesim.TunesimError) as cm:
            tunesim.whatif(log=log, plot=False, binary=_build["bin"])
        self.assertEqual(cm.exception.returncode, 2)
        self.assertTrue(str(cm.exception))
        self.assertNotIn("Traceback", str(cm.exception))


@unittest.skipUnless(HAVE_SPARK, WHY)
class TestSession(unittest.TestCase):
    """One session (starting Spark is most of the cost): a serial run, read by whatif while the
    application runs, then the same tuning tagged at parallelism 2. The log is rolling (Spark 4's
    default) and uncompressed, so the test reads the jobs' properties itself."""

    @classmethod
    def setUpClass(cls):
        if "bin" not in _build:
            raise unittest.SkipTest("no tunesim CLI: set TUNESIM_BIN or put go on PATH")
        cls.dir = tempfile.mkdtemp(prefix="tunesim-events-")
        cls.spark = session(
            cls.dir, **{"spark.eventLog.rolling.enabled": "true", "spark.eventLog.compress": "false"}
        )
        sc = cls.spark.sparkContext
        data = training(cls.spark)
        cls.serial = cross_validator(1).fit(data)

        cls.log = tunesim.event_log(cls.spark)
        cls.out = os.path.join(cls.dir, "sweep.png")
        cls.whatif = staticmethod(
            _attempt(tunesim.whatif, cls.spark, parallelism="1:4", plot=cls.out, binary=_build["bin"])
        )

        cls.cv = cross_validator(2)
        cls.estimator = cls.cv.getEstimator()
        cls.returned = tunesim.tag_fits(cls.cv)
        sc.setLocalProperty("test.run", "tagged")
        try:
            cls.tagged = cls.cv.fit(data)
        finally:
            sc.setLocalProperty("test.run", None)
        # A job after the tuning, on the calling thread: it must carry no fit tag.
        cls.spark.range(10).count()
        tunesim.eventlog.flush(sc)
        cls.jobs = read_jobs(cls.log)
        cls.whatif_tagged = staticmethod(
            _attempt(tunesim.whatif, cls.spark, parallelism="1:3", plot=False, binary=_build["bin"])
        )

    @classmethod
    def tearDownClass(cls):
        cls.spark.stop()
        shutil.rmtree(cls.dir, ignore_errors=True)

    def test_log_is_this_applications(self):
        self.assertEqual(
            self.log, os.path.join(self.dir, "eventlog_v2_" + self.spark.sparkContext.applicationId)
        )

    def test_whatif_rows_for_each_parallelism(self):
        r = self.whatif()
        rows = r.rows if isinstance(r.rows, list) else r.rows.to_dict("records")
        self.assertEqual([row["parallelism"] for row in rows], [1, 2, 3, 4])
        for row in rows:
            self.assertGreater(row["makespan_s"], 0)
            self.assertGreater(row["speedup"], 0)
        self.assertAlmostEqual(rows[0]["speedup"], 1.0, places=6)
        self.assertIn(r.recommended_parallelism, [1, 2, 3, 4])
        self.assertTrue(r.found, "the report says what it found in the log")
        self.assertEqual(r.log, self.log)
        self.assertIn("recommended parallelism: %d" % r.recommended_parallelism, repr(r))
        self.assertTrue(r.plot_png.startswith(b"\x89PNG"))
        with open(self.out, "rb") as f:
            self.assertEqual(f.read(), r.plot_png)

    def test_tagging_leaves_results_unchanged(self):
        # The tagged run at parallelism 2 gives what the untagged serial run gave: neither tagging
        # nor parallelism changes a result (2 partitions: every merge order gives the same sums).
        self.assertEqual(list(self.tagged.avgMetrics), list(self.serial.avgMetrics))
        self.assertEqual(list(self.tagged.stdMetrics), list(self.serial.stdMetrics))
        lr_tagged, lr_serial = self.tagged.bestModel.stages[-1], self.serial.bestModel.stages[-1]
        self.assertEqual(lr_tagged.coefficients.toArray().tolist(), lr_serial.coefficients.toArray().tolist())
        self.assertEqual(lr_tagged.intercept, lr_serial.intercept)

    def test_tagging_leaves_objects_unchanged(self):
        from pyspark.ml import Pipeline
        from pyspark.ml.tuning import CrossValidator

        self.assertIs(self.returned, self.cv)
        self.assertIsInstance(self.cv, CrossValidator)
        self.assertIs(type(self.estimator), Pipeline, "the estimator's class is restored after the fit")
        self.assertIs(self.cv.getEstimator(), self.estimator)
        # Saved and loaded as the class it was.
        path = os.path.join(self.dir, "saved-cv")
        self.cv.save(path)
        self.assertIs(type(CrossValidator.load(path)), CrossValidator)

    def test_every_job_of_the_tagged_run_carries_its_fit(self):
        run = [j for j in self.jobs if j["props"].get("test.run") == "tagged"]
        self.assertTrue(run)
        untagged = [j["id"] for j in run if "tunesim.fit" not in j["props"]]
        self.assertEqual(untagged, [], "jobs of the tagged run without tunesim.fit")
        stray = [
            j["id"]
            for j in self.jobs
            if j["props"].get("test.run") != "tagged" and "tunesim.fit" in j["props"]
        ]
        self.assertEqual(stray, [], "jobs outside the tagged run with tunesim.fit")

        folds, maps = 2, 2
        best = max(range(maps), key=lambda m: self.tagged.avgMetrics[m])  # areaUnderROC: larger is better
        fits = {}
        for j in run:
            p = j["props"]
            fits.setdefault(int(p["tunesim.fit"]), set()).add(
                (int(p["tunesim.fold"]), int(p["tunesim.param_map"]))
            )
        want = {f: {(f // maps, f % maps)} for f in range(folds * maps)}
        want[folds * maps] = {(-1, best)}
        self.assertEqual(fits, want, "fit -> {(fold, param map)} of the tagged jobs")

    def test_tagged_fits_ran_at_once(self):
        # Two jobs of different fits overlap in time: the run was parallel, so each thread's tags
        # stayed on its own jobs while another thread tagged its own.
        run = [j for j in self.jobs if j["props"].get("test.run") == "tagged"]
        overlap = any(
            a["fit"] != b["fit"] and a["submit"] < b["end"] and b["submit"] < a["end"]
            for a in run
            for b in run
        )
        self.assertTrue(overlap, "no two fits' jobs overlapped: the run was not parallel")

    def test_whatif_reads_the_tagged_parallel_run(self):
        r = self.whatif_tagged()
        rows = r.rows if isinstance(r.rows, list) else r.rows.to_dict("records")
        self.assertEqual([row["parallelism"] for row in rows], [1, 2, 3])
        self.assertIn(r.recommended_parallelism, [1, 2, 3])


def _attempt(f, *args, **kwargs):
    """f's result, or its exception, as a function that returns the one or raises the other (so
    a whatif that failed in setUpClass fails the test that looks at it)."""
    try:
        result = f(*args, **kwargs)
    except Exception as e:  # noqa: BLE001
        err = e

        def again():
            raise err

        return again
    return lambda: result


def read_jobs(log):
    """The jobs of an uncompressed rolling event log (directory): id, properties, submission and
    completion time."""
    jobs = {}
    files = sorted(
        (n for n in os.listdir(log) if n.startswith("events_")), key=lambda n: int(n.split("_")[1])
    )
    for name in files:
        with open(os.path.join(log, name)) as f:
            lines = f.readlines()
        for line in lines:
            if not line.endswith("\n"):
                break  # the in-progress file's last, partly written line
            e = json.loads(line)
            if e["Event"] == "SparkListenerJobStart":
                props = e.get("Properties") or {}
                jobs[e["Job ID"]] = {
                    "id": e["Job ID"],
                    "props": props,
                    "fit": props.get("tunesim.fit"),
                    "submit": e["Submission Time"],
                    "end": None,
                }
            elif e["Event"] == "SparkListenerJobEnd":
                jobs[e["Job ID"]]["end"] = e["Completion Time"]
    return [jobs[k] for k in sorted(jobs)]


if __name__ == "__main__":
    unittest.main()
