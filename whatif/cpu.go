package whatif

import (
	"fmt"
	"io"
	"math"
	"sort"
	"time"

	"tunesim/costmodel"
	"tunesim/scenarios"
	"tunesim/sim"
	"tunesim/sparklog"
	"tunesim/tuning"
)

// The sources of a CPU budget's application CPU.
const (
	SourceMeasured = "measured" // read from /proc over the tuning (tunesim.measure, or --app-cpu)
	SourceInferred = "inferred" // inferred from the log's task metrics (see Contention)
)

// CPUBudget is the host's CPU over the serial run the log shows: what the application used, of
// which the tasks' share, and the most any parallelism can give when the same work has to fit on
// the same cores.
type CPUBudget struct {
	// Cores are the CPUs the application's hosts had (the driver's host in local mode).
	Cores int `json:"cores"`
	// AppCPUS is the CPU the application used over the tuning (driver JVM, its executors in local
	// mode, and Python): measured, or inferred from the log.
	AppCPUS float64 `json:"app_cpu_s"`
	// TaskCPUS is the tasks' executor CPU time, as the log records it.
	TaskCPUS float64 `json:"task_cpu_s"`
	// Source is "measured" or "inferred".
	Source string `json:"source"`
	// BusyFraction is AppCPUS over the cores' time during the tuning.
	BusyFraction float64 `json:"busy_fraction"`
	// CeilingSpeedup is the most any parallelism can give here: the tuning's time over the time
	// its CPU takes on all the cores (at least 1).
	CeilingSpeedup float64 `json:"ceiling_speedup"`
	// BackgroundThreads and BackgroundCPUPerJobS are the hidden load as the simulator replays it:
	// threads beside the tasks, and CPU each job adds for them (see costmodel.Overheads).
	BackgroundThreads    int     `json:"background_threads"`
	BackgroundCPUPerJobS float64 `json:"background_cpu_per_job_s"`
	// SteadyThreads are the hidden threads of a warm JVM as the simulator replays them: runnable
	// beside the tasks from the tuning's start to its end (costmodel.Overheads.SteadyThreads).
	SteadyThreads int `json:"steady_threads"`
	// SteadyFromCPU says a fresh local JVM's steady threads were counted from the CPU measured:
	// as many as let the serial replay, fitted to the log's time, spend it (see fitSteadyToCPU).
	SteadyFromCPU bool `json:"steady_from_cpu,omitempty"`
	// CompileDebtShare, when the prediction replays a fresh JVM's compilers against the pace
	// they kept in the serial replay (the log shows no warm-up curve of the JVM predicted), is the
	// work each CPU-second they fall behind costs (costmodel.CompileDebt; 0 otherwise).
	CompileDebtShare float64 `json:"compile_debt_share,omitempty"`
	// WarmUpFactor and WarmUpS are a fresh JVM's warm-up as the prediction replays it: work
	// starting early ran up to WarmUpFactor times as long as in the log's last round, until
	// WarmUpS into the tuning (see costmodel.Warming); 0 when the log shows none to replay.
	WarmUpFactor float64 `json:"warm_up_factor,omitempty"`
	WarmUpS      float64 `json:"warm_up_s,omitempty"`
	// Contention is the fit of the tasks' metrics the inference rests on.
	ContentionThreads float64 `json:"contention_threads"`
	TaskLatencyMS     float64 `json:"task_latency_ms"`
	// AloneCPURatio and SharedCPURatio are the tasks' CPU over slot time alone on the host and
	// beside other tasks.
	AloneCPURatio  float64 `json:"alone_cpu_ratio,omitempty"`
	SharedCPURatio float64 `json:"shared_cpu_ratio,omitempty"`
	// Apart, when the prediction is from a fresh local JVM's log for a cluster whose executors are
	// JVMs of their own, is what it adds for them (nil otherwise).
	Apart *Apart `json:"apart,omitempty"`
	// Together, when the prediction is from a fresh application's log on a standalone cluster for
	// local mode, is what it changes for the one JVM (nil otherwise).
	Together *Together `json:"together,omitempty"`
	// Note says how the figures were come by, in a sentence.
	Note string `json:"note"`
	// JVM is the kind of JVM the log shows, and Predicted the kind the prediction is for.
	JVM       JVMKind `json:"jvm"`
	Predicted string  `json:"predicted_jvm"`
}

// load is the hidden load a log's tasks show, as plan undoes it: each host's contention (by the
// name hostOf gives an executor's), and the share of a core the driver's thread got.
type load struct {
	hostOf      func(exec int) string
	hosts       map[string]Contention
	driverShare float64
	// inJVM says the tasks are to run in the driver's JVM (local mode) though the log's ran in
	// executors of their own: each task's time off the CPU loses its scheduler delay (see split).
	inJVM bool
}

// driverWork is the CPU work of driver time d: d at the share of a core the driver got.
func (ld *load) driverWork(d time.Duration) time.Duration {
	if ld == nil || ld.driverShare >= 1 {
		return d
	}
	return time.Duration(float64(d) * ld.driverShare)
}

