package whatif

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"tunesim/costmodel"
	"tunesim/scenarios"
	"tunesim/sparklog"
	"tunesim/trace"
	"tunesim/tuning"
)

// OpDriver names the driver work between two jobs of a fit, on the fit's own thread: what the
// log shows as the gap from one job's end to the next one's submission.
const OpDriver tuning.Op = "driver"

// Options are the what-if knobs: the cluster and scheduler to replay the tuning on, and the data
// size. Zero values keep what the log ran with.
type Options struct {
	// Cluster replaces the log's cluster when set.
	Cluster *scenarios.Cluster
	// SchedulerMode is "FIFO" or "FAIR".
	SchedulerMode string
	// ScaleRows multiplies the data: every task's per-record cost (fitted per stage from the
	// log's own tasks) grows with it; fixed costs and driver work stay (see Scale). It must be a
	// finite factor > 0 (0 and 1 leave the data as it was).
	ScaleRows float64
	// Sizes, when set, prices ScaleRows with costs fitted on several logs of the tuning (see
	// Sizes) instead of on the replayed log's alone; ScaleRows is then relative to its largest.
	Sizes *Sizes
}

// Cluster is the cluster the log ran on. A local master is one executor whose slots are its
// threads on the driver's host; the host's cores, which a log does not record, are taken to be
// its slots. Otherwise each executor the log added is a host of its own with as many cores as
// the executor has, and the driver's host has spark.driver.cores when set, else as many; unless
// the executors' addresses show JVMs that shared a machine (see placeExecutors), which then are
// the cluster's hosts.
func (t *Tuning) Cluster() scenarios.Cluster {
	slots := 0
	execs := t.Info.TraceExecutors()
	if n, local := t.Info.LocalSlots(); local {
		if n == 0 && len(execs) > 0 {
			n = execs[0].Slots
		}
		n = max(n, 1)
		return scenarios.Cluster{Local: true, Executors: 1, CoresPerExecutor: n, HostCores: n}
	}
	real := 0
	for _, e := range execs {
		if e.Host == "driver" {
			continue
		}
		real++
		slots = max(slots, e.Slots)
	}
	real, slots = max(real, 1), max(slots, 1)
	c := scenarios.Cluster{Executors: real, CoresPerExecutor: slots, HostCores: slots}
	if t.Info.DriverCores > 0 {
		c.DriverCores = t.Info.DriverCores
	}
	if p := t.placement(); p.hosts != nil {
		c.Hosts = p.hosts
	}
	return c
}

// LoggedCluster is Cluster with the hosts' cores as known beside the log: those the user gave for
// the hosts its JVMs shared (co.HostCores), then as measured (co.Cores: the driver's host's, which
// in local mode holds the executor, and on a cluster the executors placed on it).
func (t *Tuning) LoggedCluster(co CPUOptions) scenarios.Cluster {
	c := t.Cluster()
	if co.HostCores > 0 {
		for i := range c.Hosts {
			c.Hosts[i].Cores = co.HostCores
		}
	}
	switch i := c.SharedDriverHost(); {
	case co.Cores <= 0:
	case c.Local:
		c.HostCores = co.Cores
	case i >= 0:
		c.Hosts[i].Cores = co.Cores
	}
	return c
}

// SchedulerMode is spark.scheduler.mode as the log's application set it.
func (t *Tuning) SchedulerMode() string {
	if strings.EqualFold(t.Info.SchedulerMode, "FAIR") {
		return "FAIR"
	}
	return "FIFO"
}

// Plan is the tuning as a tuning.Plan and the model that prices it with the log's times: each
// fit a fit_setup driver step (from the fit's start to its first job), then per job the driver
// work before it (the gap since the fit's previous job ended) and the job, whose stages hold the
// tasks that counted (failed and killed attempts are left out), and for the refit the driver
// work after its last job. A task's duration is how long it held its slot, launch to finish:
// deserialization, run time (GC included) and result serialization, which is what the simulator
// occupies a slot for; the scheduler's delay before launch is in the driver gaps.
func (t *Tuning) Plan(o Options) (*tuning.Plan, *costmodel.Measured, error) {
	return t.plan(o, nil)
}

