package main

import (
	"context"
	"fmt"
	"maps"
	"runtime"
	"time"

	"tunesim/costmodel"
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
	if w, ok := m.(warmer); ok {
		if err := w.warmUp(ctx, s); err != nil {
			return nil, err
		}
	}
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

// report is the measured runs as run and sweep report simulations: medians with spread, speedup,
// the best param map of the first run and notes on what the runs disagreed on.
func (ms *measured) report(s *scenarios.Scenario, source, host string) *report {
	results, note := ms.results()
	rep := newReport(s, source, results)
	rep.Seed, rep.Replicas, rep.Host = s.Seed, len(ms.runs[0]), host
	first := ms.runs[0][0]
	rep.BestParamMap = first.bestParams
	if r := first.plan.Refit(); r != nil {
		rep.BestParamLabel = first.plan.ParamMaps[r.ParamMap].String()
	}
	metric := first.bestMetric
	rep.BestMetric = &metric
	if note != "" {
		rep.Notes = append(rep.Notes, note)
	}
	disagree := 0
	for _, rs := range ms.runs {
		for _, mt := range rs {
			if !maps.Equal(mt.bestParams, first.bestParams) {
				disagree++
			}
		}
	}
	if disagree > 0 {
		rep.Notes = append(rep.Notes, fmt.Sprintf("note: %d runs chose another best param map than the first run", disagree))
	}
	if s.Noise.TaskCV != 0 {
		rep.Notes = append(rep.Notes, "note: noise.task_cv applies to simulations only; measured runs vary by themselves")
	}
	rep.Notes = append(rep.Notes, "metric: RMSE on the validation split (mean over folds), smaller is better")
	return rep
}

// calibrateSerial fits a profile, on the default profile's terms, to the serial runs.
func (ms *measured) calibrateSerial() (*costmodel.Calibration, error) {
	var runs []costmodel.Run
	for i, p := range ms.parallelisms {
		if p == 1 {
			for _, mt := range ms.runs[i] {
				runs = append(runs, costmodel.Run{Plan: mt.plan, Trace: mt.trace})
			}
		}
	}
	base, err := costmodel.Load("default", "")
	if err != nil {
		return nil, err
	}
	cal, err := costmodel.Calibrate(runs, costmodel.CalibrateOptions{Base: base, Name: "calibrated"})
	if err != nil {
		return nil, fmt.Errorf("calibrating from the serial runs: %w", err)
	}
	return cal, nil
}

// warmer is a measurer that needs an untimed run first.
type warmer interface {
	warmUp(ctx context.Context, s *scenarios.Scenario) error
}

// realMeasurer runs scenarios with goroutines (package realrun); seed 0 takes the scenario's.
type realMeasurer struct{ seed uint64 }

// warmUp runs the scenario once, serially, untimed: the first run in a process pays for growing
// the heap and faulting its pages in, which no later run (and no simulation) does.
func (m realMeasurer) warmUp(ctx context.Context, s *scenarios.Scenario) error {
	_, err := realrun.Run(ctx, s, realrun.Options{Parallelism: 1, Seed: m.seed})
	return err
}

func (realMeasurer) source() string { return "real" }

func (m realMeasurer) measure(ctx context.Context, s *scenarios.Scenario, p int) (*measurement, error) {
	r, err := realrun.Run(ctx, s, realrun.Options{Parallelism: p, Seed: m.seed})
	if err != nil {
		return nil, err
	}
	plan, err := planOf(s, p, r.Best)
	if err != nil {
		return nil, err
	}
	return &measurement{trace: r.Trace, plan: plan, bestParams: r.BestParams, bestMetric: r.BestMetric}, nil
}

// planOf is the plan a measured run of s at parallelism p executed, refitting param map best.
func planOf(s *scenarios.Scenario, p, best int) (*tuning.Plan, error) {
	sc := *s
	sc.Tuner.Parallelism = p
	plan, err := tuning.New(&sc)
	if err != nil {
		return nil, err
	}
	return plan.WithRefit(best), nil
}

// realHost describes this machine as a real run sees it.
func realHost() string {
	return fmt.Sprintf("%d cores (GOMAXPROCS), %s/%s, %s", runtime.GOMAXPROCS(0), runtime.GOOS, runtime.GOARCH, runtime.Version())
}