// split parts a task's slot time d into CPU time and time off the CPU. With the host's contention
// known, the time off the CPU is the task's latency only (the rest of its stretch was waiting for
// a core, which the simulator makes again from the background threads); else see split.
//
// Tasks that ran in executors of their own and are to run in the driver's JVM (inJVM) lose their
// scheduler delay from that time: the driver's RPC that launched the task on its executor and the
// one that brought its result back, which a task in local mode does not make.
func (ld *load) split(d time.Duration, tk sparklog.Task) (cpu, wait time.Duration) {
	if ld == nil {
		return split(d, tk)
	}
	cpu, wait = ld.hostSplit(d, tk)
	if ld.inJVM && wait > 0 {
		f := 1.0
		if slot := tk.Duration(); slot > 0 {
			f = float64(d) / float64(slot)
		}
		wait = max(wait-time.Duration(float64(schedulerDelay(tk))*f), 0)
	}
	return cpu, wait
}

// hostSplit is split with the task's host's contention, where it is known.
func (ld *load) hostSplit(d time.Duration, tk sparklog.Task) (cpu, wait time.Duration) {
	c, ok := ld.hosts[ld.hostOf(tk.Executor)]
	slot := tk.Duration()
	if !ok || c.Tasks < minContentionTasks || tk.CPU <= 0 || slot <= 0 || tk.CPU >= slot {
		return split(d, tk)
	}
	f := float64(d) / float64(slot)
	return time.Duration(float64(tk.CPU) * f), time.Duration(float64(min(c.Latency, slot-tk.CPU)) * f)
}

// schedulerDelay is the part of task tk's time in its slot that Spark's metrics do not account
// for (its scheduler delay, as the Spark UI shows it): launching it and taking its result.
func schedulerDelay(tk sparklog.Task) time.Duration {
	return max(tk.Duration()-tk.RunTime-tk.Deserialize-tk.ResultSerialization, 0)
}

// warming is a fresh JVM's warm-up as the prediction replays it (see Tuning.warmUp): the curve,
// the factor it gives the first fit (whose own time the model keeps), and the logged tasks' CPU.
type warming struct {
	curve   costmodel.WarmCurve
	first   float64
	taskCPU time.Duration
}

// apply is m warming up along the curve, its first fit's work divided by the factor the curve
// gives it (nil: m as it is).
func (wu *warming) apply(m *costmodel.Measured) *costmodel.Measured {
	if wu == nil || m == nil {
		return m
	}
	return m.WithWarmUp(wu.curve).ScaleFitWork(0, 1/wu.first)
}

// over is the measured CPU over a tuning that took wall: AppCPU at the rate it was measured at
// over Wall (0 when nothing was measured).
func (co CPUOptions) over(wall time.Duration) time.Duration {
	return co.scaled(co.AppCPU, wall)
}

// measuredOn is the application's CPU measured over a serial tuning of wall on the log's cluster
// c, as far as the measurement covers it (0: it does not). In local mode that is AppCPU. Where
// executors ran on the driver's host, their JVMs are processes AppCPU does not count, and the
// host's busy time is the measure. On a driver's host of its own, a measurement taken there (co.
// DriverHostOnly) leaves the executors out: what the tasks show is inferred instead.
func (co CPUOptions) measuredOn(c scenarios.Cluster, wall time.Duration) time.Duration {
	switch {
	case c.Local:
		return co.over(wall)
	case c.SharedDriverHost() >= 0:
		if co.HostBusy > 0 {
			return co.scaled(co.HostBusy, wall)
		}
		if co.DriverHostOnly {
			return 0
		}
		return co.over(wall)
	case co.DriverHostOnly:
		return 0
	}
	return co.over(wall)
}

// scaled is CPU d measured over co.Wall, taken over wall instead.
func (co CPUOptions) scaled(d, wall time.Duration) time.Duration {
	if d <= 0 || co.Wall <= 0 {
		return max(d, 0)
	}
	return time.Duration(float64(d) * float64(wall) / float64(co.Wall))
}

// Prediction is a tuning ready to simulate: its plan on the what-if cluster, the model that
// prices it with the log's times and the hidden load the log shows, and the CPU budget.
type Prediction struct {
	Plan   *tuning.Plan
	Model  *costmodel.Measured
	Budget *CPUBudget
}

// CPUOptions say what is known of the application's CPU over the serial tuning.
type CPUOptions struct {
	// AppCPU, when > 0, is the CPU the application used over the tuning, measured.
	AppCPU time.Duration
	// Wall is the time AppCPU was measured over (0: the log's tuning).
	Wall time.Duration
	// Cores, when > 0, is the host's CPUs, measured (a log gives only the task slots).
	Cores int
	// HostCores, when > 0, is the CPUs of each host the log's JVMs shared (placed from their
	// addresses), as the user gave them (--host-cores): a log records only the slots its executors
	// offered. Where Cores was measured, the driver's host keeps it.
	HostCores int
	// HostBusy, when > 0, is the time the driver's host's CPUs were busy over Wall (any
	// process). Where the log's executors ran on the driver's host it is the application's CPU:
	// their JVMs are processes of their own, which AppCPU (the driver's JVM and Python) leaves out.
	HostBusy time.Duration
	// DriverHostOnly says AppCPU was read on the driver's host (tunesim.measure reads /proc
	// there): on a cluster whose executors ran elsewhere it leaves their CPU out, and is not used.
	DriverHostOnly bool
	// Ignore leaves the hidden load out (the replay of the log's times alone).
	Ignore bool
	// JVM is the kind of JVM to predict a run in: "" (or the kind the log shows) predicts the
	// same kind of run as the log's; JVMWarm from a fresh JVM's log runs every round as the last
	// ran; JVMFresh from a warm JVM's log is an error (the log holds no warm-up to predict from).
	JVM string
}

