package estimators

// KMeans's operations.
const (
	// OpKMeansNorm is a row's norm, cached by the first job that reads the data.
	OpKMeansNorm Op = "kmeans_norm"
	// OpKMeansSample draws whether a row is sampled (takeSample, k-means||'s chosen centers).
	OpKMeansSample Op = "kmeans_sample"
	// OpKMeansCost is a row's distance to the closest of some centers (k-means||'s costs, and its
	// weighing of the candidate centers by countByValue).
	OpKMeansCost Op = "kmeans_cost"
	// OpKMeansIteration finds a row's closest center and adds the row to that center's sum
	// (a Lloyd iteration's map side).
	OpKMeansIteration Op = "kmeans_iteration"
	// OpKMeansLocal is k-means++ on the driver over the weighted candidate centers
	// (LocalKMeans.kMeansPlusPlus, 30 iterations at most).
	OpKMeansLocal Op = "kmeans_local"
	// OpKMeansPredict is a fitted model's prediction of a row: its closest center.
	OpKMeansPredict Op = "kmeans_predict"
)

// KMeans is Spark ML's KMeans (ml/clustering/KMeans.scala, fit, over
// mllib/clustering/KMeans.scala, runWithWeight and runAlgorithmWithWeight), the "row" solver. The
// tuner's part being cached, only the rows' norms are persisted (the first job computes them); every
// job reads the part through the pipeline again. Initialisation:
//
//   - k-means|| (initMode "k-means||", the default; initKMeansParallel): takeSample of one row
//     (a count, then a sampling job), then initSteps rounds of a job summing each row's cost to the
//     new centers (persisted) and a job sampling about 2k rows by it, then the candidate centers
//     weighed by countByValue (map and reduce stages) and k-means++ over them on the driver;
//   - random (initMode "random", initRandom): takeSample of k rows (a count and a sampling job).
//
// Before it, from Spark 3.1, solver "auto" chooses rows or blocks from a SQL aggregation of the
// rows' count and non-zeros (preferBlockSolver); the tuner's dense rows come out of it as rows.
// Then one job per Lloyd iteration (map: closest center and sums; reduceByKey; collectAsMap) until
// the centers move less than tol or maxIter iterations; kmeans.iterations says how many a fit is
// expected to take (default maxIter). Last, fit logs the training summary's cluster sizes, another
// SQL aggregation over the predicted rows. The Spark 4.0.1 log of spark/testdata/pipelines/kmeans
// shows each of these jobs, in this order, for every fit.
var KMeans = NewPredictor(Unit{
	Name:    "kmeans",
	Prefix:  "kmeans",
	Summary: "KMeans: k-means|| initialisation (takeSample, initSteps rounds of a cost and a sampling job, countByValue of the candidates, k-means++ on the driver) or random, then one job per Lloyd iteration",
	PySpark: "pyspark.ml.clustering.KMeans",
	Spark:   "ml/clustering/KMeans.scala (fit), mllib/clustering/KMeans.scala (runWithWeight, runAlgorithmWithWeight, initKMeansParallel, initRandom), mllib/clustering/LocalKMeans.scala",
	Input:   Vectors,
	Params: []Param{
		{Name: "k", Doc: "clusters", Default: 2, Int: true, Min: 2},
		{Name: "maxIter", Doc: "Lloyd iterations at most", Default: 20, Int: true, Min: 0},
		{Name: "initMode", Doc: "how the first centers are chosen", Choices: []string{"k-means||", "random"}, DefaultChoice: "k-means||"},
		{Name: "initSteps", Doc: "k-means|| rounds", Default: 2, Int: true, Min: 1},
		{Name: "tol", Doc: "convergence tolerance (the iterations param says its effect)", Default: 1e-4, Min: 0},
		{Name: "iterations", Doc: "Lloyd iterations expected (0: maxIter)", Int: true, Min: 0, Model: true},
	},
	Ops: []OpSpec{
		{Op: OpKMeansNorm, Terms: []string{"row_in"}, Shape: "fused into the first job's reads: Rows = rows read; In = non-zeros per row"},
		{Op: OpKMeansSample, Terms: []string{"fixed", "row"}, Shape: "Rows = the partition's rows"},
		{Op: OpKMeansCost, Terms: []string{"fixed", "row_in_out"}, Shape: "Rows = the partition's rows; In = non-zeros per row, Out = centers compared"},
		{Op: OpKMeansIteration, Terms: []string{"fixed", "row_in_out", "elems"}, Shape: "Rows = the partition's rows; In = non-zeros per row, Out = k, Elems = the centers' sums (k x (features + 1))"},
		{Op: OpKMeansLocal, Driver: true, Terms: []string{"fixed", "row_in_out"}, Shape: "Rows = 1; In = candidate centers x features, Out = k"},
		{Op: OpKMeansPredict, Terms: []string{"row_in_out"}, Shape: "fused into the evaluator's reads: Rows = rows read; In = non-zeros per row, Out = k"},
	},
	Iterative: &Iterative{Param: "iterations", Bound: "maxIter", Site: LloydSite},
},
	Clustering,
	// fit
	func(b Builder, c Context, v Values) {
		k, d, nnz := v.Int("k"), c.In.Size, c.In.NNZ
		if b.Version() >= 3 {
			// preferBlockSolver (solver "auto"): Summarizer's count and non-zeros, a SQL aggregation.
			SQLAggregate(b, Stage{Op: OpSummarizer, Read: Split, In: nnz, Elems: int64(d) + 1}, int64(d)+1)
		}
		norm := []Fused{{Op: OpKMeansNorm, In: nnz}}
		takeSample := func() {
			b.Job(Stage{Op: OpCount, Read: Split, In: nnz, Extra: norm}) // takeSample's count; norms cached
			norm = nil
			b.Job(Stage{Op: OpKMeansSample, Read: Split}) // takeSample's sample, collected
		}
		takeSample()
		if v.Str("initMode") == "k-means||" {
			centers, candidates := 1, 1
			for range v.Int("initSteps") {
				b.Job(Stage{Op: OpKMeansCost, Read: Split, In: nnz, Out: centers}) // costs.sum(), persisted
				b.Job(Stage{Op: OpKMeansSample, Read: Split})                      // chosen: about 2k rows, collected
				centers = 2 * k
				candidates += centers
			}
			if candidates > k {
				b.Job(Stage{Op: OpKMeansCost, Read: Split, In: nnz, Out: candidates}, // countByValue of the closest candidate
					Stage{Op: OpShuffleReduce, Partials: candidates * b.Partitions(), Elems: 1})
				b.Driver(OpKMeansLocal, candidates*d, k)
			}
		}
		for range lloydIterations(v.Int("iterations"), v.Int("maxIter")) {
			b.Job(Stage{Op: OpKMeansIteration, Read: Split, In: nnz, Out: k, Elems: int64(k) * int64(d+1)},
				Stage{Op: OpShuffleReduce, Partials: k * b.Partitions(), Elems: int64(d + 1)})
		}
		// The training summary's cluster sizes, logged by fit: every row predicted and counted by
		// cluster (a SQL aggregation).
		SQLAggregate(b, Stage{Op: OpKMeansPredict, Read: Split, In: nnz, Out: k, Elems: int64(k)}, int64(k))
	},
	// predict
	func(c Context, v Values) Prediction {
		k := v.Int("k")
		return Prediction{Fused: []Fused{{Op: OpKMeansPredict, In: c.In.NNZ, Out: k}}, In: c.In.NNZ, Out: c.In.Size, K: k}
	},
	// defaultEvaluator
	func(int) string { return ClusteringEvaluator.Name },
)

// LloydSite names the job of a Lloyd iteration in Spark's event logs (the call site of its
// result stage: runAlgorithmWithWeight's collectAsMap, mllib/clustering/KMeans.scala).
const LloydSite = "collectAsMap at KMeans.scala"

// lloydIterations is the Lloyd iterations a fit is expected to take: iterations (0: maxIter), at
// most maxIter.
func lloydIterations(iterations, maxIter int) int {
	if iterations <= 0 || iterations > maxIter {
		return maxIter
	}
	return iterations
}
