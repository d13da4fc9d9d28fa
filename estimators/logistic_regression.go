package estimators

import "fmt"

// LogisticRegression's operations.
const (
	// OpLogRegLoss is the logistic loss and gradient of a block of rows (Binary- or
	// MultinomialLogisticBlockAggregator): per row its non-zeros times the coefficient sets.
	OpLogRegLoss Op = "logreg_loss"
	// OpLogRegPredict is a fitted model's prediction of a row, run in the evaluator's tasks.
	OpLogRegPredict Op = "logreg_predict"
)

// LogisticRegression is Spark ML's LogisticRegression, binomial or multinomial
// (ml/classification/LogisticRegression.scala, train and trainImpl): one treeAggregate of the
// features' and labels' statistics (Summarizer.getClassificationSummarizers, ml/stat/Summarizer.scala),
// then the L-BFGS solve — OWL-QN when elasticNetParam > 0 and regParam > 0 (createOptimizer), with
// the same jobs — whose every loss evaluation is one treeAggregate (RDDLossFunction.calculate,
// ml/optim/loss/RDDLossFunction.scala) over the standardized InstanceBlocks the first evaluation
// caches (Spark 3.1+). maxIter bounds the iterations; a solve is expected to take
// logreg.iterations of them (default maxIter), plus one evaluation at the start. The training
// summary is lazy: it runs no job. No first() either: the vector size comes from the Summarizer.
//
// The event log of a serial Tokenizer -> HashingTF -> LogisticRegression(maxIter 10) run on Spark
// 4.0.1 (whatif/testdata/lr-text-serial) shows exactly these jobs: per fit a "treeAggregate at
// Summarizer.scala:238" then 8 to 11 "treeAggregate at RDDLossFunction.scala:61", of 4 tasks each
// on 4 partitions.
var LogisticRegression = NewPredictor(Unit{
	Name:    "logistic_regression",
	Prefix:  "logreg",
	Summary: "LogisticRegression (binomial, multinomial; L-BFGS or OWL-QN): Summarizer treeAggregate, then one treeAggregate per loss evaluation over cached standardized blocks",
	PySpark: "pyspark.ml.classification.LogisticRegression",
	Spark:   "ml/classification/LogisticRegression.scala (train, trainImpl, createOptimizer), ml/optim/loss/RDDLossFunction.scala, ml/optim/aggregator/BinaryLogisticBlockAggregator.scala, MultinomialLogisticBlockAggregator.scala, ml/stat/Summarizer.scala",
	Input:   Vectors,
	Params: []Param{
		{Name: "regParam", Doc: "regularization", Min: 0},
		{Name: "elasticNetParam", Doc: "L1 share of the regularization (> 0 with regParam > 0: OWL-QN)", Min: 0, Max: 1},
		{Name: "maxIter", Doc: "L-BFGS iterations at most", Default: 100, Int: true, Min: 0},
		{Name: "family", Doc: "binomial (one coefficient set) or multinomial (one per class)", Choices: []string{"auto", "binomial", "multinomial"}, DefaultChoice: "auto"},
		{Name: "iterations", Doc: "iterations expected (0: maxIter); each costs a loss evaluation, and line searches may evaluate more (then above maxIter: loss evaluations less one)", Int: true, Min: 0, Model: true},
	},
	Ops: []OpSpec{
		{Op: OpLogRegLoss, Terms: []string{"fixed", "row", "row_in_out", "elems"}, Shape: "Rows = the partition's rows; In = non-zeros per row, Out = coefficient sets (1 binomial, classes multinomial), Elems = the gradient's numbers ((features + 1) x sets)"},
		{Op: OpLogRegPredict, Terms: []string{"row", "row_in_out"}, Shape: "fused into the evaluator's reads: Rows = rows read; In = non-zeros per row, Out = coefficient sets"},
	},
	Check: func(c Context, v Values) (string, string, string) {
		if v.Str("family") == "binomial" && c.Classes > 2 {
			return "family", fmt.Sprintf("binomial for %d classes", c.Classes), `"multinomial" or "auto" (binomial supports 2 classes)`
		}
		return "", "", ""
	},
	Iterative: lbfgsIterations,
},
	Classification,
	// fit
	func(b Builder, c Context, v Values) {
		sets := coefficientSets(c, v)
		Summarize(b, c.In)
		elems := int64(c.In.Size+1) * int64(sets)
		LossJobs(b, OpLogRegLoss, c.In, sets, elems, Evaluations(v.Int("iterations"), v.Int("maxIter")))
	},
	// predict
	func(c Context, v Values) Prediction {
		return Prediction{Fused: []Fused{{Op: OpLogRegPredict, In: c.In.NNZ, Out: coefficientSets(c, v)}}, Classes: c.Classes}
	},
	// defaultEvaluator
	classifierEvaluator,
)

// coefficientSets is 1 for a binomial model, the classes for a multinomial one (family "auto" is
// multinomial beyond 2 classes: checkMultinomial).
func coefficientSets(c Context, v Values) int {
	switch f := v.Str("family"); {
	case f == "multinomial", f == "auto" && c.Classes > 2:
		return c.Classes
	}
	return 1
}

// classifierEvaluator is a classifier's usual evaluator: BinaryClassificationEvaluator for two
// classes, MulticlassClassificationEvaluator beyond.
func classifierEvaluator(classes int) string {
	if classes > 2 {
		return MulticlassEvaluator.Name
	}
	return BinaryEvaluator.Name
}
