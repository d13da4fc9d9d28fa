package spark

import (
	"fmt"
	"runtime"
	"strings"
	"time"

	"tunesim/scenarios"
	"tunesim/sparklog"
	"tunesim/trace"
)

// ReadRun reads the event log of a harness run of scenario s into the trace of its tuning. The
// spans of jobs no fit claims (the warm-up) are dropped. When the harness's summary lies beside
// the log (see SummaryOf), the CPU time and background threads it measured go into the trace, and
// the summary is returned (else nil). A local master's host, which the log does not size, gets
// this machine's CPUs: the harness ran here.
func ReadRun(eventLog string, s *scenarios.Scenario) (*trace.Trace, *Result, error) {
	t, _, err := sparklog.Read(eventLog)
	if err != nil {
		return nil, nil, fmt.Errorf("reading the event log: %w", err)
	}
	kept := t.Spans[:0]
	for _, sp := range t.Spans {
		if sp.Fit != trace.None {
			kept = append(kept, sp)
		}
	}
	t.Spans = kept
	if len(kept) == 0 {
		return nil, nil, fmt.Errorf("%s: no job carries a tunesim.fit property: not a log of spark/tune.py", eventLog)
	}
	t.Scenario = s.Name
	sum, ok, err := SummaryOf(eventLog)
	if err != nil {
		return nil, nil, err
	}
	if ok {
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
	return t, sum, nil
}
