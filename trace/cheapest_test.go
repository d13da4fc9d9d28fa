package trace

import (
	"strings"
	"testing"
)

func TestFastestAndCheapest(t *testing.T) {
	type cfg struct{ slots, makespan float64 }
	for _, tc := range []struct {
		name              string
		cfgs              []cfg
		fastest, cheapest int
		ok                bool
	}{
		{"no configurations", nil, 0, 0, false},
		{"the fastest is the cheapest", []cfg{{4, 10}, {4, 5}}, 1, 1, true},
		// 8 slots x 5.0 s = 40 core-s; 4 slots x 5.2 s = 20.8 core-s, 4% slower: cheaper within 5%.
		{"fewer slots within the tolerance", []cfg{{4, 5.2}, {8, 5.0}}, 1, 0, true},
		// 6% slower is outside the 5%, however cheap.
		{"cheaper but too slow", []cfg{{4, 5.3}, {8, 5.0}}, 1, 1, true},
		{"exactly the tolerance slower counts", []cfg{{8, 4.0}, {4, 4.2}}, 0, 1, true},
		{"ties go to the earlier", []cfg{{4, 3}, {4, 3}, {2, 6}}, 0, 0, true},
		{"equal cost, the earlier", []cfg{{8, 1}, {2, 4}, {4, 1.02}, {4, 1.03}}, 0, 2, true},
	} {
		var makespans, costs []float64
		for _, c := range tc.cfgs {
			makespans, costs = append(makespans, c.makespan), append(costs, c.slots*c.makespan)
		}
		f, c, ok := FastestAndCheapest(makespans, costs)
		if ok != tc.ok || f != tc.fastest || c != tc.cheapest {
			t.Errorf("%s: fastest %d, cheapest %d, ok %v; want %d, %d, %v", tc.name, f, c, ok, tc.fastest, tc.cheapest, tc.ok)
		}
	}
	if _, _, ok := FastestAndCheapest([]float64{1, 2}, []float64{1}); ok {
		t.Error("FastestAndCheapest of unequal lengths found a configuration")
	}
}

// TestRulesStateTheTolerance checks that the rules' words say RecommendTolerance.
func TestRulesStateTheTolerance(t *testing.T) {
	if TolerancePercent != "5%" {
		t.Errorf("TolerancePercent = %q; want 5%% for RecommendTolerance %g", TolerancePercent, RecommendTolerance)
	}
	for _, rule := range []string{CheapestRule, RecommendRule} {
		if !strings.Contains(rule, "within "+TolerancePercent+" of the") {
			t.Errorf("%q does not say within %s", rule, TolerancePercent)
		}
	}
}
