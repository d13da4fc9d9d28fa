package trace

import (
	"math"
	"testing"
)

func results(makespans ...float64) []Result {
	var rs []Result
	for i, m := range makespans {
		rs = append(rs, Result{Parallelism: i + 1, Runs: 1, Makespan: NewSpread([]float64{m}), Speedup: NewSpread([]float64{makespans[0] / m})})
	}
	return rs
}

func TestCompare(t *testing.T) {
	for _, c := range []struct {
		name               string
		sim, real          []float64
		errs               []float64
		median, max        float64
		rec, realRec, fast int
		holds              bool
	}{
		{"exact", []float64{4, 2, 1.5}, []float64{4, 2, 1.5}, []float64{0, 0, 0}, 0, 0, 3, 3, 3, true},
		{"off both ways", []float64{4.4, 1.8, 1.5}, []float64{4, 2, 1.5}, []float64{10, -10, 0}, 10, 10, 3, 3, 3, true},
		// The simulation flattens at 2; the measurement keeps improving: its choice misses by 25%.
		{"recommendation misses", []float64{4, 2, 2}, []float64{4, 2, 1.6}, []float64{0, 0, 25}, 0, 25, 2, 3, 3, false},
		// Within 5% of the fastest counts as holding.
		{"recommendation within tolerance", []float64{4, 2, 2}, []float64{4, 1.62, 1.6}, []float64{0, 100 * (2 - 1.62) / 1.62, 25}, 100 * (2 - 1.62) / 1.62, 25, 2, 2, 3, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := Compare(results(c.sim...), results(c.real...))
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range got.Rows {
				if math.Abs(r.ErrorPct-c.errs[i]) > 1e-9 || r.SimulatedS != c.sim[i] || r.RealS != c.real[i] || r.Parallelism != i+1 {
					t.Errorf("row %d: %+v, want error %.3f%%", i, r, c.errs[i])
				}
			}
			if math.Abs(got.MedianAbsErrorPct-c.median) > 1e-9 || math.Abs(got.MaxAbsErrorPct-c.max) > 1e-9 {
				t.Errorf("median/max |error| %v/%v, want %v/%v", got.MedianAbsErrorPct, got.MaxAbsErrorPct, c.median, c.max)
			}
			if got.RecommendedParallelism != c.rec || got.RealRecommended != c.realRec || got.RealFastest != c.fast || got.RecommendationHolds != c.holds {
				t.Errorf("recommended %d, real %d, fastest %d, holds %v; want %d, %d, %d, %v",
					got.RecommendedParallelism, got.RealRecommended, got.RealFastest, got.RecommendationHolds, c.rec, c.realRec, c.fast, c.holds)
			}
		})
	}
	if _, err := Compare(results(1, 2), results(1)); err == nil {
		t.Error("comparing 2 simulated results with 1 measured: no error")
	}
}
