// Package costmodel prices the work of a tuning.Plan: how long a task or a driver step takes from
// its operation and shape, and what the scheduler's overheads cost. A Profile is a linear model per
// operation over physically meaningful terms (fixed, per row, per row x feature, ...), loaded from
// JSON, so profiles calibrated from real runs plug in unchanged.
package costmodel

import (
	"time"

	"tunesim/tuning"
)

// Model prices a plan's work. Durations are the work's length on one otherwise idle core: when
// more threads run than a host has cores, the simulator stretches them.
type Model interface {
	// Task is the CPU time of one task of a plan: of its operation over a partition of its
	// shape, or, for a model measured from a run, of the task that ran at its place.
	Task(t tuning.TaskRef) time.Duration
	// Driver is the CPU time of a driver step of a plan (e.g. PCA's eigen-decomposition).
	Driver(d tuning.DriverRef) time.Duration
	// Overheads are the costs paid per job and per stage outside the tasks.
	Overheads() Overheads
}

// Overheads are the scheduler's costs around the tasks.
type Overheads struct {
	// JobSubmit and StageSubmit are the DAGScheduler event loop's time to handle a job's or a
	// stage's submission; every tuner thread's submissions queue for that one server.
	JobSubmit, StageSubmit time.Duration
	// JobDriver is the fit thread's own CPU time per job (building the RDD graph, collecting and
	// merging results), spent after the job's tasks end.
	JobDriver time.Duration
	// FitSetup is the fit thread's CPU time before a fit's first job: copying the estimator and
	// its params, building the pipeline, collecting the previous fit's metric (Python and py4j
	// in PySpark).
	FitSetup time.Duration
	// JobBackground is CPU time each job costs off the fit's path, on the driver's host, started
	// with the job: the JVM's compilers and garbage collector, Spark's query planning threads, Go's
	// garbage collector. Nobody waits for it, but it takes cores from everyone else.
	JobBackground time.Duration
	// BackgroundThreads is how many threads work the background off (at least 1): a JVM's
	// compiler threads, say. Each runs at a core's share like any other thread.
	BackgroundThreads int
	// ExecutorBackground is CPU time each job costs in each executor's JVM off the tasks' path,
	// started with the job (the executor's compilers and garbage collector working on the code
	// and data the job brings), on the executor's host and in its JVM's share of the host's
	// cores. In local mode, where the executor is the driver's JVM, it joins JobBackground.
	ExecutorBackground time.Duration
	// ExecutorBackgroundThreads is how many threads of each executor's JVM work its background
	// off (at least 1).
	ExecutorBackgroundThreads int
	// BackgroundDone says the run is not over until its background CPU is worked off: the CPU
	// was done within the run it was measured in (a JIT compile left undone means slower tasks,
	// a collection left undone stalls allocation), so a run that submits its jobs faster cannot
	// leave it behind. whatif's background, inferred as CPU the serial run did, sets it; the
	// calibrated profiles, fitted with the background left to run on after the tuning, do not.
	BackgroundDone bool
	// SteadyThreads are threads of the driver's JVM runnable from the run's start to its end, each
	// at a core's share like any other thread: housekeeping (a warm JVM's compilers recompiling,
	// its collectors) whose CPU grows with the run's time, not with its jobs. Nobody waits for
	// them; the run ends with its last fit.
	SteadyThreads int
	// ExecutorSteadyThreads are, likewise, threads of each executor's JVM of its own runnable from
	// the run's start to its end on its host, in its JVM's share of the cores: a fresh executor
	// JVM's compilers, whose queue of the tasks' code outlasts the run as the driver's does in
	// local mode. In local mode, where the executor is the driver's JVM, it adds nothing.
	ExecutorSteadyThreads int
}

// Scheduled is a Model that measured the scheduler's own time per job and stage rather than
// one overhead for all (a Measured model does, from an event log): Submit is the DAGScheduler's
// time from a stage's submission to its first task's launch (stage 0: from the job's
// submission), Result the time from a job's last task to the job's end, spent on the fit's
// thread. The simulator uses them in place of Overheads' JobSubmit, StageSubmit and JobDriver.
type Scheduled interface {
	Submit(fit, step, stage int) time.Duration
	Result(fit, step int) time.Duration
}

// OffCPU is a Model that knows how much of a task's time passed off the CPU — waiting on I/O, the
// network, a lock, or a core the run's other threads held — as a Measured model does from Spark's
// task metrics (the slot time beyond the executor's CPU time). Task is then the CPU part, which
// shares the host's cores; TaskWait passes after it and takes no core.
type OffCPU interface {
	TaskWait(t tuning.TaskRef) time.Duration
}
