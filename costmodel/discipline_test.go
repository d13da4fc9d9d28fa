package costmodel_test

import (
	"math"
	"testing"
	"time"

	"tunesim/costmodel"
)

// TestCalibrateUndoesGoScheduling calibrates on simulated serial runs of a known profile whose
// hosts run Go's scheduler (8 partitions on 2 cores: a stage's 8 tasks queue for the cores and,
// longer than the quantum, take turns), as `simulate real` runs do, and checks that the fit
// predicts every observation, keeps the discipline, and reproduces the profile's makespans at
// other parallelisms. Undoing processor sharing on the same traces instead misplaces work
// between the tasks that took turns.
func TestCalibrateUndoesGoScheduling(t *testing.T) {
	const quantum = 500 * time.Microsecond
	want := truth(t)
	want.Scheduling = &costmodel.HostScheduling{Discipline: costmodel.DisciplineGo, QuantumS: quantum.Seconds(), Source: "test"}
	base, _ := costmodel.Load("default", "")
	run := simulated(t, "seed-8-partitions", 1, 2, want)
	cal, err := costmodel.Calibrate([]costmodel.Run{run}, costmodel.CalibrateOptions{Base: base, Name: "fitted"})
	if err != nil {
		t.Fatal(err)
	}
	if len(cal.Skipped) > 0 {
		t.Fatalf("skipped fits of a simulated trace: %v", cal.Skipped)
	}
	if s := cal.Profile.HostScheduling(); !s.Queued() || s.Quantum() != quantum {
		t.Errorf("calibrated profile's scheduling %+v, want Go's with quantum %v", s, quantum)
	}
	worst := 0.0
	for _, pt := range cal.Points {
		worst = max(worst, math.Abs(pt.Predicted-pt.Measured)-1e-3*pt.Measured)
	}
	if worst > 1e-6 {
		t.Errorf("an observation is predicted %.6f s off", worst)
	}
	for _, p := range []int{1, 3, 8} {
		mt := simulated(t, "seed-8-partitions", p, 2, want).Trace.Metrics().Makespan
		mg := simulated(t, "seed-8-partitions", p, 2, cal.Profile).Trace.Metrics().Makespan
		if e := math.Abs(mg.Seconds()/mt.Seconds() - 1); e > 0.005 {
			t.Errorf("parallelism %d: calibrated profile predicts %v, the true one %v (%.2f%% off)", p, mg, mt, 100*e)
		}
	}

	// The same traces with their discipline forgotten: processor sharing is undone instead.
	forgot := run
	tr := *run.Trace
	tr.Attrs = map[string]string{}
	for k, v := range run.Trace.Attrs {
		if k != costmodel.AttrHostScheduling && k != costmodel.AttrQuantum {
			tr.Attrs[k] = v
		}
	}
	forgot.Trace = &tr
	wrong, err := costmodel.Calibrate([]costmodel.Run{forgot}, costmodel.CalibrateOptions{Base: base, Name: "fitted"})
	if err != nil {
		t.Fatal(err)
	}
	if wrong.Profile.HostScheduling().Queued() {
		t.Error("a profile calibrated from traces that do not say Go's scheduler ran them selects it")
	}
	worstWrong := 0.0
	for _, pt := range wrong.Points {
		worstWrong = max(worstWrong, math.Abs(pt.Predicted-pt.Measured)-1e-3*pt.Measured)
	}
	t.Logf("worst observation off by %.6f s undoing Go's scheduler, %.6f s undoing sharing", worst, worstWrong)
	if worstWrong <= 10*max(worst, 1e-6) {
		t.Errorf("undoing sharing on Go's turns fits as well (worst %.6f s) as undoing Go's scheduler (%.6f s)", worstWrong, worst)
	}
}
