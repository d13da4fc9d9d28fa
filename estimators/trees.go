package estimators

import (
	"fmt"
	"math"
)

// Operations of Spark's tree learning (ml/tree/impl/RandomForest.scala, DecisionTreeMetadata.scala,
// TreePoint.scala, BaggedPoint.scala), shared by random forests and gradient-boosted trees.
const (
	// OpTreeSample samples rows for the split thresholds and emits (feature, value) pairs
	// (findSplits: input.sample, then flatMap).
	OpTreeSample Op = "tree_sample"
	// OpTreeFindSplits sorts a feature's sampled values into its bins' thresholds
	// (findSplitsBySorting, after groupByKey).
	OpTreeFindSplits Op = "tree_find_splits"
	// OpTreeBin bins a row's features by its thresholds (TreePoint.convertToTreeRDD: a binary
	// search per feature), building the cached training points.
	OpTreeBin Op = "tree_bin"
	// OpTreeBag draws a row's weight in each tree (BaggedPoint.convertToBaggedRDD: Poisson with
	// replacement for several trees, Bernoulli for one).
	OpTreeBag Op = "tree_bag"
	// OpTreeStats finds each tree's node of a row and adds the row to that node's histogram of
	// each of its features' bins (findBestSplits' binSeqOp).
	OpTreeStats Op = "tree_stats"
	// OpTreeBestSplit merges a node's histograms from every partition and picks its best split
	// (findBestSplits' reduceByKey and binsToBestSplit).
	OpTreeBestSplit Op = "tree_best_split"
)

var treeOps = []OpSpec{
	{Op: OpTreeSample, Terms: []string{"fixed", "row", "elems"}, Shape: "Rows = the partition's rows; Elems = the (feature, value) pairs it emits"},
	{Op: OpTreeFindSplits, Terms: []string{"fixed", "row"}, Shape: "Rows = the sampled values the task sorts"},
	{Op: OpTreeBin, Terms: []string{"row_in_out"}, Shape: "fused into the first level's reads: Rows = rows read; In = features, Out = binary-search steps (log2 of the bins)"},
	{Op: OpTreeBag, Terms: []string{"row_in"}, Shape: "fused into the first level's reads: Rows = rows read; In = trees"},
	{Op: OpTreeStats, Terms: []string{"fixed", "row_in_out", "elems"}, Shape: "Rows = the partition's rows; In = features per node, Out = trees a row meets a node of the group in, Elems = the group's histogram numbers"},
	{Op: OpTreeBestSplit, Terms: []string{"fixed", "row_elems"}, Shape: "Rows = the node histograms the task merges; Elems = a node's histogram numbers"},
}

// treeParams are the params random forests and gradient-boosted trees share (ml/tree/treeParams.scala).
func treeParams(maxIterOrTrees Param, strategy string) []Param {
	return []Param{
		maxIterOrTrees,
		{Name: "maxDepth", Doc: "depth of each tree (Spark allows 30)", Default: 5, Int: true, Min: 0, Max: 30},
		{Name: "maxBins", Doc: "bins per continuous feature", Default: 32, Int: true, Min: 2},
		{Name: "subsamplingRate", Doc: "share of the rows each tree learns from", Default: 1, Min: 0, Max: 1},
		{Name: "maxMemoryInMB", Doc: "memory the histograms of a group of nodes may take (a job per group)", Default: 256, Int: true, Min: 0},
		{Name: "featureSubsetStrategy", Doc: "features considered per node", Choices: []string{"auto", "all", "onethird", "sqrt", "log2"}, DefaultChoice: strategy},
	}
}

// featuresPerNode is DecisionTreeMetadata.buildMetadata's numFeaturesPerNode: "auto" is every
// feature for one tree, else sqrt for classification and a third for regression.
func featuresPerNode(strategy string, features, trees int, classification bool) int {
	n := float64(features)
	if strategy == "auto" {
		switch {
		case trees == 1:
			strategy = "all"
		case classification:
			strategy = "sqrt"
		default:
			strategy = "onethird"
		}
	}
	switch strategy {
	case "sqrt":
		return int(math.Ceil(math.Sqrt(n)))
	case "log2":
		return max(1, int(math.Ceil(math.Log2(n))))
	case "onethird":
		return int(math.Ceil(n / 3))
	}
	return features
}

// forest is what learning some trees at once over a part costs: its shape and the groups of
// nodes it splits.
type forest struct {
	trees, maxDepth, features, perNode, bins, stats int
	rows                                            int64
	subsampling                                     float64
	maxMemory                                       int64
}

// newForest reads the tree params v for learning trees trees over in, stats numbers per bin
// (the classes for classification, 3 for regression's variance).
func newForest(c Context, v Values, trees, stats int, classification bool, rows int64) forest {
	return forest{
		trees: trees, maxDepth: v.Int("maxDepth"), features: c.In.Size, bins: min(v.Int("maxBins"), int(min(rows, math.MaxInt32))),
		perNode:     featuresPerNode(v.Str("featureSubsetStrategy"), c.In.Size, trees, classification),
		stats:       stats,
		rows:        rows,
		subsampling: v.Num("subsamplingRate"),
		maxMemory:   int64(v.Int("maxMemoryInMB")) << 20,
	}
}

