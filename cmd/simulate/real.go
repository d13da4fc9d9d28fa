package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	"tunesim/plots"
	"tunesim/scenarios"
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
	ms, err := measureAll(ctx, realMeasurer{seed: *seed}, s, ps, *runs, c.progress("running for real"))
	if err != nil {
		return err
	}
	if err := ms.writeFirstRuns(*tracePath, timeline); err != nil {
		return err
	}
	rep := ms.report(s, "real", fmt.Sprintf("%d CPUs, GOMAXPROCS %d", runtime.NumCPU(), runtime.GOMAXPROCS(0)))
	rep.Seed = *seed
	return f.writeReport(rep)
}

// writeFirstRuns writes the first run of each parallelism as a trace file and a timeline, when
// asked; with several parallelisms each file gets .pN before its extension.
func (ms *measured) writeFirstRuns(tracePath string, timeline *plotFlag) error {
	n := len(ms.parallelisms)
	for i, p := range ms.parallelisms {
		t := ms.runs[i][0].trace
		if tracePath != "" {
			if err := t.WriteFile(perParallelism(tracePath, p, n)); err != nil {
				return fmt.Errorf("writing trace: %w", err)
			}
		}
		if timeline.set() {
			if err := plots.Timeline(t, perParallelism(timeline.path, p, n), timeline.opts()); err != nil {
				return err
			}
		}
	}
	return nil
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
