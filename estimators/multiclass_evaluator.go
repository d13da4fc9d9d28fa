package estimators

// OpMulticlassScore scores a validation row and counts (label, prediction) pairs: the map side of
// MulticlassMetrics' reduceByKey.
const OpMulticlassScore Op = "multiclass_score"

// MulticlassEvaluator is Spark ML's MulticlassClassificationEvaluator (f1 by default, or any
// other of its metrics) over mllib/evaluation/MulticlassMetrics.scala: the confusion counts by
// (label, prediction) in one reduceByKey(...).collectAsMap() job of two stages; every metric is
// computed from them on the driver.
var MulticlassEvaluator = NewEvaluator(Unit{
	Name:    "multiclass_classification_evaluator",
	Prefix:  "evaluator",
	Summary: "MulticlassClassificationEvaluator: confusion counts in one reduceByKey job (2 stages)",
	PySpark: "pyspark.ml.evaluation.MulticlassClassificationEvaluator",
	Spark:   "ml/evaluation/MulticlassClassificationEvaluator.scala, mllib/evaluation/MulticlassMetrics.scala",
	Params: []Param{
		{Name: "metricName", Doc: "the metric (all come from the same counts)", Choices: []string{"f1", "accuracy", "weightedPrecision", "weightedRecall", "logLoss", "hammingLoss"}, DefaultChoice: "f1"},
	},
	Ops: []OpSpec{
		{Op: OpMulticlassScore, Terms: []string{"fixed", "row"}, Shape: "Rows = the partition's rows (the model's prediction is fused in)"},
	},
},
	Classification,
	// evaluate
	func(b Builder, p Prediction, v Values) {
		classes := max(p.Classes, 2)
		b.Job(Stage{Op: OpMulticlassScore, Read: Split},
			Stage{Op: OpShuffleReduce, Partials: classes * classes * b.Partitions(), Elems: 1})
	},
)
