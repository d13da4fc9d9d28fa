package estimators

// OpEvaluate is RegressionEvaluator's aggregation of the metrics over the validation part (with
// the projection and prediction of a normal-equation LinearRegression before it).
const OpEvaluate Op = "evaluate"

// RegressionEvaluator is Spark ML's RegressionEvaluator (ml/evaluation/RegressionEvaluator.scala
// over mllib/evaluation/RegressionMetrics.scala): one treeAggregate of the residuals' summary over
// the validation part, the model's predictions computed in its tasks.
var RegressionEvaluator = NewEvaluator(Unit{
	Name:    "regression_evaluator",
	Prefix:  "evaluator",
	Summary: "RegressionEvaluator: one treeAggregate of the residuals over the validation part",
	PySpark: "pyspark.ml.evaluation.RegressionEvaluator",
	Spark:   "ml/evaluation/RegressionEvaluator.scala, mllib/evaluation/RegressionMetrics.scala",
	Ops: []OpSpec{
		{Op: OpEvaluate, Terms: []string{"fixed", "row_in_out"}, Shape: "Rows = the partition's rows; In and Out as the predictor's (a normal-equation LinearRegression's projection), else 0"},
	},
},
	Regression,
	// evaluate
	func(b Builder, p Prediction, v Values) {
		TreeAggregate(b, Stage{Op: OpEvaluate, Read: Split, In: p.In, Out: p.Out}, Partial{Side: p.Out})
	},
)
