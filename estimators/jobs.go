package estimators

import "math"

// Builder receives a unit's work in order: Spark jobs over the data part being read (a fit's
// training part for an estimator, its validation part for an evaluator) and driver steps. Package
// tuning implements it.
type Builder interface {
	// Partitions is the part's partition count: the tasks of a stage that reads it.
	Partitions() int
	// Rows is the part's total rows.
	Rows() int64
	// Version is the Spark major version (2, 3 or 4).
	Version() int
	// Job appends a Spark job of these stages, run one after another; its name is its first
	// stage's operation.
	Job(stages ...Stage)
	// Driver appends work on the fit's thread.
	Driver(op Op, in, out int)
	// Absorb says the caller's operations price the transform op themselves (LinearRegression's
	// normal-equation ops price the projection of a PCA before it, as they always have): from now
	// on it is no longer run inside the reading tasks of this fit's jobs or its evaluation.
	Absorb(op Op)
}

// Read is how a stage's tasks get their rows.
type Read uint8

// How a stage reads.
const (
	// Shuffled: the stage reads what the previous stage wrote (partial aggregates, shuffled
	// records), Partials of them shared over its tasks.
	Shuffled Read = iota
	// Split: one task per partition of the part, reading it from the source or the tuner's
	// cache and running the pipeline's transforms through each row (and Extra).
	Split
	// Cached: one task per partition, reading a copy of the part's rows the fit itself cached in an
	// earlier job (LogisticRegression's standardized blocks, a forest's binned points): no source,
	// no transforms.
	Cached
)

// Stage is a stage of a job as a unit declares it.
type Stage struct {
	Op   Op
	Read Read
	// Take says a reading task stops after one row (first(), take(1)): the stage has one task.
	Take bool
	// Tasks is a Shuffled stage's task count.
	Tasks int
	// Partials is what a Shuffled stage's tasks merge between them (records, partial aggregates):
	// a task's Rows is its share.
	Partials int
	// In, Out and Elems are the shape of a task's work besides its rows (see OpSpec.Shape).
	In, Out int
	Elems   int64
	// Extra is per-row work of this stage's own reading tasks beyond Op (a Split stage that builds
	// the fit's cached copy of the rows: binning, standardizing).
	Extra []Fused
}

// Partial is what treeAggregate's reduce tasks merge per partial aggregate: a Side x Side
// symmetric matrix (its upper triangle: PCA's Gramian, the normal equations) and Elems numbers
// more (a gradient, cluster sums).
type Partial struct {
	Side  int
	Elems int64
}

// TreeAggregate appends a treeAggregate job (Spark's RDD.treeAggregate at its default depth 2):
// the stage read, one task per partition, then the reduce levels TreeLevels adds for that many
// partitions, whose tasks merge their share of the previous level's partials of size p. The
// driver merges what the last level returns (Overheads.JobDriver).
func TreeAggregate(b Builder, read Stage, p Partial) {
	stages := []Stage{read}
	prev := b.Partitions()
	for _, n := range TreeLevels(prev) {
		stages = append(stages, Stage{Op: OpTreeReduce, Tasks: n, Partials: prev, In: p.Side, Out: p.Side, Elems: p.Elems})
		prev = n
	}
	b.Job(stages...)
}

// TreeLevels is the task count of each reduce level Spark's treeAggregate (depth 2) adds after its
// first stage of n tasks: scale = max(ceil(sqrt(n)), 2); a level is added while
// n > scale + ceil(n/scale), and each level divides n by scale (RDD.treeAggregate).
func TreeLevels(n int) []int {
	scale := int(math.Ceil(math.Sqrt(float64(n))))
	if scale < 2 {
		scale = 2
	}
	var levels []int
	for n > scale+(n+scale-1)/scale {
		n /= scale
		levels = append(levels, n)
	}
	return levels
}

// Take appends a first()/take(1) job: one task reading the first row of the first partition, of
// the shape in x out.
func Take(b Builder, op Op, in, out int) {
	b.Job(Stage{Op: op, Read: Split, Take: true, In: in, Out: out})
}

// SQLAggregate appends a Spark SQL aggregation to one row (a Summarizer's metrics, a max, a
// count by group) that the driver takes with first() or take(1): a partial aggregate per
// partition (read), exchanged to one final task merging them, each partial elems numbers. From
// Spark 3.2 adaptive query execution runs the exchange's map stage as a job of its own, so a query
// is two jobs ("$anonfun$withThreadLocalCaptured$2 at CompletableFuture.java" in the event log,
// the shape the Spark 4.0.1 logs of spark/testdata/pipelines show once per fit for
// RandomForestClassifier's classes and KMeans' solver choice and cluster sizes); in Spark 2 it is
// one job of two stages.
func SQLAggregate(b Builder, read Stage, elems int64) {
	final := Stage{Op: OpShuffleReduce, Tasks: 1, Partials: b.Partitions(), Elems: elems}
	if b.Version() >= 3 {
		b.Job(read)
		b.Job(final)
		return
	}
	b.Job(read, final)
}
