package spark

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"time"

	"tunesim/scenarios"
	"tunesim/sparklog"
	"tunesim/trace"
)

// ReadRun reads the event log of a harness run of scenario s into the trace of its tuning. The
// spans of jobs no fit claims (the warm-up) are dropped. When the harness's summary lies beside
// the log (see SummaryOf), the CPU time and background threads it measured go into the trace, and
// the summary is returned (else nil); a log of several runs (a Session's) gives the run the
// summary names. A local master's host, which the log does not size, gets this machine's CPUs:
// the harness ran here.
func ReadRun(eventLog string, s *scenarios.Scenario) (*trace.Trace, *Result, error) {
	sum, _, err := SummaryOf(eventLog)
	if err != nil {
		return nil, nil, err
	}
	t, err := readRun(eventLog, s, sum)
	return t, sum, err
}

// ReadResult reads the run r of scenario s, as the harness reported it, from its event log: the
// tagged jobs between its start and end, with time zero at its start, and what r measured.
func ReadResult(r *Result, s *scenarios.Scenario) (*trace.Trace, error) {
	return readRun(r.EventLog, s, r)
}

// readRun reads the run sum describes (nil: the log's only run, measured by nobody) from
// eventLog.
func readRun(eventLog string, s *scenarios.Scenario, sum *Result) (*trace.Trace, error) {
	t, info, err := sparklog.Read(eventLog)
	if err != nil {
		return nil, fmt.Errorf("reading the event log: %w", err)
	}
	kept := t.Spans[:0]
	for _, sp := range t.Spans {
		if sp.Fit != trace.None {
			kept = append(kept, sp)
		}
	}
	t.Spans = kept
	if len(kept) == 0 {
		return nil, fmt.Errorf("%s: no job carries a %s property: not a log of spark/tune.py", eventLog, sparklog.PropFit)
	}
	if sum != nil && sum.StartUnixMs > 0 {
		ms := func(unix int64) time.Duration { return time.Duration(unix-info.EpochMs) * time.Millisecond }
		t.Window(ms(sum.StartUnixMs), ms(sum.EndUnixMs))
		if len(t.Spans) == 0 {
			return nil, fmt.Errorf("%s: no tagged job between the start and end of run %d (Unix ms %d to %d)", eventLog, sum.Run, sum.StartUnixMs, sum.EndUnixMs)
		}
		if t.Attrs == nil {
			t.Attrs = map[string]string{}
		}
		t.Attrs[AttrRun] = strconv.Itoa(sum.Run)
		if len(sum.WarmupSeconds) > 0 {
			t.Attrs[AttrWarmup] = seconds(sum.WarmupSeconds)
		}
		if len(sum.WarmupJITShare) > 0 {
			t.Attrs[AttrWarmupJIT] = seconds(sum.WarmupJITShare)
		}
	}
	t.Scenario = s.Name
	if sum != nil {
		t.Parallelism = sum.Parallelism
		if sum.CPUSeconds != nil {
			t.CPU = time.Duration(*sum.CPUSeconds * float64(time.Second))
		}
		if sum.ExecutorCPUSeconds != nil {
			t.ExecutorCPU = time.Duration(*sum.ExecutorCPUSeconds * float64(time.Second))
		}
		if sum.BackgroundThreads != nil {
			t.BackgroundThreads = *sum.BackgroundThreads
		}
		if sum.ExecutorBackgroundThreads != nil {
			t.ExecutorBackgroundThreads = *sum.ExecutorBackgroundThreads
		}
		if sum.CPUShare != "" {
			if t.Attrs == nil {
				t.Attrs = map[string]string{}
			}
			t.Attrs[trace.AttrCPUShare] = sum.CPUShare
		}
	}
	if strings.HasPrefix(t.Attrs["master"], "local") {
		for i := range t.Executors {
			if t.Executors[i].HostCores == 0 {
				t.Executors[i].HostCores = runtime.NumCPU()
			}
		}
		if t.DriverCores == 0 {
			t.DriverCores = runtime.NumCPU()
		}
	}
	return t, nil
}

// The attributes a run of a Session adds to its trace: its number in the application, the
// warm-up's serial tunings before it (seconds, space-separated) and the share of each one's CPU
// the JIT compilers took.
const (
	AttrRun       = "spark_run"
	AttrWarmup    = "warmup_s"
	AttrWarmupJIT = "warmup_jit_share"
)

// seconds writes numbers to three decimals, space-separated.
func seconds(s []float64) string {
	parts := make([]string, len(s))
	for i, v := range s {
		parts[i] = strconv.FormatFloat(v, 'f', 3, 64)
	}
	return strings.Join(parts, " ")
}