// nodeElems is the numbers of one node's histograms (RandomForest.aggregateSizeForNode).
func (f forest) nodeElems() int64 { return int64(f.perNode) * int64(f.bins) * int64(f.stats) }

// group is a group of nodes split by one findBestSplits job.
type group struct {
	nodes int64
	// reach is the trees a row meets one of the group's nodes in, rounded (a level's nodes of a
	// tree share its rows evenly).
	reach int
}

// groups lists the node groups of learning the trees level by level, as selectNodesToSplit forms
// them: every node of a level whose histograms fit in maxMemoryInMB together, more groups when
// they do not. Trees are taken as full down to maxDepth, but a tree cannot split more nodes at a
// level than it has pairs of rows. (Spark pops nodes from a stack, so when memory binds its groups
// can mix levels; the count of groups is the same.)
func (f forest) groups() []group {
	var out []group
	perGroup := int64(1)
	if mem := f.nodeElems() * 8; mem > 0 && f.maxMemory/mem > 1 {
		perGroup = f.maxMemory / mem
	}
	rowsPerTree := max(int64(math.Ceil(float64(f.rows)*f.subsampling)), 1)
	for level := range max(f.maxDepth, 1) {
		perTree := min(int64(1)<<level, max(rowsPerTree/2, 1))
		total := int64(f.trees) * perTree
		for left := total; left > 0; left -= perGroup {
			if len(out) > maxTreeJobs {
				return out // more than any scenario may ask for (check refuses it)
			}
			n := min(left, perGroup)
			out = append(out, group{nodes: n, reach: max(1, int(math.Round(float64(n)/float64(perTree))))})
		}
	}
	return out
}

// maxTreeJobs bounds the findBestSplits jobs of one fit a scenario may ask for.
const maxTreeJobs = 20000

// check refuses a subsampling rate of 0 and learning that would take more than maxTreeJobs jobs
// for each of learnings sets of trees (a GBT's iterations) per fit.
func (f forest) check(learnings int) (string, string, string) {
	if f.subsampling <= 0 {
		return "subsamplingRate", "0 leaves no rows", "a number in (0, 1]"
	}
	if n := len(f.groups()) * learnings; n > maxTreeJobs {
		return "maxMemoryInMB", fmt.Sprintf("more than %d node groups (jobs) per fit", maxTreeJobs), fmt.Sprintf("at most %d: more memory per group, fewer trees or less depth", maxTreeJobs)
	}
	return "", "", ""
}

// metadataJobs appends what every tree learner runs first: DecisionTreeMetadata.buildMetadata's
// take(1) for the vector size and its count of rows and weights (one aggregate), and findSplits'
// sample of max(maxBins², 10000) rows whose values are sorted per feature into thresholds
// (groupByKey over min(features, partitions) tasks, collectAsMap).
func (f forest) metadataJobs(b Builder, c Context) {
	Take(b, OpFirst, c.Source.Size, c.Source.Size)
	b.Job(Stage{Op: OpCount, Read: Split, In: c.In.NNZ})
	fraction := min(1, math.Max(float64(f.bins*f.bins), 10000)/float64(max(b.Rows(), 1)))
	sampled := int64(math.Ceil(fraction * float64(b.Rows()) * float64(f.features)))
	perTask := sampled / int64(b.Partitions())
	b.Job(Stage{Op: OpTreeSample, Read: Split, In: c.In.NNZ, Elems: perTask},
		Stage{Op: OpTreeFindSplits, Tasks: min(f.features, b.Partitions()), Partials: int(sampled)})
}

// levelJobs appends one findBestSplits job per node group: a map stage whose tasks build their
// partition's histograms for the group's nodes reading the cached points (the first job reads as
// firstRead says, doing first's extra work: building those points, or a GBT's residuals), and a
// reduceByKey stage of one task per partition merging each node's histograms and choosing its
// split (collectAsMap).
func (f forest) levelJobs(b Builder, firstRead Read, first []Fused) {
	for i, g := range f.groups() {
		read := Stage{Op: OpTreeStats, Read: Cached, In: f.perNode, Out: g.reach, Elems: g.nodes * f.nodeElems()}
		if i == 0 {
			read.Read, read.Extra = firstRead, first
		}
		b.Job(read, Stage{Op: OpTreeBestSplit, Partials: int(g.nodes) * b.Partitions(), Elems: f.nodeElems()})
	}
}

// binning is the work of building the cached points: each feature binned (a binary search over
// the bins' thresholds) and each tree's weight drawn.
func (f forest) binning(trees int) []Fused {
	return []Fused{
		{Op: OpTreeBin, In: f.features, Out: max(1, int(math.Ceil(math.Log2(float64(f.bins)))))},
		{Op: OpTreeBag, In: trees},
	}
}
