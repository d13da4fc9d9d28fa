package spark

import (
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
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
	s, tr := simulatedSeed(t)
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

// TestReadResultCutsOneRun writes a log of two runs of the same simulated tuning, the second 100 s
// after the first began (one application that ran the tuning twice, as a Session does), and
// checks that ReadResult gives each run alone, with time zero at its start, from its summary's
// start and end; a window that holds no tagged job is an error naming the run.
func TestReadResultCutsOneRun(t *testing.T) {
	s, tr := simulatedSeed(t)
	one := tr.Metrics()
	const gap = 100 * time.Second
	n := len(tr.Spans)
	for _, sp := range tr.Spans[:n] {
		sp.Start += gap
		sp.End += gap
		sp.Job += 1 << 20
		sp.Stage += 1 << 20
		tr.Spans = append(tr.Spans, sp)
	}
	tr.Attrs["master"] = "local[8]"
	log := filepath.Join(t.TempDir(), "local-1")
	const epoch = int64(1_800_000_000_000)
	if err := sparklog.WriteFile(log, tr, sparklog.CodecNone, sparklog.WriteOptions{AppID: "local-1", EpochMs: epoch}); err != nil {
		t.Fatal(err)
	}
	end := epoch + one.Makespan.Milliseconds() + 1
	for run, from := range []int64{epoch, epoch + gap.Milliseconds()} {
		r := &Result{EventLog: log, Run: run + 1, Parallelism: 3, StartUnixMs: from, EndUnixMs: end + from - epoch, WarmupSeconds: []float64{4, 2.5}}
		got, err := ReadResult(r, s)
		if err != nil {
			t.Fatal(err)
		}
		m := got.Metrics()
		if m.Tasks != one.Tasks || m.Jobs != one.Jobs || m.Makespan.Round(time.Millisecond) != one.Makespan.Round(time.Millisecond) {
			t.Errorf("run %d: %d tasks, %d jobs over %v; one run has %d, %d over %v", run+1, m.Tasks, m.Jobs, m.Makespan, one.Tasks, one.Jobs, one.Makespan)
		}
		first := got.Spans[0].Start
		for _, sp := range got.Spans {
			first = min(first, sp.Start)
		}
		if first < 0 || first > time.Millisecond {
			t.Errorf("run %d starts at %v; want time zero at its start", run+1, first)
		}
		if got.Attrs[AttrRun] != strconv.Itoa(run+1) || got.Attrs[AttrWarmup] != "4.000 2.500" || got.Parallelism != 3 {
			t.Errorf("run %d: attrs %v, parallelism %d", run+1, got.Attrs, got.Parallelism)
		}
	}
	r := &Result{EventLog: log, Run: 3, StartUnixMs: epoch + 2*gap.Milliseconds(), EndUnixMs: epoch + 3*gap.Milliseconds()}
	if _, err := ReadResult(r, s); err == nil || !strings.Contains(err.Error(), "run 3") {
		t.Errorf("a window with no job: %v; want an error naming run 3", err)
	}
}

// simulatedSeed is seed-tvs and a simulated run of its tuning with the default profile.
func simulatedSeed(t *testing.T) (*scenarios.Scenario, *trace.Trace) {
	t.Helper()
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
	return s, tr
}
