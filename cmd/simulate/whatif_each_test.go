package main

import (
	"encoding/json"
	"math"
	"path/filepath"
	"strings"
	"testing"
)

// eachOut is what the tests read of whatif's JSON report.
type eachOut struct {
	Replicas int `json:"replicas"`
	Results  []struct {
		Parallelism int     `json:"parallelism"`
		Runs        int     `json:"runs"`
		MakespanS   float64 `json:"makespan_s"`
		MakespanP10 float64 `json:"makespan_s_p10"`
		MakespanP90 float64 `json:"makespan_s_p90"`
		Speedup     float64 `json:"speedup"`
	} `json:"results"`
	Recommended int      `json:"recommended_parallelism"`
	Notes       []string `json:"notes"`
}

// whatifJSON runs whatif on args at parallelism 1-4, the CPU inferred, and decodes its JSON.
func whatifJSON(t *testing.T, args ...string) eachOut {
	t.Helper()
	code, stdout, errOut := simulate(t, append([]string{"whatif"}, append(args, "--parallelism", "1:4", "--hidden-cpu", "infer", "--format", "json")...)...)
	if code != 0 {
		t.Fatalf("whatif %v: exit %d: %s", args, code, errOut)
	}
	var o eachOut
	if err := json.Unmarshal([]byte(stdout), &o); err != nil {
		t.Fatal(err)
	}
	return o
}

// Two serial logs of one tuning at one size: whatif predicts from each on its own and reports the
// medians over them (of two, their mean), the spread between them, and says so; each log's own
// prediction is what whatif gives it alone.
func TestWhatifTwoLogsOfOneSize(t *testing.T) {
	dir := filepath.Join("testdata", "glr-cv")
	a, b := filepath.Join(dir, "local-1796657045054.zstd"), filepath.Join(dir, "local-1796657156809.zstd")
	oa, ob, both := whatifJSON(t, a), whatifJSON(t, b), whatifJSON(t, a, b)
	if both.Replicas != 2 || len(both.Notes) == 0 || !strings.Contains(strings.Join(both.Notes, " "), "each of the 2 logs") {
		t.Errorf("two logs: replicas %d, notes %q; want 2 and a note that each log was predicted", both.Replicas, both.Notes)
	}
	if len(both.Results) != 4 || len(oa.Results) != 4 || len(ob.Results) != 4 {
		t.Fatalf("results: %d, %d, %d; want 4 each", len(both.Results), len(oa.Results), len(ob.Results))
	}
	differ := false
	for i, r := range both.Results {
		x, y := oa.Results[i], ob.Results[i]
		lo, hi := math.Min(x.MakespanS, y.MakespanS), math.Max(x.MakespanS, y.MakespanS)
		differ = differ || hi-lo > 1e-6
		if r.Runs != 2 || math.Abs(r.MakespanS-(x.MakespanS+y.MakespanS)/2) > 1e-6 ||
			r.MakespanP10 < lo-1e-6 || r.MakespanP90 > hi+1e-6 || r.MakespanP10 > r.MakespanP90 {
			t.Errorf("P=%d: %d runs, makespan %v [%v-%v]; the logs alone %v and %v", r.Parallelism, r.Runs, r.MakespanS, r.MakespanP10, r.MakespanP90, x.MakespanS, y.MakespanS)
		}
		if want := (x.Speedup + y.Speedup) / 2; math.Abs(r.Speedup-want) > 1e-6 {
			t.Errorf("P=%d: speedup %v, want the mean of the logs' own %v and %v", r.Parallelism, r.Speedup, x.Speedup, y.Speedup)
		}
	}
	if !differ {
		t.Error("the two logs predict the same: the test checks nothing")
	}
}

// Logs of one size that ran on different clusters (whatif.FitSizes refuses them), or --app-cpu
// (one run's CPU) with several logs, exit 2 saying why.
func TestWhatifEachLogBadInput(t *testing.T) {
	dir := filepath.Join("testdata", "glr-cv")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{filepath.Join(dir, "local-4p-1796489027669.zstd"), filepath.Join(dir, "sa22-4p-20261206025600-0000.zstd")}, "give logs of runs on one cluster"},
		{[]string{filepath.Join(dir, "local-1796657045054.zstd"), filepath.Join(dir, "local-1796657156809.zstd"), "--app-cpu", "12"}, "--app-cpu is one run's CPU"},
	} {
		code, _, errOut := simulate(t, append([]string{"whatif"}, tc.args...)...)
		if code != 2 || !strings.Contains(errOut, tc.want) {
			t.Errorf("whatif %v: exit %d, %q; want 2 and %q", tc.args, code, errOut, tc.want)
		}
	}
}
