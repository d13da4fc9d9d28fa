package costmodel

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"tunesim/estimators"
	"tunesim/scenarios"
	"tunesim/trace"
	"tunesim/tuning"
)

// LearnedIterations is what runs of one scenario on Spark say of its iterative solver
// (estimators.Iterative: L-BFGS's loss evaluations, KMeans' Lloyd iterations): the iterations each
// fit took, counted from its jobs, and per param map their mean.
type LearnedIterations struct {
	// Scenario is the scenario's name; Param the model input that says the iterations
	// ("logreg.iterations").
	Scenario string `json:"scenario"`
	Param    string `json:"param"`
	// PerParamMap is, in grid order, the rounded mean of the iterations the param map's fits took
	// (in every run given); Expected what the scenario says (its Param, or the bound it stands
	// for).
	PerParamMap []int `json:"per_param_map"`
	Expected    []int `json:"expected"`
	// Seen is how many fits of each param map were counted (0: PerParamMap is the scenario's).
	Seen []int `json:"fits_counted"`
}

// Differs says whether Spark took other iterations than the scenario expects for some param map.
func (l *LearnedIterations) Differs() bool { return !slices.Equal(l.PerParamMap, l.Expected) }

// Apply returns a copy of scenario s (the one the iterations were learned from, at any size)
// whose pipeline.params give each param map the iterations learned, so that its plan runs the
// loss evaluations or Lloyd iterations Spark ran.
func (l *LearnedIterations) Apply(s *scenarios.Scenario) (*scenarios.Scenario, error) {
	per := make([]float64, len(l.PerParamMap))
	for i, n := range l.PerParamMap {
		per[i] = float64(n)
	}
	return withIterations(s, l.Param, per)
}

// LearnIterations counts, for every run whose scenario's predictor is iterative, the jobs at the
// solver's call site in each fit of its trace (a Spark event log names each job after it: the
// "treeAggregate at RDDLossFunction.scala" of every loss evaluation, the "collectAsMap at
// KMeans.scala" of every Lloyd iteration), and turns them into iterations per param map, one
// result per scenario name in the order the runs give them. Fits without such jobs (a
// LinearRegression solved by the normal equations) are not counted; a scenario none of whose fits
// has them is left out.
func LearnIterations(runs []Run) []LearnedIterations {
	var out []LearnedIterations
	index := map[string]int{}
	sums := map[string][]int{}
	for _, r := range runs {
		s := r.Plan.Scenario
		it, prefix := iterativeOf(s)
		if it == nil {
			continue
		}
		i, ok := index[s.Name]
		if !ok {
			maps := s.Pipeline.Grid.ParamMaps()
			l := LearnedIterations{Scenario: s.Name, Param: prefix + "." + it.Param,
				PerParamMap: make([]int, len(maps)), Expected: expectedIterations(s, it), Seen: make([]int, len(maps))}
			i, index[s.Name] = len(out), len(out)
			out = append(out, l)
			sums[s.Name] = make([]int, len(maps))
		}
		l := &out[i]
		for _, fc := range countFits(r.Trace, it.Site, len(r.Plan.Fits)) {
			n, ok := it.Iterations(fc.jobs)
			if !ok || fc.paramMap < 0 || fc.paramMap >= len(l.Seen) {
				continue
			}
			l.Seen[fc.paramMap]++
			sums[s.Name][fc.paramMap] += n
		}
	}
	kept := out[:0]
	for _, l := range out {
		counted := false
		for m, seen := range l.Seen {
			if seen == 0 {
				l.PerParamMap[m] = l.Expected[m]
				continue
			}
			counted = true
			l.PerParamMap[m] = int(math.Round(float64(sums[l.Scenario][m]) / float64(seen)))
		}
		if counted {
			kept = append(kept, l)
		}
	}
	return kept
}

// iterativeOf is the scenario's predictor's iterative solver and the predictor's param prefix
// (nil when it has none).
func iterativeOf(s *scenarios.Scenario) (*estimators.Iterative, string) {
	if s == nil || s.Validate("scenario "+s.Name) != nil {
		return nil, ""
	}
	u := s.Units().Predictor()
	return u.Iterative, u.Prefix
}

