package whatif

import (
	"math/rand/v2"
	"slices"
	"testing"

	"tunesim/trace"
)

// results makes predicted results from makespans by parallelism.
func results(byP map[int]float64) []trace.Result {
	var rs []trace.Result
	for p, m := range byP {
		rs = append(rs, trace.Result{Parallelism: p, Runs: 1, Makespan: trace.NewSpread([]float64{m})})
	}
	return rs
}

func TestRecommend(t *testing.T) {
	cases := []struct {
		name string
		byP  map[int]float64
		maps int
		want int
	}{
		{"none", map[int]float64{}, 4, 0},
		{"one fastest, no ties", map[int]float64{1: 10, 2: 8, 3: 7, 4: 7.5}, 4, 3},
		{"the largest of the ties", map[int]float64{1: 10, 2: 7.02, 3: 7, 4: 7.05}, 4, 4},
		{"just outside the slack is no tie", map[int]float64{1: 10, 2: 7, 3: 7*(1+RecommendTolerance) + 1e-3, 4: 7.5}, 4, 2},
		{"just inside the slack is a tie", map[int]float64{1: 10, 2: 7, 3: 7.2, 4: 7*(1+RecommendTolerance) - 1e-3}, 4, 4},
		{"ties beyond the param maps change nothing", map[int]float64{1: 10, 2: 6, 3: 6, 4: 6, 8: 6, 16: 6}, 4, 4},
		{"no limit without param maps", map[int]float64{1: 10, 2: 6, 16: 6}, 0, 16},
		{"no tie up to the param maps: the smallest", map[int]float64{1: 10, 6: 6, 8: 6}, 4, 6},
		{"a slower larger one is no tie", map[int]float64{1: 10, 2: 6, 4: 7}, 4, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Recommend(results(c.byP), c.maps); got != c.want {
				t.Errorf("Recommend(%v, %d) = %d, want %d", c.byP, c.maps, got, c.want)
			}
		})
	}
}

// TestRecommendIsATie checks over many random sweeps that the choice is within the slack of the
// fastest, no larger than the param maps when any tie is, and that no larger tie up to them exists.
func TestRecommendIsATie(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for i := range 2000 {
		byP := map[int]float64{}
		n := 1 + rng.IntN(12)
		for p := 1; p <= n; p++ {
			byP[p] = 5 + rng.Float64()*0.2
		}
		maps := rng.IntN(8)
		rec := Recommend(results(byP), maps)
		best := byP[1]
		for _, m := range byP {
			best = min(best, m)
		}
		if byP[rec] > best*(1+RecommendTolerance) {
			t.Fatalf("case %d: %v: chose %d at %.4f, fastest %.4f", i, byP, rec, byP[rec], best)
		}
		if maps > 0 && rec > maps {
			for p, m := range byP {
				if m <= best*(1+RecommendTolerance) && p < rec {
					t.Fatalf("case %d: %v maps %d: chose %d beyond the param maps, but %d is a smaller tie", i, byP, maps, rec, p)
				}
			}
		}
		for p, m := range byP {
			if m <= best*(1+RecommendTolerance) && p > rec && (maps == 0 || p <= maps) {
				t.Fatalf("case %d: %v maps %d: chose %d, but %d is a larger tie", i, byP, maps, rec, p)
			}
		}
		// The ties it reports hold the choice, are each within the slack, and stop at the param
		// maps when any tie is up to them.
		ties := Ties(results(byP), maps)
		if !slices.Contains(ties, rec) {
			t.Fatalf("case %d: %v maps %d: chose %d, not among its ties %v", i, byP, maps, rec, ties)
		}
		for _, p := range ties {
			if byP[p] > best*(1+RecommendTolerance) || (maps > 0 && p > maps && ties[0] <= maps) {
				t.Fatalf("case %d: %v maps %d: tie %d of %v", i, byP, maps, p, ties)
			}
		}
	}
}
