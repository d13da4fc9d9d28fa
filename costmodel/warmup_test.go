package costmodel

import (
	"testing"
	"time"

	"tunesim/tuning"
)

func TestWarmCurveAt(t *testing.T) {
	c := WarmCurve{{Until: time.Second, Factor: 3}, {Until: 3 * time.Second, Factor: 1.5}}
	for _, tc := range []struct {
		at   time.Duration
		want float64
	}{
		{0, 3}, {999 * time.Millisecond, 3}, {time.Second, 1.5}, {2999 * time.Millisecond, 1.5},
		{3 * time.Second, 1}, {time.Hour, 1},
	} {
		if got := c.At(tc.at); got != tc.want {
			t.Errorf("At(%v) = %v, want %v", tc.at, got, tc.want)
		}
	}
	if got := (WarmCurve)(nil).At(0); got != 1 {
		t.Errorf("an empty curve gives %v, want 1", got)
	}
}

// TestScaleFitWork: only the CPU work a warm-up slows (tasks' CPU, driver steps) scales, only in
// the fit named; off-CPU waits and the scheduler's times stay.
func TestScaleFitWork(t *testing.T) {
	step := func(d time.Duration) MeasuredStep {
		return MeasuredStep{Driver: d, Tasks: [][]time.Duration{{d, 2 * d}}, Waits: [][]time.Duration{{d, d}},
			Submit: []time.Duration{d}, Result: d}
	}
	p := &tuning.Plan{Fits: []tuning.Fit{
		{Steps: []tuning.Step{{Kind: tuning.StepDriver}, {Kind: tuning.StepJob, Stages: []tuning.Stage{{Tasks: 2}}}}},
		{Steps: []tuning.Step{{Kind: tuning.StepDriver}, {Kind: tuning.StepJob, Stages: []tuning.Stage{{Tasks: 2}}}}},
	}}
	ms := time.Millisecond
	m, err := NewMeasured(p, [][]MeasuredStep{{{Driver: 10 * ms}, step(10 * ms)}, {{Driver: 10 * ms}, step(10 * ms)}})
	if err != nil {
		t.Fatal(err)
	}
	s := m.ScaleFitWork(0, 0.5)
	ref := tuning.TaskRef{Fit: 0, Step: 1, Part: 1}
	if got := s.Task(ref); got != 10*ms {
		t.Errorf("fit 0's task: %v, want 10ms (20ms halved)", got)
	}
	if got := s.TaskWait(ref); got != 10*ms {
		t.Errorf("fit 0's wait: %v, want 10ms (unscaled)", got)
	}
	if got := s.Driver(tuning.DriverRef{Fit: 0, Step: 0}); got != 5*ms {
		t.Errorf("fit 0's driver step: %v, want 5ms", got)
	}
	if got := s.Submit(0, 1, 0); got != 10*ms {
		t.Errorf("fit 0's submit: %v, want 10ms (unscaled)", got)
	}
	if got := s.Task(tuning.TaskRef{Fit: 1, Step: 1, Part: 1}); got != 20*ms {
		t.Errorf("fit 1's task: %v, want 20ms (another fit)", got)
	}
	if got := m.Task(ref); got != 20*ms {
		t.Errorf("the original model changed: %v, want 20ms", got)
	}
}