// plan is Plan with the log's hidden load undone (nil: none): a task's time off the CPU is only
// its latency, the rest of its stretch the simulator makes again from the background threads,
// and the driver's steps are the CPU work they did at the share of a core they got.
func (t *Tuning) plan(o Options, ld *load) (*tuning.Plan, *costmodel.Measured, error) {
	c := t.Cluster()
	if o.Cluster != nil {
		c = *o.Cluster
	}
	mode := t.SchedulerMode()
	if o.SchedulerMode != "" {
		mode = o.SchedulerMode
	}
	var scale *Scale
	if o.ScaleRows != 0 && o.ScaleRows != 1 {
		if !(o.ScaleRows > 0) || math.IsInf(o.ScaleRows, 0) {
			return nil, nil, fmt.Errorf("scale rows %v: allowed is a finite factor > 0", o.ScaleRows)
		}
		if o.Sizes != nil {
			scale = o.Sizes.Scale(o.ScaleRows)
		} else {
			scale = t.Scale(o.ScaleRows)
		}
		if err := scale.check(t); err != nil {
			return nil, nil, err
		}
	}
	name := t.Info.AppName
	if name == "" {
		name = t.Info.AppID
	}
	sc := &scenarios.Scenario{
		Name: "whatif " + name, SparkVersion: majorVersion(t.Info.SparkVersion), Cluster: c,
		Tuner:     scenarios.Tuner{Kind: t.Kind, Folds: t.Folds, Parallelism: 1},
		Scheduler: scenarios.Scheduler{Mode: mode},
		Cost:      scenarios.Cost{Profile: "measured"},
	}
	if t.Kind == scenarios.TrainValidationSplit {
		sc.Tuner.Folds = 0
	}
	p := &tuning.Plan{Scenario: sc, Parallelism: 1, Splits: []tuning.Split{{Name: "log", Fold: tuning.None}}}
	for m := 0; m < t.ParamMaps; m++ {
		p.ParamMaps = append(p.ParamMaps, scenarios.ParamMap{{Name: "index", Value: float64(m)}})
	}
	var measured [][]costmodel.MeasuredStep
	round := -1
	for i := range t.Fits {
		f := &t.Fits[i]
		fit := tuning.Fit{Index: i, ParamMap: f.ParamMap, Fold: f.Fold, Refit: f.Refit}
		if !f.Refit {
			if f.Fold != round {
				p.Rounds = append(p.Rounds, nil)
				round = f.Fold
			}
			p.Rounds[len(p.Rounds)-1] = append(p.Rounds[len(p.Rounds)-1], i)
		}
		var ms []costmodel.MeasuredStep
		driver := func(op tuning.Op, d time.Duration) {
			fit.Steps = append(fit.Steps, tuning.Step{Kind: tuning.StepDriver, Op: op})
			ms = append(ms, costmodel.MeasuredStep{Driver: ld.driverWork(scale.driverTime(op, max(d, 0)))})
		}
		prevEnd := f.Start
		for k, group := range concurrent(f.Jobs) {
			gap := group[0].Submit - prevEnd
			if k == 0 {
				driver(trace.SpanFitSetup, gap)
			} else if gap > 0 {
				driver(OpDriver, gap)
			}
			for _, j := range group {
				prevEnd = max(prevEnd, j.End)
			}
			step, mstep := jobStep(group, scale, ld)
			if len(step.Stages) == 0 {
				continue // every stage was skipped: nothing ran
			}
			fit.Steps = append(fit.Steps, step)
			ms = append(ms, mstep)
		}
		if f.Tail > 0 {
			driver(OpDriver, f.Tail)
		}
		p.Fits = append(p.Fits, fit)
		measured = append(measured, ms)
	}
	m, err := costmodel.NewMeasured(p, measured)
	if err != nil {
		return nil, nil, err
	}
	return p, m, nil
}

// concurrent groups a fit's jobs into runs that overlapped in time: a job submitted before the
// jobs before it had all ended ran beside them (Spark SQL's adaptive execution runs a query's
// stages as jobs at once). A run of one job is the common case.
func concurrent(jobs []*sparklog.Job) [][]*sparklog.Job {
	var groups [][]*sparklog.Job
	var end time.Duration
	for _, j := range jobs {
		if n := len(groups); n > 0 && j.Submit < end {
			groups[n-1] = append(groups[n-1], j)
		} else {
			groups = append(groups, []*sparklog.Job{j})
		}
		end = max(end, j.End)
	}
	return groups
}

