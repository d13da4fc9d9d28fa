package estimators

import "fmt"

// LinearRegression's operations.
const (
	OpLRAggregate Op = "lr_aggregate" // project to Out, accumulate normal equations (Out+1)^2
	OpLRSummary   Op = "lr_summary"   // project, predict, residual statistics
	OpLRSolve     Op = "lr_solve"     // Cholesky solve of the (Out+1) x (Out+1) normal equations
	OpLRLoss      Op = "lr_loss"      // least-squares loss and gradient of a block of rows (L-BFGS)
)

// LinearRegression's params as a scenario names them.
const (
	ParamLRRegParam   = "lr.regParam"
	ParamLRElasticNet = "lr.elasticNetParam"
)

// MaxNormalFeatures is the most features LinearRegression's "auto" solver sends to the normal
// equations (WeightedLeastSquares.MAX_NUM_FEATURES).
const MaxNormalFeatures = 4096

// LinearRegression is Spark ML's LinearRegression (ml/regression/LinearRegression.scala, train).
// With the normal-equation solver, which "auto" picks for at most 4096 features
// (ml/optim/WeightedLeastSquares.scala): first() for the vector size unless the column's attributes
// carry it, in Spark 2 a count, one treeAggregate of the normal equations, a Cholesky solve on the
// driver, and the training summary's aggregation (twice in Spark 2). With L-BFGS (solver "l-bfgs",
// or "auto" beyond 4096 features; OWL-QN when elasticNetParam > 0, which runs the same jobs): the
// first(), the Summarizer's treeAggregate, one treeAggregate per loss evaluation
// (ml/optim/loss/RDDLossFunction.scala, LeastSquaresBlockAggregator over blocks cached by the first
// from Spark 3.1), and the training summary.
//
// Its normal-equation operations price the projection of a PCA before it themselves (their In is
// PCA's input features, Out its k), as the built-in profiles were measured and calibrated.
var LinearRegression = NewPredictor(Unit{
	Name:    "linear_regression",
	Prefix:  "lr",
	Summary: "LinearRegression: normal equations (first() unless the size is known, normal-equation treeAggregate, driver Cholesky solve, training summary) or L-BFGS/OWL-QN (Summarizer, one treeAggregate per loss evaluation, training summary)",
	PySpark: "pyspark.ml.regression.LinearRegression",
	Spark:   "ml/regression/LinearRegression.scala (train), ml/optim/WeightedLeastSquares.scala, ml/optim/loss/RDDLossFunction.scala, ml/optim/aggregator/LeastSquaresBlockAggregator.scala, ml/stat/Summarizer.scala",
	Input:   Vectors,
	Params: []Param{
		{Name: "regParam", Doc: "regularization", Min: 0},
		{Name: "elasticNetParam", Doc: "L1 share of the regularization (> 0: OWL-QN, with the l-bfgs solver)", Min: 0, Max: 1},
		{Name: "maxIter", Doc: "L-BFGS iterations at most", Default: 100, Int: true, Min: 0},
		{Name: "solver", Doc: "normal equations or L-BFGS", Choices: []string{"auto", "normal", "l-bfgs"}, DefaultChoice: "auto"},
		{Name: "iterations", Doc: "L-BFGS iterations expected (0: maxIter); each costs a loss evaluation, and line searches may evaluate more (then above maxIter: loss evaluations less one)", Int: true, Min: 0, Model: true},
	},
	Ops: []OpSpec{
		{Op: OpLRAggregate, Terms: []string{"fixed", "row_in_out", "row_out2"}, Shape: "Rows = the partition's rows; In = features before a PCA's projection, Out = the features regressed on (PCA's k)"},
		{Op: OpLRSummary, Terms: []string{"fixed", "row_in_out"}, Shape: "normal equations: as lr_aggregate; L-BFGS: In = non-zeros per row, Out = 1"},
		{Op: OpLRSolve, Driver: true, Terms: []string{"fixed", "out3"}, Shape: "In = Out = the features regressed on"},
		{Op: OpLRLoss, Terms: []string{"fixed", "row_in_out", "elems"}, Shape: "Rows = the partition's rows; In = non-zeros per row, Out = 1, Elems = the gradient's numbers (features + 1)"},
	},
	Check: func(c Context, v Values) (string, string, string) {
		solver := v.Str("solver")
		if solver == "normal" && c.In.Size > MaxNormalFeatures {
			return "solver", fmt.Sprintf("the normal equations of %d features", c.In.Size), fmt.Sprintf(`"auto" or "l-bfgs" (WeightedLeastSquares takes at most %d features)`, MaxNormalFeatures)
		}
		if e := v.Num("elasticNetParam"); e != 0 && normalSolver(c, v) {
			return "elasticNetParam", fmt.Sprintf("%g with the normal-equation solver is not modelled (Spark solves it on the driver by quasi-Newton)", e), `0, or set "lr.solver": "l-bfgs" in pipeline.params (OWL-QN)`
		}
		return "", "", ""
	},
	Iterative: lbfgsIterations, // with the L-BFGS solver; the normal equations run no loss evaluation
},
	Regression,
	// fit
	func(b Builder, c Context, v Values) {
		if !normalSolver(c, v) {
			if !c.In.Sized {
				src := c.Source.Size
				Take(b, OpFirst, src, src) // LinearRegression: the number of features
			}
			Summarize(b, c.In)
			n := c.In.Size + 1
			LossJobs(b, OpLRLoss, c.In, 1, int64(n), Evaluations(v.Int("iterations"), v.Int("maxIter")))
			summaries := 1
			if b.Version() == 2 {
				summaries = 2
			}
			for range summaries {
				TreeAggregate(b, Stage{Op: OpLRSummary, Read: Split, In: c.In.NNZ, Out: 1}, Partial{Side: 1}) // training summary
			}
			return
		}
		k := c.In.Size
		f := normalIn(c)
		b.Absorb(OpPCAProject)
		if !c.In.Sized {
			src := c.Source.Size
			Take(b, OpFirst, src, src) // LinearRegression: the number of features
		}
		if b.Version() == 2 {
			TreeAggregate(b, Stage{Op: OpCount, Read: Split, In: k, Out: k}, Partial{Side: k}) // Spark 2: instance count
		}
		TreeAggregate(b, Stage{Op: OpLRAggregate, Read: Split, In: f, Out: k}, Partial{Side: k}) // WeightedLeastSquares
		b.Driver(OpLRSolve, k, k)                                                                // Cholesky solve
		TreeAggregate(b, Stage{Op: OpLRSummary, Read: Split, In: f, Out: k}, Partial{Side: k})   // training summary
		if b.Version() == 2 {
			TreeAggregate(b, Stage{Op: OpLRSummary, Read: Split, In: f, Out: k}, Partial{Side: k}) // Spark 2: a second pass
		}
	},
	// predict
	func(c Context, v Values) Prediction {
		if !normalSolver(c, v) {
			return Prediction{In: c.In.NNZ, Out: 1}
		}
		return Prediction{In: normalIn(c), Out: c.In.Size}
	},
	// defaultEvaluator
	func(int) string { return RegressionEvaluator.Name },
)

// normalSolver says whether Spark solves the normal equations: solver "normal", or "auto" with at
// most 4096 features.
func normalSolver(c Context, v Values) bool {
	switch v.Str("solver") {
	case "normal":
		return true
	case "l-bfgs":
		return false
	}
	return c.In.Size <= MaxNormalFeatures
}

// normalIn is the In of the normal-equation ops: the features before a PCA's projection, which
// they price, or the features read.
func normalIn(c Context) int {
	if p, ok := c.FusedOp(OpPCAProject); ok {
		return p.In
	}
	return c.In.Size
}
