package estimators

// Operations every unit may use: Spark's own actions and the work of reading data.
const (
	OpFirst       Op = "first"        // first()/take(1): read one row
	OpSparseCheck Op = "sparse_check" // take(1) to see whether vectors are sparse
	OpCount       Op = "count"        // count rows
	OpTreeReduce  Op = "tree_reduce"  // treeAggregate's extra stage: merge partial aggregates
	OpMaterialize Op = "materialize"  // first read of a cached split's partition: sample, store
	OpSource      Op = "source"       // read a partition of the uncached source data
	// OpSummarizer is ml.stat.Summarizer's per-column statistics (mean, variance, counts of
	// non-zeros, min, max) over a partition's rows (treeAggregate, or a SQL aggregation).
	OpSummarizer Op = "summarizer"
	// OpBlockify standardizes a row and stacks it into an InstanceBlock that the fit caches
	// (MEMORY_AND_DISK) for its loss evaluations (Spark 3.1+).
	OpBlockify Op = "blockify"
	// OpShuffleReduce is a reduce task of reduceByKey / aggregateByKey / a SQL aggregation's final
	// stage: it merges its share of the records the map tasks wrote.
	OpShuffleReduce Op = "shuffle_reduce"
)

// sharedFirst and sharedLast are the shared operations, listed before and after the units' own.
var (
	sharedFirst = []OpSpec{
		{Op: OpFirst, Terms: []string{"fixed"}, Shape: "one row read; In = Out = the data's features"},
		{Op: OpSparseCheck, Terms: []string{"fixed"}, Shape: "one row read; In = Out = the data's features"},
		{Op: OpCount, Terms: []string{"fixed", "row_in"}, Shape: "Rows = the partition's rows; In = features"},
		{Op: OpSummarizer, Terms: []string{"fixed", "row_in", "elems"}, Shape: "Rows = the partition's rows; In = non-zeros per row, Elems = the statistics' numbers (6 per feature)"},
		{Op: OpBlockify, Terms: []string{"row_in"}, Shape: "fused into the first loss job's reads: Rows = rows read; In = non-zeros per row"},
		{Op: OpShuffleReduce, Terms: []string{"fixed", "row", "row_elems"}, Shape: "Rows = the records the task merges (its share of Partials); Elems = the numbers in a record"},
	}
	sharedLast = []OpSpec{
		{Op: OpTreeReduce, Terms: []string{"fixed", "row_out2", "row_elems"}, Shape: "Rows = partial aggregates merged; Out = the side of a symmetric matrix partial (its upper triangle is merged), Elems = the numbers of a vector partial"},
		{Op: OpMaterialize, Terms: []string{"fixed", "row_in"}, Shape: "Rows = the partition's rows; In = Out = the data's features (or words per row)"},
		{Op: OpSource, Terms: []string{"fixed", "row_in"}, Shape: "Rows = the rows computed (one for take(1) on uncached data); In = Out = the data's features"},
	}
)
