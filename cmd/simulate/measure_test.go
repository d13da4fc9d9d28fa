package main

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"tunesim/hostload"
)

// withThreshold makes every campaign of the test judge its runs by th instead of the host's
// real figures' default threshold.
func withThreshold(t *testing.T, th hostload.Threshold) {
	t.Helper()
	old := newProbe
	newProbe = func() *hostload.Probe {
		p := hostload.NewProbe()
		p.Threshold = th
		return p
	}
	t.Cleanup(func() { newProbe = old })
}

var (
	// everyRunDisturbed flags every run: the reference kernel is never faster than the
	// campaign's best, so a slowdown limit below 0 is always passed.
	everyRunDisturbed = hostload.Threshold{OthersPct: math.Inf(1), StealPct: math.Inf(1), SlowdownPct: -1}
	// noRunDisturbed flags none, whatever the shared machine does meanwhile.
	noRunDisturbed = hostload.Threshold{OthersPct: math.Inf(1), StealPct: math.Inf(1), SlowdownPct: math.Inf(1)}
)

// measuredJSON is what the reports of measured runs say of disturbance.
type measuredJSON struct {
	Disturbed    *bool  `json:"disturbed"`
	Threshold    string `json:"disturbance_threshold"`
	MeasuredRuns []struct {
		Parallelism int     `json:"parallelism"`
		Run         int     `json:"run"`
		Attempts    int     `json:"attempts"`
		Counted     bool    `json:"counted"`
		Disturbed   *bool   `json:"disturbed"`
		Reason      string  `json:"reason"`
		WallS       float64 `json:"wall_s"`
		RefBefore   float64 `json:"reference_before_ms"`
	} `json:"measured_runs"`
	Rows []struct {
		Parallelism   int   `json:"parallelism"`
		Disturbed     *bool `json:"disturbed"`
		DisturbedRuns int   `json:"disturbed_runs"`
	} `json:"rows"`
}

func TestDisturbedRunsAreFlaggedInEveryReport(t *testing.T) {
	withThreshold(t, everyRunDisturbed)
	code, out, errs := simulate(t, "validate", "-s", "testdata/small-tvs.json", "--profile", "default", "--parallelism", "1,2", "--runs", "1", "--retry-disturbed", "1", "--format", "json")
	if code != 0 {
		t.Fatalf("validate: exit %d: %s", code, errs)
	}
	var v measuredJSON
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if v.Disturbed == nil || !*v.Disturbed || !strings.Contains(v.Threshold, "reference kernel") || len(v.Rows) != 2 || len(v.MeasuredRuns) != 2 {
		t.Fatalf("validation %+v: want it disturbed, with the threshold, 2 rows and 2 runs", v)
	}
	for _, r := range v.Rows {
		if r.Disturbed == nil || !*r.Disturbed || r.DisturbedRuns != 1 {
			t.Errorf("row %+v: want disturbed with 1 disturbed run", r)
		}
	}
	for _, r := range v.MeasuredRuns {
		if r.Disturbed == nil || !*r.Disturbed || r.Attempts != 2 || !r.Counted || !strings.Contains(r.Reason, "reference kernel") || r.RefBefore <= 0 {
			t.Errorf("run %+v: want disturbed after 2 attempts, counted (its parallelism has no other), with its reason and figures", r)
		}
	}
	for _, w := range []string{"retry 1 of 1", "warning: real run 1 at parallelism 2 was disturbed"} {
		if !strings.Contains(errs, w) {
			t.Errorf("stderr %q does not say %q", errs, w)
		}
	}

	code, out, _ = simulate(t, "real", "-s", "testdata/small-tvs.json", "--parallelism", "1,2")
	if code != 0 || !strings.Contains(out, "  1*  ") || !strings.Contains(out, "* parallelism 2: every run was disturbed") {
		t.Errorf("real's table does not mark the disturbed rows:\n%s", out)
	}
	code, out, _ = simulate(t, "validate", "-s", "testdata/small-tvs.json", "--profile", "default", "--parallelism", "1", "--runs", "1")
	if code != 0 || !strings.Contains(out, "  1*  ") || !strings.Contains(out, "* parallelism 1: every run was disturbed") {
		t.Errorf("validate's table does not mark the disturbed rows:\n%s", out)
	}
}

func TestQuietRunsSayTheyWereNotDisturbed(t *testing.T) {
	withThreshold(t, noRunDisturbed)
	for _, args := range [][]string{
		{"real", "-s", "testdata/small-tvs.json", "--parallelism", "1,2", "--runs", "2", "--format", "json"},
		{"validate", "-s", "testdata/small-tvs.json", "--parallelism", "1,2", "--runs", "1", "--format", "json"},
		{"calibrate", "-s", "testdata/small-tvs.json", "--runs", "1", "-o", t.TempDir() + "/p.json", "--format", "json"},
	} {
		code, out, errs := simulate(t, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
		var v measuredJSON
		if err := json.Unmarshal([]byte(out), &v); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
		if v.Disturbed == nil || *v.Disturbed || len(v.MeasuredRuns) == 0 || errs != "" {
			t.Errorf("%v: disturbed %v, %d runs, stderr %q: want \"disturbed\": false, the runs, no warning", args, v.Disturbed, len(v.MeasuredRuns), errs)
		}
		for _, r := range v.MeasuredRuns {
			if r.Disturbed == nil || *r.Disturbed || !r.Counted || r.WallS <= 0 {
				t.Errorf("%v: run %+v: want \"disturbed\": false, counted, with its wall time", args, r)
			}
		}
	}
}

func TestRetryDisturbedBadUsage(t *testing.T) {
	for _, cmd := range []string{"real", "validate", "calibrate"} {
		code, _, errs := simulate(t, cmd, "-o", t.TempDir()+"/x", "--retry-disturbed", "-1")
		if code != 2 || !strings.Contains(errs, "--retry-disturbed -1: allowed are 0 to 100") {
			t.Errorf("%s --retry-disturbed -1: exit %d, %q", cmd, code, errs)
		}
	}
}