// Predict is Plan with the CPU the log does not show: the tasks' metrics give how many threads
// beside them held the host's cores (Contention), which become background threads the simulator
// runs beside the tasks and the driver, their CPU per job set so that the serial replay takes as
// long as the log's tuning (or, when the application's CPU was measured, so that the replay uses
// that CPU).
func (t *Tuning) Predict(o Options, co CPUOptions) (*Prediction, error) {
	kind := t.JVM()
	wall := t.End() - t.Start()
	evidence := t.Fits // the fits whose tasks show the hidden load
	var wu *warming
	switch {
	case co.JVM == "" || co.JVM == kind.Kind:
		if w, curve, first, ok := t.warmUp(); ok {
			wu = &warming{curve: curve, first: first, taskCPU: t.taskCPU()}
			t = w
		}
	case co.JVM == JVMWarm:
		w, saved, err := t.warmed()
		if err != nil {
			return nil, err
		}
		evidence = t.lastRound()
		t, wall = w, wall-saved
		co.AppCPU = 0 // measured over the fresh run: the warm one's is inferred
	case co.JVM == JVMFresh:
		return nil, fmt.Errorf("--jvm fresh: the log shows a warm JVM (%s), so it holds no fresh JVM's warm-up to predict one from; give whatif the log of a tuning run in a fresh application", kind.Why)
	default:
		return nil, fmt.Errorf("--jvm %q: allowed are %s, %s", co.JVM, JVMFresh, JVMWarm)
	}
	steady := kind.Kind == JVMWarm || co.JVM == JVMWarm
	pred, err := t.predict(o, co, wall, evidence, hidden{warm: wu, steady: steady})
	if err == nil && pred.Budget != nil {
		pred.Budget.JVM, pred.Budget.Predicted = kind, kind.Kind
		if co.JVM != "" {
			pred.Budget.Predicted = co.JVM
		}
	}
	return pred, err
}

// hidden is how a prediction replays the load the log does not show: a fresh JVM's warm-up curve
// (nil: none), and whether the hidden threads are steady (a warm JVM's: runnable throughout, their
// CPU growing with the run's time) or a fresh JVM's, still compiling: its C2 compiler threads
// steady too (HotSpot's C2 count, see c2Compilers), the rest work each job brings (done before
// the run ends).
type hidden struct {
	warm   *warming
	steady bool
}

