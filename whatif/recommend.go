package whatif

import (
	"fmt"
	"slices"

	"tunesim/trace"
)

// RecommendTolerance is whatif's recommendation slack: predictions within 3% of the fastest are
// ties. That is how finely its predictions order two parallelisms of one tuning: over the
// campaigns kept from 2026-12-05 to 2026-12-07, the speedup errors of neighbouring parallelisms
// of one case differ by a median 2.9% (their replay of the serial log alone is within 1-2%;
// docs/validation/2026-12-07-ties.md).
const RecommendTolerance = 0.03

// RecommendRule says in words how Recommend chooses.
var RecommendRule = fmt.Sprintf("recommended: the largest parallelism, up to the tuning's param maps, whose predicted makespan is within %g%% of the fastest", 100*RecommendTolerance)

// Recommend is whatif's choice of parallelism among predicted results, or 0 when there are none:
// of the parallelisms whose predicted makespan is within RecommendTolerance of the fastest (ties),
// the largest of those up to maps, the most fits the tuning runs at once (its param maps; 0: no
// limit). Beyond it a larger parallelism changes nothing, so among ties that would only name a
// bigger number; when no tie is up to maps, the smallest tie.
//
// Among ties the larger is chosen because the real runs are faster there: where whatif's curve
// flattens, real runs on a busy host keep gaining a few percent (more fits at once fill each
// other's driver gaps and take a larger share of the cores from the JVM's own threads, which the
// model sees only in part), and a larger parallelism has not cost more than a few percent in any
// campaign. Over the 58 pipeline cases of the campaigns of 2026-12-05 to 2026-12-07 the largest
// tie was within 5% of the real best in all 58 (at a 1% slack, 55), held out in 4 of 6
// (docs/validation/2026-12-06-ties.md, docs/validation/2026-12-07-ties.md).
func Recommend(results []trace.Result, maps int) int {
	ties := Ties(results, maps)
	switch {
	case len(ties) == 0:
		return 0
	case maps > 0 && ties[0] > maps: // no tie up to the param maps
		return ties[0]
	}
	return ties[len(ties)-1]
}

// Ties are the parallelisms Recommend chooses among, in increasing order: those whose predicted
// makespan is within RecommendTolerance of the fastest (trace.Ties), up to maps (0: no limit),
// since beyond the param maps a larger parallelism runs the same; all of them when none is up to
// maps.
func Ties(results []trace.Result, maps int) []int {
	all := trace.Ties(results, RecommendTolerance)
	var upTo []int
	for _, p := range all {
		if maps <= 0 || p <= maps {
			upTo = append(upTo, p)
		}
	}
	if len(upTo) == 0 {
		return all
	}
	return upTo
}

// SerialTieNote is what a report says when parallelism 1 is among ties (Ties): no parallelism is
// predicted to beat the serial run by more than whatif can resolve, so raising it promises little.
// Empty otherwise.
func SerialTieNote(ties []int) string {
	if !slices.Contains(ties, 1) {
		return ""
	}
	return fmt.Sprintf("parallelism 1 is among the ties: no parallelism is predicted to beat the serial run by more than whatif can resolve (%g%%), so expect little from raising it here", 100*RecommendTolerance)
}
