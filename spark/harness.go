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
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"tunesim/scenarios"
	"tunesim/sparkenv"
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
	// NoWarmup skips the untagged warm-up run that loads classes and warms the JIT first.
	NoWarmup bool
}

// Result is what the harness printed: the application, its event log and the tuner's choice.
type Result struct {
	AppID        string  `json:"app_id"`
	SparkVersion string  `json:"spark_version"`
	Master       string  `json:"master"`
	Parallelism  int     `json:"parallelism"`
	WallSeconds  float64 `json:"wall_s"`
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

// Run runs scenario s on Spark with the environment env. A failure of Python or Java is one
// error whose text ends with the harness's last line of output.
func Run(ctx context.Context, env *sparkenv.Env, s *scenarios.Scenario, o Options) (*Result, error) {
	if o.EventDir == "" {
		return nil, errors.New("spark: no event log directory")
	}
	if err := Runnable(s); err != nil {
		return nil, fmt.Errorf("spark: %w", err)
	}
	tmp, err := os.MkdirTemp("", "tunesim-spark-")
	if err != nil {
		return nil, fmt.Errorf("spark: %w", err)
	}
	defer os.RemoveAll(tmp)
	scenarioFile := filepath.Join(tmp, "scenario.json")
	b, err := json.Marshal(harnessScenario(s))
	if err != nil {
		return nil, fmt.Errorf("spark: scenario %s: %w", s.Name, err)
	}
	if err := os.WriteFile(scenarioFile, b, 0o644); err != nil {
		return nil, fmt.Errorf("spark: %w", err)
	}
	script := filepath.Join(tmp, "tune.py")
	if err := os.WriteFile(script, harness, 0o644); err != nil {
		return nil, fmt.Errorf("spark: %w", err)
	}
	args := []string{script, "--scenario", scenarioFile, "--event-dir", o.EventDir}
	if o.Parallelism > 0 {
		args = append(args, "--parallelism", strconv.Itoa(o.Parallelism))
	}
	if o.Master != "" {
		args = append(args, "--master", o.Master)
	}
	if o.AppName != "" {
		args = append(args, "--app-name", o.AppName)
	}
	if o.NoWarmup {
		args = append(args, "--no-warmup")
	}
	cmd := exec.CommandContext(ctx, env.Python, args...)
	ownGroup(cmd)
	cmd.Env = append(os.Environ(), "SPARK_HOME="+env.SparkHome, "PYSPARK_PYTHON="+env.Python)
	if env.Java != "" {
		cmd.Env = append(cmd.Env, "JAVA_HOME="+filepath.Dir(filepath.Dir(resolve(env.Java))))
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("spark harness on %s (parallelism %d) failed (%v): %s", s.Name, o.Parallelism, err, lastLine(stderr.String()))
	}
	var r Result
	if err := json.Unmarshal(lastLineBytes(stdout.Bytes()), &r); err != nil {
		return nil, fmt.Errorf("spark harness on %s: reading its summary %q: %w", s.Name, lastLine(stdout.String()), err)
	}
	return &r, nil
}

// SummaryOf reads the summary the harness leaves next to an event log (PATH.tunesim.json); ok is
// false when there is none.
func SummaryOf(eventLog string) (r *Result, ok bool, err error) {
	b, err := os.ReadFile(eventLog + SummarySuffix)
	if errors.Is(err, os.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	r = &Result{}
	if err := json.Unmarshal(b, r); err != nil {
		return nil, false, fmt.Errorf("%s%s: %w", eventLog, SummarySuffix, err)
	}
	return r, true, nil
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

func lastLineBytes(out []byte) []byte { return []byte(lastLine(string(out))) }
