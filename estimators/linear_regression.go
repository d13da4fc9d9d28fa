package estimators

import "fmt"

// LinearRegression's operations.
const (
	OpLRAggregate Op = "lr_aggregate" // project to Out, accumulate normal equations (Out+1)^2
	OpLRSummary   Op = "lr_summary"   // project, predict, residual statistics
	OpLRSolve     Op = "lr_solve"     // Cholesky solve of the (Out+1) x (Out+1) normal equations
)

// LinearRegression's params as a scenario names them.
const (
	ParamLRRegParam   = "lr.regParam"
	ParamLRElasticNet = "lr.elasticNetParam"
)

// MaxNormalFeatures is the most features LinearRegression's "auto" solver sends to the normal
// equations (WeightedLeastSquares.MAX_NUM_FEATURES).
const MaxNormalFeatures = 4096

// LinearRegression is Spark ML's LinearRegression with the normal-equation solver, which "auto"
// picks for at most 4096 features (ml/regression/LinearRegression.scala, train;
// ml/optim/WeightedLeastSquares.scala): first() for the vector size unless the column's attributes
// carry it, in Spark 2 a count, one treeAggregate of the normal equations, a Cholesky solve on the
// driver, and the training summary's aggregation (twice in Spark 2).
//
// Its operations price the projection of a PCA before it themselves (their In is PCA's input
// features, Out its k), as the built-in profiles were measured and calibrated.
var LinearRegression = &Unit{
	Name:    "linear_regression",
	Kind:    Predictor,
	Prefix:  "lr",
	Task:    Regression,
	Summary: "LinearRegression, normal equations: first() unless the size is known, normal-equation treeAggregate, driver Cholesky solve, training summary",
	Spark:   "ml/regression/LinearRegression.scala (train), ml/optim/WeightedLeastSquares.scala",
	Input:   Vectors,
	Params: []Param{
		{Name: "regParam", Doc: "regularization", Min: 0},
		{Name: "elasticNetParam", Doc: "L1 share of the regularization", Min: 0, Max: 1},
	},
	Ops: []OpSpec{
		{Op: OpLRAggregate, Terms: []string{"fixed", "row_in_out", "row_out2"}, Shape: "Rows = the partition's rows; In = features before a PCA's projection, Out = the features regressed on (PCA's k)"},
		{Op: OpLRSummary, Terms: []string{"fixed", "row_in_out"}, Shape: "as lr_aggregate"},
		{Op: OpLRSolve, Driver: true, Terms: []string{"fixed", "out3"}, Shape: "In = Out = the features regressed on"},
	},
	Check: func(c Context, v Values) (string, string, string) {
		if e := v.Num("elasticNetParam"); e != 0 {
			return "elasticNetParam", fmt.Sprintf("%g is not modelled", e), "0 (the normal-equation solver is the one modelled; elastic net needs L-BFGS/OWL-QN)"
		}
		if c.In.Size > MaxNormalFeatures {
			return "", fmt.Sprintf("LinearRegression reads %d features", c.In.Size), fmt.Sprintf("at most %d (beyond it Spark leaves the normal-equation solver)", MaxNormalFeatures)
		}
		return "", "", ""
	},
	Fit: func(b Builder, c Context, v Values) {
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
	Predict: func(c Context, v Values) Prediction {
		return Prediction{In: normalIn(c), Out: c.In.Size}
	},
	DefaultEvaluator: func(int) string { return RegressionEvaluator.Name },
}

// normalIn is the In of the normal-equation ops: the features before a PCA's projection, which
// they price, or the features read.
func normalIn(c Context) int {
	if p, ok := c.FusedOp(OpPCAProject); ok {
		return p.In
	}
	return c.In.Size
}
