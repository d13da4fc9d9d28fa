package trace

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"time"
)

// Spread is a figure over replicas (or repeated runs): its 10th, 50th and 90th percentiles.
// A single run has all three equal.
type Spread struct {
	P10, P50, P90 float64
}

// NewSpread summarizes xs (linear interpolation between order statistics). xs is not modified.
func NewSpread(xs []float64) Spread {
	if len(xs) == 0 {
		return Spread{}
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return Spread{P10: Quantile(s, 0.1), P50: Quantile(s, 0.5), P90: Quantile(s, 0.9)}
}

// Quantile is the q-quantile of sorted values, interpolating linearly between order statistics.
func Quantile(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return math.NaN()
	}
	pos := q * float64(len(sorted)-1)
	lo := int(math.Floor(pos))
	if lo+1 >= len(sorted) {
		return sorted[len(sorted)-1]
	}
	return sorted[lo] + (pos-float64(lo))*(sorted[lo+1]-sorted[lo])
}

// Result is one row of a sweep: the figures of the runs at one parallelism.
type Result struct {
	Parallelism int
	// Runs is the number of replicas (simulated) or repetitions (real) summarized.
	Runs int
	// Makespan is in seconds; Speedup is over the serial runs paired with these runs.
	Makespan, Speedup, Utilization, IdleCoreSeconds, MeanConcurrentFits Spread
	// Tasks, Jobs and Fits count the first run's spans.
	Tasks, Jobs, Fits int
}

// Summarize makes the Result of runs at one parallelism. serial, when not nil, holds the
// makespans of the serial runs paired with runs (same replica), for the speedup.
func Summarize(parallelism int, runs []Metrics, serial []time.Duration) Result {
	r := Result{Parallelism: parallelism, Runs: len(runs)}
	n := len(runs)
	mk, sp, ut, idle, fits := make([]float64, n), make([]float64, 0, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for i, m := range runs {
		mk[i] = m.Makespan.Seconds()
		ut[i] = m.Utilization()
		idle[i] = m.IdleCoreSeconds()
		fits[i] = m.MeanConcurrentFits()
		if i < len(serial) {
			sp = append(sp, Speedup(serial[i], m.Makespan))
		}
	}
	r.Makespan, r.Speedup, r.Utilization = NewSpread(mk), NewSpread(sp), NewSpread(ut)
	r.IdleCoreSeconds, r.MeanConcurrentFits = NewSpread(idle), NewSpread(fits)
	if n > 0 {
		r.Tasks, r.Jobs, r.Fits = runs[0].Tasks, runs[0].Jobs, runs[0].Fits
	}
	return r
}

// Figures names each figure of a Result by its JSON key, in output order.
func (r *Result) Figures() []NamedSpread {
	return []NamedSpread{
		{"makespan_s", &r.Makespan},
		{"speedup", &r.Speedup},
		{"utilization", &r.Utilization},
		{"idle_core_s", &r.IdleCoreSeconds},
		{"mean_concurrent_fits", &r.MeanConcurrentFits},
	}
}

// NamedSpread is a figure of a Result and its JSON key.
type NamedSpread struct {
	Key    string
	Spread *Spread
}

// MarshalJSON writes the figures' medians under their keys and, with more than one run, their
// _p10/_p50/_p90 beside them.
func (r Result) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, `{"parallelism":%d,"runs":%d`, r.Parallelism, r.Runs)
	for _, f := range r.Figures() {
		fmt.Fprintf(&b, `,%q:%s`, f.Key, num(f.Spread.P50))
		if r.Runs > 1 {
			fmt.Fprintf(&b, `,"%s_p10":%s,"%s_p50":%s,"%s_p90":%s`, f.Key, num(f.Spread.P10), f.Key, num(f.Spread.P50), f.Key, num(f.Spread.P90))
		}
	}
	fmt.Fprintf(&b, `,"tasks":%d,"jobs":%d,"fits":%d}`, r.Tasks, r.Jobs, r.Fits)
	return b.Bytes(), nil
}

// UnmarshalJSON reads what MarshalJSON writes.
func (r *Result) UnmarshalJSON(b []byte) error {
	var m map[string]float64
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("result: %w", err)
	}
	r.Parallelism, r.Runs = int(m["parallelism"]), int(m["runs"])
	r.Tasks, r.Jobs, r.Fits = int(m["tasks"]), int(m["jobs"]), int(m["fits"])
	for _, f := range r.Figures() {
		v := m[f.Key]
		*f.Spread = Spread{P10: v, P50: v, P90: v}
		if p, ok := m[f.Key+"_p10"]; ok {
			f.Spread.P10, f.Spread.P90 = p, m[f.Key+"_p90"]
		}
	}
	return nil
}

// num formats a float for JSON with the shortest exact representation (NaN and Inf as null).
func num(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "null"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// RecommendTolerance is the recommendation rule's slack: the smallest parallelism whose median
// makespan is within this fraction of the best median makespan.
const RecommendTolerance = 0.05

// Recommend returns the smallest parallelism whose median makespan is within
// RecommendTolerance of the best, or 0 when results is empty.
func Recommend(results []Result) int { return RecommendWithin(results, RecommendTolerance) }

// RecommendWithin returns the smallest parallelism whose median makespan is within tol (a
// fraction) of the best, or 0 when results is empty: the first of Ties.
func RecommendWithin(results []Result, tol float64) int {
	if ties := Ties(results, tol); len(ties) > 0 {
		return ties[0]
	}
	return 0
}

// RecommendRule says in words how Recommend chooses.
var RecommendRule = RuleWithin(RecommendTolerance)

// Ties are the parallelisms of results whose median makespan is within tol (a fraction) of the
// fastest's, in increasing order: what a rule with slack tol chooses among, and what a user may
// pick from when the largest costs more than it gives (memory, a busier cluster).
func Ties(results []Result, tol float64) []int {
	best := math.Inf(1)
	for _, r := range results {
		best = math.Min(best, r.Makespan.P50)
	}
	var ties []int
	for _, r := range results {
		if r.Makespan.P50 <= best*(1+tol) {
			ties = append(ties, r.Parallelism)
		}
	}
	slices.Sort(ties)
	return slices.Compact(ties)
}

// RuleWithin says in words how RecommendWithin chooses with slack tol.
func RuleWithin(tol float64) string {
	return "recommended: the smallest parallelism whose median makespan is within " + fmt.Sprintf("%g%%", 100*tol) + " of the best"
}
