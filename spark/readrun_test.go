package spark

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"tunesim/costmodel"
	"tunesim/scenarios"
	"tunesim/sim"
	"tunesim/sparklog"
	"tunesim/trace"
	"tunesim/tuning"
)

// TestReadRun writes a simulated run with an untagged warm-up task as an event log with a
// harness summary beside it, and checks that ReadRun keeps the tuning alone, takes the CPU time
// and background threads from the summary and sizes the local host with this machine's CPUs.
func TestReadRun(t *testing.T) {
	s, err := scenarios.Builtin("seed-tvs")
	if err != nil {
		t.Fatal(err)
	}
	plan, err := tuning.New(s)
	if err != nil {
		t.Fatal(err)
	}
	prof, err := costmodel.Load("default", "")
	if err != nil {
		t.Fatal(err)
	}
	tr, err := sim.Trace(plan, prof, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tuned := tr.Metrics()
	warm := trace.Span{Kind: trace.KindTask, Name: "warmup", Fit: trace.None, ParamMap: trace.None, Fold: trace.None,
		Job: 10000, Stage: 10000, Executor: 0, Slot: 0, Start: -time.Second, End: -time.Second / 2}
	tr.Spans = append([]trace.Span{warm}, tr.Spans...)
	tr.Executors[0].HostCores, tr.DriverCores, tr.CPU = 0, 0, 0
	tr.Attrs["master"] = "local[8]"
	dir := t.TempDir()
	log := filepath.Join(dir, "local-1")
	if err := sparklog.WriteFile(log, tr, sparklog.CodecNone, sparklog.WriteOptions{AppID: "local-1"}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(log+SummarySuffix, []byte(`{"parallelism": 3, "cpu_s": 2.5, "background_threads": 1}`), 0o644); err != nil {
		t.Fatal(err)
	}
	got, sum, err := ReadRun(log, s)
	if err != nil {
		t.Fatal(err)
	}
	if sum == nil || got.CPU != 2500*time.Millisecond || got.BackgroundThreads != 1 || got.Parallelism != 3 {
		t.Errorf("summary %+v: trace CPU %v, background threads %d, parallelism %d; want 2.5s, 1, 3", sum, got.CPU, got.BackgroundThreads, got.Parallelism)
	}
	if m := got.Metrics(); m.Tasks != tuned.Tasks || m.Makespan.Round(time.Millisecond) != tuned.Makespan.Round(time.Millisecond) {
		t.Errorf("read back %d tasks over %v; the tuning had %d over %v (the warm-up must go)", m.Tasks, m.Makespan, tuned.Tasks, tuned.Makespan)
	}
	if got.Executors[0].HostCores != runtime.NumCPU() || got.DriverCores != runtime.NumCPU() {
		t.Errorf("local host sized %d/%d cores, want this machine's %d", got.Executors[0].HostCores, got.DriverCores, runtime.NumCPU())
	}
	if err := os.Remove(log + SummarySuffix); err != nil {
		t.Fatal(err)
	}
	if got, sum, err := ReadRun(log, s); err != nil || sum != nil || got.CPU != 0 {
		t.Errorf("without a summary: %v, summary %v, CPU %v; want no error, nil, 0", err, sum, got.CPU)
	}
}
