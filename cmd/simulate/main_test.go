package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tunesim/trace"
)

// simulate runs the CLI in-process and returns its exit status, stdout and stderr.
func simulate(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	c := &cli{stdout: &out, stderr: &errb}
	code := c.main(args)
	return code, out.String(), errb.String()
}

func TestExitStatusAndMessages(t *testing.T) {
	tests := []struct {
		args []string
		code int
		// in is what stderr (or stdout for help) must mention.
		in string
	}{
		{[]string{"sweep", "--help"}, 0, "--parallelism"},
		{[]string{"run", "-h"}, 0, "--trace"},
		{[]string{"frobnicate"}, 2, "unknown command"},
		{[]string{"sweep", "--bogus"}, 2, "bogus"},
		{[]string{"sweep", "-s", "no/such/file.json"}, 2, "no/such/file.json"},
		{[]string{"sweep", "-s", "nonexistent-builtin"}, 2, "seed-tvs"},
		{[]string{"sweep", "-s", "testdata/parallelism-zero.json"}, 2, "tuner.parallelism"},
		{[]string{"sweep", "--parallelism", "0:3"}, 2, "--parallelism"},
		{[]string{"sweep", "--parallelism", "4:2"}, 2, "ends before it starts"},
		{[]string{"sweep", "--parallelism", "1,x"}, 2, "--parallelism"},
		{[]string{"sweep", "--format", "xml"}, 2, "table, json, csv"},
		{[]string{"sweep", "--replicas", "0"}, 2, "--replicas"},
		{[]string{"sweep", "--profile", "nope"}, 2, "cost.profile"},
		{[]string{"run", "--parallelism", "0"}, 2, "--parallelism"},
		{[]string{"scenarios", "show"}, 2, "scenarios show NAME"},
	}
	for _, tt := range tests {
		code, out, errs := simulate(t, tt.args...)
		if code != tt.code {
			t.Errorf("%v: exit %d, want %d (stderr %q)", tt.args, code, tt.code, errs)
		}
		text := errs
		if tt.code == 0 {
			text = out
		}
		if !strings.Contains(text, tt.in) {
			t.Errorf("%v: output %q does not mention %q", tt.args, text, tt.in)
		}
		if tt.code == 2 && strings.Count(strings.TrimSpace(errs), "\n") != 0 {
			t.Errorf("%v: want one line on stderr, got %q", tt.args, errs)
		}
	}
}

func TestSweepJSON(t *testing.T) {
	code, out, errs := simulate(t, "sweep", "--parallelism", "1:8", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var r struct {
		Scenario string           `json:"scenario"`
		Results  []map[string]any `json:"results"`
		Rec      *int             `json:"recommended_parallelism"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if r.Scenario != "seed-tvs" || len(r.Results) != 8 || r.Rec == nil {
		t.Fatalf("sweep JSON: %s", out)
	}
	for _, key := range []string{"parallelism", "makespan_s", "speedup", "utilization", "idle_core_s", "mean_concurrent_fits"} {
		if _, ok := r.Results[0][key]; !ok {
			t.Errorf("results lack %s", key)
		}
	}
	if sp := r.Results[0]["speedup"].(float64); sp != 1 {
		t.Errorf("speedup at parallelism 1 is %v", sp)
	}
}

func TestReplicasDeterministicAndSpread(t *testing.T) {
	args := []string{"sweep", "-s", "testdata/seed-noisy.json", "--parallelism", "1,3", "--replicas", "5", "--seed", "7", "--format", "json"}
	_, a, _ := simulate(t, args...)
	_, b, _ := simulate(t, args...)
	if a != b {
		t.Error("same seed, different output")
	}
	for _, key := range []string{"makespan_s_p10", "speedup_p90", "idle_core_s_p50"} {
		if !strings.Contains(a, key) {
			t.Errorf("replicated sweep lacks %s", key)
		}
	}
	args[len(args)-3] = "8"
	if _, c, _ := simulate(t, args...); c == a {
		t.Error("seeds 7 and 8 give the same output")
	}
}

func TestRunWritesTraceAndOutputFile(t *testing.T) {
	dir := t.TempDir()
	tp, op := filepath.Join(dir, "t.json"), filepath.Join(dir, "out.csv")
	code, out, errs := simulate(t, "run", "--parallelism", "3", "--trace", tp, "--format", "csv", "-o", op)
	if code != 0 || out != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
	tr, err := trace.ReadFile(tp)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(op)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "parallelism,runs,makespan_s") {
		t.Fatalf("csv: %q", b)
	}
	m := tr.Metrics()
	if tr.Parallelism != 3 || !strings.HasSuffix(lines[1], ","+itoa(m.Tasks)+","+itoa(m.Jobs)+","+itoa(m.Fits)) {
		t.Errorf("trace (parallelism %d, %d tasks) does not match the csv row %q", tr.Parallelism, m.Tasks, lines[1])
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestScenariosShowLoadsBack(t *testing.T) {
	code, list, _ := simulate(t, "scenarios")
	if code != 0 || !strings.Contains(list, "seed-tvs") || !strings.Contains(list, "laptop-2core") {
		t.Fatalf("scenarios: %d %q", code, list)
	}
	_, shown, _ := simulate(t, "scenarios", "show", "seed-cv")
	path := filepath.Join(t.TempDir(), "cv.json")
	if err := os.WriteFile(path, []byte(shown), 0o644); err != nil {
		t.Fatal(err)
	}
	_, again, errs := simulate(t, "scenarios", "show", path)
	if again != shown {
		t.Errorf("show of the shown file differs (stderr %q)", errs)
	}
}
