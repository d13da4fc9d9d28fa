package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"

	"tunesim/experiment"
	"tunesim/plots"
	"tunesim/scenarios"
)

func init() {
	register(&command{name: "real", summary: "run the tuning for real (goroutine slot pool) at each parallelism and measure it", run: runReal})
}

func runReal(args []string, c *cli) error {
	f := newFlags(c, "real", "real [-s SCENARIO] [--parallelism 1,3] [--runs N] [--seed N] [--retry-disturbed N] [--journal FILE] [--trace FILE] [--timeline FILE] [--format table|json|csv] [-o FILE]")
	var mf measureFlags
	mf.add(f, "real")
	seed := f.Uint64("seed", 0, "data and split seed (default: the scenario's seed)")
	f.outputFlags()
	if err := f.parse(args); err != nil {
		return err
	}
	m := experiment.Real{}
	if f.Changed("seed") {
		m.Seed = *seed
	}
	s, ms, err := mf.run(f, m, "running for real", m.Seed, "")
	if err != nil {
		return err
	}
	rep := newMeasuredReport(ms, s, "real", experiment.RealHost())
	if m.Seed != 0 {
		rep.Seed = m.Seed
	}
	return f.writeMeasured(rep)
}

// measureFlags are what the commands that measure runs (real, spark) share: the scenario, the
// parallelisms, the runs of each, the campaign's flags, and where the first run's trace and
// timeline go.
type measureFlags struct {
	scenario, parallelism, tracePath string
	runs                             int
	timeline                         *plotFlag
	campaignFlags
}

// add declares the flags; what names the runs in their help ("real", "Spark").
func (mf *measureFlags) add(f *flags, what string) {
	f.StringVarP(&mf.scenario, "scenario", "s", scenarios.Default, "built-in scenario `NAME` or scenario FILE")
	f.StringVar(&mf.parallelism, "parallelism", "", "parallelism values: `A:B`, A:B:STEP or a,b,c (default: 1 and the scenario's tuner.parallelism)")
	f.IntVar(&mf.runs, "runs", 1, what+" runs per parallelism; figures are medians with p10-p90 over them")
	f.StringVar(&mf.tracePath, "trace", "", "write the first run's trace to `FILE` (JSON); with several parallelisms, FILE gets .pN before its extension")
	mf.timeline = addPlotFlag(f, "timeline", "draw the first run as a Spark-UI-like timeline `FILE` (.png, .svg or .pdf); .pN is added as for --trace")
	mf.campaignFlags.add(f)
}

// run checks the parsed flags, loads the scenario, measures it with m at each parallelism
// (stopping on an interrupt; with the data seed and Spark master the journal's key names) and
// writes the first runs' traces and timelines.
func (mf *measureFlags) run(f *flags, m experiment.Measurer, label string, seed uint64, master string) (*scenarios.Scenario, *experiment.Measured, error) {
	if f.NArg() > 0 {
		return nil, nil, badUsage("unexpected arguments %q", f.Args())
	}
	if mf.runs < 1 || mf.runs > 1000 {
		return nil, nil, badUsage("--runs %d: allowed are 1 to 1000", mf.runs)
	}
	if err := mf.check(); err != nil {
		return nil, nil, err
	}
	s, err := loadScenario(mf.scenario)
	if err != nil {
		return nil, nil, err
	}
	spec := mf.parallelism
	if spec == "" {
		spec = "1"
		if p := s.Tuner.Parallelism; p != 1 {
			spec += "," + strconv.Itoa(p)
		}
	}
	ps, err := parseParallelism("parallelism", spec)
	if err != nil {
		return nil, nil, err
	}
	key, err := journalKey(s, m, s.Cost.Profile, seed, master)
	if err != nil {
		return nil, nil, err
	}
	closeJournal, err := mf.openJournal(key)
	if err != nil {
		return nil, nil, err
	}
	defer closeJournal()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ms, err := mf.campaign(f.c, m, s, ps, mf.runs, label, key).Run(ctx)
	if err != nil {
		return nil, nil, err
	}
	return s, ms, writeFirstRuns(ms, mf.tracePath, mf.timeline)
}

// writeFirstRuns writes the first run of each parallelism as a trace file and a timeline, when
// asked; with several parallelisms each file gets .pN before its extension.
func writeFirstRuns(ms *experiment.Measured, tracePath string, timeline *plotFlag) error {
	n := len(ms.Parallelisms)
	for i, p := range ms.Parallelisms {
		t := ms.Runs[i][0].Trace
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