// wave is stages that ran at the same time, with their counted tasks.
type wave struct {
	name        string
	tasks       []sparklog.Task
	names       []string
	first, last time.Duration
}

// jobStep is a run of jobs as one plan step: its stages in the order they ran, stages that ran at
// the same time (a job's independent parents, or the stages of jobs that overlapped) merged into
// one stage of all their tasks; with the counted task durations in partition order, and the
// scheduler's time around them: from the submission (or the previous stage's last task) to a
// stage's first launch, and from the last task to the end of the last job.
func jobStep(jobs []*sparklog.Job, scale *Scale, ld *load) (tuning.Step, costmodel.MeasuredStep) {
	var stages []*sparklog.Stage
	var end time.Duration
	for _, j := range jobs {
		stages = append(stages, j.Stages...)
		end = max(end, j.End)
	}
	var waves []wave
	for _, st := range stages {
		ts := countedTasks(st)
		if len(ts) == 0 {
			continue
		}
		first, last := ts[0].Launch, ts[0].Finish
		for _, tk := range ts {
			first, last = min(first, tk.Launch), max(last, tk.Finish)
		}
		waves = append(waves, wave{name: st.Name, tasks: ts, first: first, last: last})
		for range ts {
			waves[len(waves)-1].names = append(waves[len(waves)-1].names, st.Name)
		}
	}
	sort.SliceStable(waves, func(a, b int) bool { return waves[a].first < waves[b].first })
	var merged []wave
	for _, w := range waves {
		if n := len(merged); n > 0 && w.first < merged[n-1].last {
			m := &merged[n-1]
			m.tasks, m.names = append(m.tasks, w.tasks...), append(m.names, w.names...)
			m.last = max(m.last, w.last)
			continue
		}
		merged = append(merged, w)
	}
	step := tuning.Step{Kind: tuning.StepJob}
	var ms costmodel.MeasuredStep
	ready := jobs[0].Submit
	for _, w := range merged {
		ds, ws := make([]time.Duration, len(w.tasks)), make([]time.Duration, len(w.tasks))
		for i, tk := range w.tasks {
			ds[i], ws[i] = ld.split(scale.task(w.names[i], tk), tk)
		}
		step.Stages = append(step.Stages, tuning.Stage{Op: tuning.Op(w.name), Tasks: len(w.tasks)})
		step.Op = tuning.Op(w.name) // Spark's UI names a job after its last stage
		ms.Tasks, ms.Waits = append(ms.Tasks, ds), append(ms.Waits, ws)
		ms.Submit = append(ms.Submit, ld.driverWork(scale.driverTime(DriverSubmit, max(w.first-ready, 0))))
		ready = w.last
	}
	ms.Result = ld.driverWork(scale.driverTime(DriverResult, max(end-ready, 0)))
	return step, ms
}

// countedTasks are the stage's attempts whose work counted — one per task index, the first that
// succeeded — in index order.
func countedTasks(st *sparklog.Stage) []sparklog.Task {
	seen := map[int]bool{}
	var out []sparklog.Task
	for _, tk := range st.Tasks {
		if tk.Counted() && !seen[tk.Index] {
			seen[tk.Index] = true
			out = append(out, tk)
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Index < out[b].Index })
	return out
}

// majorVersion is "3" of "3.5.1".
func majorVersion(v string) string {
	if i := strings.IndexByte(v, '.'); i > 0 {
		return v[:i]
	}
	return v
}

// split parts a task's slot time d into CPU time and time off the CPU, in the proportion Spark
// measured for the task (executor CPU time, deserialization's included, over its slot time). The
// time off the CPU is what the task spent waiting — on I/O, on results, for a core the run's
// other threads (JIT compilers, GC, the other slots) held — and passes without taking a core when
// the tuning is replayed. A log without CPU metrics counts all of d as CPU.
func split(d time.Duration, tk sparklog.Task) (cpu, wait time.Duration) {
	slot := tk.Duration()
	if tk.CPU <= 0 || slot <= 0 || tk.CPU >= slot {
		return d, 0
	}
	cpu = time.Duration(float64(d) * float64(tk.CPU) / float64(slot))
	return cpu, d - cpu
}