// predict is Predict for a serial run of the tuning that took wall, its hidden load read from the
// tasks of the fits given as evidence.
func (t *Tuning) predict(o Options, co CPUOptions, wall time.Duration, evidence []Fit, hl hidden) (*Prediction, error) {
	logCl, pl := t.LoggedCluster(co), t.placement()
	target := o
	if target.Cluster == nil {
		target.Cluster = &logCl
	}
	wu := hl.warm
	if co.Ignore {
		p, m, err := t.plan(target, nil)
		return &Prediction{Plan: p, Model: wu.apply(m)}, err
	}
	ld, cont := inferLoad(evidence, logCl, pl)
	// The serial replay on the log's cluster, at the log's size, with the hidden load.
	replayOpts := Options{Cluster: &logCl, SchedulerMode: o.SchedulerMode}
	rp, rm, err := t.plan(replayOpts, ld)
	if err != nil {
		return nil, err
	}
	rm = wu.apply(rm)
	measured := co.measuredOn(logCl, wall)
	source := SourceInferred
	if measured > 0 {
		source = SourceMeasured
	}
	// The steady threads are the JVM's C2 compilers, which take what time the run gives them: a
	// fresh JVM's as many as HotSpot starts (in local mode they compile the tasks' code too; their
	// queue outlasts the tuning), a warm JVM's as many as the serial replay has room for, up to
	// that count. What else a warm JVM's tasks show beside them (the collectors, the driver's
	// planning) does not shrink when more fits run at once: with room for two on 2 cores, two
	// steady threads gave way twice as much as the one compiler and over-promised a warm
	// GeneralizedLinearRegression CrossValidator by 10-23% (docs/validation/2026-12-07-warm.md).
	// The rest of the log's time is work each job brings.
	ks := 0
	switch {
	case !logCl.Local: // the steady threads are the driver's JVM's compilers, which compile no task's code here
	case hl.steady:
		if ks, err = steadyThreads(rp, rm, wall, measured, c2Compilers(logCl.HostCores)); err != nil {
			return nil, err
		}
	default: // a fresh JVM
		ks = c2Compilers(logCl.HostCores)
	}
	// A fresh local JVM's CPU measured: the serial replay is fitted to the log's time, as when
	// inferred, and the compilers that run throughout are as many, up to HotSpot's, as let that
	// replay spend the CPU measured (fitted to the CPU instead, the replay, its compilers leaving
	// no core idle, ran 10.8% short of the log and over-promised by 3.2%; see fitSteadyToCPU).
	fitted := measured > 0 && !hl.steady && logCl.Local
	bgMeasured := measured
	if fitted {
		if ks, err = fitSteadyToCPU(rp, rm, logCl.HostCores, wall, measured, cont, ks); err != nil {
			return nil, err
		}
		bgMeasured = 0
	}
	rm = rm.WithSteadyBackground(ks)
	k := backgroundThreads(cont, ks)
	withBG := withHidden(ks, k, logCl.Local, hl.steady)
	jvms := 1 // the JVMs the background runs in: the driver's, or each executor's of its own
	if !logCl.Local {
		jvms = logCl.Executors
	}
	b, err := perJobBackground(rp, rm, jvms, logCl.HostCores, wall, bgMeasured, cont, withBG)
	if err != nil {
		return nil, err
	}
	if b <= 0 {
		k = 0
	}
	bg := func(m *costmodel.Measured) *costmodel.Measured { return withBG(m, b) }
	tl := ld
	if !logCl.Local && target.Cluster.Local {
		in := *ld
		in.inJVM = true
		tl = &in
	}
	p, m, err := t.plan(target, tl)
	if err != nil {
		return nil, err
	}
	m = bg(wu.apply(m))
	var track costmodel.CompileTrack
	tr, err := sim.Trace(rp.WithParallelism(1), bg(rm), sim.Options{RecordCompile: &track})
	if err != nil {
		return nil, fmt.Errorf("replaying the serial run with the hidden load: %w", err)
	}
	var share float64
	if owesTrack(hl, wu, logCl, *target.Cluster, o) && ks > 0 {
		share = compileDebtShare
		m = m.WithCompileDebt(&costmodel.CompileDebt{Track: track, Share: share})
	}
	var ap *Apart
	var tg *Together
	switch {
	case hl.steady:
	case logCl.Local && !target.Cluster.Local:
		m, ap = apart(m, tr.SteadyCPU, rp.Jobs(), b, k, *target.Cluster)
	case !logCl.Local && target.Cluster.Local:
		if m, tg, err = together(rp, rm, logCl, p, m, *target.Cluster, wall, measured, cont, k, o.unscaled()); err != nil {
			return nil, err
		}
	}
	bud := &CPUBudget{Cores: logCl.HostCores, Source: source, ContentionThreads: cont.Threads,
		TaskLatencyMS: cont.Latency.Seconds() * 1000, AloneCPURatio: cont.Alone, SharedCPURatio: cont.Shared, Apart: ap, Together: tg}
	if !logCl.Local {
		bud.Cores = 0
		for _, n := range logCl.Placement().HostCores {
			bud.Cores += n
		}
	}
	bud.TaskCPUS = t.taskCPU().Seconds()
	if wu != nil {
		bud.TaskCPUS = wu.taskCPU.Seconds()
		bud.WarmUpFactor, bud.WarmUpS = wu.curve[0].Factor, wu.curve[len(wu.curve)-1].Until.Seconds()
	}
	app := tr.CPU + tr.ExecutorCPU
	if measured > 0 {
		app = measured
	}
	bud.AppCPUS = app.Seconds()
	bud.BackgroundThreads, bud.BackgroundCPUPerJobS, bud.SteadyThreads = k, b.Seconds(), ks
	bud.SteadyFromCPU = fitted
	if tg != nil {
		share = tg.CompileDebtShare
	}
	bud.CompileDebtShare = share
	if wall > 0 && bud.Cores > 0 {
		bud.BusyFraction = app.Seconds() / (wall.Seconds() * float64(bud.Cores))
		// The ceiling is the CPU every run must do on all the cores: steady threads take what
		// time the run gives them, so then that is the rest's (a warm JVM's: the tasks' and the
		// driver's; a fresh one's: theirs and the work its jobs bring, and when its compilers owe
		// their pace, what they did in the serial replay at the debt's share: a run so fast that
		// they did nothing would owe all of it).
		work := app
		if ks > 0 {
			rest := rm
			if !hl.steady {
				rest = bg(rm)
			}
			bare, err := sim.Trace(rp.WithParallelism(1), rest.WithSteadyBackground(0), sim.Options{})
			if err != nil {
				return nil, fmt.Errorf("replaying the serial run: %w", err)
			}
			work = bare.CPU + bare.ExecutorCPU + time.Duration(share*float64(tr.SteadyCPU))
		}
		bud.CeilingSpeedup = max(1, wall.Seconds()*float64(bud.Cores)/max(work, time.Millisecond).Seconds())
	}
	bud.Note = budgetNote(bud, cont, !hl.steady)
	return &Prediction{Plan: p, Model: m, Budget: bud}, nil
}

// compileDebtShare is the work each CPU-second a fresh JVM's compilers fall behind the serial
// run's pace costs (costmodel.CompileDebt.Share), measured, not fitted to any prediction: over
// the 31 fresh local[2] cases with each run's CPU per JVM thread kept (2026-12-05 to 2026-12-07,
// 10 pipelines, parallelism 1 against 4 or the largest run up to 4), the compilers' CPU fell by
// 0.9-6.6 CPU-s and the rest of the JVM's and Python's CPU grew by a median 0.57 of that
// (quartiles 0.30 and 0.79), the host's CPU by a median -4.2%.
const compileDebtShare = 0.57

// owesTrack says a prediction from a serial replay (hidden load hl, warm-up wu, on logged) for
// target replays a fresh JVM's compilers against the pace they kept in the replay: a fresh local
// JVM predicted in local mode at the log's size (scaled work has a pace of its own) when the log
// shows no warm-up curve of its own (a CrossValidator's rounds show one, which the prediction
// replays by the clock instead: see Tuning.warmUp).
func owesTrack(hl hidden, wu *warming, logged, target scenarios.Cluster, o Options) bool {
	return !hl.steady && wu == nil && logged.Local && target.Local && o.unscaled()
}

// unscaled says the options predict the log's own work: no other data size.
func (o Options) unscaled() bool { return o.ScaleRows == 0 || o.ScaleRows == 1 }

