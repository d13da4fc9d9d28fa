package plots_test

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"tunesim/plots"
	"tunesim/trace"
)

// A timeline of a trace built by hand: one tuner thread running one fit whose two tasks run on
// two slots of one executor. The extension of the path chooses the format.
func ExampleTimeline() {
	dir, _ := os.MkdirTemp("", "plots-example")
	defer os.RemoveAll(dir)
	ms := time.Millisecond
	t := &trace.Trace{Source: "sim", Scenario: "example", Parallelism: 1, Fits: 1,
		ParamMaps: []string{"k=3"}, Executors: []trace.Executor{{ID: 0, Slots: 2}}}
	for slot := 0; slot < 2; slot++ {
		t.Add(trace.Span{Kind: trace.KindTask, Fit: 0, ParamMap: 0, Fold: 0, Job: 0, Stage: 0, Partition: slot,
			Executor: 0, Slot: slot, Start: 10 * ms, End: 80 * ms})
	}
	t.Add(trace.Span{Kind: trace.KindFit, Fit: 0, ParamMap: 0, Fold: 0, Job: trace.None, Stage: trace.None,
		Partition: trace.None, Executor: trace.None, Slot: 0, Start: 0, End: 100 * ms})
	for _, name := range []string{"run.png", "run.svg"} {
		fmt.Println(name, plots.Timeline(t, filepath.Join(dir, name), plots.Options{}))
	}
	fmt.Println(plots.Timeline(t, filepath.Join(dir, "run.gif"), plots.Options{}) != nil)
	// Output:
	// run.png <nil>
	// run.svg <nil>
	// true
}

// A sweep plot from a sweep's results, with the recommendation package trace makes.
func ExampleSweep() {
	dir, _ := os.MkdirTemp("", "plots-example")
	defer os.RemoveAll(dir)
	var results []trace.Result
	for p, mk := range []float64{9, 5, 4, 3.9} {
		s := func(v float64) trace.Spread { return trace.Spread{P10: v, P50: v, P90: v} }
		results = append(results, trace.Result{Parallelism: p + 1, Runs: 1, Makespan: s(mk), Speedup: s(9 / mk)})
	}
	rec := trace.Recommend(results)
	fmt.Println(rec, plots.Sweep("example sweep", results, rec, filepath.Join(dir, "sweep.png"), plots.Options{}))
	// Output: 3 <nil>
}
