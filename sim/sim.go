// Package sim is a discrete-event simulator of a Spark ML tuning run: it executes a tuning.Plan on
// a virtual clock, with the resources Spark's scheduling has — task slots per executor, each host's
// physical cores shared by the threads running on it, one DAGScheduler event loop that every job and
// stage submission passes through, FIFO or FAIR TaskSet ordering, and the tuner's pool of
// `parallelism` threads over a FIFO queue with fold barriers and a final refit — and reports the run
// as trace spans.
//
// The loop runs on one goroutine, keeps time as integer nanoseconds, orders simultaneous events by a
// sequence number, and reads no clock and no global state: the same plan, model and seed give the
// same spans.
package sim

import (
	"time"

	"fmt"

	"tunesim/costmodel"
	"tunesim/scenarios"
	"tunesim/trace"
	"tunesim/tuning"
)

// Options are a run's settings beyond the plan and the model.
type Options struct {
	// Seed and Replica choose the duration noise (the scenario's noise.task_cv).
	Seed    uint64
	Replica int
	// Policy orders TaskSets; nil takes the scenario's scheduler.mode.
	Policy tuning.Policy
	// Sink, when set, receives every span as it ends (e.g. a *trace.Trace for the full trace).
	Sink trace.Sink
	// RecordCompile, when set, receives the run's compile track: at each task and driver step
	// started, the work started before it and the CPU the driver JVM's steady threads had done
	// (see costmodel.CompileDebtor).
	RecordCompile *costmodel.CompileTrack
}

// Run simulates the plan and returns the run's metrics. Only what the metrics need is kept unless
// opts.Sink asks for the spans.
func Run(p *tuning.Plan, m costmodel.Model, opts Options) (trace.Metrics, error) {
	acc := trace.NewAccumulator(p.Scenario.Cluster.Slots())
	sink := trace.Sink(acc)
	if opts.Sink != nil {
		sink = trace.Tee{acc, opts.Sink}
	}
	s, err := newSim(p, m, opts, sink)
	if err != nil {
		return trace.Metrics{}, err
	}
	if err := s.run(); err != nil {
		return trace.Metrics{}, err
	}
	return acc.Metrics(), nil
}

// Trace simulates the plan and returns the whole trace, with the CPU time all its threads used.
func Trace(p *tuning.Plan, m costmodel.Model, opts Options) (*trace.Trace, error) {
	t := NewTrace(p, opts)
	var sink trace.Sink = t
	if opts.Sink != nil {
		sink = trace.Tee{t, opts.Sink}
	}
	s, err := newSim(p, m, opts, sink)
	if err != nil {
		return nil, err
	}
	if err := s.run(); err != nil {
		return nil, err
	}
	t.CPU, t.SteadyCPU = time.Duration(s.cpu), time.Duration(s.steadyCPU)
	hostScheduling(m).Annotate(t)
	if s.ov.JobBackground > 0 {
		t.BackgroundThreads = s.bgDriver
	}
	if n := len(s.bgBacklog) - s.bgDriver; n > 0 {
		// The executors' JVMs are their own, measured apart as on a standalone cluster.
		t.ExecutorBackgroundThreads = n / len(s.execHost)
		t.BackgroundThreads = s.bgDriver
		t.CPU, t.ExecutorCPU = time.Duration(s.cpu-s.execCPU), time.Duration(s.execCPU)
	}
	return t, nil
}

// NewTrace is an empty trace with the run's settings: the header of a simulated run's trace.
func NewTrace(p *tuning.Plan, opts Options) *trace.Trace {
	c := p.Scenario.Cluster
	t := &trace.Trace{
		Source: "sim", Scenario: p.Scenario.Name, Parallelism: p.Parallelism,
		Seed: opts.Seed, Replica: opts.Replica, Fits: len(p.Fits),
		DriverCores: c.DriverHostCores(),
		Attrs:       map[string]string{"spark_version": p.Scenario.SparkVersion, "scheduler_mode": p.Scenario.Scheduler.Mode},
	}
	for _, m := range p.ParamMaps {
		t.ParamMaps = append(t.ParamMaps, m.String())
	}
	pl := c.Placement()
	for e := 0; e < c.Executors; e++ {
		host := fmt.Sprintf("host-%d", e)
		if c.Local && c.Executors == 1 {
			host = "localhost"
		}
		if pl.Shared {
			host = fmt.Sprintf("host-%d", pl.ExecHost[e])
		}
		t.Executors = append(t.Executors, trace.Executor{ID: e, Host: host, Slots: c.CoresPerExecutor, HostCores: pl.HostCores[pl.ExecHost[e]]})
	}
	if pl.Shared {
		t.Attrs[costmodel.AttrDriverHost] = fmt.Sprintf("host-%d", pl.DriverHost)
		if pl.Processes[pl.DriverHost] {
			t.Attrs[trace.AttrCPUShare] = scenarios.CPUShareProcesses
		}
	}
	return t
}
