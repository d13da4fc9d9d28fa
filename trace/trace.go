// Package trace is the one vocabulary that simulated, real and Spark runs share: spans of work on
// executor slots and tuner threads, the run's settings, and every metric computed from them.
//
// A simulated run (package sim), a real run (package realrun) and a Spark event log (package
// sparklog) all become a Trace; metrics, exports and plots read a Trace and nothing else, so the
// three kinds of run are compared like for like.
package trace

import (
	"time"
)

// Kind says what a span is.
type Kind string

// The span kinds. Task spans occupy an executor slot; driver spans occupy a tuner thread; fit and
// queue spans describe the tuner; job and stage spans run from submission to completion.
const (
	KindTask   Kind = "task"   // one task of a stage, on an executor slot
	KindDriver Kind = "driver" // driver-side work of a fit (eigen-decomposition, solve, merge) on its thread
	KindQueue  Kind = "queue"  // a fit waiting in the tuner's queue for a free thread
	KindFit    Kind = "fit"    // a fit from the moment a tuner thread takes it to its end
	KindJob    Kind = "job"    // a Spark job from submission to completion
	KindStage  Kind = "stage"  // a stage from submission to completion
)

// Names of the driver and queue spans that are not an operation: the fit thread's work after a
// job (collecting and merging its result), its work before a fit's first job, and a fit's wait in
// the tuner's queue.
const (
	SpanJobResult = "job_result"
	SpanFitSetup  = "fit_setup"
	SpanQueued    = "queued"
)

// None marks an identifier a span does not have (a driver span has no partition, a job outside any
// fit has no fit).
const None = -1

// Span is one interval of a run. Identifiers a span does not carry are None.
type Span struct {
	Kind Kind `json:"kind"`
	// Name is the operation (e.g. "gramian", "pca_eigen") or, for fits, the param map's label.
	Name string `json:"name,omitempty"`
	// Fit is the index of the fit in the plan's order; the final refit is the last one.
	Fit int `json:"fit"`
	// ParamMap is the index of the fit's param map in grid order.
	ParamMap int `json:"param_map"`
	// Fold is the CrossValidator fold (0 for TrainValidationSplit); the refit has None.
	Fold int `json:"fold"`
	// Job and Stage are Spark's ids, unique in the run, in order of submission.
	Job   int `json:"job"`
	Stage int `json:"stage"`
	// Partition is the task's partition index (the task index within its stage).
	Partition int `json:"partition"`
	// Executor and Slot place a task: Slot is the lane within the executor. For driver, fit and
	// queue spans Executor is None and Slot is the tuner thread (0 for the calling thread).
	Executor int `json:"executor"`
	Slot     int `json:"slot"`
	// Start and End are offsets from the start of the run.
	Start time.Duration `json:"start_ns"`
	End   time.Duration `json:"end_ns"`
	// Outcome is how the span's work ended: empty (OutcomeSucceeded) when it counted, as every span
	// of a simulated or real run does; a task attempt of a Spark log may have failed, been killed
	// or lost its output, a stage attempt or a job may have failed. See Counted.
	Outcome Outcome `json:"outcome,omitempty"`
	// Reason says why an attempt did not count, as the source words it (for a Spark log, the
	// task end reason as Spark words it, TaskEndReason.toErrorString without stack traces: e.g.
	// "TaskKilled (another attempt succeeded)").
	Reason string `json:"reason,omitempty"`
	// Attempt is a task's attempt number within its stage (0 the first, 1 its first retry or
	// speculative copy); StageAttempt is the stage attempt the span belongs to (0 the first, more
	// after a fetch failure or a lost executor made the stage run again).
	Attempt      int `json:"attempt,omitempty"`
	StageAttempt int `json:"stage_attempt,omitempty"`
	// Speculative marks a task attempt launched as a speculative copy of a slow running one.
	Speculative bool `json:"speculative,omitempty"`
	// Detail carries what a Spark event log adds to a task; nil for simulated spans.
	Detail *TaskDetail `json:"detail,omitempty"`
}

// Duration is End - Start.
func (s Span) Duration() time.Duration { return s.End - s.Start }

// Outcome is how an attempt ended. The zero value is success, so a trace that says nothing of
// outcomes (a simulation, a trace written before outcomes existed) is all success.
type Outcome string

