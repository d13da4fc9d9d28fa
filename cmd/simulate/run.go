package main

import (
	"fmt"

	"tunesim/plots"
	"tunesim/sim"
	"tunesim/tuning"
)

func init() {
	register(&command{name: "run", summary: "simulate one parallelism (and write its trace)", run: runRun})
}

func runRun(args []string, c *cli) error {
	f := newFlags(c, "run", "run [-s SCENARIO] [--profile NAME|FILE [--strict] [--borrow-from FILE]...] [--parallelism N] [--replicas N] [--seed N] [--trace FILE] [--timeline FILE] [--format table|json|csv] [-o FILE]")
	var sf simFlags
	sf.add(f)
	par := f.Int("parallelism", 0, "the tuner's parallelism (default: the scenario's tuner.parallelism)")
	tracePath := f.String("trace", "", "write the trace of replica 0 to `FILE` (JSON)")
	timeline := addPlotFlag(f, "timeline", "draw replica 0 as a Spark-UI-like timeline `FILE` (.png, .svg or .pdf)")
	f.outputFlags()
	if err := f.parse(args); err != nil {
		return err
	}
	if f.NArg() > 0 {
		return badUsage("unexpected arguments %q", f.Args())
	}
	s, err := loadScenario(sf.scenario)
	if err != nil {
		return err
	}
	p := s.Tuner.Parallelism
	if f.Changed("parallelism") {
		if *par < 1 || *par > 4096 {
			return badUsage("--parallelism %d: allowed are 1 to 4096", *par)
		}
		p = *par
	}
	r, err := sf.sweep(f, []int{p})
	if err != nil {
		return err
	}
	if *tracePath != "" || timeline.set() {
		s.Tuner.Parallelism = p
		plan, err := tuning.New(s)
		if err != nil {
			return badInput(err)
		}
		prof, _, _, err := loadProfile(s, sf.profile, sf.pricing)
		if err != nil {
			return err
		}
		t, err := sim.Trace(plan, prof, sim.Options{Seed: r.Seed})
		if err != nil {
			return err
		}
		if *tracePath != "" {
			if err := t.WriteFile(*tracePath); err != nil {
				return fmt.Errorf("writing trace: %w", err)
			}
		}
		if timeline.set() {
			if err := plots.Timeline(t, timeline.path, timeline.opts()); err != nil {
				return err
			}
		}
	}
	return f.writeReport(r)
}
