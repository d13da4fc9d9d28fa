package experiment

import (
	"context"
	"fmt"
	"maps"
	"time"

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
}

// Measured is every run at every parallelism, in the order asked.
type Measured struct {
	Parallelisms []int
	// Runs holds, per parallelism (in the order of Parallelisms), the runs in the order they ran.
	Runs [][]*Measurement
}

// MeasureAll runs each parallelism runs times (round-robin over parallelisms, so slow drift of the
// machine touches them alike), after m's warm-up when it has one, calling progress (when not nil)
// after each run.
func MeasureAll(ctx context.Context, m Measurer, s *scenarios.Scenario, ps []int, runs int, progress func(done, total int)) (*Measured, error) {
	out := &Measured{Parallelisms: ps, Runs: make([][]*Measurement, len(ps))}
	if w, ok := m.(Warmer); ok {
		if err := w.WarmUp(ctx, s); err != nil {
			return nil, err
		}
	}
	total, done := len(ps)*runs, 0
	for r := 0; r < runs; r++ {
		for i, p := range ps {
			mt, err := m.Measure(ctx, s, p)
			if err != nil {
				return nil, err
			}
			out.Runs[i] = append(out.Runs[i], mt)
			done++
			if progress != nil {
				progress(done, total)
			}
		}
	}
	return out, nil
}

// Results summarizes each parallelism through trace.Summarize; speedups are over the serial runs
// when parallelism 1 was measured, else over the smallest parallelism measured, which note then
// says (note is empty otherwise).
func (ms *Measured) Results() (results []trace.Result, note string) {
	ref := 0
	for i, p := range ms.Parallelisms {
		if p < ms.Parallelisms[ref] {
			ref = i
		}
	}
	var serial []time.Duration
	for _, mt := range ms.Runs[ref] {
		serial = append(serial, mt.Trace.Metrics().Makespan)
	}
	for i, p := range ms.Parallelisms {
		var metrics []trace.Metrics
		for _, mt := range ms.Runs[i] {
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
