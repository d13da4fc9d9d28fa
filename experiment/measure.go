package experiment

import (
	"context"
	"fmt"
	"maps"
	"time"

	"tunesim/hostload"
	"tunesim/scenarios"
	"tunesim/trace"
	"tunesim/tuning"
)

// Measurer runs a scenario for real at one parallelism: with goroutines (Real) or on Spark (Spark).
type Measurer interface {
	// Source is the traces' source: "real" or "spark".
	Source() string
	// Measure runs s once at parallelism p.
	Measure(ctx context.Context, s *scenarios.Scenario, p int) (*Measurement, error)
}

// Warmer is a Measurer that needs an untimed run before the measured ones.
type Warmer interface {
	WarmUp(ctx context.Context, s *scenarios.Scenario) error
}

// Measurement is one measured run: its trace, the plan it executed and the tuner's choice.
type Measurement struct {
	Trace *trace.Trace
	Plan  *tuning.Plan
	// Best is the index of the best param map (the one refitted); BestParams names its values and
	// BestMetric is its metric.
	Best       int
	BestParams map[string]float64
	BestMetric float64
	// Attempts is how many times the run was made: 1, more when disturbed runs were run again.
	Attempts int
}

// Disturbed says the host disturbed the run (its trace's Disturbance says so; a run that was not
// watched was not).
func (mt *Measurement) Disturbed() bool {
	return mt.Trace.Disturbance != nil && mt.Trace.Disturbance.Disturbed
}

// Measured is every run at every parallelism, in the order asked.
type Measured struct {
	Parallelisms []int
	// Runs holds, per parallelism (in the order of Parallelisms), the runs in the order they ran.
	Runs [][]*Measurement
	// Threshold is what judged the runs disturbed.
	Threshold hostload.Threshold
}

// Counted is the runs of parallelism index i that count in the figures: the undisturbed ones, or
// all of them when every one was disturbed (AllDisturbed then says so).
func (ms *Measured) Counted(i int) []*Measurement {
	var quiet []*Measurement
	for _, mt := range ms.Runs[i] {
		if !mt.Disturbed() {
			quiet = append(quiet, mt)
		}
	}
	if len(quiet) == 0 {
		return ms.Runs[i]
	}
	return quiet
}

// CountedAt is the counted runs (see Counted) of parallelism p, none when p was not measured.
func (ms *Measured) CountedAt(p int) []*Measurement {
	for i, q := range ms.Parallelisms {
		if q == p {
			return ms.Counted(i)
		}
	}
	return nil
}

// AllDisturbed says every run of parallelism index i was disturbed, so its figures rest on
// disturbed runs.
func (ms *Measured) AllDisturbed(i int) bool {
	for _, mt := range ms.Runs[i] {
		if !mt.Disturbed() {
			return false
		}
	}
	return len(ms.Runs[i]) > 0
}

// Disturbed says some parallelism's figures rest on disturbed runs.
func (ms *Measured) Disturbed() bool {
	for i := range ms.Runs {
		if ms.AllDisturbed(i) {
			return true
		}
	}
	return false
}

// LeftOut counts the disturbed runs left out of the figures.
func (ms *Measured) LeftOut() int {
	n := 0
	for i := range ms.Runs {
		n += len(ms.Runs[i]) - len(ms.Counted(i))
	}
	return n
}

// Results summarizes each parallelism's counted runs through trace.Summarize; speedups are over
// the serial runs when parallelism 1 was measured, else over the smallest parallelism measured,
// which note then says (note is empty otherwise).
func (ms *Measured) Results() (results []trace.Result, note string) {
	ref := 0
	for i, p := range ms.Parallelisms {
		if p < ms.Parallelisms[ref] {
			ref = i
		}
	}
	var serial []time.Duration
	for _, mt := range ms.Counted(ref) {
		serial = append(serial, mt.Trace.Metrics().Makespan)
	}
	for i, p := range ms.Parallelisms {
		var metrics []trace.Metrics
		for _, mt := range ms.Counted(i) {
			metrics = append(metrics, mt.Trace.Metrics())
		}
		results = append(results, trace.Summarize(p, metrics, serial))
	}
	if p := ms.Parallelisms[ref]; p != 1 {
		note = fmt.Sprintf("note: speedup is over parallelism %d (1 was not measured)", p)
	}
	return results, note
}

// First is the first run of the first parallelism.
func (ms *Measured) First() *Measurement { return ms.Runs[0][0] }

// Disagreements counts the runs that chose another best param map than the first run.
func (ms *Measured) Disagreements() int {
	first, n := ms.First(), 0
	for _, rs := range ms.Runs {
		for _, mt := range rs {
			if !maps.Equal(mt.BestParams, first.BestParams) {
				n++
			}
		}
	}
	return n
}

// PlanOf is the plan a measured run of s at parallelism p executed, refitting param map best.
func PlanOf(s *scenarios.Scenario, p, best int) (*tuning.Plan, error) {
	sc := *s
	sc.Tuner.Parallelism = p
	plan, err := tuning.New(&sc)
	if err != nil {
		return nil, err
	}
	return plan.WithRefit(best), nil
}
