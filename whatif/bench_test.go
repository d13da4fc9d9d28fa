package whatif

import (
	"bufio"
	"os"
	"path/filepath"
	"testing"

	"tunesim/costmodel"
	"tunesim/scenarios"
	"tunesim/sim"
	"tunesim/sparklog"
	"tunesim/tuning"
)

// BenchmarkWhatifLargeLog reads a log of about a million tasks (a simulated CrossValidator over
// many partitions, written by sparklog's writer once per benchmark run), finds the tuning and
// sweeps parallelism 1..16 over its plan: the whole cost of `simulate whatif` on such a log. It
// reports the log's size, its tasks, and MB/s of reading.
func BenchmarkWhatifLargeLog(b *testing.B) {
	s, err := scenarios.Builtin("seed-cv")
	if err != nil {
		b.Fatal(err)
	}
	s.Data.Partitions, s.Data.Rows = 1024, 10_000_000
	s.Tuner.Parallelism = 1
	p, err := tuning.New(s)
	if err != nil {
		b.Fatal(err)
	}
	prof, err := costmodel.Load(s.Cost.Profile, "")
	if err != nil {
		b.Fatal(err)
	}
	tr, err := sim.Trace(p, prof, sim.Options{})
	if err != nil {
		b.Fatal(err)
	}
	log := filepath.Join(b.TempDir(), "large.log")
	f, err := os.Create(log)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if err := sparklog.Write(w, tr, sparklog.WriteOptions{}); err != nil {
		b.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	st, _ := f.Stat()
	f.Close()
	ps := make([]int, 16)
	for i := range ps {
		ps[i] = i + 1
	}
	b.ResetTimer()
	var tasks int
	for b.Loop() {
		app, info, err := sparklog.ReadApp(log)
		if err != nil {
			b.Fatal(err)
		}
		tun, err := Find(app, info, Hints{})
		if err != nil {
			b.Fatal(err)
		}
		q, m, err := tun.Plan(Options{})
		if err != nil {
			b.Fatal(err)
		}
		res, err := sim.SweepPlan(q, m, sim.SweepOptions{Parallelisms: ps, Replicas: 1})
		if err != nil {
			b.Fatal(err)
		}
		tasks = res[0].Tasks
	}
	b.ReportMetric(float64(tasks), "tasks")
	b.ReportMetric(float64(st.Size())/1e6, "log-MB")
	b.SetBytes(st.Size())
}
