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
	// Detail carries what a Spark event log adds to a task; nil for simulated spans.
	Detail *TaskDetail `json:"detail,omitempty"`
}

// Duration is End - Start.
func (s Span) Duration() time.Duration { return s.End - s.Start }

// TaskDetail is the breakdown Spark's UI shows for a task. All durations are parts of the span.
type TaskDetail struct {
	Host               string        `json:"host,omitempty"`
	Attempt            int           `json:"attempt,omitempty"`
	RunTime            time.Duration `json:"run_ns"`
	CPUTime            time.Duration `json:"cpu_ns"`
	Deserialize        time.Duration `json:"deserialize_ns"`
	ResultSerialize    time.Duration `json:"result_serialize_ns"`
	GettingResult      time.Duration `json:"getting_result_ns"`
	GC                 time.Duration `json:"gc_ns"`
	Failed             bool          `json:"failed,omitempty"`
	SpeculativeAttempt bool          `json:"speculative,omitempty"`
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
	// BackgroundThreads is how many threads did the run's background work (a JVM's JIT compiler
	// threads), when measured; 0 when unknown.
	BackgroundThreads int        `json:"background_threads,omitempty"`
	Executors         []Executor `json:"executors"`
	// Attrs holds what a source knows beyond the above (Spark version, app id, master).
	Attrs map[string]string `json:"attrs,omitempty"`
	Spans []Span            `json:"spans"`
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

// Tee sends every span to each of its sinks.
type Tee []Sink

// Add sends s to every sink.
func (t Tee) Add(s Span) {
	for _, k := range t {
		k.Add(s)
	}
}
