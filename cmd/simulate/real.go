package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"tunesim/plots"
	"tunesim/realrun"
	"tunesim/scenarios"
	"tunesim/trace"
)

func init() {
	register(&command{name: "real", summary: "run the tuning for real (goroutine slot pool) at each parallelism and measure it", run: runReal})
}

func runReal(args []string, c *cli) error {
	f := newFlags(c, "real", "real [-s SCENARIO] [--parallelism 1,3] [--runs N] [--seed N] [--trace FILE] [--timeline FILE] [--format table|json|csv] [-o FILE]")
	scen := f.StringP("scenario", "s", scenarios.Default, "built-in scenario `NAME` or scenario FILE")
	par := f.String("parallelism", "", "parallelism values: `A:B`, A:B:STEP or a,b,c (default: 1 and the scenario's tuner.parallelism)")
	runs := f.Int("runs", 1, "real runs per parallelism; figures are medians with p10-p90 over them")
	seed := f.Uint64("seed", 0, "data and split seed (default: the scenario's seed)")
	tracePath := f.String("trace", "", "write the first run's trace to `FILE` (JSON); with several parallelisms, FILE gets .pN before its extension")
	timeline := addPlotFlag(f, "timeline", "draw the first run as a Spark-UI-like timeline `FILE` (.png, .svg or .pdf); .pN is added as for --trace")
	f.outputFlags()
	if err := f.parse(args); err != nil {
		return err
	}
	if f.NArg() > 0 {
		return badUsage("unexpected arguments %q", f.Args())
	}
	if *runs < 1 || *runs > 1000 {
		return badUsage("--runs %d: allowed are 1 to 1000", *runs)
	}
	s, err := loadScenario(*scen)
	if err != nil {
		return err
	}
	spec := *par
	if spec == "" {
		spec = "1"
		if p := s.Tuner.Parallelism; p != 1 {
			spec += "," + strconv.Itoa(p)
		}
	}
	ps, err := parseParallelism("parallelism", spec)
	if err != nil {
		return err
	}
	if !f.Changed("seed") {
		*seed = s.Seed
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	m, err := measureReal(ctx, s, ps, *runs, *seed, c.progress("running for real"))
	if err != nil {
		return err
	}
	for i, p := range ps {
		t := m.first[i]
		if *tracePath != "" {
			if err := t.WriteFile(perParallelism(*tracePath, p, len(ps))); err != nil {
				return fmt.Errorf("writing trace: %w", err)
			}
		}
		if timeline.set() {
			if err := plots.Timeline(t, perParallelism(timeline.path, p, len(ps)), timeline.opts()); err != nil {
				return err
			}
		}
	}
	return f.writeReport(m.report(s, ps, *runs, *seed))
}

// realMeasure is what the runs of every parallelism measured.
type realMeasure struct {
	// metrics[i] are the runs' figures at ps[i]; first[i] is the first run's trace.
	metrics [][]trace.Metrics
	first   []*trace.Trace
	best    *realrun.Result
	// disagree counts runs whose best param map differs from the first run's.
	disagree int
}

// measureReal runs the scenario for real runs times at each parallelism, the parallelisms
// interleaved within each repetition so that drift of the machine spreads over all of them.
func measureReal(ctx context.Context, s *scenarios.Scenario, ps []int, runs int, seed uint64, progress func(done, total int)) (*realMeasure, error) {
	m := &realMeasure{metrics: make([][]trace.Metrics, len(ps)), first: make([]*trace.Trace, len(ps))}
	total, done := 0, 0
	for r := range runs {
		for i, p := range ps {
			o := realrun.Options{Parallelism: p, Seed: seed}
			if progress != nil {
				o.Progress = func(d, n int) {
					total = n * runs * len(ps)
					progress(done+d, total)
				}
			}
			res, err := realrun.Run(ctx, s, o)
			if err != nil {
				return nil, fmt.Errorf("real run at parallelism %d: %w", p, err)
			}
			done += res.Trace.Fits
			m.metrics[i] = append(m.metrics[i], res.Trace.Metrics())
			if r == 0 {
				m.first[i] = res.Trace
			}
			if m.best == nil {
				m.best = res
			} else if res.Best != m.best.Best {
				m.disagree++
			}
		}
	}
	return m, nil
}

// report summarizes the runs: speedup is over parallelism 1 when it was measured, otherwise over
// the smallest parallelism measured, run paired with run.
func (m *realMeasure) report(s *scenarios.Scenario, ps []int, runs int, seed uint64) *report {
	ref := slices.Index(ps, slices.Min(ps))
	serial := make([]time.Duration, runs)
	for r, mt := range m.metrics[ref] {
		serial[r] = mt.Makespan
	}
	results := make([]trace.Result, len(ps))
	for i, p := range ps {
		results[i] = trace.Summarize(p, m.metrics[i], serial)
	}
	rep := newReport(s, "real", results)
	rep.Seed, rep.Replicas = seed, runs
	rep.Host = fmt.Sprintf("%d CPUs, GOMAXPROCS %d", runtime.NumCPU(), runtime.GOMAXPROCS(0))
	rep.BestParamMap = m.best.BestParams
	metric := m.best.BestMetric
	rep.BestMetric = &metric
	if ps[ref] != 1 {
		rep.Notes = append(rep.Notes, fmt.Sprintf("note: speedup is over parallelism %d, the smallest measured (1 is not in --parallelism)", ps[ref]))
	}
	if m.disagree > 0 {
		rep.Notes = append(rep.Notes, fmt.Sprintf("note: %d runs chose another best param map than the first run", m.disagree))
	}
	if s.Noise.TaskCV != 0 {
		rep.Notes = append(rep.Notes, "note: noise.task_cv applies to simulations only; real runs vary by themselves")
	}
	rep.Notes = append(rep.Notes, "metric: RMSE on the validation split (mean over folds), smaller is better")
	return rep
}

// perParallelism names the file of parallelism p: path itself when only one parallelism runs,
// otherwise path with ".pN" before its extension.
func perParallelism(path string, p, n int) string {
	if n == 1 {
		return path
	}
	ext := filepath.Ext(path)
	return strings.TrimSuffix(path, ext) + ".p" + strconv.Itoa(p) + ext
}
