package main

import (
	"fmt"
	"strings"
	"time"

	"tunesim/plots"
	"tunesim/scenarios"
	"tunesim/sim"
	"tunesim/sparklog"
	"tunesim/trace"
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

// whatifFlags are whatif's flags.
type whatifFlags struct {
	f                                                        *flags
	par, mode, hidden, jvm, clusterPath                      *string
	local                                                    *bool
	clusterFile                                              *scenarios.Cluster
	execs, cores, hostCores, driverCores, folds, ms, fromJob *int
	scale, appCPU                                            *float64
	plot, timeline, logTimeline                              *plotFlag
	tracePath                                                *string
	follow                                                   *bool
	poll, timeout                                            *time.Duration
}

func newWhatifFlags(c *cli) *whatifFlags {
	f := newFlags(c, "whatif", "whatif EVENTLOG [EVENTLOG...] [--parallelism 1:16] [--cluster FILE | --local=false --executors N --cores-per-executor C --host-cores H --driver-cores D] [--scheduler FIFO|FAIR] [--scale-rows F] [--folds K] [--param-maps N] [--from-job N] [--app-cpu S] [--jvm fresh|warm] [--hidden-cpu auto|infer|off] [--plot FILE] [--timeline FILE] [--log-timeline FILE] [--trace FILE] [--format table|json|csv] [-o FILE]\n       whatif EVENTLOG --follow [--poll D] [--timeout D] [--parallelism 1:16] [what-if flags]")
	w := &whatifFlags{f: f}
	w.par = f.String("parallelism", "1:16", "parallelism values: `A:B`, A:B:STEP or a,b,c")
	w.execs = f.Int("executors", 0, "what if the tuning ran on `N` executors (default: the log's)")
	w.cores = f.Int("cores-per-executor", 0, "task slots per executor (default: the log's)")
	w.hostCores = f.Int("host-cores", 0, "physical CPUs of each host: the log's own, when its JVMs shared them and no flag moves the executors (a log records only the slots they offered), else each executor's host in the what-if (default: its slots)")
	w.driverCores = f.Int("driver-cores", 0, "physical CPUs of the driver's host when it is not local")
	w.local = f.Bool("local", false, "local mode (true) or, with =false, the driver on a host of its own and the executors on theirs (default: the log's; several --executors imply =false)")
	w.clusterPath = f.String("cluster", "", "what if the tuning ran on the cluster in `FILE`: a scenario's \"cluster\" section as `scenarios show` prints it (executors, cores, hosts and how they share their CPUs), or a whole scenario; not with the other cluster flags")
	w.mode = f.String("scheduler", "", "spark.scheduler.mode: FIFO or FAIR (default: the log's)")
	w.scale = f.float("scale-rows", 1, scaleRowsRange, "what if the data had `F` times the rows of the (largest) log (an extrapolation: see the output's note; several logs of the tuning at different sizes fit its fixed and per-record costs)")
	w.folds = f.Int("folds", 0, "CrossValidator's numFolds (1: TrainValidationSplit), when the log leaves it open")
	w.ms = f.Int("param-maps", 0, "the number of param maps, when the log leaves it open")
	w.fromJob = f.Int("from-job", 0, "read the tuning from job `N` on (the application ran other work before it, e.g. an earlier tuning)")
	w.appCPU = f.float("app-cpu", 0, appCPURange, "CPU-seconds `S` the application (driver JVM and Python) used over the serial tuning, measured (default: tunesim.measure's file beside the log, else inferred from the log)")
	w.jvm = f.String("jvm", "", "predict a run in a `fresh|warm` JVM (default: the kind the log shows)")
	w.hidden = f.String("hidden-cpu", "auto", "the CPU the log does not show (compilers, GC, planning): auto (measured when tunesim.measure left it beside the log, else inferred), infer (from the log alone), or off (replay the log's times alone)")
	w.plot = addPlotFlag(f, "plot", "draw predicted speedup and idle core-seconds against parallelism to `FILE` (.png, .svg or .pdf)")
	w.timeline = addPlotFlag(f, "timeline", "draw the predicted run as a timeline `FILE` (at the one --parallelism given, else the recommended one)")
	w.logTimeline = addPlotFlag(f, "log-timeline", "draw the log's own run as a timeline `FILE`, its jobs coloured by the fits found")
	w.tracePath = f.String("trace", "", "write the predicted run's trace to `FILE` (JSON; the parallelism as for --timeline)")
	w.follow = f.Bool("follow", false, "follow a tuning while it runs: the fits done, the time left at each parallelism and the ETA, refreshed as the log grows (a progress line on a terminal, JSON lines otherwise); ends with the application or the tuning's refit")
	w.poll = f.Duration("poll", time.Second, "with --follow: how often to read what the log gained")
	w.timeout = f.Duration("timeout", 0, "with --follow: give up after this long (exit status 1; 0: never)")
	f.outputFlags()
	return w
}

// check validates the flags' values.
func (w *whatifFlags) check() error {
	f := w.f
	if f.NArg() < 1 {
		return badUsage("want one or more EVENTLOGs (Spark event log files or rolling logs' directories) of serial runs of one tuning, got none")
	}
	for name, v := range map[string]int{"executors": *w.execs, "cores-per-executor": *w.cores, "host-cores": *w.hostCores, "driver-cores": *w.driverCores, "folds": *w.folds, "param-maps": *w.ms} {
		if v < 0 || (f.Changed(name) && v == 0) {
			return badUsage("--%s %d: allowed are 1 or more", name, v)
		}
	}
	if *w.clusterPath != "" {
		for _, name := range []string{"executors", "cores-per-executor", "host-cores", "driver-cores", "local"} {
			if f.Changed(name) {
				return badUsage("--cluster %s and --%s: give the cluster as a file or by the flags, not both", *w.clusterPath, name)
			}
		}
		c, err := scenarios.LoadCluster(*w.clusterPath)
		if err != nil {
			return badInput(fmt.Errorf("--cluster: %w", err))
		}
		w.clusterFile = &c
	}
	if *w.fromJob < 0 {
		return badUsage("--from-job %d: allowed is a job id, 0 or more", *w.fromJob)
	}
	if *w.jvm != "" && *w.jvm != whatif.JVMFresh && *w.jvm != whatif.JVMWarm {
		return badUsage("--jvm %q: allowed are fresh, warm", *w.jvm)
	}
	if *w.hidden != "auto" && *w.hidden != "infer" && *w.hidden != "off" {
		return badUsage("--hidden-cpu %q: allowed are auto, infer, off", *w.hidden)
	}
	if m := strings.ToUpper(*w.mode); m != "" && m != "FIFO" && m != "FAIR" {
		return badUsage("--scheduler %q: allowed are FIFO, FAIR", *w.mode)
	}
	return nil
}

// cluster is the log's cluster (with the hosts' cores as known beside it, co) with the what-if
// flags applied, and whether none changed it. The hosts the log's executors shared stay as the log
// placed them unless a flag changes the executors or the driver's host; --host-cores, which then
// says how many CPUs those hosts had (a log does not), sizes them in co (see keepsHosts).
func (w *whatifFlags) cluster(tun *whatif.Tuning, co whatif.CPUOptions) (scenarios.Cluster, bool) {
	if w.clusterFile != nil {
		return *w.clusterFile, false
	}
	cl := tun.LoggedCluster(co)
	if len(cl.Hosts) > 0 && !w.keepsHosts() {
		cl.Hosts = nil
	}
	if len(cl.Hosts) > 0 {
		return cl, true // --host-cores, if given, sized them as the log's own (co.HostCores)
	}
	fromLog := true
	if w.f.Changed("local") && *w.local != cl.Local {
		cl.Local, fromLog = *w.local, false
	}
	if *w.execs > 0 {
		cl.Executors, fromLog = *w.execs, false
		if cl.Executors > 1 && cl.Local && !w.f.Changed("local") {
			cl.Local = false // several executors: the driver has a host of its own (unless --local says not)
		}
	}
	if *w.cores > 0 {
		cl.CoresPerExecutor, cl.HostCores, fromLog = *w.cores, max(cl.HostCores, *w.cores), false
	}
	if *w.hostCores > 0 {
		cl.HostCores, fromLog = *w.hostCores, false
	}
	if *w.driverCores > 0 {
		cl.DriverCores, fromLog = *w.driverCores, false
	}
	return cl, fromLog
}

// keepsHosts says the flags keep the hosts the log's JVMs shared (see cluster): none changes the
// executors or the driver's host, or gives a cluster of its own.
func (w *whatifFlags) keepsHosts() bool {
	return w.clusterFile == nil && !w.f.Changed("local") && *w.execs <= 0 && *w.cores <= 0 && *w.driverCores <= 0
}

// cpuOptions is what is known of the application's CPU (see cpuMeasured) and, where the flags keep
// the hosts the log's JVMs shared, the CPUs --host-cores gives them: a fact about the machines the
// log ran on, which the log does not record.
func (w *whatifFlags) cpuOptions(path, appID string, c *cli) (whatif.CPUOptions, error) {
	co, err := w.cpuMeasured(path, appID, c)
	if err == nil && *w.hostCores > 0 && w.keepsHosts() {
		co.HostCores = *w.hostCores
	}
	return co, err
}

// cpuMeasured is what is known of the application's CPU: --app-cpu, else (--hidden-cpu auto) the
// measurement beside the log, else nothing (inferred).
func (w *whatifFlags) cpuMeasured(path, appID string, c *cli) (whatif.CPUOptions, error) {
	if *w.hidden == "off" {
		return whatif.CPUOptions{Ignore: true}, nil
	}
	if *w.appCPU > 0 {
		return whatif.CPUOptions{AppCPU: time.Duration(*w.appCPU * float64(time.Second)), JVM: *w.jvm}, nil
	}
	if *w.hidden == "infer" {
		return whatif.CPUOptions{JVM: *w.jvm}, nil
	}
	m, err := whatif.ReadMeasurement(path, appID)
	if err != nil || m == nil {
		return whatif.CPUOptions{JVM: *w.jvm}, err
	}
	fmt.Fprintf(c.stderr, "using the CPU measured over the tuning: %s\n", whatif.MeasurementPath(path, appID))
	co := m.CPUOptions()
	co.JVM = *w.jvm
	return co, nil
}

func runWhatif(args []string, c *cli) error {
	w := newWhatifFlags(c)
	if err := w.f.parse(args); err != nil {
		return err
	}
	if err := w.check(); err != nil {
		return err
	}
	ps, err := parseParallelism("parallelism", *w.par)
	if err != nil {
		return err
	}
	if *w.follow {
		if w.f.NArg() != 1 {
			return badUsage("--follow reads one EVENTLOG (the running tuning's), got %d", w.f.NArg())
		}
		return w.runFollow(w.f.Arg(0), ps, c)
	}
	logs, err := readWhatifLogs(w.f.Args(), whatif.Hints{Folds: *w.folds, ParamMaps: *w.ms}, *w.fromJob, c)
	if err != nil {
		return err
	}
	var sizes *whatif.Sizes
	if len(logs) > 1 || *w.scale != 1 {
		if sizes, err = fitWhatifSizes(logs); err != nil {
			return err
		}
	}
	base := logs[0]
	if sizes != nil {
		base = logs[sizes.Largest]
	}
	path, info, tun := base.path, base.info, base.tun
	co, err := w.cpuOptions(path, info.AppID, c)
	if err != nil {
		return badInput(err)
	}
	cl, fromLog := w.cluster(tun, co)
	opts := whatif.Options{Cluster: &cl, SchedulerMode: strings.ToUpper(*w.mode), ScaleRows: *w.scale}
	if len(logs) > 1 {
		opts.Sizes = sizes
	}
	pr, err := tun.Predict(opts, co)
	if err != nil {
		return badInput(err)
	}
	var results []trace.Result
	each := w.eachLog(logs, sizes)
	if each {
		results, err = w.sweepEach(logs, sizes.Largest, pr, ps, c)
	} else {
		results, err = sim.SweepPlan(pr.Plan, pr.Model, sim.SweepOptions{Parallelisms: ps, Replicas: 1, Progress: c.progress("simulating")})
	}
	if err != nil {
		return err
	}
	r := newReport(pr.Plan.Scenario, "sim", results)
	r.Profile, r.Replicas = "measured from the event log", 1
	if each {
		r.Replicas, r.RunsName = len(logs), "logs"
		r.Notes = append(r.Notes, eachNote(len(logs)))
	}
	r.RecommendedParallelism, r.Rule = whatif.Recommend(results, tun.ParamMaps), whatif.RecommendRule
	r.Ties = whatif.Ties(results, tun.ParamMaps)
	if n := whatif.SerialTieNote(r.Ties); n != "" && len(results) > 1 {
		r.Notes = append(r.Notes, n)
	}
	wr := &whatifReport{Found: tun.Summarize(path, cl, fromLog, *w.scale), report: r}
	wr.Found.CPUBudget = pr.Budget
	if sizes != nil && *w.scale != 1 {
		wr.Found.Extrapolation = sizes.Extrapolation(*w.scale)
	}
	if err := w.f.writeReportAs(r, wr, wr.Found.Write); err != nil {
		return err
	}
	at := r.RecommendedParallelism
	if len(ps) == 1 {
		at = ps[0]
	}
	return w.pictures(path, info, tun, pr, results, r.RecommendedParallelism, at)
}

// pictures draws what the flags ask for: the sweep, the log's timeline, the predicted one.
func (w *whatifFlags) pictures(path string, info *sparklog.Info, tun *whatif.Tuning, pr *whatif.Prediction, results []trace.Result, rec, at int) error {
	title := fmt.Sprintf("what-if from %s", app0(info))
	if w.plot.set() {
		ceiling := 0.0
		if pr.Budget != nil {
			ceiling = pr.Budget.CeilingSpeedup
		}
		if err := plots.SweepWithCeiling(title+": predicted sweep", results, rec, whatif.RecommendRule, ceiling, w.plot.path, w.plot.opts()); err != nil {
			return err
		}
	}
	if w.logTimeline.set() {
		lt, _, err := sparklog.Read(path)
		if err != nil {
			return badInput(fmt.Errorf("reading the event log: %w", err))
		}
		tun.Label(lt)
		if err := plots.Timeline(lt, w.logTimeline.path, w.logTimeline.opts()); err != nil {
			return err
		}
	}
	if !w.timeline.set() && *w.tracePath == "" {
		return nil
	}
	t, err := sim.Trace(pr.Plan.WithParallelism(at), pr.Model, sim.Options{})
	if err != nil {
		return err
	}
	t.Attrs["app_name"] = fmt.Sprintf("%s, predicted at parallelism %d", app0(info), at)
	if *w.tracePath != "" {
		if err := t.WriteFile(*w.tracePath); err != nil {
			return fmt.Errorf("writing trace: %w", err)
		}
	}
	if w.timeline.set() {
		return plots.Timeline(t, w.timeline.path, w.timeline.opts())
	}
	return nil
}

func app0(info *sparklog.Info) string {
	if info.AppName != "" {
		return info.AppName
	}
	return info.AppID
}
