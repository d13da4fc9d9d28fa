package main

import (
	"fmt"
	"strings"

	"tunesim/plots"
	"tunesim/sim"
	"tunesim/sparklog"
	"tunesim/whatif"
)

func init() {
	register(&command{name: "whatif", summary: "predict every parallelism from the event log of your own (serial) tuning run", run: runWhatif})
}

// whatifReport is a sweep's report headed by what was found in the log.
type whatifReport struct {
	Found whatif.Summary `json:"found"`
	*report
}

func runWhatif(args []string, c *cli) error {
	f := newFlags(c, "whatif", "whatif EVENTLOG [--parallelism 1:16] [--executors N] [--cores-per-executor C] [--host-cores H] [--scheduler FIFO|FAIR] [--scale-rows F] [--folds K] [--param-maps N] [--plot FILE] [--timeline FILE] [--log-timeline FILE] [--trace FILE] [--format table|json|csv] [-o FILE]")
	par := f.String("parallelism", "1:16", "parallelism values: `A:B`, A:B:STEP or a,b,c")
	execs := f.Int("executors", 0, "what if the tuning ran on `N` executors (default: the log's)")
	cores := f.Int("cores-per-executor", 0, "task slots per executor (default: the log's)")
	hostCores := f.Int("host-cores", 0, "physical CPUs of each executor's host (default: its slots; a log does not say)")
	driverCores := f.Int("driver-cores", 0, "physical CPUs of the driver's host when it is not local")
	mode := f.String("scheduler", "", "spark.scheduler.mode: FIFO or FAIR (default: the log's)")
	scale := f.Float64("scale-rows", 1, "what if the data had `F` times the rows (an extrapolation: see the output's note)")
	folds := f.Int("folds", 0, "CrossValidator's numFolds (1: TrainValidationSplit), when the log leaves it open")
	maps := f.Int("param-maps", 0, "the number of param maps, when the log leaves it open")
	plot := addPlotFlag(f, "plot", "draw predicted speedup and idle core-seconds against parallelism to `FILE` (.png, .svg or .pdf)")
	timeline := addPlotFlag(f, "timeline", "draw the predicted run as a timeline `FILE` (at the one --parallelism given, else the recommended one)")
	logTimeline := addPlotFlag(f, "log-timeline", "draw the log's own run as a timeline `FILE`, its jobs coloured by the fits found")
	tracePath := f.String("trace", "", "write the predicted run's trace to `FILE` (JSON; the parallelism as for --timeline)")
	f.outputFlags()
	if err := f.parse(args); err != nil {
		return err
	}
	if f.NArg() != 1 {
		return badUsage("want one EVENTLOG (a Spark event log file or a rolling log's directory), got %d arguments", f.NArg())
	}
	ps, err := parseParallelism("parallelism", *par)
	if err != nil {
		return err
	}
	for name, v := range map[string]int{"executors": *execs, "cores-per-executor": *cores, "host-cores": *hostCores, "driver-cores": *driverCores, "folds": *folds, "param-maps": *maps} {
		if v < 0 || (f.Changed(name) && v == 0) {
			return badUsage("--%s %d: allowed are 1 or more", name, v)
		}
	}
	if *scale <= 0 {
		return badUsage("--scale-rows %v: allowed is a factor > 0", *scale)
	}
	m := strings.ToUpper(*mode)
	if m != "" && m != "FIFO" && m != "FAIR" {
		return badUsage("--scheduler %q: allowed are FIFO, FAIR", *mode)
	}
	path := f.Arg(0)
	app, info, err := sparklog.ReadApp(path)
	if err != nil {
		return badInput(fmt.Errorf("reading the event log: %w", err))
	}
	for _, w := range info.Warnings {
		fmt.Fprintf(c.stderr, "warning: %s\n", w)
	}
	tun, err := whatif.Find(app, info, whatif.Hints{Folds: *folds, ParamMaps: *maps})
	if err != nil {
		return badInput(fmt.Errorf("%s: %w", path, err))
	}
	cl := tun.Cluster()
	fromLog := true
	if *execs > 0 {
		cl.Executors, fromLog = *execs, false
		if cl.Executors > 1 && cl.Local {
			cl.Local = false // several executors: the driver has a host of its own
		}
	}
	if *cores > 0 {
		cl.CoresPerExecutor, cl.HostCores, fromLog = *cores, max(cl.HostCores, *cores), false
	}
	if *hostCores > 0 {
		cl.HostCores, fromLog = *hostCores, false
	}
	if *driverCores > 0 {
		cl.DriverCores, fromLog = *driverCores, false
	}
	plan, model, err := tun.Plan(whatif.Options{Cluster: &cl, SchedulerMode: m, ScaleRows: *scale})
	if err != nil {
		return badInput(err)
	}
	results, err := sim.SweepPlan(plan, model, sim.SweepOptions{Parallelisms: ps, Replicas: 1, Progress: c.progress("simulating")})
	if err != nil {
		return err
	}
	r := newReport(plan.Scenario, "sim", results)
	r.Profile, r.Replicas = "measured from the event log", 1
	wr := &whatifReport{Found: tun.Summarize(path, cl, fromLog, *scale), report: r}
	if err := f.writeReportAs(r, wr, wr.Found.Write); err != nil {
		return err
	}
	at := r.RecommendedParallelism
	if len(ps) == 1 {
		at = ps[0]
	}
	title := fmt.Sprintf("what-if from %s", app0(info))
	if plot.set() {
		if err := plots.Sweep(title+": predicted sweep", results, r.RecommendedParallelism, plot.path, plot.opts()); err != nil {
			return err
		}
	}
	if logTimeline.set() {
		lt, _, err := sparklog.Read(path)
		if err != nil {
			return badInput(fmt.Errorf("reading the event log: %w", err))
		}
		tun.Label(lt)
		if err := plots.Timeline(lt, logTimeline.path, logTimeline.opts()); err != nil {
			return err
		}
	}
	if timeline.set() || *tracePath != "" {
		t, err := sim.Trace(plan.WithParallelism(at), model, sim.Options{})
		if err != nil {
			return err
		}
		t.Attrs["app_name"] = fmt.Sprintf("%s, predicted at parallelism %d", app0(info), at)
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
	return nil
}

func app0(info *sparklog.Info) string {
	if info.AppName != "" {
		return info.AppName
	}
	return info.AppID
}
