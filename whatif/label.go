package whatif

import (
	"fmt"

	"tunesim/trace"
)

// Label marks the spans of the log's own trace (sparklog.Read of the same log) with the fits the
// finder found — each job's, stage's and task's fit, param map and fold — and adds a span per fit
// on the tuner thread that ran it, so the real run draws as a timeline like a simulated one (and
// the user sees which jobs were taken for which fit). Spans outside the tuning keep no fit.
func (t *Tuning) Label(tr *trace.Trace) {
	fitOf := map[int]int{}
	for i, f := range t.Fits {
		for _, j := range f.Jobs {
			fitOf[j.ID] = i
		}
	}
	for i := range tr.Spans {
		sp := &tr.Spans[i]
		if sp.Job == trace.None {
			continue
		}
		if fi, ok := fitOf[sp.Job]; ok {
			f := &t.Fits[fi]
			sp.Fit, sp.ParamMap, sp.Fold = fi, f.ParamMap, f.Fold
		}
	}
	tr.ParamMaps = tr.ParamMaps[:0]
	for m := 0; m < t.ParamMaps; m++ {
		tr.ParamMaps = append(tr.ParamMaps, fmt.Sprintf("param map %d", m))
	}
	for i, f := range t.Fits {
		sp := trace.FitSpan(f.Refit, 0, f.Start, f.End)
		sp.Fit, sp.ParamMap, sp.Fold = i, f.ParamMap, f.Fold
		tr.Spans = append(tr.Spans, sp)
	}
	tr.Fits = len(t.Fits)
	if tr.Parallelism == 0 {
		tr.Parallelism = 1
	}
}
