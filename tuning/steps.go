package tuning

import (
	"math"

	"tunesim/scenarios"
)

// PartitionRows spreads rows over parts partitions whose sizes rise linearly from (1-skew) to
// (1+skew) times the mean, rounded by largest remainder so they sum to rows exactly.
func PartitionRows(rows int64, parts int, skew float64) []int64 {
	w := make([]float64, parts)
	var sum float64
	for i := range w {
		w[i] = 1
		if parts > 1 {
			w[i] += skew * (2*float64(i)/float64(parts-1) - 1)
		}
		sum += w[i]
	}
	return apportion(rows, w, sum)
}

// apportion splits total in proportion to weights w (summing to sum), by largest remainder;
// ties go to the lower index.
func apportion(total int64, w []float64, sum float64) []int64 {
	out := make([]int64, len(w))
	rem := make([]float64, len(w))
	var given int64
	for i, wi := range w {
		exact := float64(total) * wi / sum
		out[i] = int64(math.Floor(exact))
		rem[i] = exact - float64(out[i])
		given += out[i]
	}
	for ; given < total; given++ {
		best := 0
		for i := range rem {
			if rem[i] > rem[best] {
				best = i
			}
		}
		out[best]++
		rem[best] = -1
	}
	return out
}

// splitRows is the training and validation rows per partition of round f. A random split keeps
// the source's partitioning: TrainValidationSplit keeps train_ratio of each partition for
// training; CrossValidator's fold f validates on a 1/folds share of each partition (the shares of
// a partition's folds sum to its rows) and trains on the rest.
func splitRows(s *scenarios.Scenario, source []int64, f int) (train, val []int64) {
	train = make([]int64, len(source))
	val = make([]int64, len(source))
	for p, rows := range source {
		if s.Tuner.Kind == scenarios.CrossValidator {
			k := int64(s.Tuner.Folds)
			v := rows / k
			if int64(f) < rows%k {
				v++
			}
			val[p] = v
		} else {
			val[p] = rows - int64(math.Round(float64(rows)*s.Tuner.TrainRatio))
		}
		train[p] = rows - val[p]
	}
	return train, val
}

// TreeStages is the task count of each extra stage Spark's treeAggregate (depth 2) adds after its
// first stage of n tasks: scale = max(ceil(sqrt(n)), 2); a level is added while
// n > scale + ceil(n/scale), and each level divides n by scale (RDD.treeAggregate).
func TreeStages(n int) []int {
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

// fitSteps is the ordered work of one fit with LinearRegression of k features, training on split
// train and, unless val is None, evaluating on split val. parts is the source's partition count.
func fitSteps(s *scenarios.Scenario, k, train, val, parts int) []Step {
	f := s.Data.Features
	var steps []Step
	single := func(op Op, split int) {
		steps = append(steps, Step{Kind: StepJob, Op: op, Split: split,
			Stages: []Stage{{Op: op, Tasks: 1, ReadsSplit: true, In: f, Out: f}}})
	}
	// tree is a treeAggregate job: one task per partition, then its reduce levels; partial
	// aggregates are in x out.
	tree := func(op Op, split, in, out int) {
		st := []Stage{{Op: op, Tasks: parts, ReadsSplit: true, In: in, Out: out}}
		prev := parts
		for _, n := range TreeStages(parts) {
			st = append(st, Stage{Op: OpTreeReduce, Tasks: n, In: out, Out: out, Partials: prev})
			prev = n
		}
		steps = append(steps, Step{Kind: StepJob, Op: op, Split: split, Stages: st})
	}
	driver := func(op Op, in, out int) {
		steps = append(steps, Step{Kind: StepDriver, Op: op, Shape: Shape{Rows: 1, In: in, Out: out}})
	}
	spark2 := s.SparkVersion == "2"
	if s.Pipeline.HasPCA() {
		single(OpFirst, train)             // PCA.fit: vector size
		single(OpFirst, train)             // RowMatrix.numCols
		tree(OpColumnSummary, train, f, f) // column means for centring
		if !spark2 {
			single(OpSparseCheck, train) // dense/sparse check (Spark 3+)
		}
		tree(OpGramian, train, f, f) // covariance Gramian
		driver(OpPCAEigen, f, k)     // top-k eigenvectors
	} else {
		single(OpFirst, train) // LinearRegression: number of features
	}
	if spark2 {
		tree(OpCount, train, k, k) // Spark 2: instance count before the solver
	}
	tree(OpLRAggregate, train, f, k) // WeightedLeastSquares normal equations
	driver(OpLRSolve, k, k)          // Cholesky solve
	tree(OpLRSummary, train, f, k)   // training summary
	if spark2 {
		tree(OpLRSummary, train, f, k) // Spark 2: summary statistics in a second pass
	}
	if val != None {
		tree(OpEvaluate, val, f, k) // RegressionEvaluator on the validation split
	}
	return steps
}