// The outcomes of an attempt.
const (
	// OutcomeSucceeded is an attempt whose work counted.
	OutcomeSucceeded Outcome = ""
	// OutcomeFailed is an attempt that ended in error: an exception, its executor lost, a fetch
	// failure (a stage attempt or job that failed, for those spans).
	OutcomeFailed Outcome = "failed"
	// OutcomeKilled is an attempt stopped on purpose: a speculative copy whose twin finished
	// first, a task of a cancelled job or a stage that failed elsewhere, a denied commit.
	OutcomeKilled Outcome = "killed"
	// OutcomeLost is a task attempt that succeeded, but whose output was lost with its executor,
	// so that the task ran again (Spark's Resubmitted).
	OutcomeLost Outcome = "lost"
)

// Valid says whether o is one of the outcomes above.
func (o Outcome) Valid() bool {
	switch o {
	case OutcomeSucceeded, OutcomeFailed, OutcomeKilled, OutcomeLost:
		return true
	}
	return false
}

// Counted says whether the span's work counted toward the run's result: true for a successful
// attempt (every span of a simulated or real run), false for a failed, killed or lost one. Work
// that did not count still held its slot (Metrics.Busy has it, Metrics.Lost says how much); a
// replay of a log (whatif) should replay the counted task spans and report the rest as work lost.
func (s Span) Counted() bool { return s.Outcome == OutcomeSucceeded }

// TaskDetail is the breakdown Spark's UI shows for a task. All durations are parts of the span.
type TaskDetail struct {
	Host            string        `json:"host,omitempty"`
	RunTime         time.Duration `json:"run_ns"`
	CPUTime         time.Duration `json:"cpu_ns"`
	Deserialize     time.Duration `json:"deserialize_ns"`
	ResultSerialize time.Duration `json:"result_serialize_ns"`
	GettingResult   time.Duration `json:"getting_result_ns"`
	GC              time.Duration `json:"gc_ns"`
	// LegacyAttempt, LegacyFailed and LegacySpeculative are read from traces written before a
	// span carried its attempt and outcome; ReadJSON moves them to the span (Attempt, Outcome
	// failed, Speculative) and clears them, and nothing writes them.
	LegacyAttempt     int  `json:"attempt,omitempty"`
	LegacyFailed      bool `json:"failed,omitempty"`
	LegacySpeculative bool `json:"speculative,omitempty"`
}

// SchedulerDelay is what Spark's UI calls scheduler delay: the task's duration less run time,
// deserialization, result serialization and getting the result, never negative.
func (d TaskDetail) SchedulerDelay(duration time.Duration) time.Duration {
	v := duration - d.RunTime - d.Deserialize - d.ResultSerialize - d.GettingResult
	if v < 0 {
		return 0
	}
	return v
}

// Executor is one executor of the run: Slots task slots on a host with HostCores physical CPUs.
type Executor struct {
	ID        int    `json:"id"`
	Host      string `json:"host,omitempty"`
	Slots     int    `json:"slots"`
	HostCores int    `json:"host_cores,omitempty"`
	// Added is when the executor joined, when that was after the run began (dynamic allocation,
	// or a replacement for a lost executor); 0 when it was there from the start. Removed is when
	// it left (released when idle, or lost), 0 when it stayed to the end; RemovedReason says why,
	// as the source words it.
	Added         time.Duration `json:"added_ns,omitempty"`
	Removed       time.Duration `json:"removed_ns,omitempty"`
	RemovedReason string        `json:"removed_reason,omitempty"`
}

// Lifetime is the part of [from, to) the executor was there: from its Added (or from) to its
// Removed (or to); empty (end <= start) when it was not there at all.
func (e Executor) Lifetime(from, to time.Duration) (start, end time.Duration) {
	start, end = max(from, e.Added), to
	if e.Removed > 0 {
		end = min(to, e.Removed)
	}
	return start, end
}

