package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const sparkPiLog = "../../sparklog/testdata/spark-events/eventlog_v2_local-1766844910796"

func TestEventlogSummary(t *testing.T) {
	code, out, errs := simulate(t, "eventlog", "summary", sparkPiLog, "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var s map[string]any
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatal(err)
	}
	// SparkPi: one job from 1766844911851 to 1766844912185, two tasks of 100 and 111 ms on the
	// driver's 10 cores.
	want := map[string]any{"app_id": "local-1766844910796", "spark_version": "4.2.0-SNAPSHOT", "master": "local[*]",
		"jobs": 1.0, "stages": 1.0, "tasks": 2.0, "executors": 1.0, "slots": 10.0, "makespan_s": 0.334,
		"utilization": 0.211 / 3.34, "idle_core_s": 3.34 - 0.211}
	for k, v := range want {
		got := s[k]
		if f, ok := v.(float64); ok {
			if g, ok := got.(float64); !ok || math.Abs(g-f) > 1e-9 {
				t.Errorf("%s = %v, want %v", k, got, v)
			}
		} else if got != v {
			t.Errorf("%s = %v, want %v", k, got, v)
		}
	}
	for _, format := range []string{"table", "csv"} {
		code, out, _ := simulate(t, "eventlog", "summary", sparkPiLog, "--format", format)
		if code != 0 || !strings.Contains(out, "makespan_s") || !strings.Contains(out, "local-1766844910796") {
			t.Errorf("--format %s: exit %d, %q", format, code, out)
		}
	}
	dir := t.TempDir()
	o := filepath.Join(dir, "s.json")
	if code, _, errs := simulate(t, "eventlog", "summary", sparkPiLog, "--format", "json", "-o", o); code != 0 {
		t.Fatalf("-o: exit %d: %s", code, errs)
	}
	if b, err := os.ReadFile(o); err != nil || !strings.Contains(string(b), `"tasks": 2`) {
		t.Errorf("-o wrote %q (%v)", b, err)
	}
}

// A simulated run exported as an event log (lz4 by the file's extension, and rolling) reads back
// with its task count and makespan; its Perfetto export has a complete event per task.
func TestExportRoundTrip(t *testing.T) {
	dir := t.TempDir()
	tr := filepath.Join(dir, "t.json")
	code, out, errs := simulate(t, "run", "-s", "seed-cv", "--parallelism", "2", "--trace", tr, "--format", "json")
	if code != 0 {
		t.Fatalf("run: %s", errs)
	}
	var run struct {
		Results []struct {
			Makespan float64 `json:"makespan_s"`
			Tasks    int     `json:"tasks"`
		} `json:"results"`
	}
	if err := json.Unmarshal([]byte(out), &run); err != nil {
		t.Fatal(err)
	}
	summary := func(path string) (float64, int) {
		t.Helper()
		code, out, errs := simulate(t, "eventlog", "summary", path, "--format", "json")
		if code != 0 {
			t.Fatalf("summary of %s: exit %d: %s", path, code, errs)
		}
		var s struct {
			Makespan float64 `json:"makespan_s"`
			Tasks    int     `json:"tasks"`
		}
		json.Unmarshal([]byte(out), &s)
		return s.Makespan, s.Tasks
	}
	log := filepath.Join(dir, "app.lz4")
	if code, _, errs := simulate(t, "export", tr, "--format", "eventlog", "-o", log); code != 0 {
		t.Fatalf("export: %s", errs)
	}
	if b, _ := os.ReadFile(log); !strings.HasPrefix(string(b), "LZ4Block") {
		t.Errorf("app.lz4 is not lz4-java's block stream: %q", b[:min(len(b), 16)])
	}
	// The makespan runs from the first span to the last, both tunesim's own exact spans.
	if m, n := summary(log); math.Abs(m-run.Results[0].Makespan) > 1e-9 || n != run.Results[0].Tasks {
		t.Errorf("read back %v s %d tasks, simulated %v s %d tasks", m, n, run.Results[0].Makespan, run.Results[0].Tasks)
	}
	code, out, errs = simulate(t, "export", tr, "--format", "eventlog", "--codec", "zstd", "--rolling", "64k", "-o", dir)
	if code != 0 || !strings.Contains(out, "eventlog_v2_") {
		t.Fatalf("export --rolling: exit %d %q %s", code, out, errs)
	}
	if _, n := summary(strings.TrimSpace(out)); n != run.Results[0].Tasks {
		t.Errorf("rolling log: %d tasks", n)
	}
	p := filepath.Join(dir, "p.json")
	if code, _, errs := simulate(t, "export", log, "--format", "perfetto", "-o", p); code != 0 {
		t.Fatalf("export perfetto from an event log: %s", errs)
	}
	var ct struct {
		TraceEvents []struct {
			Ph  string `json:"ph"`
			Cat string `json:"cat"`
		} `json:"traceEvents"`
	}
	b, _ := os.ReadFile(p)
	if err := json.Unmarshal(b, &ct); err != nil {
		t.Fatal(err)
	}
	tasks := 0
	for _, e := range ct.TraceEvents {
		if e.Ph == "X" && e.Cat == "task" {
			tasks++
		}
	}
	if tasks != run.Results[0].Tasks {
		t.Errorf("perfetto: %d task events, %d tasks", tasks, run.Results[0].Tasks)
	}
}