// Apart is what a prediction from a fresh local JVM's log adds for a cluster whose executors are
// JVMs of their own: the driver's compile work, which the local JVM's steady compilers did, as work
// each job brings, each executor's own compile work likewise, and its cold tasks.
type Apart struct {
	// ExecutorCompilers is the C2 compiler threads each executor JVM runs beside its tasks
	// throughout (Overheads.ExecutorSteadyThreads), only when the serial replay's compilers did
	// nothing to share out (HotSpot's count for its host's cores); 0 otherwise.
	ExecutorCompilers int `json:"executor_compilers"`
	// DriverCompileCPUPerJobS is the CPU the local JVM's steady compilers did in the serial
	// replay, spread over its jobs: work each of the driver's jobs brings on the cluster.
	DriverCompileCPUPerJobS float64 `json:"driver_compile_cpu_per_job_s"`
	// DriverCompileThreads is how many of the driver's threads work it off.
	DriverCompileThreads int `json:"driver_compile_threads"`
	// ExecutorCompileCPUPerJobS is the compile work each job brings each executor JVM
	// (executorCompileShare of the driver's), worked off by one thread of it before the run ends.
	ExecutorCompileCPUPerJobS float64 `json:"executor_compile_cpu_per_job_s"`
	// ColdTaskExtra is what more a task costs on an executor that has not finished one of its
	// stage yet (ClusterOverheads.ColdStage): coldTaskPerExecutor times the executors.
	ColdTaskExtra float64 `json:"cold_task_extra"`
}

// What an executor JVM of its own does that the one JVM of local mode did once, measured on
// standalone clusters sharing the driver's 2-core host, none of it fitted to a makespan:
//   - executorCompileShare: each executor JVM's CPU beyond its tasks over a serial tuning against
//     the local JVM's compilers' (a median 1.08x over 24 runs of 14 pipelines, /proc;
//     docs/validation/2026-12-07-executors.md). Its compilers work a bounded queue that drains
//     over the run (under Java Flight Recorder each compiled 0.6 of the local JVM's methods in
//     about its compile time, 1,500 methods in its first 3 s and 200 in its last;
//     docs/validation/2026-12-07-cold.md), so it is work the jobs bring, not threads runnable
//     throughout (which took 1.0-1.25 cores where two executors used 0.7-0.9).
//   - coldTaskPerExecutor: a task an executor runs before it has finished one of its stage cost
//     1.46x, 1.99x and 2.65x the local task's CPU with 1, 2 and 3 executors (medians over 78
//     serial logs of 14 pipelines, cold.py in validation/2026-12-07-cold/), about 1 + 0.45 x the
//     executors: each JVM has run a smaller part of the work and compiled less of it. Measured up
//     to coldTaskExecutors executors; beyond, the extra is held at that count's rather than the
//     line drawn on (20 executors would make every first task 10x). cold.py ended a task when
//     the driver had its result, which on a one-core executor is after its next task started;
//     counted as the simulator counts them (ended when the executor is done), cold tasks cost
//     1.62x, 2.23x and 2.91x, 1 + 0.62 x the executors, and 0.62 here brings the executors'
//     task CPU within 3% where 0.45 leaves it 10% short; but alone it made the makespans worse
//     (7.9% to 9.9%, a rule named before predicting), since the driver's CPU, 11% over on those
//     sets, had cancelled it (docs/validation/2026-12-08-coldorder.md). Kept at 0.45 until the
//     driver's term is right too.
const (
	executorCompileShare = 1.0
	coldTaskPerExecutor  = 0.45
	coldTaskExecutors    = 3
)

// coldTaskExtra is what more an executor's cold task costs on cluster c (ClusterOverheads.ColdStage).
func coldTaskExtra(c scenarios.Cluster) float64 {
	return coldTaskPerExecutor * float64(min(c.Executors, coldTaskExecutors))
}

// apart is m, priced from a fresh local JVM's log whose serial replay ran its hidden load (b a
// job on k threads, beside steady compilers that did steadyCPU over the replay's jobs), for
// cluster c, whose executors are JVMs of their own: the driver's compilers work off what they did
// in the log as work each job brings, each executor JVM's compilers as much again for itself
// (executorCompileShare), both done before the run ends; and each executor's first tasks of a
// stage run cold (coldTaskPerExecutor). Checked from local[2] logs to standalone clusters of 1-3
// executors sharing the driver's host, with the cluster runs in the logs' own session
// (docs/validation/2026-12-07-session.md).
func apart(m *costmodel.Measured, steadyCPU time.Duration, jobs int, b time.Duration, k int, c scenarios.Cluster) (*costmodel.Measured, *Apart) {
	ap := &Apart{ColdTaskExtra: coldTaskExtra(c)}
	m = m.WithColdStage(ap.ColdTaskExtra)
	if steadyCPU <= 0 || jobs == 0 { // nothing compiled to share out: HotSpot's compilers run throughout
		ap.ExecutorCompilers = executorCompilers(c)
		return m.WithExecutorSteadyBackground(ap.ExecutorCompilers), ap
	}
	compile := steadyCPU / time.Duration(jobs)
	execCompile := time.Duration(executorCompileShare * float64(compile))
	ap.DriverCompileCPUPerJobS, ap.DriverCompileThreads = compile.Seconds(), max(k, 1)
	ap.ExecutorCompileCPUPerJobS = execCompile.Seconds()
	return m.WithSteadyBackground(0).WithBackground(b+compile, max(k, 1), execCompile, 1), ap
}

