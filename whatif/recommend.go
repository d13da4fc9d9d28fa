package whatif

import (
	"fmt"
	"math"

	"tunesim/trace"
)

// RecommendTolerance is whatif's recommendation slack: predictions within 1% of the fastest are
// ties. That is the precision of its replay (a serial log replays within 1-2%).
const RecommendTolerance = 0.01

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
// campaign. Over the 40 pipeline cases of the campaigns of 2026-12-05 and 2026-12-06 the largest
// tie was within 5% of the real best in 38, the smallest in 25 of the 33 it could be judged on
// (docs/validation/2026-12-06-ties.md).
func Recommend(results []trace.Result, maps int) int {
	best := math.Inf(1)
	for _, r := range results {
		best = math.Min(best, r.Makespan.P50)
	}
	largest, smallest := 0, 0
	for _, r := range results {
		if r.Makespan.P50 > best*(1+RecommendTolerance) {
			continue
		}
		if smallest == 0 || r.Parallelism < smallest {
			smallest = r.Parallelism
		}
		if (maps <= 0 || r.Parallelism <= maps) && r.Parallelism > largest {
			largest = r.Parallelism
		}
	}
	if largest == 0 {
		return smallest
	}
	return largest
}
