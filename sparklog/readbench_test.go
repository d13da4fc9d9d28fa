package sparklog

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"tunesim/trace"
)

// largeTrace is a tuning's trace of the given number of tasks: fits of 10 jobs, each one stage
// of 100 tasks on 8 executors of 4 slots, every task with Spark's task metrics.
func largeTrace(tasks int) *trace.Trace {
	t := &trace.Trace{Source: "sim", Scenario: "bench", Parallelism: 4}
	for e := range 8 {
		t.Executors = append(t.Executors, trace.Executor{ID: e, Host: fmt.Sprintf("host-%d", e), Slots: 4})
	}
	const perStage, ms = 100, time.Millisecond
	none := trace.None
	at := time.Duration(0)
	fitStart := at
	for s := range tasks / perStage {
		fit := s / 10
		start := at
		for p := range perStage {
			ts := start + time.Duration(p/32)*10*ms
			t.Spans = append(t.Spans, trace.Span{Kind: trace.KindTask, Name: "treeAggregate at RDDLossFunction.scala:61",
				Fit: fit, ParamMap: fit % 16, Fold: 0, Job: s, Stage: s, Partition: p, Executor: p % 8, Slot: (p / 8) % 4,
				Start: ts, End: ts + 9*ms, Detail: &trace.TaskDetail{RunTime: 8 * ms, CPUTime: 7 * ms, Deserialize: ms}})
		}
		end := start + 40*ms
		t.Spans = append(t.Spans,
			trace.Span{Kind: trace.KindStage, Name: "treeAggregate at RDDLossFunction.scala:61", Fit: fit, ParamMap: fit % 16, Fold: 0,
				Job: s, Stage: s, Partition: none, Executor: none, Slot: none, Start: start, End: end},
			trace.Span{Kind: trace.KindJob, Name: "treeAggregate at RDDLossFunction.scala:61", Fit: fit, ParamMap: fit % 16, Fold: 0,
				Job: s, Stage: none, Partition: none, Executor: none, Slot: none, Start: start, End: end})
		at = end + ms
		if s%10 == 9 {
			t.Spans = append(t.Spans, trace.Span{Kind: trace.KindFit, Name: "fit", Fit: fit, ParamMap: fit % 16, Fold: 0,
				Job: none, Stage: none, Partition: none, Executor: none, Slot: none, Start: fitStart, End: at})
			fitStart = at
		}
	}
	t.Fits = tasks / perStage / 10
	return t
}

// BenchmarkReadLargeLog reads a log of 100,000 tasks that the writer wrote (Spark 4's full
// TaskEnd lines, about 1.2 KB each; 150 MB in all) and reports MB/s of JSON and events/s:
// streamed into an Accumulator (simulate eventlog summary), read whole into a trace (Read:
// slots packed), and streamed from a zstd copy.
//
//	go test ./sparklog -run '^$' -bench ReadLargeLog -count 3
func BenchmarkReadLargeLog(b *testing.B) {
	dir := b.TempDir()
	tr := largeTrace(100000)
	plain, zst := filepath.Join(dir, "app"), filepath.Join(dir, "app.zstd")
	if err := WriteFile(plain, tr, CodecNone, WriteOptions{}); err != nil {
		b.Fatal(err)
	}
	if err := WriteFile(zst, tr, CodecZstd, WriteOptions{}); err != nil {
		b.Fatal(err)
	}
	st, err := os.Stat(plain)
	if err != nil {
		b.Fatal(err)
	}
	size := st.Size()
	for _, c := range []struct {
		name string
		path string
		read func(path string) (*Info, error)
	}{
		{"stream", plain, func(p string) (*Info, error) { return Stream(p, trace.NewAccumulator(64)) }},
		{"read", plain, func(p string) (*Info, error) { _, info, err := Read(p); return info, err }},
		{"stream-zstd", zst, func(p string) (*Info, error) { return Stream(p, trace.NewAccumulator(64)) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(size) // of JSON, whatever the codec
			lines := 0
			for b.Loop() {
				info, err := c.read(c.path)
				if err != nil {
					b.Fatal(err)
				}
				if info.Tasks != 100000 {
					b.Fatalf("%d tasks read, want 100000", info.Tasks)
				}
				lines += info.Lines
			}
			b.ReportMetric(float64(lines)/b.Elapsed().Seconds(), "events/s")
		})
	}
}
