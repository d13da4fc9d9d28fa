// Package spark runs a scenario on Apache Spark through the PySpark harness tune.py (embedded in
// the binary), which builds the scenario's pipeline of any stages tunesim models (HarnessStages)
// on data generated in the JVM, and returns where its event log is and what the tuner chose.
// Reading the event log into a trace is package sparklog's job.
package spark

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"tunesim/scenarios"
	"tunesim/sparkenv"
	"tunesim/sparklog"
)

//go:embed tune.py
var harness []byte

// Options are the settings of one harness run.
type Options struct {
	// Parallelism is the tuner's parallelism (0: the scenario's).
	Parallelism int
	// Master is Spark's master URL (empty: local[N] from the scenario).
	Master string
	// EventDir is where Spark writes the event log (created if missing).
	EventDir string
	// AppName names the Spark application.
	AppName string
	// NoWarmup skips the warm-up: untagged serial tunings, until one takes within 5% of the one
	// before or they have taken WarmupBudget (at least two), that load classes and warm the JIT
	// before the first measured run.
	NoWarmup bool
	// WarmupBudget bounds the warm-up (0: the harness's 150 s).
	WarmupBudget time.Duration
}

// Result is what the harness printed: the application, its event log and the tuner's choice.
type Result struct {
	AppID        string `json:"app_id"`
	SparkVersion string `json:"spark_version"`
	Master       string `json:"master"`
	Parallelism  int    `json:"parallelism"`
	// Run is the run's number in its application (from 1): a Session's runs share one
	// application and one event log. StartUnixMs and EndUnixMs are when the run began and
	// ended (Unix milliseconds; 0 from a harness before sessions, whose log holds one run).
	Run         int     `json:"run"`
	StartUnixMs int64   `json:"start_unix_ms"`
	EndUnixMs   int64   `json:"end_unix_ms"`
	WallSeconds float64 `json:"wall_s"`
	// WarmupSeconds are the warm-up's serial tunings in the run's application, in order
	// (empty without a warm-up); WarmupJITShare the share of each one's CPU the JVMs' JIT
	// compilers took.
	WarmupSeconds  []float64 `json:"warmup_s"`
	WarmupJITShare []float64 `json:"warmup_jit_share"`
	// CPUSeconds is the CPU time of Spark's JVM and the harness's Python over the tuning, when
	// the platform tells (Linux /proc); nil otherwise.
	CPUSeconds *float64 `json:"cpu_s"`
	// BackgroundThreads is how many JIT compiler threads of the JVM worked during the tuning
	// (nil when unknown).
	BackgroundThreads *int `json:"background_threads"`
	// ExecutorBackgroundThreads is how many JIT compiler threads worked in each executor JVM
	// that ran on this machine (the mean over them, rounded; nil when none ran here). When it
	// is set, BackgroundThreads counts the driver's JVM alone.
	ExecutorBackgroundThreads *int `json:"executor_background_threads"`
	// CPUShare is how this machine's OS shared its cores between the driver's JVM and the
	// executor JVMs here: "processes" when each was a CPU scheduling group of its own (Linux's
	// autogroup, one per session, or a cgroup each), "threads" when they were one pool; empty
	// when no executor JVM ran here or the platform does not tell.
	CPUShare string `json:"cpu_share"`
	// CompilerCPUSeconds and GCCPUSeconds are the CPU time the driver's JVM's JIT compiler
	// threads and garbage collector threads (with the VM thread) took over the tuning; the
	// Executor ones the same of the executor JVMs on this machine together (nil when unknown or
	// none ran here).
	CompilerCPUSeconds         *float64 `json:"compiler_cpu_s"`
	ExecutorCompilerCPUSeconds *float64 `json:"executor_compiler_cpu_s"`
	GCCPUSeconds               *float64 `json:"gc_cpu_s"`
	ExecutorGCCPUSeconds       *float64 `json:"executor_gc_cpu_s"`
	// ExecutorCPUSeconds is the CPU time of the application's executor JVMs that ran on this
	// machine (a standalone cluster started here) over the tuning; nil when none did (local mode,
	// whose executor threads are in CPUSeconds) or the platform does not tell.
	ExecutorCPUSeconds *float64           `json:"executor_cpu_s"`
	EventLog           string             `json:"event_log"`
	BestIndex          int                `json:"best_index"`
	BestParamMap       map[string]float64 `json:"best_param_map"`
	BestMetric         float64            `json:"best_metric"`
	Metrics            []float64          `json:"metrics"`
}

// Run runs scenario s on Spark with the environment env once, in an application of its own (a
// Session of one run). A failure of Python or Java is one error whose text ends with the
// harness's last line of output.
func Run(ctx context.Context, env *sparkenv.Env, s *scenarios.Scenario, o Options) (*Result, error) {
	ss, err := Start(ctx, env, s, o)
	if err != nil {
		return nil, err
	}
	p := o.Parallelism
	if p <= 0 {
		p = max(1, s.Tuner.Parallelism)
	}
	r, err := ss.Run(ctx, p)
	if cerr := ss.Close(); err == nil && cerr != nil {
		return nil, cerr
	}
	if err != nil {
		return nil, err
	}
	// The application has stopped: Spark renamed its log.
	r.EventLog = strings.TrimSuffix(r.EventLog, sparklog.InProgress)
	return r, nil
}

// SummaryOf reads the summary the harness leaves next to an event log (PATH.tunesim.json); ok is
// false when there is none. A log of several runs (a Session's) has a list of summaries: SummaryOf
// gives its first serial run, else its first run.
func SummaryOf(eventLog string) (r *Result, ok bool, err error) {
	b, err := os.ReadFile(eventLog + SummarySuffix)
	if errors.Is(err, os.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	var runs []Result
	if b = bytes.TrimSpace(b); len(b) > 0 && b[0] == '[' {
		err = json.Unmarshal(b, &runs)
	} else {
		runs = make([]Result, 1)
		err = json.Unmarshal(b, &runs[0])
	}
	if err != nil {
		return nil, false, fmt.Errorf("%s%s: %w", eventLog, SummarySuffix, err)
	}
	if len(runs) == 0 {
		return nil, false, fmt.Errorf("%s%s: an empty list of runs", eventLog, SummarySuffix)
	}
	for i := range runs {
		if runs[i].Parallelism == 1 {
			return &runs[i], true, nil
		}
	}
	return &runs[0], true, nil
}

// SummarySuffix names the harness's summary file after its event log.
const SummarySuffix = ".tunesim.json"

// resolve follows symlinks (java on PATH is often /usr/bin/java -> /etc/alternatives/...).
func resolve(p string) string {
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	return p
}

// lastLine is the last non-empty line of out (Python's traceback ends with the error).
func lastLine(out string) string {
	lines := strings.Split(strings.TrimSpace(out), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if l := strings.TrimSpace(lines[i]); l != "" {
			return l
		}
	}
	return "no output"
}
