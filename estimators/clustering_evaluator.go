package estimators

// ClusteringEvaluator's operations.
const (
	// OpClusterStats adds a scored row to its cluster's statistics (sum of features, squared
	// norm, weight): the map side of computeClusterStats' aggregateByKey.
	OpClusterStats Op = "cluster_stats"
	// OpSilhouette is a row's silhouette from every cluster's statistics.
	OpSilhouette Op = "silhouette"
)

// ClusteringEvaluator is Spark ML's ClusteringEvaluator, silhouette with squared Euclidean
// distance (ml/evaluation/ClusteringEvaluator.scala, ClusteringMetrics.scala,
// SquaredEuclideanSilhouette): the clusters' statistics in one aggregateByKey(...).collectAsMap()
// job of two stages over the scored validation rows, then, the statistics broadcast, the rows
// scored again and each row's silhouette averaged (a SQL aggregation, two jobs under adaptive
// execution), as the Spark 4.0.1 log of spark/testdata/pipelines/kmeans shows.
var ClusteringEvaluator = NewEvaluator(Unit{
	Name:    "clustering_evaluator",
	Prefix:  "evaluator",
	Summary: "ClusteringEvaluator (silhouette): cluster statistics (aggregateByKey), then the silhouettes averaged (a SQL aggregation) over the scored validation rows",
	PySpark: "pyspark.ml.evaluation.ClusteringEvaluator",
	Spark:   "ml/evaluation/ClusteringEvaluator.scala, ml/evaluation/ClusteringMetrics.scala (SquaredEuclideanSilhouette.computeClusterStats, computeSilhouetteScore)",
	Ops: []OpSpec{
		{Op: OpClusterStats, Terms: []string{"fixed", "row_in"}, Shape: "Rows = the partition's rows; In = non-zeros per row"},
		{Op: OpSilhouette, Terms: []string{"fixed", "row_in_out"}, Shape: "Rows = the partition's rows; In = non-zeros per row, Out = clusters"},
	},
},
	Clustering,
	// evaluate
	func(b Builder, p Prediction, v Values) {
		k := max(p.K, 1)
		b.Job(Stage{Op: OpClusterStats, Read: Split, In: p.In},
			Stage{Op: OpShuffleReduce, Partials: k * b.Partitions(), Elems: int64(p.Out + 2)})
		SQLAggregate(b, Stage{Op: OpSilhouette, Read: Split, In: p.In, Out: k}, 2)
	},
)
