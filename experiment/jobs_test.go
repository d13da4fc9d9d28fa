package experiment

import (
	"strings"
	"testing"

	"tunesim/costmodel"
	"tunesim/sim"
	"tunesim/trace"
)

// TestCheckJobsCountsEachFitAgainstItsPlan: a simulated run of the seed runs exactly its plan's
// jobs; taking one job away from one fit and adding one to another leaves the rest exact and
// names the furthest fit.
func TestCheckJobsCountsEachFitAgainstItsPlan(t *testing.T) {
	s := seed(t)
	plan, err := PlanOf(s, 2, 0)
	if err != nil {
		t.Fatal(err)
	}
	prof, err := costmodel.Load("gonum", "")
	if err != nil {
		t.Fatal(err)
	}
	tr, err := sim.Trace(plan, prof, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ms := &Measured{Parallelisms: []int{2}, Runs: [][]*Measurement{{{Trace: tr, Plan: plan}}}}
	planned := 0
	for i := range plan.Fits {
		planned += plan.Fits[i].Jobs()
	}
	if c := CheckJobs(ms); c.Fits != len(plan.Fits) || c.Exact != c.Fits || c.RanJobs != planned || c.PlanJobs != planned || c.Worst != "" {
		t.Fatalf("a simulated run of the plan: %+v; want all %d fits exact, %d jobs", c, len(plan.Fits), planned)
	}
	var spans []trace.Span
	dropped := false
	for _, sp := range tr.Spans {
		if sp.Kind == trace.KindJob && sp.Fit == 2 && !dropped {
			dropped = true
			continue
		}
		spans = append(spans, sp)
		if sp.Kind == trace.KindJob && sp.Fit == 0 && sp.Job == 0 {
			spans = append(spans, sp)
		}
	}
	tr.Spans = spans
	c := CheckJobs(ms)
	perFit := plan.Fits[2].Jobs()
	if c.Exact != c.Fits-2 || c.RanJobs != planned || !strings.Contains(c.Worst, "fit 2 (") && !strings.Contains(c.Worst, "fit 0 (") {
		t.Errorf("one job taken from fit 2, one added to fit 0: %+v (fit 2 plans %d jobs)", c, perFit)
	}
	if perFit < 10 && c.Within10 != c.Fits-2 {
		t.Errorf("within 10%%: %d of %d fits; one job off %d is more than 10%%", c.Within10, c.Fits, perFit)
	}
}
