package trace

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestTies(t *testing.T) {
	res := func(byP map[int]float64) []Result {
		var rs []Result
		for p, m := range byP {
			rs = append(rs, Result{Parallelism: p, Runs: 1, Makespan: NewSpread([]float64{m})})
		}
		return rs
	}
	cases := []struct {
		name string
		byP  map[int]float64
		tol  float64
		want []int
	}{
		{"none", map[int]float64{}, 0.05, nil},
		{"one", map[int]float64{1: 10}, 0.05, []int{1}},
		{"the fastest alone", map[int]float64{1: 10, 2: 8, 3: 7}, 0.05, []int{3}},
		{"within the slack, in order", map[int]float64{4: 7.2, 1: 10, 2: 7, 3: 7.3}, 0.05, []int{2, 3, 4}},
		{"the slack's edge counts", map[int]float64{1: 10.5, 2: 10}, 0.05, []int{1, 2}},
		{"no slack: equal ones only", map[int]float64{1: 6, 2: 6, 3: 6.0001}, 0, []int{1, 2}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Ties(res(c.byP), c.tol); !slices.Equal(got, c.want) {
				t.Errorf("Ties(%v, %g) = %v, want %v", c.byP, c.tol, got, c.want)
			}
		})
	}
	// Over random sweeps: the ties are in order, each within the slack, every other beyond it, and
	// RecommendWithin is the smallest parallelism within the slack, worked out here directly.
	rng := rand.New(rand.NewPCG(3, 5))
	for i := range 1000 {
		byP := map[int]float64{}
		for p := 1; p <= 1+rng.IntN(10); p++ {
			byP[p] = 4 + rng.Float64()
		}
		tol := rng.Float64() * 0.1
		rs := res(byP)
		ties := Ties(rs, tol)
		best := math.Inf(1)
		for _, m := range byP {
			best = math.Min(best, m)
		}
		smallest := math.MaxInt
		for p, m := range byP {
			if m <= best*(1+tol) {
				smallest = min(smallest, p)
			}
		}
		if !slices.IsSorted(ties) || RecommendWithin(rs, tol) != smallest {
			t.Fatalf("case %d: %v tol %g: ties %v, RecommendWithin %d, want %d", i, byP, tol, ties, RecommendWithin(rs, tol), smallest)
		}
		for p, m := range byP {
			if (m <= best*(1+tol)) != slices.Contains(ties, p) {
				t.Fatalf("case %d: %v tol %g: ties %v, %d at %g", i, byP, tol, ties, p, m)
			}
		}
	}
}
