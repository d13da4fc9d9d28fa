package estimators

import "fmt"

// PCA's operations.
const (
	OpColumnSummary Op = "column_summary" // per-column mean/variance (treeAggregate)
	OpGramian       Op = "gramian"        // covariance Gramian, In x In (treeAggregate)
	OpPCAEigen      Op = "pca_eigen"      // eigen-decomposition of the In x In covariance, top Out components
	OpPCAProject    Op = "pca_project"    // PCAModel.transform: project a row to k components
)

// ParamPCAK is PCA's k as a scenario names it.
const ParamPCAK = "pca.k"

// MaxPCAFeatures is RowMatrix.computePrincipalComponents' limit (n < 65536).
const MaxPCAFeatures = 65535

// PCA is Spark ML's PCA (ml/feature/PCA.scala over mllib/linalg/distributed/RowMatrix.scala:
// computePrincipalComponents, computeCovariance): first() for the vector size, RowMatrix's numCols
// (another first()), a column summary for the means, from Spark 3 a take(1) that checks whether
// rows are sparse, the covariance Gramian (both treeAggregate), then the top k eigenvectors on the
// driver. Its model projects every later row onto k components.
var PCA = NewFeatureEstimator(Unit{
	Name:    "pca",
	Prefix:  "pca",
	Summary: "PCA: two first() jobs, column summary, sparse check (Spark 3+), covariance Gramian, driver eigen-decomposition; projects rows to k",
	PySpark: "pyspark.ml.feature.PCA",
	Spark:   "ml/feature/PCA.scala, mllib/linalg/distributed/RowMatrix.scala (computePrincipalComponentsAndExplainedVariance, computeCovariance)",
	Input:   Vectors,
	Params: []Param{
		{Name: "k", Doc: "principal components kept", Required: true, Int: true, Min: 1},
	},
	Ops: []OpSpec{
		{Op: OpColumnSummary, Terms: []string{"fixed", "row_in"}, Shape: "Rows = the partition's rows; In = Out = input features"},
		{Op: OpGramian, Terms: []string{"fixed", "row_in2"}, Shape: "Rows = the partition's rows; In = Out = input features"},
		{Op: OpPCAEigen, Driver: true, Terms: []string{"fixed", "in3"}, Shape: "In = input features, Out = k"},
		{Op: OpPCAProject, Terms: []string{"row_in_out"}, Shape: "fused into later reads: Rows = rows read; In = input features, Out = k"},
	},
	Output: func(in Vec, v Values) Vec { k := v.Int("k"); return Vec{Data: Vectors, Size: k, NNZ: k, Sized: true} },
	Check: func(c Context, v Values) (string, string, string) {
		if c.In.Size > MaxPCAFeatures {
			return "", fmt.Sprintf("%d input features", c.In.Size), fmt.Sprintf("at most %d (RowMatrix.computePrincipalComponents' limit)", MaxPCAFeatures)
		}
		if k := v.Num("k"); k > float64(c.In.Size) {
			return "k", fmt.Sprintf("%g is out of range", k), fmt.Sprintf("an integer from 1 to the %d features PCA reads (data.features)", c.In.Size)
		}
		return "", "", ""
	},
},
	// fit
	func(b Builder, c Context, v Values) {
		f, k := c.In.Size, v.Int("k")
		src := c.Source.Size
		Take(b, OpFirst, src, src)                                                                 // PCA.fit: the vector size
		Take(b, OpFirst, src, src)                                                                 // RowMatrix.numCols
		TreeAggregate(b, Stage{Op: OpColumnSummary, Read: Split, In: f, Out: f}, Partial{Side: f}) // column means for centring
		if b.Version() >= 3 {
			Take(b, OpSparseCheck, src, src) // dense or sparse rows (Spark 3+)
		}
		TreeAggregate(b, Stage{Op: OpGramian, Read: Split, In: f, Out: f}, Partial{Side: f}) // covariance Gramian
		b.Driver(OpPCAEigen, f, k)                                                           // top-k eigenvectors
	},
	// transform
	func(c Context, v Values) []Fused {
		return []Fused{{Op: OpPCAProject, In: c.In.Size, Out: v.Int("k")}}
	},
)
