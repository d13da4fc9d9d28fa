package main

import (
	"encoding/json"
	"math"
	"path/filepath"
	"strings"
	"testing"
)

// Several logs given to whatif must be of one tuning, and --scale-rows a finite factor > 0: else
// exit 2 naming what is wrong.
func TestWhatifSizesBadInput(t *testing.T) {
	data := filepath.Join("..", "..", "whatif", "testdata")
	lr, svc := filepath.Join(data, "lr-text-serial"), filepath.Join(data, "svc-fresh-serial")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{lr, svc}, "not of the same tuning"},
		{[]string{svc, lr, "--scale-rows", "2"}, "stages only in"},
		{[]string{lr, "--scale-rows", "NaN"}, `"NaN" for "--scale-rows"`},
		{[]string{lr, "--scale-rows", "+Inf"}, `"+Inf" for "--scale-rows"`},
		{[]string{lr, "--scale-rows", "-2"}, `"-2" for "--scale-rows"`},
		{[]string{lr, filepath.Join(data, "nope")}, "nope"},
	} {
		code, _, errOut := simulate(t, append([]string{"whatif"}, tc.args...)...)
		if code != 2 || !strings.Contains(errOut, tc.want) {
			t.Errorf("whatif %v: exit %d, %q; want 2 and %q", tc.args, code, errOut, tc.want)
		}
	}
}

// The same log given twice is one size: the what-if is the one log's (to rounding), and the JSON
// carries the fits, how sure they are, and the flag past 16x.
func TestWhatifSameLogTwice(t *testing.T) {
	lr := filepath.Join("..", "..", "whatif", "testdata", "lr-text-serial")
	type out struct {
		Found struct {
			Extrapolation *struct {
				Logs []struct {
					RelSize float64 `json:"rel_size"`
				} `json:"logs"`
				Stages     []json.RawMessage `json:"stages"`
				Driver     []json.RawMessage `json:"driver"`
				Confidence string            `json:"confidence"`
				Beyond     bool              `json:"beyond_validated"`
			} `json:"extrapolation"`
		} `json:"found"`
		Results []struct {
			MakespanS float64 `json:"makespan_s"`
		} `json:"results"`
	}
	run := func(args ...string) out {
		t.Helper()
		code, stdout, errOut := simulate(t, append([]string{"whatif"}, append(args, "--parallelism", "1,3", "--format", "json")...)...)
		if code != 0 {
			t.Fatalf("whatif %v: exit %d: %s", args, code, errOut)
		}
		var o out
		if err := json.Unmarshal([]byte(stdout), &o); err != nil {
			t.Fatal(err)
		}
		return o
	}
	for _, f := range []string{"3", "20"} {
		one, two := run(lr, "--scale-rows", f), run(lr, lr, "--scale-rows", f)
		for i := range one.Results {
			if a, b := one.Results[i].MakespanS, two.Results[i].MakespanS; math.Abs(a/b-1) > 1e-6 {
				t.Errorf("--scale-rows %s: one log %v s, the log twice %v s", f, a, b)
			}
		}
		e := two.Found.Extrapolation
		if e == nil || len(e.Logs) != 2 || e.Logs[0].RelSize != 1 || len(e.Stages) == 0 || len(e.Driver) == 0 ||
			!strings.Contains(e.Confidence, "one size") || e.Beyond != (f == "20") {
			t.Errorf("--scale-rows %s: extrapolation %+v", f, e)
		}
	}
}
