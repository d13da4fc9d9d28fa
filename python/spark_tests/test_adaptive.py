"""tunesim.adaptive in a real PySpark session (local[2], 240 rows in 2 partitions): an adaptive
CrossValidator and TrainValidationSplit give what the plain ones give (avgMetrics, stdMetrics, the
best param map, the refit model and its params, the sub-models), report their choice, and fall back
to the tuner's own parallelism with a warning when the CLI is missing.

The evaluator is accuracy: BinaryClassificationEvaluator's areaUnderROC sorts the scores with a
RangePartitioner whose sample is seeded by the RDD's id, so two plain runs in one application can
differ in the last bits; accuracy counts, which any order sums alike. The CLI is $TUNESIM_BIN, else
built as test_session.py builds it. Skipped with the reason when pyspark, Java or Go is missing.
"""

import os
import shutil
import sys
import tempfile
import unittest
import warnings

PY_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(PY_DIR, "spark_tests"))
sys.path.insert(0, PY_DIR)

import test_session as ts  # noqa: E402

import tunesim  # noqa: E402

setUpModule = ts.setUpModule  # noqa: N816 - unittest's name
tearDownModule = ts.tearDownModule  # noqa: N816


def training(spark):
    from pyspark.sql import functions as F

    return (
        spark.range(240)
        .withColumn("x1", F.rand(3))
        .withColumn("x2", F.randn(4))
        .withColumn("label", ((F.col("x1") + 0.5 * F.col("x2") + 0.3 * F.rand(5)) > 0.6).cast("double"))
        .repartition(2)
        .cache()
    )


def pipeline_and_lr():
    from pyspark.ml import Pipeline
    from pyspark.ml.classification import LogisticRegression
    from pyspark.ml.feature import VectorAssembler

    lr = LogisticRegression(maxIter=5)
    return Pipeline(stages=[VectorAssembler(inputCols=["x1", "x2"], outputCol="features"), lr]), lr


def accuracy():
    from pyspark.ml.evaluation import MulticlassClassificationEvaluator

    return MulticlassClassificationEvaluator(metricName="accuracy")


def cross_validator():
    from pyspark.ml.tuning import CrossValidator, ParamGridBuilder

    pipe, lr = pipeline_and_lr()
    grid = ParamGridBuilder().addGrid(lr.regParam, [0.0, 0.05, 0.5, 5.0]).build()
    return CrossValidator(
        estimator=pipe,
        estimatorParamMaps=grid,
        evaluator=accuracy(),
        numFolds=2,
        seed=7,
        collectSubModels=True,
    )


def train_validation_split():
    from pyspark.ml.tuning import ParamGridBuilder, TrainValidationSplit

    pipe, lr = pipeline_and_lr()
    grid = ParamGridBuilder().addGrid(lr.regParam, [0.0, 0.02, 0.05, 0.2, 0.5, 5.0]).build()
    return TrainValidationSplit(
        estimator=pipe,
        estimatorParamMaps=grid,
        evaluator=accuracy(),
        trainRatio=0.7,
        seed=7,
        collectSubModels=True,
    )


def lr_of(pipeline_model):
    m = pipeline_model.stages[-1]
    return m.coefficients.toArray().tolist(), m.intercept


def params_of(pipeline_model):
    m = pipeline_model.stages[-1]
    return {p.name: v for p, v in m.extractParamMap().items()}


