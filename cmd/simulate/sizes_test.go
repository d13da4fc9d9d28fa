package main

import (
	"encoding/json"
	"math"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"tunesim/costmodel"
)

// TestCalibrateAtSizesThenExtrapolate calibrates from serial real runs at two data sizes (which
// pins the per-row costs) and validates the profile at 2x and 3x the larger size: one validation
// per size, each run at its size, and the errors over all of them.
func TestCalibrateAtSizesThenExtrapolate(t *testing.T) {
	withThreshold(t, noRunDisturbed)
	dir := t.TempDir()
	prof := filepath.Join(dir, "p.json")
	code, out, errs := simulate(t, "calibrate", "-s", "testdata/small-tvs.json", "--rows", "300,600", "--runs", "1", "-o", prof, "--format", "json")
	if code != 0 {
		t.Fatalf("calibrate --rows: exit %d: %s", code, errs)
	}
	var cr calibrationReport
	if err := json.Unmarshal([]byte(out), &cr); err != nil {
		t.Fatal(err)
	}
	if want := []string{"small-tvs at 300 rows", "small-tvs at 600 rows"}; strings.Join(cr.Scenarios, "|") != strings.Join(want, "|") || cr.Runs != 2 {
		t.Fatalf("calibrated from %q, %d runs; want %q, 2 runs", cr.Scenarios, cr.Runs, want)
	}
	if _, err := costmodel.Load(prof, ""); err != nil {
		t.Fatalf("the profile does not load: %v", err)
	}
	// The calibrated profile and the gonum one, compared on the same runs.
	code, out, errs = simulate(t, "validate", "-s", "testdata/small-tvs.json", "--profile", prof+",gonum", "--rows-scale", "2,3", "--parallelism", "1,2", "--runs", "1", "--format", "json")
	if code != 0 {
		t.Fatalf("validate --rows-scale: exit %d: %s", code, errs)
	}
	var v sizesValidation
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Profiles) != 2 || len(v.Rows) != 2 || v.Rows[0] != 1200 || v.Rows[1] != 1800 || v.Factors[1] != 3 {
		t.Fatalf("%d profiles validated at %v rows (factors %v); want 2 at 1200 and 1800", len(v.Profiles), v.Rows, v.Factors)
	}
	for k, p := range v.Profiles {
		var all []float64
		for i, val := range p.Validations {
			if len(val.Rows) != 2 || !strings.HasSuffix(val.Scenario, []string{"at 1200 rows", "at 1800 rows"}[i]) || val.Profile != p.Profile {
				t.Errorf("profile %s, validation %d: %s (profile %s) with %d rows", p.Profile, i, val.Scenario, val.Profile, len(val.Rows))
			}
			for j, r := range val.Rows {
				all = append(all, math.Abs(r.ErrorPct))
				// The measured figures are the same runs' whatever the profile.
				if other := v.Profiles[1-k].Validations[i].Rows[j]; other.RealS != r.RealS {
					t.Errorf("%s at %d rows, parallelism %d: measured %v, and %v for the other profile", p.Profile, v.Rows[i], r.Parallelism, r.RealS, other.RealS)
				}
			}
		}
		sort.Float64s(all)
		// The median to rounding: the report may add the middle pair in another order.
		if p.MaxAbsErrorPct != all[len(all)-1] || math.Abs(p.MedianAbsErrorPct-(all[1]+all[2])/2) > 1e-9 {
			t.Errorf("%s: median, max |error| %v, %v; want %v, %v over every row", p.Profile, p.MedianAbsErrorPct, p.MaxAbsErrorPct, (all[1]+all[2])/2, all[3])
		}
	}
	code, out, _ = simulate(t, "validate", "-s", "testdata/small-tvs.json", "--profile", prof, "--rows-scale", "2", "--parallelism", "1", "--runs", "1")
	if code != 0 || !strings.Contains(out, "at 1200 rows (2 x data.rows)") || !strings.Contains(out, "over every size") {
		t.Errorf("validate --rows-scale table: exit %d\n%s", code, out)
	}
}

func TestSizesBadUsage(t *testing.T) {
	for _, c := range []struct {
		args []string
		in   string
	}{
		{[]string{"calibrate", "-o", "x.json", "--rows", "500,x"}, "--rows"},
		{[]string{"calibrate", "-o", "x.json", "--rows", "500,500"}, "twice"},
		{[]string{"calibrate", "-s", "testdata/small-tvs.json", "-o", "x.json", "--rows", "2"}, "data.partitions"},
		{[]string{"calibrate", "-o", "x.json", "--against", "yarn"}, "--against"},
		{[]string{"calibrate", "-o", "x.json", "--from-eventlog", "x", "--rows", "5,6"}, "--rows"},
		{[]string{"validate", "--rows-scale", "4"}, "needs --profile"},
		{[]string{"validate", "--profile", "gonum", "--rows-scale", "0"}, "--rows-scale"},
		{[]string{"validate", "--profile", "gonum", "--rows-scale", "2,2"}, "twice"},
	} {
		code, _, errs := simulate(t, c.args...)
		if code != 2 || !strings.Contains(errs, c.in) {
			t.Errorf("%v: exit %d, %q; want exit 2 saying %q", c.args, code, errs, c.in)
		}
	}
}