// Trace is a whole run: where it came from, its settings, its executors and its spans.
type Trace struct {
	// Source is "sim", "real" or "spark".
	Source   string `json:"source"`
	Scenario string `json:"scenario,omitempty"`
	// Parallelism is the tuner's parallelism (0 when unknown, as in a foreign event log).
	Parallelism int `json:"parallelism"`
	// Seed and Replica identify a simulated run among its replicas.
	Seed    uint64 `json:"seed,omitempty"`
	Replica int    `json:"replica,omitempty"`
	// Fits is the number of fits the run holds, the refit included.
	Fits int `json:"fits,omitempty"`
	// ParamMaps labels each param map by index (e.g. "pca.k=15 lr.regParam=0.001").
	ParamMaps []string `json:"param_maps,omitempty"`
	// DriverCores is the number of CPUs of the driver's host (GOMAXPROCS for a real run).
	DriverCores int `json:"driver_cores,omitempty"`
	// CPU is the CPU time the run's processes used over the run (all threads: tasks, driver,
	// garbage collection, compilation), when it was measured; 0 when unknown.
	CPU time.Duration `json:"cpu_ns,omitempty"`
	// ExecutorCPU is the CPU time the executors' own processes used over the run, when they ran
	// apart from the driver's process and were measured (a Spark standalone cluster on the
	// machine that ran the driver); 0 when unknown or when CPU already holds it (local mode).
	ExecutorCPU time.Duration `json:"executor_cpu_ns,omitempty"`
	// SteadyCPU is the part of CPU that threads runnable throughout the run used (a simulated
	// run's costmodel.Overheads.SteadyThreads: housekeeping that grows with the run's time).
	SteadyCPU time.Duration `json:"steady_cpu_ns,omitempty"`
	// BackgroundThreads is how many threads did the run's background work (a JVM's JIT compiler
	// threads), when measured; 0 when unknown.
	BackgroundThreads int `json:"background_threads,omitempty"`
	// ExecutorBackgroundThreads is how many threads did each executor JVM's background work,
	// when the executors ran in JVMs of their own that were measured (a Spark standalone cluster
	// on the driver's machine); BackgroundThreads then counts the driver's process alone.
	ExecutorBackgroundThreads int        `json:"executor_background_threads,omitempty"`
	Executors                 []Executor `json:"executors"`
	// Attrs holds what a source knows beyond the above (Spark version, app id, master).
	Attrs map[string]string `json:"attrs,omitempty"`
	// Disturbance is what the host did around a measured run, and whether it disturbed the run;
	// nil for simulations and runs read from foreign logs.
	Disturbance *Disturbance `json:"disturbance,omitempty"`
	Spans       []Span       `json:"spans"`
}

// Slots is the number of task slots over all executors.
func (t *Trace) Slots() int {
	n := 0
	for _, e := range t.Executors {
		n += e.Slots
	}
	return n
}

// Add appends a span; it makes *Trace a Sink.
func (t *Trace) Add(s Span) { t.Spans = append(t.Spans, s) }

// Sink receives the spans of a run as they end. A Trace keeps them all; an Accumulator keeps only
// what the metrics need, so a run of millions of tasks need not hold its spans.
type Sink interface {
	Add(Span)
}

// An Amender is a Sink that can be told how an attempt it was sent ended when its source says so
// only later: an event log says that a successful task's output was lost (Spark's Resubmitted)
// after the task ended. Amend gives the last span sent that is the same attempt as attempt
// (SameAttempt) the outcome and reason; a sink that keeps only figures (Accumulator) moves
// attempt's part in them from its outcome to the new one.
type Amender interface {
	Sink
	Amend(attempt Span, outcome Outcome, reason string)
}

// SameAttempt says whether s and o are the same attempt of the same work: the same kind, stage
// and stage attempt, partition and attempt, executor and times (whatever their names, outcomes
// and details).
func (s Span) SameAttempt(o Span) bool {
	return s.Kind == o.Kind && s.Stage == o.Stage && s.StageAttempt == o.StageAttempt && s.Partition == o.Partition &&
		s.Attempt == o.Attempt && s.Executor == o.Executor && s.Start == o.Start && s.End == o.End
}

// Amend gives the last span that is the same attempt as attempt the outcome and reason; it
// makes *Trace an Amender. It does nothing when no span is.
func (t *Trace) Amend(attempt Span, outcome Outcome, reason string) {
	for i := len(t.Spans) - 1; i >= 0; i-- {
		if t.Spans[i].SameAttempt(attempt) {
			t.Spans[i].Outcome, t.Spans[i].Reason = outcome, reason
			return
		}
	}
}

// Tee sends every span to each of its sinks.
type Tee []Sink

// Add sends s to every sink.
func (t Tee) Add(s Span) {
	for _, k := range t {
		k.Add(s)
	}
}

// Amend amends every sink that is an Amender.
func (t Tee) Amend(attempt Span, outcome Outcome, reason string) {
	for _, k := range t {
		if a, ok := k.(Amender); ok {
			a.Amend(attempt, outcome, reason)
		}
	}
}

// AttrCPUShare is the key of a trace's Attrs that says how the host the driver shared with
// executors divided its cores among their JVMs: one of scenarios.Host's cpu_share values
// ("processes" when each JVM was a CPU scheduling group of its own; absent or "threads" when all
// their threads shared one pool).
const AttrCPUShare = "cpu_share"
