package estimators

// BinaryClassificationEvaluator's operations.
const (
	// OpBinaryScore scores a validation row and combines (score, label) counts by score: the map
	// side of BinaryClassificationMetrics' combineByKey.
	OpBinaryScore Op = "binary_score"
	// OpScoreSort is the work on the distinct scores after it: range-partitioning samples, the
	// sort shuffle, the per-partition counts and the area under the curve.
	OpScoreSort Op = "score_sort"
)

// BinaryEvaluator is Spark ML's BinaryClassificationEvaluator (areaUnderROC or areaUnderPR) over
// mllib/evaluation/BinaryClassificationMetrics.scala, which sorts the scores: the validation rows
// scored and combined by score (combineByKey) with sortByKey's sampling of range bounds (one job of
// two stages), the sort shuffle with the count of distinct scores that numBins > 0 asks for
// (another two), the per-partition totals collected, and the area under the curve
// (AreaUnderCurve.of): four jobs, six stages. So the event log of a Spark 4.0.1 run shows them
// (whatif/testdata/lr-text-serial: "map at BinaryClassificationMetrics.scala:50" + "sortByKey",
// "combineByKey" + "count", "collect at BinaryClassificationMetrics.scala:240", "collect at
// AreaUnderCurve.scala:44"). With numBins 0 the count is skipped and the sort shuffle runs in the
// collect's job.
var BinaryEvaluator = NewEvaluator(Unit{
	Name:    "binary_classification_evaluator",
	Prefix:  "evaluator",
	Summary: "BinaryClassificationEvaluator: scores combined and sorted (sortByKey), counted, collected, area under the curve: 4 jobs, 6 stages",
	PySpark: "pyspark.ml.evaluation.BinaryClassificationEvaluator",
	Spark:   "ml/evaluation/BinaryClassificationEvaluator.scala, mllib/evaluation/BinaryClassificationMetrics.scala, mllib/evaluation/AreaUnderCurve.scala",
	Params: []Param{
		{Name: "metricName", Doc: "the area computed (the jobs are the same)", Choices: []string{"areaUnderROC", "areaUnderPR"}, DefaultChoice: "areaUnderROC"},
		{Name: "numBins", Doc: "bins the curve is down-sampled to (0: none, and no count job)", Default: 1000, Int: true, Min: 0},
	},
	Ops: []OpSpec{
		{Op: OpBinaryScore, Terms: []string{"fixed", "row"}, Shape: "Rows = the partition's rows (the model's prediction is fused in)"},
		{Op: OpScoreSort, Terms: []string{"fixed", "row"}, Shape: "Rows = the task's share of the distinct scores (the validation rows)"},
	},
	Check: func(c Context, v Values) (string, string, string) {
		if c.Classes > 2 {
			return "", "binary_classification_evaluator scores 2 classes, the data has more", `pipeline.evaluator "multiclass_classification_evaluator", or data.classes 2`
		}
		return "", "", ""
	},
},
	Classification,
	// evaluate
	func(b Builder, p Prediction, v Values) {
		scores := int(b.Rows())
		sorted := Stage{Op: OpScoreSort, Partials: scores}
		b.Job(Stage{Op: OpBinaryScore, Read: Split}, sorted) // combineByKey's map side, sortByKey's range bounds
		if v.Int("numBins") > 0 {
			b.Job(sorted, sorted) // the sort shuffle, the count of distinct scores
			b.Job(sorted)         // per-partition totals, collected
		} else {
			b.Job(sorted, sorted) // the sort shuffle, per-partition totals collected
		}
		b.Job(sorted) // the area under the curve
	},
)