// perJobBackground is the background CPU each job brings in each of jvms JVMs (threads working it
// as withBG sets them): from the measured CPU when there is one (what the tasks and the driver do
// not explain, spread over the jobs and the JVMs), else the amount at which the serial replay
// takes as long as the log (wall), when the tasks' metrics show threads beside them. hostCores
// bounds the search.
func perJobBackground(rp *tuning.Plan, rm *costmodel.Measured, jvms, hostCores int, wall, measured time.Duration, cont Contention, withBG func(*costmodel.Measured, time.Duration) *costmodel.Measured) (time.Duration, error) {
	jobs := rp.Jobs()
	if jobs == 0 {
		return 0, nil
	}
	if measured > 0 { // what the serial replay's tasks and driver (warming up, if so) do not use
		tr, err := sim.Trace(rp.WithParallelism(1), rm, sim.Options{})
		if err != nil {
			return 0, fmt.Errorf("replaying the serial run: %w", err)
		}
		b := max(measured-tr.CPU-tr.ExecutorCPU, 0) / time.Duration(jobs*max(jvms, 1))
		if b <= 0 {
			return 0, nil
		}
		return backgroundForCPU(rp, func(b time.Duration) costmodel.Model { return withBG(rm, b) }, measured, b)
	}
	if cont.Threads <= 0.05 {
		return 0, nil
	}
	return calibrateBackground(rp, func(b time.Duration) costmodel.Model { return withBG(rm, b) }, wall,
		time.Duration(float64(wall)*float64(hostCores)*2/float64(jobs)))
}

// fitSteadyToCPU is how many steady threads, 0 to limit, a fresh local JVM's serial replay of p
// under m runs when the application's CPU over the log's serial tuning (wall) was measured: the
// count whose replay, its work each job brings fitted so that it takes the log's time (as
// perJobBackground does with nothing measured), spends the CPU nearest to measured. The two
// figures pin two unknowns: what each job brings, which must be done, and how many threads take
// what the run leaves them. Fitted to the CPU alone, the steady compilers filled every idle
// moment of the replay where the real serial runs left 3-28% of the cores idle
// (docs/validation/2026-12-07-idle.md), so the replay ran short of the log (a median 10.8% over
// 58 fresh cases) and over-promised (+3.2% on average): docs/validation/2026-12-07-rerun.md.
func fitSteadyToCPU(p *tuning.Plan, m *costmodel.Measured, hostCores int, wall, measured time.Duration, cont Contention, limit int) (int, error) {
	best, bestOff := limit, time.Duration(math.MaxInt64)
	for n := 0; n <= limit; n++ {
		withBG := withHidden(n, backgroundThreads(cont, n), true, false)
		b, err := perJobBackground(p, m, 1, hostCores, wall, 0, cont, withBG)
		if err != nil {
			return 0, err
		}
		tr, err := sim.Trace(p.WithParallelism(1), withBG(m, b), sim.Options{})
		if err != nil {
			return 0, fmt.Errorf("replaying the serial run with %d steady threads: %w", n, err)
		}
		off := tr.CPU + tr.ExecutorCPU - measured
		if off < 0 {
			off = -off
		}
		if off < bestOff {
			best, bestOff = n, off
		}
	}
	return best, nil
}

// backgroundThreads is how many threads work off the hidden load each job brings beside ks steady
// threads: the whole threads the tasks' metrics show beside them (cont), less the steady ones, at
// least one.
func backgroundThreads(cont Contention, ks int) int {
	return max(int(math.Ceil(cont.Threads-0.05))-ks, 1)
}

// withHidden is how a replay carries the hidden load: ks steady threads of the driver's JVM
// runnable throughout, and b of CPU each job brings (a call's second argument), worked off by k
// threads in the driver's JVM (local) or in each executor's of its own (a cluster), the run over
// only when it is done, unless the JVM is a warm one (steady), whose work expands to the time given.
func withHidden(ks, k int, local, steady bool) func(*costmodel.Measured, time.Duration) *costmodel.Measured {
	return func(m *costmodel.Measured, b time.Duration) *costmodel.Measured {
		m = m.WithSteadyBackground(ks)
		if b <= 0 {
			return m
		}
		if local {
			m = m.WithBackground(b, k, 0, 1)
		} else {
			m = m.WithBackground(0, 1, b, k)
		}
		if steady {
			m = m.BackgroundLeft()
		}
		return m
	}
}

// steadyThreads is how many steady threads beside the tasks and the driver the serial replay of p
// under m has room for, up to limit: the most whose replay uses no more CPU than was measured, or,
// with nothing measured, takes no longer than the log (wall).
func steadyThreads(p *tuning.Plan, m *costmodel.Measured, wall, measured time.Duration, limit int) (int, error) {
	best := 0
	for k := 1; k <= limit; k++ {
		tr, err := sim.Trace(p.WithParallelism(1), m.WithSteadyBackground(k), sim.Options{})
		if err != nil {
			return 0, fmt.Errorf("replaying the serial run with %d steady threads: %w", k, err)
		}
		got, want := tr.Metrics().Makespan, wall
		if measured > 0 {
			got, want = tr.CPU+tr.ExecutorCPU, measured
		}
		if got > want {
			break
		}
		best = k
	}
	return best, nil
}

