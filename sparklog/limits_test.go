package sparklog

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"tunesim/trace"
)

// taskTrace is a trace of tasks only (the writer makes up their stages and jobs): for each
// (job, stage, attempt, tasks) given, that many tasks one after another on one executor.
func taskTrace(groups ...[4]int) *trace.Trace {
	t := &trace.Trace{Source: "sim", Scenario: "limits", Executors: []trace.Executor{{ID: 0, Slots: 1}}}
	n := 0
	for _, g := range groups {
		n += g[3]
	}
	t.Spans = make([]trace.Span, 0, n)
	at := time.Duration(0)
	for _, g := range groups {
		for p := range g[3] {
			t.Spans = append(t.Spans, trace.Span{Kind: trace.KindTask, Fit: trace.None, ParamMap: trace.None, Fold: trace.None,
				Job: g[0], Stage: g[1], StageAttempt: g[2], Partition: p, Executor: 0, Start: at, End: at + time.Millisecond})
			at += time.Millisecond
		}
	}
	return t
}

// jobsOfOneStage is n jobs of one stage of one task each.
func jobsOfOneStage(n int) [][4]int {
	var g [][4]int
	for j := range n {
		g = append(g, [4]int{j, j, 0, 1})
	}
	return g
}

// TestHistoryServerLimits checks the writer's warnings against the History Server's defaults:
// none for a log at the limits, one per setting past them, naming the count, the setting and the
// value to give it.
func TestHistoryServerLimits(t *testing.T) {
	stagesOfOneJob := func(n, attempts int) [][4]int {
		var g [][4]int
		for s := range n {
			for a := range attempts {
				g = append(g, [4]int{0, s, a, 1})
			}
		}
		return g
	}
	tests := []struct {
		name   string
		groups [][4]int
		want   []string // each warning's telling parts, in order; nil: no warning
	}{
		{"1000 jobs of one stage", jobsOfOneStage(1000), nil},
		{"1001 jobs of one stage", jobsOfOneStage(1001), []string{
			"1001 jobs|keeps the last 1000|spark.ui.retainedJobs to at least 1001|-Dspark.ui.retainedJobs=1001",
			"1001 stage attempts|keeps the last 1000|spark.ui.retainedStages to at least 1001"}},
		{"one job of 1001 stages", stagesOfOneJob(1001, 1), []string{"1001 stage attempts|spark.ui.retainedStages to at least 1001"}},
		{"500 stages of two attempts", stagesOfOneJob(500, 2), nil},
		{"600 stages of two attempts", stagesOfOneJob(600, 2), []string{"1200 stage attempts|spark.ui.retainedStages to at least 1200"}},
		{"a stage of 100000 tasks", [][4]int{{0, 0, 0, 100000}}, nil},
		{"a stage of 100001 tasks", [][4]int{{0, 0, 0, 3}, {0, 1, 0, 100001}}, []string{
			"stage 1 (attempt 0) has 100001 tasks|keeps 100000 per stage|spark.ui.retainedTasks to at least 100001"}},
		{"two stage attempts past the tasks", [][4]int{{0, 3, 1, 100002}, {0, 3, 0, 100001}, {0, 4, 0, 100}}, []string{
			"2 stage attempts have more than 100000 tasks, stage 3 (attempt 1) the most, 100002|spark.ui.retainedTasks to at least 100002"}},
	}
	for _, tt := range tests {
		w := newWriter(taskTrace(tt.groups...), WriteOptions{})
		if err := w.plan(); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		got := w.historyServerLimits()
		if len(got) != len(tt.want) {
			t.Errorf("%s: %d warnings, want %d: %q", tt.name, len(got), len(tt.want), got)
			continue
		}
		for i, parts := range tt.want {
			for _, p := range strings.Split(parts, "|") {
				if !strings.Contains(got[i], p) {
					t.Errorf("%s: warning %q does not say %q", tt.name, got[i], p)
				}
			}
		}
	}
}

// TestWriteWarnsAndWritesWhole checks the hook: Write hands the warnings to WriteOptions.Warn
// and still writes every job; without a hook it writes the same log.
func TestWriteWarnsAndWritesWhole(t *testing.T) {
	tr := taskTrace(jobsOfOneStage(1001)...)
	var warned []string
	var withHook, without bytes.Buffer
	if err := Write(&withHook, tr, WriteOptions{Warn: func(m string) { warned = append(warned, m) }}); err != nil {
		t.Fatal(err)
	}
	if err := Write(&without, tr, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	if len(warned) != 2 || !strings.Contains(warned[0], "spark.ui.retainedJobs") || !strings.Contains(warned[1], "spark.ui.retainedStages") {
		t.Errorf("warnings %q, want one for spark.ui.retainedJobs and one for spark.ui.retainedStages", warned)
	}
	if !bytes.Equal(withHook.Bytes(), without.Bytes()) {
		t.Error("the log written with a Warn hook differs from the one without")
	}
	_, info, err := ReadFrom(&withHook, "warned", CodecNone, false)
	if err != nil {
		t.Fatal(err)
	}
	if info.Jobs != 1001 || info.Stages != 1001 || info.Tasks != 1001 {
		t.Errorf("read back %d jobs, %d stages, %d tasks; want 1001 of each", info.Jobs, info.Stages, info.Tasks)
	}
}