// expectedIterations is, per param map, the iterations scenario s says its iterative solver takes
// (its Param, or for 0 the Bound it stands for).
func expectedIterations(s *scenarios.Scenario, it *estimators.Iterative) []int {
	u := s.Units().Predictor()
	var out []int
	for _, m := range s.Pipeline.Grid.ParamMaps() {
		v := u.Values(s.Pipeline.Source(m))
		n := v.Int(it.Param)
		if n <= 0 {
			n = v.Int(it.Bound)
		}
		out = append(out, n)
	}
	return out
}

// fitCount is one fit's jobs at a solver's call site.
type fitCount struct {
	fit, paramMap, jobs int
}

// countFits counts, per fit of a trace (fits 0 to fits-1), its counted jobs whose name starts with
// site.
func countFits(t *trace.Trace, site string, fits int) []fitCount {
	counts := make([]fitCount, fits)
	for i := range counts {
		counts[i] = fitCount{fit: i, paramMap: trace.None}
	}
	for _, sp := range t.Spans {
		if sp.Fit < 0 || sp.Fit >= fits {
			continue
		}
		c := &counts[sp.Fit]
		if sp.ParamMap >= 0 {
			c.paramMap = sp.ParamMap
		}
		if sp.Kind == trace.KindJob && sp.Counted() && strings.HasPrefix(sp.Name, site) {
			c.jobs++
		}
	}
	return counts
}

// withIterations is a copy of s whose pipeline.params set param per param map (replacing what s
// gave it).
func withIterations(s *scenarios.Scenario, param string, per []float64) (*scenarios.Scenario, error) {
	c := *s
	c.Pipeline.Params = nil
	for _, st := range s.Pipeline.Params {
		if st.Name != param {
			c.Pipeline.Params = append(c.Pipeline.Params, st)
		}
	}
	c.Pipeline.Params = append(c.Pipeline.Params, scenarios.Setting{Name: param, PerMap: per})
	if err := c.Validate("scenario " + s.Name + " with learned " + param); err != nil {
		return nil, err
	}
	return &c, nil
}

// conformIterations returns run r with a plan whose fits run the iterations Spark ran: every fit
// whose trace holds another number of jobs than its plan, and whose iterative solver's jobs it
// counts, is rebuilt with those iterations, so that calibration matches its tasks instead of
// skipping it. A run without an iterative solver, or whose fits all match, is returned as it is.
func conformIterations(r Run) (Run, error) {
	s := r.Plan.Scenario
	it, prefix := iterativeOf(s)
	if it == nil {
		return r, nil
	}
	param := prefix + "." + it.Param
	counts := countFits(r.Trace, it.Site, len(r.Plan.Fits))
	jobs := r.Trace.JobsByFit()
	// The scenario's own iterations per param map, but the refit's param map's what the refit took
	// (costmodel's observe rebuilds the refit from the plan's scenario for its param map).
	maps := s.Pipeline.Grid.ParamMaps()
	per := make([]float64, len(maps))
	u := s.Units().Predictor()
	for m := range maps {
		per[m] = float64(u.Values(s.Pipeline.Source(maps[m])).Int(it.Param))
	}
	refit := counts[len(counts)-1]
	if n, ok := it.Iterations(refit.jobs); ok && refit.paramMap >= 0 && refit.paramMap < len(per) {
		per[refit.paramMap] = float64(n)
	}
	changed := false
	plans := map[int]*tuning.Plan{} // by iterations
	fits := slices.Clone(r.Plan.Fits)
	for f, c := range counts {
		n, ok := it.Iterations(c.jobs)
		if !ok || jobs[f] == fits[f].Jobs() {
			continue
		}
		p := plans[n]
		if p == nil {
			one, err := withIterations(s, param, slices.Repeat([]float64{float64(n)}, len(maps)))
			if err != nil {
				return r, err
			}
			if p, err = tuning.New(one); err != nil {
				return r, fmt.Errorf("rebuilding fit %d with %d iterations: %w", f, n, err)
			}
			plans[n] = p
		}
		fit := p.Fits[f]
		if fits[f].Refit && c.paramMap >= 0 {
			fit = *p.WithRefit(c.paramMap).Refit()
		}
		fits[f], changed = fit, true
	}
	if !changed {
		return r, nil
	}
	conformed, err := withIterations(s, param, per)
	if err != nil {
		return r, err
	}
	q := *r.Plan
	q.Scenario, q.Fits = conformed, fits
	return Run{Plan: &q, Trace: r.Trace}, nil
}
