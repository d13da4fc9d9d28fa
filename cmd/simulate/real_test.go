package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tunesim/trace"
)

// smallScenario writes a scenario small enough to run for real in milliseconds.
func smallScenario(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "small.json")
	const js = `{
  "name": "small", "seed": 3, "spark_version": "4",
  "cluster": {"local": true, "executors": 1, "cores_per_executor": 3, "host_cores": 2},
  "data": {"rows": 400, "features": 8, "partitions": 2, "skew": 0},
  "pipeline": {"stages": ["pca", "linear_regression"], "grid": {"pca.k": [3, 8], "lr.regParam": [0.01, 1]}},
  "tuner": {"kind": "train_validation_split", "train_ratio": 0.75, "parallelism": 2},
  "scheduler": {"mode": "FIFO"}, "cost": {"profile": "default"}, "noise": {"task_cv": 0.2}
}`
	if err := os.WriteFile(path, []byte(js), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestRealJSON(t *testing.T) {
	withThreshold(t, noRunDisturbed) // the run counts below hold only when no run is left out
	sc := smallScenario(t)
	dir := t.TempDir()
	tr := filepath.Join(dir, "t.json")
	code, out, errs := simulate(t, "real", "-s", sc, "--parallelism", "1,2", "--runs", "2", "--format", "json", "--trace", tr, "--timeline", filepath.Join(dir, "tl.svg"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var r struct {
		Source  string `json:"source"`
		Results []struct {
			Parallelism int     `json:"parallelism"`
			Runs        int     `json:"runs"`
			Makespan    float64 `json:"makespan_s"`
			MakespanP10 float64 `json:"makespan_s_p10"`
			Speedup     float64 `json:"speedup"`
		} `json:"results"`
		Best   map[string]float64 `json:"best_param_map"`
		Metric *float64           `json:"best_metric"`
		Host   string             `json:"host"`
		Notes  []string           `json:"notes"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v in %s", err, out)
	}
	if r.Source != "real" || len(r.Results) != 2 || r.Best == nil || r.Metric == nil || r.Host == "" {
		t.Fatalf("report %+v", r)
	}
	for i, res := range r.Results {
		if res.Parallelism != i+1 || res.Runs != 2 || res.Makespan <= 0 || res.MakespanP10 <= 0 || res.Speedup <= 0 {
			t.Errorf("result %d: %+v", i, res)
		}
	}
	if r.Results[0].Speedup != 1 {
		t.Errorf("speedup of the serial runs over themselves = %g, want 1", r.Results[0].Speedup)
	}
	if !strings.Contains(strings.Join(r.Notes, "\n"), "noise.task_cv") {
		t.Errorf("notes %q do not say task_cv is ignored", r.Notes)
	}
	for _, p := range []string{"tl.p1.svg", "tl.p2.svg"} {
		if st, err := os.Stat(filepath.Join(dir, p)); err != nil || st.Size() == 0 {
			t.Errorf("timeline %s: %v", p, err)
		}
	}
	for _, p := range []string{"t.p1.json", "t.p2.json"} {
		got, err := trace.ReadFile(filepath.Join(dir, p))
		if err != nil {
			t.Fatal(err)
		}
		if got.Source != "real" || len(got.Spans) == 0 {
			t.Errorf("%s: source %q, %d spans", p, got.Source, len(got.Spans))
		}
	}
}

func TestRealTableCSVAndReference(t *testing.T) {
	sc := smallScenario(t)
	code, out, errs := simulate(t, "real", "-s", sc, "--parallelism", "2,3")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"makespan s", "best param map", "speedup is over parallelism 2", "real"} {
		if !strings.Contains(out, want) {
			t.Errorf("table does not mention %q:\n%s", want, out)
		}
	}
	if other := withoutDisturbanceWarnings(errs); other != "" {
		t.Errorf("stderr off a terminal holds more than warnings of disturbed runs: %q", other)
	}
	csvPath := filepath.Join(t.TempDir(), "r.csv")
	if code, _, errs := simulate(t, "real", "-s", sc, "--parallelism", "1", "--format", "csv", "-o", csvPath); code != 0 {
		t.Fatalf("csv: exit %d: %s", code, errs)
	}
	b, err := os.ReadFile(csvPath)
	if err != nil || !strings.HasPrefix(string(b), "parallelism,runs,makespan_s") || strings.Count(string(b), "\n") != 2 {
		t.Errorf("csv %q, %v", b, err)
	}
}

func TestRealBadUsage(t *testing.T) {
	sc := smallScenario(t)
	tests := []struct {
		args []string
		in   string
	}{
		{[]string{"real", "-s", sc, "--runs", "0"}, "--runs"},
		{[]string{"real", "-s", sc, "--parallelism", "0"}, "--parallelism"},
		{[]string{"real", "-s", sc, "--timeline", "x.txt"}, "x.txt"},
		{[]string{"real", "-s", "no/such.json"}, "no/such.json"},
		{[]string{"real", "-s", sc, "extra"}, "unexpected"},
		{[]string{"real", "-s", sc, "--format", "xml"}, "table, json, csv"},
	}
	for _, tt := range tests {
		code, _, errs := simulate(t, tt.args...)
		if code != 2 || !strings.Contains(errs, tt.in) {
			t.Errorf("%v: exit %d, stderr %q; want 2 mentioning %q", tt.args, code, errs, tt.in)
		}
	}
}

// withoutDisturbanceWarnings is stderr less the warnings about disturbed runs, which a shared
// machine may cause at any time.
func withoutDisturbanceWarnings(stderr string) string {
	var keep []string
	for _, l := range strings.Split(strings.TrimSpace(stderr), "\n") {
		if l != "" && !(strings.HasPrefix(l, "warning: ") && strings.Contains(l, "disturbed")) {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

func TestPerParallelism(t *testing.T) {
	tests := []struct {
		path string
		p, n int
		want string
	}{
		{"t.json", 3, 1, "t.json"},
		{"t.json", 3, 2, "t.p3.json"},
		{"dir.v2/line", 1, 2, "dir.v2/line.p1"},
		{"a/b.svg", 12, 4, "a/b.p12.svg"},
	}
	for _, tt := range tests {
		if got := perParallelism(tt.path, tt.p, tt.n); got != tt.want {
			t.Errorf("perParallelism(%q, %d, %d) = %q, want %q", tt.path, tt.p, tt.n, got, tt.want)
		}
	}
}