// calibrateBackground is the background CPU per job, in [0, hi], at which the serial replay of p
// takes want: the replay's makespan grows with it, so bisection finds it.
func calibrateBackground(p *tuning.Plan, model func(time.Duration) costmodel.Model, want, hi time.Duration) (time.Duration, error) {
	return bisect(func(b time.Duration) (time.Duration, error) {
		m, err := sim.Run(p.WithParallelism(1), model(b), sim.Options{})
		if err != nil {
			return 0, fmt.Errorf("replaying the serial run with %v of background CPU a job: %w", b, err)
		}
		return m.Makespan, nil
	}, want, hi)
}

// backgroundForCPU is the background CPU each job brings at which the serial replay of p under
// model spends measured, starting from b, the amount the replay without it leaves unspent. Work a
// job brings delays the tasks after it, and where the model warms up by the clock (a
// CrossValidator's log shows the curve) they then cost less: with b alone the replay of a
// cluster's serial log spent 4.8-9.8% less CPU than measured, so its host was idler than the run's
// and parallelism filled that in the prediction (docs/validation/2026-12-08-cpufit.md). It is b
// when the replay with b spends measured already.
func backgroundForCPU(p *tuning.Plan, model func(time.Duration) costmodel.Model, measured, b time.Duration) (time.Duration, error) {
	spent := func(b time.Duration) (time.Duration, error) {
		tr, err := sim.Trace(p.WithParallelism(1), model(b), sim.Options{})
		if err != nil {
			return 0, fmt.Errorf("replaying the serial run with %v of background CPU a job: %w", b, err)
		}
		return tr.CPU + tr.ExecutorCPU, nil
	}
	hi := b
	for range 8 { // the CPU spent grows with b: find a b that spends measured, then bisect below it
		got, err := spent(hi)
		if err != nil {
			return 0, err
		}
		if got >= measured {
			if hi == b {
				return b, nil
			}
			return bisect(spent, measured, hi)
		}
		hi *= 2
	}
	return hi, nil
}

// bisect is the x in [0, hi] at which f, which grows with x, reaches want (to a microsecond); 0
// when f(0) does already.
func bisect(f func(time.Duration) (time.Duration, error), want, hi time.Duration) (time.Duration, error) {
	lo := time.Duration(0)
	at0, err := f(0)
	if err != nil || at0 >= want {
		return 0, err
	}
	for range 30 {
		mid := (lo + hi) / 2
		got, err := f(mid)
		if err != nil {
			return 0, err
		}
		if got < want {
			lo = mid
		} else {
			hi = mid
		}
		if hi-lo < time.Microsecond {
			break
		}
	}
	return (lo + hi) / 2, nil
}

// inferLoad fits each host's contention from the fits' tasks on the log's cluster c, and the
// share of a core the driver's thread got: in local mode, or where executors shared the driver's
// host (pl), beside the threads their tasks show; on a host of its own the log shows nothing of
// the driver's, which is taken as unloaded. Each host's tasks are fitted together, on its cores.
// The Contention returned is the local host's, or the median host's.
func inferLoad(fits []Fit, c scenarios.Cluster, pl placement) (*load, Contention) {
	hostOf := pl.hostOf
	if c.Local {
		hostOf = func(int) string { return "local" }
	}
	cores := map[string]int{} // c.Hosts are pl's hosts, in its order (the driver's measured, maybe)
	for i, h := range c.Hosts {
		cores[pl.names[i]] = h.Cores
	}
	ld := &load{hostOf: hostOf, hosts: map[string]Contention{}, driverShare: 1}
	var all []Contention
	for h, obs := range observeTasks(fits, hostOf) {
		n := c.HostCores
		if k, ok := cores[h]; ok && k > 0 {
			n = k
		}
		ct := fitContention(obs, n)
		if ct.Tasks >= minContentionTasks {
			ld.hosts[h] = ct
			all = append(all, ct)
		}
	}
	if len(all) == 0 {
		return ld, Contention{}
	}
	sort.Slice(all, func(a, b int) bool { return all[a].Threads < all[b].Threads })
	mid := all[len(all)/2]
	switch i := c.SharedDriverHost(); {
	case c.Local:
		ld.driverShare = mid.share(c.HostCores, 1)
	case i >= 0: // beside the executors of its host, as their tasks show
		if ct, ok := ld.hosts[driverHostName]; ok {
			ld.driverShare = ct.share(c.Hosts[i].Cores, 1)
		}
	}
	return ld, mid
}

// taskCPU is the executor CPU time of the tuning's counted tasks.
func (t *Tuning) taskCPU() time.Duration {
	var d time.Duration
	for _, f := range t.Fits {
		for _, j := range f.Jobs {
			for _, st := range j.Stages {
				for _, tk := range countedTasks(st) {
					d += tk.CPU
				}
			}
		}
	}
	return d
}

