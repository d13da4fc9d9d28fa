package trace

import (
	"fmt"
	"math"
	"sort"
)

// Comparison sets simulated results beside measured ones (real or Spark runs), parallelism by
// parallelism: how far the simulation is off, and whether its recommendation holds.
type Comparison struct {
	Rows []ComparisonRow `json:"rows"`
	// MedianAbsErrorPct and MaxAbsErrorPct are over the rows' makespan errors.
	MedianAbsErrorPct float64 `json:"median_abs_error_pct"`
	MaxAbsErrorPct    float64 `json:"max_abs_error_pct"`
	// RecommendedParallelism is the simulation's choice (RecommendRule over its results);
	// RealRecommended the same rule applied to the measured makespans, RealFastest the fastest.
	RecommendedParallelism int `json:"recommended_parallelism"`
	RealRecommended        int `json:"real_recommended_parallelism"`
	RealFastest            int `json:"real_fastest_parallelism"`
	// RecommendationHolds says the simulation's choice is within RecommendTolerance of the
	// fastest measured makespan.
	RecommendationHolds bool `json:"recommendation_holds"`
}

// ComparisonRow compares one parallelism: median makespans (with the measured spread), the
// simulation's error relative to the measurement, and both speedups.
type ComparisonRow struct {
	Parallelism      int     `json:"parallelism"`
	SimulatedS       float64 `json:"simulated_s"`
	RealS            float64 `json:"real_s"`
	RealP10S         float64 `json:"real_p10_s"`
	RealP90S         float64 `json:"real_p90_s"`
	ErrorPct         float64 `json:"error_pct"`
	SimulatedSpeedup float64 `json:"simulated_speedup"`
	RealSpeedup      float64 `json:"real_speedup"`
}

// Compare compares simulated and measured results of the same parallelisms, in the same order.
func Compare(simulated, measured []Result) (Comparison, error) {
	var c Comparison
	if len(measured) == 0 || len(simulated) != len(measured) {
		return c, fmt.Errorf("comparing %d simulated with %d measured results", len(simulated), len(measured))
	}
	var errs []float64
	fastest := measured[0]
	for i, m := range measured {
		s := simulated[i]
		if s.Parallelism != m.Parallelism {
			return c, fmt.Errorf("comparing parallelism %d simulated with %d measured", s.Parallelism, m.Parallelism)
		}
		row := ComparisonRow{Parallelism: m.Parallelism, SimulatedS: s.Makespan.P50, RealS: m.Makespan.P50,
			RealP10S: m.Makespan.P10, RealP90S: m.Makespan.P90, SimulatedSpeedup: s.Speedup.P50, RealSpeedup: m.Speedup.P50}
		if row.RealS > 0 {
			row.ErrorPct = 100 * (row.SimulatedS - row.RealS) / row.RealS
		}
		errs = append(errs, math.Abs(row.ErrorPct))
		c.Rows = append(c.Rows, row)
		if m.Makespan.P50 < fastest.Makespan.P50 {
			fastest = m
		}
	}
	sort.Float64s(errs)
	c.MedianAbsErrorPct, c.MaxAbsErrorPct = Quantile(errs, 0.5), errs[len(errs)-1]
	c.RecommendedParallelism, c.RealRecommended = Recommend(simulated), Recommend(measured)
	c.RealFastest = fastest.Parallelism
	for _, m := range measured {
		if m.Parallelism == c.RecommendedParallelism {
			c.RecommendationHolds = m.Makespan.P50 <= (1+RecommendTolerance)*fastest.Makespan.P50
		}
	}
	return c, nil
}
