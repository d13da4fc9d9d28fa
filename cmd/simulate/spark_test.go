package main

import (
	"encoding/json"
	"math"
	"path/filepath"
	"testing"

	"tunesim/experiment"
	"tunesim/sparkenv"
	"tunesim/sparklog"
)

// TestValidateAgainstSpark runs the whole chain on real Spark: the harness at parallelism 1 and 2,
// its event logs read back, a profile calibrated from the serial run, the simulation compared.
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
	logs, err := filepath.Glob(filepath.Join(dir, "local-*[0-9]"))
	if err != nil || len(logs) != 2 {
		t.Fatalf("event logs in --event-dir: %v, %v; want 2", logs, err)
	}
	for _, l := range logs {
		tr, _, err := sparklog.Read(l)
		if err != nil {
			t.Fatal(err)
		}
		if tr.Metrics().Tasks == 0 {
			t.Errorf("%s: no tasks", l)
		}
	}
	t.Logf("tiny-spark on Spark: P=1 %.2f s (sim %.2f), P=2 %.2f s (sim %.2f)", v.Rows[0].RealS, v.Rows[0].SimulatedS, v.Rows[1].RealS, v.Rows[1].SimulatedS)
}