func TestTimelineOfAnEventLog(t *testing.T) {
	png := filepath.Join(t.TempDir(), "t.png")
	for _, log := range []string{sparkPiLog, "../../sparklog/testdata/spark-events/local-1795612175730.snappy"} {
		if code, _, errs := simulate(t, "timeline", log, "-o", png); code != 0 {
			t.Fatalf("timeline %s: exit %d: %s", log, code, errs)
		}
		if b, err := os.ReadFile(png); err != nil || !strings.HasPrefix(string(b), "\x89PNG") {
			t.Errorf("timeline %s: no PNG (%v)", log, err)
		}
	}
}

func TestEventlogBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad-log")
	os.WriteFile(bad, []byte(`{"Event":"SparkListenerLogStart","Spark Version":"4.0.1"}`+"\n{oops}\n"), 0o644)
	tr := filepath.Join(dir, "t.json")
	if code, _, errs := simulate(t, "run", "--trace", tr); code != 0 {
		t.Fatal(errs)
	}
	tests := []struct {
		args []string
		in   string
	}{
		{[]string{"eventlog"}, "summary"},
		{[]string{"eventlog", "frob"}, `unknown subcommand "frob"`},
		{[]string{"eventlog", "summary"}, "one event log PATH"},
		{[]string{"eventlog", "summary", filepath.Join(dir, "nope")}, "nope"},
		{[]string{"eventlog", "summary", bad}, "bad-log: line 2"},
		{[]string{"eventlog", "summary", dir}, "name one event log"},
		{[]string{"eventlog", "summary", tr}, "a tunesim trace, not a Spark event log"},
		{[]string{"eventlog", "summary", sparkPiLog, "--format", "xml"}, "table, json, csv"},
		{[]string{"export", tr, "--format", "parquet", "-o", "x"}, "eventlog, perfetto"},
		{[]string{"export", tr, "--format", "eventlog"}, "-o PATH is required"},
		{[]string{"export", tr, "--format", "eventlog", "-o", "x", "--codec", "gzip"}, "none, zstd, lz4, snappy"},
		{[]string{"export", tr, "--format", "eventlog", "-o", "x", "--rolling", "lots"}, "--rolling"},
		{[]string{"export", tr, "--format", "perfetto", "-o", "x", "--codec", "lz4"}, "for --format eventlog"},
		{[]string{"export", bad, "--format", "perfetto", "-o", filepath.Join(dir, "p.json")}, "bad-log: line 2"},
		{[]string{"timeline", bad, "-o", filepath.Join(dir, "t.png")}, "bad-log: line 2"},
	}
	for _, tt := range tests {
		code, _, errs := simulate(t, tt.args...)
		if code != 2 || !strings.Contains(errs, tt.in) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tt.args, code, errs, tt.in)
		}
	}
	if code, out, _ := simulate(t, "export", "--help"); code != 0 || !strings.Contains(out, "--rolling") {
		t.Errorf("export --help: %d %q", code, out)
	}
	if code, out, _ := simulate(t, "eventlog", "summary", "--help"); code != 0 || !strings.Contains(out, "--format") {
		t.Errorf("eventlog summary --help: %d %q", code, out)
	}
}

// The summary of a log with failures says what did not count: the hand-written logs of
// sparklog/testdata/failures, whose figures are worked out by hand in sparklog's tests.
func TestEventlogSummaryOfFailures(t *testing.T) {
	cases := []struct {
		log  string
		want map[string]any
	}{
		{"failed-retry.json", map[string]any{"failed_tasks": 3.0, "killed_tasks": 0.0, "lost_task_s": 0.49, "failed_stages": 1.0, "failed_jobs": 1.0,
			"failure_reasons": []any{"2× failed: java.lang.IllegalStateException: bad row", "1× failed: java.lang.RuntimeException: boom on the first attempt"}}},
		{"speculative.json", map[string]any{"killed_tasks": 2.0, "speculative_tasks": 2.0, "lost_task_s": 0.901,
			"counted_utilization": 1.5 / (2 * 1.52), "failure_reasons": []any{"2× killed: TaskKilled (another attempt succeeded)"}}},
		{"executor-lost.json", map[string]any{"failed_tasks": 2.0, "lost_output_tasks": 1.0, "lost_task_s": 0.48, "stage_retries": 2.0,
			"executors_added": 1.0, "executors_removed": 2.0, "utilization": 1.94 / 2.93, "counted_utilization": 1.46 / 2.93, "idle_core_s": 2.93 - 1.94}},
	}
	for _, c := range cases {
		code, out, errs := simulate(t, "eventlog", "summary", "../../sparklog/testdata/failures/"+c.log, "--format", "json")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", c.log, code, errs)
		}
		var s map[string]any
		if err := json.Unmarshal([]byte(out), &s); err != nil {
			t.Fatal(err)
		}
		for k, v := range c.want {
			if f, ok := v.(float64); ok {
				if g, ok := s[k].(float64); !ok || math.Abs(g-f) > 1e-9 {
					t.Errorf("%s: %s = %v, want %v", c.log, k, s[k], v)
				}
			} else if fmt.Sprint(s[k]) != fmt.Sprint(v) {
				t.Errorf("%s: %s = %v, want %v", c.log, k, s[k], v)
			}
		}
	}
	code, out, _ := simulate(t, "eventlog", "summary", "../../sparklog/testdata/failures/executor-lost.json")
	if code != 0 || !strings.Contains(out, "1× lost: Resubmitted (resubmitted due to lost executor)") {
		t.Errorf("table: exit %d\n%s", code, out)
	}
}