@unittest.skipUnless(ts.HAVE_SPARK, ts.WHY)
class TestAdaptive(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if "bin" not in ts._build:
            raise unittest.SkipTest("no tunesim CLI: set TUNESIM_BIN or put go on PATH")
        cls.dir = tempfile.mkdtemp(prefix="tunesim-events-")
        cls.spark = ts.session(cls.dir)  # Spark's default log: rolling and compressed (4.x)
        cls.data = training(cls.spark)
        cls.data.count()

    @classmethod
    def tearDownClass(cls):
        cls.spark.stop()
        shutil.rmtree(cls.dir, ignore_errors=True)

    def fit_both(self, make, binary):
        plain = make().fit(self.data)
        tuner = make()
        returned = tunesim.adaptive(tuner, binary=binary)
        self.assertIs(returned, tuner)
        with warnings.catch_warnings(record=True) as got:
            warnings.simplefilter("always")
            model = tuner.fit(self.data)
        return plain, model, [w for w in got if "tunesim" in str(w.message)]

    def assert_same(self, plain, adaptive, folds):
        self.assertIs(type(adaptive), type(plain))
        self.assertEqual(
            list(adaptive.avgMetrics if folds else adaptive.validationMetrics),
            list(plain.avgMetrics if folds else plain.validationMetrics),
        )
        if folds:
            self.assertEqual(list(adaptive.stdMetrics), list(plain.stdMetrics))
        self.assertEqual(params_of(adaptive.bestModel), params_of(plain.bestModel), "the best param map")
        self.assert_close(adaptive.bestModel, plain.bestModel)
        # The sub-models: the same param maps, and the same coefficients.
        subs = adaptive.subModels if folds else [adaptive.subModels]
        plain_subs = plain.subModels if folds else [plain.subModels]
        self.assertEqual(
            [[params_of(m) for m in row] for row in subs], [[params_of(m) for m in row] for row in plain_subs]
        )
        for row, plain_row in zip(subs, plain_subs):
            for m, pm in zip(row, plain_row):
                self.assert_close(m, pm)

    def assert_close(self, model, plain):
        """The models' coefficients and intercept, equal to the last bit or two: a refit's
        intercept differed from plain's in the 16th digit even when every fit ran serially, as
        plain's do (Spark's own run-to-run noise, not the order the fits ran in)."""
        (coef, icpt), (pcoef, picpt) = lr_of(model), lr_of(plain)
        self.assertEqual(len(coef), len(pcoef))
        for a, b in zip(coef + [icpt], pcoef + [picpt]):
            self.assertAlmostEqual(a, b, delta=1e-12 * max(1.0, abs(b)))

    def test_cross_validator_same_results_and_a_choice(self):
        plain, model, warned = self.fit_both(cross_validator, ts._build["bin"])
        self.assertEqual(warned, [])
        self.assert_same(plain, model, folds=2)
        r = model.tunesim
        self.assertIsNone(r.fallback, r.line())
        self.assertIn(r.parallelism, range(1, 5))
        self.assertEqual(r.parallelism, r.recommended)
        self.assertEqual(sorted(r.predicted_rest_s), [1, 2, 3, 4])
        # Read from the sample's first job: the plain run before it is not taken as part of it.
        self.assertEqual(r.whatif.found.get("param_maps"), 4)
        self.assertGreater(r.measured_total_s, r.sample_s)
        self.assertAlmostEqual(r.predicted_total_s, r.sample_s + r.predicted_rest_s[r.parallelism])

    def test_train_validation_split_same_results_and_a_choice(self):
        plain, model, warned = self.fit_both(train_validation_split, ts._build["bin"])
        self.assertEqual(warned, [])
        self.assert_same(plain, model, folds=0)
        r = model.tunesim
        self.assertIsNone(r.fallback, r.line())
        self.assertEqual(r.whatif.found.get("param_maps"), 2)
        self.assertEqual((r.sample.round_fits, r.sample.serial), (2, 3), "one shape: two fits and a stand-in")
        self.assertIn(r.parallelism, (1, 2))

    def test_no_cli_falls_back_with_a_warning(self):
        plain, model, warned = self.fit_both(cross_validator, "/nonexistent/simulate")
        self.assert_same(plain, model, folds=2)
        self.assertEqual(len(warned), 1)
        r = model.tunesim
        self.assertEqual(r.parallelism, 1, "the tuner's own parallelism")
        self.assertIn("no such executable", r.fallback)

    def test_saved_as_the_class_it_was(self):
        from pyspark.ml.tuning import CrossValidator

        cv = tunesim.adaptive(cross_validator())
        path = os.path.join(self.dir, "saved-cv")
        cv.save(path)
        self.assertIs(type(CrossValidator.load(path)), CrossValidator)


if __name__ == "__main__":
    unittest.main()
