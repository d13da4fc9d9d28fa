package main

import (
	"fmt"

	"tunesim/plots"
	"tunesim/scenarios"
	"tunesim/sim"
	"tunesim/trace"
)

func init() {
	register(&command{name: "sweep", summary: "simulate each parallelism and recommend one", run: runSweep})
}

// simFlags are the flags run and sweep share.
type simFlags struct {
	scenario, profile string
	replicas          int
	seed              uint64
	// workers is how many simulations run at once (0: GOMAXPROCS); sweep's --workers.
	workers int
	pricing pricingFlags
}

func (sf *simFlags) add(f *flags) {
	f.StringVarP(&sf.scenario, "scenario", "s", scenarios.Default, "built-in scenario `NAME` or scenario FILE")
	f.StringVar(&sf.profile, "profile", "", "cost profile `NAME|FILE` (default: the scenario's cost.profile)")
	f.IntVar(&sf.replicas, "replicas", 1, "simulated runs per parallelism, with seeded noise (noise.task_cv)")
	f.Uint64Var(&sf.seed, "seed", 0, "noise seed (default: the scenario's seed)")
	sf.pricing.add(f)
}

// sweep loads the scenario and profile and simulates each parallelism.
func (sf *simFlags) sweep(f *flags, ps []int) (*report, error) {
	if sf.replicas < 1 {
		return nil, badUsage("--replicas %d: allowed are 1 or more", sf.replicas)
	}
	s, err := loadScenario(sf.scenario)
	if err != nil {
		return nil, err
	}
	prof, profName, borrowed, err := loadProfile(s, sf.profile, sf.pricing)
	if err != nil {
		return nil, err
	}
	seed := s.Seed
	if f.Changed("seed") {
		seed = sf.seed
	}
	results, err := sim.Sweep(s, prof, sim.SweepOptions{Parallelisms: ps, Replicas: sf.replicas, Seed: seed, Workers: sf.workers, Progress: f.c.progress("simulating")})
	if err != nil {
		return nil, err
	}
	r := newReport(s, "sim", results)
	r.Profile, r.Seed, r.Replicas = profName, seed, sf.replicas
	r.Borrowed, r.Notes = borrowed, append(r.Notes, borrowedNotes(borrowed)...)
	if sf.replicas > 1 && sim.TaskCV(s, prof) == 0 {
		r.Notes = append(r.Notes, "note: the scenario's noise.task_cv and the profile's task_cv are 0, so the replicas are identical; set one to see spread")
	}
	return r, nil
}

func runSweep(args []string, c *cli) error {
	f := newFlags(c, "sweep", "sweep [-s SCENARIO] [--profile NAME|FILE [--strict] [--borrow-from FILE]...] [--parallelism 1:16] [--vary PATH=A:B:STEP] [--replicas N] [--seed N] [--workers N] [--plot FILE] [--format table|json|csv] [-o FILE]")
	var sf simFlags
	sf.add(f)
	par := f.String("parallelism", "1:16", "parallelism values: `A:B`, A:B:STEP or a,b,c")
	varyFlag := f.String("vary", "", "also vary a numeric scenario field, crossed with parallelism: `PATH=A:B`, PATH=A:B:STEP or PATH=a,b,c (e.g. cluster.executors=2:32:2); reports makespan and core-seconds per pair, the fastest and the cheapest within "+trace.TolerancePercent+" of it")
	f.IntVar(&sf.workers, "workers", 0, "simulations run at once (default: the machine's cores); the output does not depend on it")
	plot := addPlotFlag(f, "plot", "draw speedup and idle core-seconds against parallelism (with --vary: heatmaps of makespan and core-seconds) to `FILE` (.png, .svg or .pdf)")
	f.outputFlags()
	if err := f.parse(args); err != nil {
		return err
	}
	if f.NArg() > 0 {
		return badUsage("unexpected arguments %q", f.Args())
	}
	if sf.workers < 0 {
		return badUsage("--workers %d: allowed are 0 (the machine's cores) or more", sf.workers)
	}
	ps, err := parseParallelism("parallelism", *par)
	if err != nil {
		return err
	}
	if f.Changed("vary") {
		v, err := parseVary(*varyFlag)
		if err != nil {
			return err
		}
		return sf.sweepVary(f, v, ps, plot)
	}
	r, err := sf.sweep(f, ps)
	if err != nil {
		return err
	}
	if err := f.writeReport(r); err != nil {
		return err
	}
	if plot.set() {
		runs := "1 replica"
		if r.Replicas > 1 {
			runs = fmt.Sprintf("%d replicas", r.Replicas)
		}
		title := fmt.Sprintf("%s: simulated sweep (profile %s, %s)", r.Scenario, r.Profile, runs)
		return plots.Sweep(title, r.Results, r.RecommendedParallelism, plot.path, plot.opts())
	}
	return nil
}
