package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"tunesim/experiment"
	"tunesim/scenarios"
	"tunesim/spark"
	"tunesim/sparkenv"
	"tunesim/sparklog"
	"tunesim/trace"
)

// TestValidateAgainstSpark runs the whole chain on real Spark: the harness at parallelism 1 and 2,
// in one application, its event log read back run by run, a profile calibrated from the serial
// run, the simulation compared.
// It checks the chain's consistency, not the model's accuracy (Spark's timing on a shared machine
// is not a test's business; `simulate validate` reports it): every row is measured and simulated,
// and the logs kept in --event-dir read back with their tasks.
func TestValidateAgainstSpark(t *testing.T) {
	if _, err := sparkenv.Find(); err != nil {
		t.Skipf("no Spark environment: %v", err)
	}
	if testing.Short() {
		t.Skip("starts Spark twice (about a minute); -short skips it")
	}
	dir := t.TempDir()
	code, out, errs := simulate(t, "validate", "--against", "spark", "-s", "testdata/tiny-spark.json", "--parallelism", "1,2", "--runs", "1", "--no-warmup", "--event-dir", dir, "--format", "json")
	if code != 0 {
		t.Fatalf("validate --against spark: exit %d: %s", code, errs)
	}
	var v experiment.Validation
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if v.Against != "spark" || len(v.Rows) != 2 {
		t.Fatalf("validation %+v: want 2 rows against spark", v)
	}
	for _, r := range v.Rows {
		if r.RealS <= 0 || r.SimulatedS <= 0 {
			t.Errorf("row %+v: makespans must be positive", r)
		}
	}
	for _, r := range v.Rows {
		if want := 100 * (r.SimulatedS - r.RealS) / r.RealS; math.Abs(want-r.ErrorPct) > 1e-9 {
			t.Errorf("row %d: error_pct %v, want %v", r.Parallelism, r.ErrorPct, want)
		}
	}
	if v.Rows[0].RealSpeedup != 1 || v.Profile == "" {
		t.Errorf("serial row %+v, profile %q: want speedup 1 and the calibrated profile named", v.Rows[0], v.Profile)
	}
	// Both runs ran in one application: one event log, with a summary of each run beside it.
	logs, err := filepath.Glob(filepath.Join(dir, "local-*[0-9]"))
	if err != nil || len(logs) != 1 {
		t.Fatalf("event logs in --event-dir: %v, %v; want 1", logs, err)
	}
	b, err := os.ReadFile(logs[0] + spark.SummarySuffix)
	if err != nil {
		t.Fatal(err)
	}
	var runs []spark.Result
	if err := json.Unmarshal(b, &runs); err != nil {
		t.Fatalf("%s%s: %v", logs[0], spark.SummarySuffix, err)
	}
	if len(runs) != 2 || runs[0].Parallelism != 1 || runs[1].Parallelism != 2 || runs[0].Run != 1 || runs[1].Run != 2 || runs[0].EndUnixMs > runs[1].StartUnixMs {
		t.Fatalf("summaries %+v: want run 1 at parallelism 1, then run 2 at 2", runs)
	}
	whole, _, err := sparklog.Read(logs[0])
	if err != nil {
		t.Fatal(err)
	}
	s, err := scenarios.LoadFile("testdata/tiny-spark.json")
	if err != nil {
		t.Fatal(err)
	}
	tasks := 0
	for i := range runs {
		tr, err := spark.ReadResult(&runs[i], s)
		if err != nil {
			t.Fatal(err)
		}
		m := tr.Metrics()
		if m.Tasks == 0 || tr.Parallelism != runs[i].Parallelism {
			t.Errorf("run %d: %d tasks at parallelism %d", i+1, m.Tasks, tr.Parallelism)
		}
		// Cut out of the log with time zero at the run's start, within its wall time.
		if d := m.Makespan.Seconds(); d > runs[i].WallSeconds+0.01 {
			t.Errorf("run %d: makespan %.3f s over its wall time %.3f s", i+1, d, runs[i].WallSeconds)
		}
		tasks += m.Tasks
	}
	// The two runs' tasks are the log's tagged tasks: none lost or counted twice between them.
	tagged := 0
	for _, sp := range whole.Spans {
		if sp.Kind == trace.KindTask && sp.Fit != trace.None {
			tagged++
		}
	}
	if tasks != tagged {
		t.Errorf("the runs hold %d tasks; the log's tagged tasks are %d", tasks, tagged)
	}
	t.Logf("tiny-spark on Spark: P=1 %.2f s (sim %.2f), P=2 %.2f s (sim %.2f)", v.Rows[0].RealS, v.Rows[0].SimulatedS, v.Rows[1].RealS, v.Rows[1].SimulatedS)
}
