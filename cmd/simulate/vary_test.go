package main

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"tunesim/scenarios"
	"tunesim/trace"
)

// TestParseVary checks --vary's syntax and that every error is bad usage listing the fields; the
// values themselves are scenarios.ParseVary's (tested there).
func TestParseVary(t *testing.T) {
	for _, tc := range []struct {
		in    string
		field string
		want  []float64
		err   string // part of the error; "" for none
	}{
		{in: "cluster.executors=2:8:2", field: "cluster.executors", want: []float64{2, 4, 6, 8}},
		{in: "data.rows=1000,20000", field: "data.rows", want: []float64{1000, 20000}},
		{in: "cluster.nope=1:2", err: `"cluster.nope" is not a numeric scenario field`},
		{in: "cluster.executors=1.5,2", err: "cluster.executors holds integers, not 1.5"},
		{in: "tuner.parallelism=1:4", err: "already crosses every value with --parallelism"},
		{in: "cluster.executors", err: "no =VALUES"},
		{in: "cluster.executors=", err: "no =VALUES"},
		{in: "cluster.executors=4:2", err: "A <= B and STEP > 0"},
		{in: "cluster.executors=2,2", err: "2 is listed twice"},
		{in: "cluster.executors=1:100000", err: "at most 1000"},
	} {
		v, err := parseVary(tc.in)
		if tc.err != "" {
			var ee *exitError
			if err == nil || !strings.Contains(err.Error(), tc.err) || !errors.As(err, &ee) || ee.code != 2 {
				t.Errorf("parseVary(%q): %v, want a bad-usage error saying %q", tc.in, err, tc.err)
			}
			if err != nil && !strings.Contains(err.Error(), "cluster.executors, cluster.host_cores") {
				t.Errorf("parseVary(%q): %v does not list the numeric fields", tc.in, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("parseVary(%q): %v", tc.in, err)
			continue
		}
		if v.Field != tc.field || !reflect.DeepEqual(v.Values, tc.want) {
			t.Errorf("parseVary(%q) = %s %v, want %s %v", tc.in, v.Field, v.Values, tc.field, tc.want)
		}
	}
}

// TestSweepVaryRows checks sweep --vary against independent sweeps of the scenario edited by hand:
// each row's makespan and speedup are the plain sweep's at that value, its slots executors x
// cores_per_executor, and its core-seconds slots x makespan.
func TestSweepVaryRows(t *testing.T) {
	code, out, errs := simulate(t, "sweep", "--vary", "cluster.executors=1,3", "--parallelism", "1:3", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var r varyReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if r.Field != "cluster.executors" || len(r.Rows) != 6 {
		t.Fatalf("field %q, %d rows; want cluster.executors, 6", r.Field, len(r.Rows))
	}
	s, err := scenarios.Builtin("seed-tvs")
	if err != nil {
		t.Fatal(err)
	}
	for _, executors := range []int{1, 3} {
		sc := *s
		sc.Cluster.Executors = executors
		b, err := json.Marshal(&sc)
		if err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(t.TempDir(), "s.json")
		if err := os.WriteFile(file, b, 0o644); err != nil {
			t.Fatal(err)
		}
		code, out, errs := simulate(t, "sweep", "-s", file, "--parallelism", "1:3", "--format", "json")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		var plain report
		if err := json.Unmarshal([]byte(out), &plain); err != nil {
			t.Fatal(err)
		}
		for _, res := range plain.Results {
			var got *varyRow
			for i := range r.Rows {
				if r.Rows[i].Value == float64(executors) && r.Rows[i].Parallelism == res.Parallelism {
					got = &r.Rows[i]
				}
			}
			if got == nil {
				t.Fatalf("no row for executors %d, parallelism %d", executors, res.Parallelism)
			}
			slots := executors * s.Cluster.CoresPerExecutor
			if got.MakespanS != res.Makespan.P50 || got.Speedup != res.Speedup.P50 || got.Slots != slots ||
				math.Abs(got.CoreSeconds-float64(slots)*res.Makespan.P50) > 1e-12 {
				t.Errorf("executors %d, parallelism %d: row %+v; the plain sweep says makespan %g, speedup %g with %d slots",
					executors, res.Parallelism, *got, res.Makespan.P50, res.Speedup.P50, slots)
			}
		}
	}
	if r.Fastest.MakespanS > r.Cheapest.MakespanS || r.Cheapest.MakespanS > (1+trace.RecommendTolerance)*r.Fastest.MakespanS {
		t.Errorf("fastest %+v, cheapest %+v: the cheapest must be within %s of the fastest", r.Fastest, r.Cheapest, trace.TolerancePercent)
	}
}

// TestSweepOutputDoesNotDependOnWorkers runs sweeps on one worker and on several and compares
// their output byte for byte, in every format, with and without --vary and replicas.
func TestSweepOutputDoesNotDependOnWorkers(t *testing.T) {
	for _, args := range [][]string{
		{"sweep", "--parallelism", "1:6"},
		{"sweep", "-s", "seed-cv", "--parallelism", "1,2,5", "--replicas", "3", "--format", "json"},
		{"sweep", "--vary", "cluster.executors=1:4", "--parallelism", "1:5"},
		{"sweep", "--vary", "data.partitions=2,4,8", "--parallelism", "2:4", "--format", "csv"},
		{"sweep", "--vary", "noise.task_cv=0,0.2", "--parallelism", "1:3", "--replicas", "3", "--format", "json"},
	} {
		var outs []string
		for _, w := range []string{"1", "3", "8"} {
			code, out, errs := simulate(t, append(args, "--workers", w)...)
			if code != 0 {
				t.Fatalf("%v --workers %s: exit %d: %s", args, w, code, errs)
			}
			outs = append(outs, out)
		}
		for i := 1; i < len(outs); i++ {
			if outs[i] != outs[0] {
				t.Errorf("%v: the output with several workers differs from one worker's:\n%s\nvs\n%s", args, outs[i], outs[0])
			}
		}
	}
}

func TestSweepVaryPlotAndErrors(t *testing.T) {
	png := filepath.Join(t.TempDir(), "heat.png")
	code, out, errs := simulate(t, "sweep", "--vary", "cluster.executors=1:3", "--parallelism", "1:4", "--plot", png)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"cluster.executors  parallelism  slots  makespan s  core-s paid", "fastest:  cluster.executors", "cheapest: cluster.executors"} {
		if !strings.Contains(out, want) {
			t.Errorf("table does not say %q:\n%s", want, out)
		}
	}
	if st, err := os.Stat(png); err != nil || st.Size() == 0 {
		t.Errorf("--plot wrote no picture: %v", err)
	}
	for _, tc := range []struct {
		args []string
		in   string
	}{
		{[]string{"sweep", "--vary", "cluster.bogus=1:2"}, "cluster.bogus"},
		{[]string{"sweep", "--vary", "cluster.executors=0,1"}, "cluster.executors"},
		{[]string{"sweep", "--workers", "-1"}, "--workers"},
	} {
		code, _, errs := simulate(t, tc.args...)
		if code != 2 || !strings.Contains(errs, tc.in) || strings.Count(strings.TrimSpace(errs), "\n") != 0 {
			t.Errorf("%v: exit %d, stderr %q; want 2 and one line naming %s", tc.args, code, errs, tc.in)
		}
	}
}