// budgetNote says in a sentence where a budget's figures come from (compiling: of a fresh JVM).
func budgetNote(b *CPUBudget, c Contention, compiling bool) string {
	var how string
	switch {
	case b.Source == SourceMeasured:
		how = fmt.Sprintf("application CPU measured over the tuning; the tasks' metrics show %.1f threads beside them (%.0f%% of a task's slot time on the CPU alone, %.0f%% beside others)",
			c.Threads, 100*c.Alone, 100*c.Shared)
	case c.Tasks < minContentionTasks:
		return "the log's tasks carry too few CPU metrics to infer the load from: the application's CPU is the tasks' and the driver's time alone"
	default:
		how = fmt.Sprintf("inferred from %d tasks' CPU against slot time: %.1f runnable threads beside the tasks (compilers, GC, planning, the driver) explain their stretch",
			c.Tasks, c.Threads)
	}
	switch {
	case b.SteadyThreads > 0 && compiling:
		how += fmt.Sprintf("; replayed as %d C2 compiler thread(s) runnable throughout (a fresh JVM's compile queue outlasts the run, so the compilers take what share of the cores the run leaves them)", b.SteadyThreads)
		if b.BackgroundCPUPerJobS > 0 {
			how += fmt.Sprintf(" and %.3f CPU-s each job brings for the rest, worked off by %d thread(s) before the run ends", b.BackgroundCPUPerJobS, b.BackgroundThreads)
		}
	case b.SteadyThreads > 0:
		how += fmt.Sprintf("; replayed as %d compiler thread(s) runnable throughout (a warm JVM's compilers take what time the run gives them, so a faster run leaves them less)", b.SteadyThreads)
		if b.BackgroundCPUPerJobS > 0 {
			how += fmt.Sprintf(" and %.3f CPU-s a job for the rest", b.BackgroundCPUPerJobS)
		}
	case b.BackgroundCPUPerJobS > 0:
		how += fmt.Sprintf("; replayed as %.3f CPU-s each job brings, worked off by %d thread(s) before the run ends (a fresh JVM compiles what its jobs run, however fast they come)", b.BackgroundCPUPerJobS, b.BackgroundThreads)
	}
	switch {
	case b.Source == SourceInferred:
		how += ", so that the serial replay takes as long as the log"
	case b.SteadyFromCPU:
		how += fmt.Sprintf(", so that the serial replay takes as long as the log; %d compiler thread(s) throughout (of HotSpot's C2 count) is what lets that replay spend nearest the CPU measured", b.SteadyThreads)
	}
	return how
}

// busyCeiling is the ceiling below which a budget's note says the cores were already busy.
const busyCeiling = 1.25

// Write prints the budget as lines of the found-summary.
func (b *CPUBudget) Write(w io.Writer) {
	fmt.Fprintf(w, "CPU budget (%s): %d cores; the application used %.1f CPU-s over the tuning (%.0f%% of the cores' time), the tasks %.1f of them; ceiling %.2fx\n",
		b.Source, b.Cores, b.AppCPUS, 100*b.BusyFraction, b.TaskCPUS, b.CeilingSpeedup)
	fmt.Fprintf(w, "  %s\n", b.Note)
	fmt.Fprintf(w, "  the log shows a %s JVM: %s\n", b.JVM.Kind, b.JVM.Why)
	if b.WarmUpFactor > 1 {
		fmt.Fprintf(w, "  its fits ran up to %.2fx as long as the last round's until %.1f s into the tuning: replayed as a warm-up by the clock (the compilers keep their own pace, so fits run together early all run slow)\n",
			b.WarmUpFactor, b.WarmUpS)
	}
	if b.CompileDebtShare > 0 {
		fmt.Fprintf(w, "  the log shows no warm-up curve of the JVM predicted: the pace its compilers kept in the serial replay stands in for one; a run that leaves them less of the cores leaves code uncompiled, and each CPU-second they fall behind comes back as %.2f CPU-s of slower work\n", b.CompileDebtShare)
	}
	if b.Predicted != b.JVM.Kind {
		fmt.Fprintf(w, "  predicting a run in a %s JVM (--jvm %s): every round runs as the log's last round ran\n", b.Predicted, b.Predicted)
	} else {
		other := JVMWarm
		if b.JVM.Kind == JVMWarm {
			other = JVMFresh
		}
		fmt.Fprintf(w, "  predicting the same kind of run (your next run is most likely made the same way); --jvm %s for the other\n", other)
	}
	if a := b.Apart; a != nil {
		fmt.Fprint(w, "  on the cluster each executor is a fresh JVM of its own")
		if a.ExecutorCompilers > 0 {
			fmt.Fprintf(w, ": %d C2 compiler thread(s) in each run beside its tasks throughout", a.ExecutorCompilers)
		}
		if a.DriverCompileCPUPerJobS > 0 {
			fmt.Fprintf(w, ": the driver's compilers, which compile only its code there, bring %.3f CPU-s a job, worked off by %d thread(s), and each executor's compilers the tasks' code again, %.3f CPU-s a job, worked off by one thread",
				a.DriverCompileCPUPerJobS, a.DriverCompileThreads, a.ExecutorCompileCPUPerJobS)
		}
		fmt.Fprintf(w, "; an executor's first tasks of each stage run cold, at %.2fx their CPU in the log\n", 1+a.ColdTaskExtra)
	}
	if tg := b.Together; tg != nil {
		fmt.Fprintf(w, "  in local mode the executors' JVMs are the driver's: their %d C2 compiler thread(s) each are gone; the driver's %.3f CPU-s a job goes to the one JVM's %d C2 compiler thread(s), runnable throughout, and %.3f CPU-s a job beside them\n",
			tg.ExecutorCompilers, tg.DriverCPUPerJobS, tg.LocalCompilers, tg.LocalCPUPerJobS)
	}
	if b.CeilingSpeedup < busyCeiling {
		fmt.Fprintf(w, "  your serial run already kept the cores %.0f%% busy: parallelism can give at most ~%.2fx here; more cores or executors would help instead\n",
			100*b.BusyFraction, b.CeilingSpeedup)
	}
}
