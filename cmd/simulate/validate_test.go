package main

import (
	"encoding/json"
	"math"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"tunesim/costmodel"
	"tunesim/experiment"
)

func TestCalibrateThenValidate(t *testing.T) {
	withThreshold(t, noRunDisturbed) // the run counts below hold only when no run is left out
	dir := t.TempDir()
	prof := filepath.Join(dir, "p.json")
	code, out, errs := simulate(t, "calibrate", "-s", "testdata/small-tvs.json", "--runs", "2", "-o", prof, "--format", "json", "--plot", filepath.Join(dir, "cal.png"))
	if code != 0 {
		t.Fatalf("calibrate: exit %d: %s", code, errs)
	}
	var cr calibrationReport
	if err := json.Unmarshal([]byte(out), &cr); err != nil {
		t.Fatalf("calibrate --format json: %v\n%s", err, out)
	}
	if cr.Runs != 2 || len(cr.Ops) == 0 || cr.Profile != prof {
		t.Fatalf("calibration report %+v: want 2 runs, some operations, profile %s", cr, prof)
	}
	p, err := costmodel.Load(prof, "")
	if err != nil {
		t.Fatalf("the calibrated profile does not load: %v", err)
	}
	if p.Ops["gramian"] == nil || p.Ops["gramian"].Samples == 0 {
		t.Errorf("the calibrated profile has no fitted gramian: %+v", p.Ops["gramian"])
	}

	code, out, errs = simulate(t, "validate", "-s", "testdata/small-tvs.json", "--profile", prof, "--parallelism", "1,2,3", "--runs", "1", "--format", "json", "--plot", filepath.Join(dir, "val.png"))
	if code != 0 {
		t.Fatalf("validate: exit %d: %s", code, errs)
	}
	var v experiment.Validation
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("validate --format json: %v\n%s", err, out)
	}
	if len(v.Rows) != 3 || v.Against != "real" {
		t.Fatalf("validation %+v: want 3 rows against real", v)
	}
	var abs []float64
	for _, r := range v.Rows {
		if r.RealS <= 0 || r.SimulatedS <= 0 {
			t.Errorf("row %+v: makespans must be positive", r)
		}
		if want := 100 * (r.SimulatedS - r.RealS) / r.RealS; math.Abs(want-r.ErrorPct) > 1e-9 {
			t.Errorf("row %d: error_pct %v, want %v", r.Parallelism, r.ErrorPct, want)
		}
		abs = append(abs, math.Abs(r.ErrorPct))
	}
	sort.Float64s(abs)
	if v.MedianAbsErrorPct != abs[1] || v.MaxAbsErrorPct != abs[2] {
		t.Errorf("median/max |error| %v/%v, want %v/%v", v.MedianAbsErrorPct, v.MaxAbsErrorPct, abs[1], abs[2])
	}
	if v.Rows[0].RealSpeedup != 1 || v.Rows[0].SimulatedSpeedup != 1 {
		t.Errorf("speedups at parallelism 1: %+v, want 1", v.Rows[0])
	}
	code, out, _ = simulate(t, "validate", "-s", "testdata/small-tvs.json", "--profile", prof, "--parallelism", "1,2", "--runs", "1")
	if code != 0 || !strings.Contains(out, "median |error|") || !strings.Contains(out, "recommend") {
		t.Errorf("validate table: exit %d\n%s", code, out)
	}
}

func TestCalibrateValidateBadUsage(t *testing.T) {
	for _, c := range []struct {
		args []string
		in   string
	}{
		{[]string{"calibrate", "-s", "testdata/small-tvs.json"}, "-o PROFILE"},
		{[]string{"calibrate", "-o", "x.json", "--runs", "0"}, "--runs"},
		{[]string{"calibrate", "-o", "x.json", "--format", "csv"}, "table and json"},
		{[]string{"calibrate", "-o", "x.json", "--base", "nope"}, "--base"},
		{[]string{"validate", "--runs", "0"}, "--runs"},
		{[]string{"validate", "--profile", "nope"}, "cost.profile"},
		{[]string{"validate", "--parallelism", "0"}, "--parallelism"},
	} {
		code, _, errs := simulate(t, c.args...)
		if code != 2 || !strings.Contains(errs, c.in) {
			t.Errorf("%v: exit %d, stderr %q; want 2 mentioning %q", c.args, code, errs, c.in)
		}
	}
}
