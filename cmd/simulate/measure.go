package main

import (
	"context"
	"fmt"
	"runtime"
	"time"

	"tunesim/realrun"
	"tunesim/scenarios"
	"tunesim/trace"
	"tunesim/tuning"
)

// measurer runs a scenario for real at one parallelism: with goroutines (realrun) or on Spark.
type measurer interface {
	// source is the traces' source: "real" or "spark".
	source() string
	measure(ctx context.Context, s *scenarios.Scenario, parallelism int) (*measurement, error)
}

// measurement is one measured run: its trace, the plan it executed and the tuner's choice.
type measurement struct {
	trace      *trace.Trace
	plan       *tuning.Plan
	bestParams map[string]float64
	bestMetric float64
}

// measured is every run at every parallelism, in the order asked.
type measured struct {
	parallelisms []int
	runs         [][]*measurement // per parallelism, per repetition
}

// measureAll runs each parallelism runs times (round-robin over parallelisms, so slow drift of
// the machine touches them alike), reporting progress per run.
func measureAll(ctx context.Context, m measurer, s *scenarios.Scenario, ps []int, runs int, progress func(done, total int)) (*measured, error) {
	out := &measured{parallelisms: ps, runs: make([][]*measurement, len(ps))}
	total, done := len(ps)*runs, 0
	for r := 0; r < runs; r++ {
		for i, p := range ps {
			mt, err := m.measure(ctx, s, p)
			if err != nil {
				return nil, err
			}
			out.runs[i] = append(out.runs[i], mt)
			done++
			if progress != nil {
				progress(done, total)
			}
		}
	}
	return out, nil
}

// results summarizes each parallelism through trace.Summarize; speedups are over the serial
// runs when parallelism 1 was measured, else over the smallest parallelism measured.
func (ms *measured) results() ([]trace.Result, string) {
	ref := 0
	for i, p := range ms.parallelisms {
		if p < ms.parallelisms[ref] {
			ref = i
		}
	}
	var serial []time.Duration
	for _, mt := range ms.runs[ref] {
		serial = append(serial, mt.trace.Metrics().Makespan)
	}
	var out []trace.Result
	for i, p := range ms.parallelisms {
		var metrics []trace.Metrics
		for _, mt := range ms.runs[i] {
			metrics = append(metrics, mt.trace.Metrics())
		}
		out = append(out, trace.Summarize(p, metrics, serial))
	}
	note := ""
	if p := ms.parallelisms[ref]; p != 1 {
		note = fmt.Sprintf("note: speedup is over parallelism %d (1 was not measured)", p)
	}
	return out, note
}

// last is the final run at parallelism p (nil if p was not measured).
func (ms *measured) last(p int) *measurement {
	for i, q := range ms.parallelisms {
		if q == p && len(ms.runs[i]) > 0 {
			return ms.runs[i][len(ms.runs[i])-1]
		}
	}
	return nil
}

// realMeasurer runs scenarios with goroutines (package realrun).
type realMeasurer struct{}

func (realMeasurer) source() string { return "real" }

func (realMeasurer) measure(ctx context.Context, s *scenarios.Scenario, p int) (*measurement, error) {
	r, err := realrun.Run(ctx, s, realrun.Options{Parallelism: p})
	if err != nil {
		return nil, err
	}
	sc := *s
	sc.Tuner.Parallelism = p
	plan, err := tuning.New(&sc)
	if err != nil {
		return nil, err
	}
	return &measurement{trace: r.Trace, plan: plan.WithRefit(r.Best), bestParams: r.BestParams, bestMetric: r.BestMetric}, nil
}

// realHost describes this machine as a real run sees it.
func realHost() string {
	return fmt.Sprintf("%d cores (GOMAXPROCS), %s/%s, %s", runtime.GOMAXPROCS(0), runtime.GOOS, runtime.GOARCH, runtime.Version())
}
