package trace

import "fmt"

// TolerancePercent is RecommendTolerance in words, as the rules state it ("5%").
var TolerancePercent = fmt.Sprintf("%g%%", 100*RecommendTolerance)

// CheapestRule says in words how FastestAndCheapest chooses the cheapest configuration.
var CheapestRule = "cheapest: the fewest core-seconds (slots x makespan) among the configurations whose median makespan is within " + TolerancePercent + " of the fastest"

// FastestAndCheapest picks among configurations, configuration i taking makespans[i] (its median
// makespan) and costing costs[i] (its core-seconds): fastest is the index of the smallest
// makespan, cheapest that of the smallest cost among the configurations whose makespan is within
// RecommendTolerance of the fastest's. Ties go to the earlier index. ok is false when there are
// no configurations; makespans and costs must have the same length.
func FastestAndCheapest(makespans, costs []float64) (fastest, cheapest int, ok bool) {
	if len(makespans) == 0 || len(costs) != len(makespans) {
		return 0, 0, false
	}
	for i, m := range makespans {
		if m < makespans[fastest] {
			fastest = i
		}
	}
	cheapest = fastest
	limit := makespans[fastest] * (1 + RecommendTolerance)
	for i, m := range makespans {
		if m <= limit && costs[i] < costs[cheapest] {
			cheapest = i
		}
	}
	for i, m := range makespans { // the earliest of equal costs
		if i < cheapest && m <= limit && costs[i] == costs[cheapest] {
			cheapest = i
			break
		}
	}
	return fastest, cheapest, true
}
