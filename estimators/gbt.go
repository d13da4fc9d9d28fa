package estimators

import "fmt"

// GBT's operations.
const (
	// OpGBTResidual predicts a row with the last tree, updates its error and draws its new
	// pseudo-residual label and sample weight (updatePredictionError, then labelWithCounts).
	OpGBTResidual Op = "gbt_residual"
	// OpGBTPredict is a fitted ensemble's prediction of a row: each tree descended, weighted.
	OpGBTPredict Op = "gbt_predict"
)

// GBTClassifier is Spark ML's GBTClassifier and GBTRegressor its GBTRegressor
// (ml/classification/GBTClassifier.scala, ml/regression/GBTRegressor.scala, train, over
// ml/tree/impl/GradientBoostedTrees.scala, boost): DecisionTreeMetadata.buildMetadata (take(1), a
// count) and findSplits once, the binned points cached by the first tree's first job, then maxIter
// trees one after another (no early stop without a validation column), each learnt by
// RandomForest.runBagged as one tree — a findBestSplits job per level, maxDepth of them — whose
// first job also computes the previous tree's prediction error and the pseudo-residual labels
// (labelWithCounts, cached) from the cached points and errors. stepSize weighs the trees and costs
// nothing. The classifier is binary (its loss is logistic).
var GBTClassifier = gbt("gbt_classifier", Classification)

// GBTRegressor is GBTClassifier's regression twin (squared or absolute error).
var GBTRegressor = gbt("gbt_regressor", Regression)

func gbt(name string, task Task) *Unit {
	class, module, src := "GBTRegressor", "pyspark.ml.regression", "ml/regression/GBTRegressor.scala"
	evaluator := func(int) string { return RegressionEvaluator.Name }
	if task == Classification {
		class, module, src = "GBTClassifier", "pyspark.ml.classification", "ml/classification/GBTClassifier.scala"
		evaluator = func(int) string { return BinaryEvaluator.Name }
	}
	treeOf := func(c Context, v Values, rows int64) forest {
		// Every tree is a regression tree on the residuals (variance: three numbers per bin).
		return newForest(c, v, 1, 3, false, rows)
	}
	u := NewPredictor(Unit{
		Name:    name,
		Prefix:  "gbt",
		Summary: class + ": metadata and split-finding jobs, then maxIter trees in turn, each a findBestSplits job per level (maxDepth), the first also updating the residuals",
		PySpark: module + "." + class,
		Spark:   src + ", ml/tree/impl/GradientBoostedTrees.scala (boost), ml/tree/impl/RandomForest.scala (runBagged, findBestSplits)",
		Input:   Vectors,
		Params: append(treeParams(Param{Name: "maxIter", Doc: "trees (boosting iterations)", Default: 20, Int: true, Min: 1}, "all"),
			Param{Name: "stepSize", Doc: "learning rate (weighs the trees; no cost)", Default: 0.1, Min: 0, Max: 1}),
		Check: func(c Context, v Values) (string, string, string) {
			if task == Classification && c.Classes != 2 {
				return "", fmt.Sprintf("%d classes", c.Classes), "data.classes 2 (GBTClassifier is binary)"
			}
			return treeOf(c, v, c.Rows).check(v.Int("maxIter"))
		},
	},
		task,
		// fit
		func(b Builder, c Context, v Values) {
			f := treeOf(c, v, b.Rows())
			f.metadataJobs(b, c)
			f.levelJobs(b, Split, f.binning(1)) // tree 0 builds the cached points
			// Each later tree's first job reads the cached points and errors, computing the
			// residuals and the tree's sample weights.
			residual := []Fused{{Op: OpGBTResidual, In: max(f.maxDepth, 1)}, {Op: OpTreeBag, In: 1}}
			for range v.Int("maxIter") - 1 {
				f.levelJobs(b, Cached, residual)
			}
		},
		// predict
		func(c Context, v Values) Prediction {
			return Prediction{Fused: []Fused{{Op: OpGBTPredict, In: v.Int("maxIter"), Out: max(v.Int("maxDepth"), 1)}}, Classes: c.Classes}
		},
		evaluator,
	)
	if task == Classification {
		u.Ops = []OpSpec{
			{Op: OpGBTResidual, Terms: []string{"row_in"}, Shape: "fused into each later tree's first job: Rows = rows read; In = levels descended (maxDepth)"},
			{Op: OpGBTPredict, Terms: []string{"row_in_out"}, Shape: "fused into the evaluator's reads: Rows = rows read; In = trees (maxIter), Out = levels descended (maxDepth)"},
		}
	}
	return u
}
