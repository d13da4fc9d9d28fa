package estimators

// SummaryElems is the size of the statistics ml.stat.Summarizer keeps per feature (mean, M2n,
// M2, L1, non-zero count, max, min, weight sum): the numbers a task's partial holds per feature.
const SummaryElems = 6

// Summarize appends the Summarizer's treeAggregate over the part (Summarizer.scala,
// getRegressionSummarizers / getClassificationSummarizers): per row its non-zeros.
func Summarize(b Builder, in Vec) {
	e := int64(SummaryElems) * int64(in.Size)
	TreeAggregate(b, Stage{Op: OpSummarizer, Read: Split, In: in.NNZ, Elems: e}, Partial{Elems: e})
}

// LossJobs appends the loss and gradient evaluations of an L-BFGS or OWL-QN solve
// (ml/optim/loss/RDDLossFunction.scala: each evaluation is a treeAggregate of the loss aggregator,
// "treeAggregate at RDDLossFunction.scala"): op per row over its in non-zeros for sets coefficient
// sets, each task building a gradient of elems numbers. From Spark 3.1 the first evaluation also
// standardizes the rows into InstanceBlocks that the fit caches (blockify) and later ones read the
// cache; in Spark 2 every evaluation reads the part through the pipeline again.
func LossJobs(b Builder, op Op, in Vec, sets int, elems int64, evaluations int) {
	for i := range evaluations {
		read := Stage{Op: op, Read: Cached, In: in.NNZ, Out: sets, Elems: elems}
		switch {
		case b.Version() < 3:
			read.Read = Split
		case i == 0:
			read.Read = Split
			read.Extra = []Fused{{Op: OpBlockify, In: in.NNZ}}
		}
		TreeAggregate(b, read, Partial{Elems: elems})
	}
}

// Evaluations is the loss evaluations of an L-BFGS solve expected to take iterations iterations
// (0: maxIter): one at the start and one per iteration. Breeze's line search may evaluate more
// than once in an iteration, so a solve may evaluate more than maxIter + 1 times; iterations
// above maxIter say so (calibrate learns them from Spark runs as the evaluations less one: see
// Iterative).
func Evaluations(iterations, maxIter int) int {
	if iterations <= 0 {
		iterations = maxIter
	}
	return iterations + 1
}

// LossSite names the jobs of L-BFGS's loss evaluations in Spark's event logs (their stage's call
// site; ml/optim/loss/RDDLossFunction.scala).
const LossSite = "treeAggregate at RDDLossFunction.scala"

// lbfgsIterations is what an L-BFGS solve repeats: a loss evaluation per iteration, and one
// at the start.
var lbfgsIterations = &Iterative{Param: "iterations", Bound: "maxIter", Site: LossSite, Extra: 1}
