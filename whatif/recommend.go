package whatif

import "tunesim/trace"

// RecommendTolerance is whatif's recommendation slack: it recommends the smallest parallelism
// whose predicted makespan is within 1% of the fastest. That is the precision of its replay (a
// serial log replays within 1-2%): predictions closer than that are ties, and wider slack gives
// away real gains the model sees only in part. On a busy host real runs keep gaining a few
// percent up to parallelism 4-10 while whatif's curve flattens sooner, so with the scenario
// path's 5% (trace.RecommendTolerance) the choice was within 5% of the real best in 16 of 28
// cases of the campaigns of 2026-12-05 and 2026-12-06, with 1% in 22
// (docs/validation/2026-12-06-compilers.md).
const RecommendTolerance = 0.01

// RecommendRule says in words how Recommend chooses.
var RecommendRule = trace.RuleWithin(RecommendTolerance)

// Recommend is whatif's choice of parallelism among predicted results (RecommendTolerance), or
// 0 when there are none.
func Recommend(results []trace.Result) int {
	return trace.RecommendWithin(results, RecommendTolerance)
}
