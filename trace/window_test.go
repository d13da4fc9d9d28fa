package trace

import (
	"testing"
	"time"
)

func TestWindow(t *testing.T) {
	s := time.Second
	tr := &Trace{
		Executors: []Executor{
			{ID: 1},                  // there throughout
			{ID: 2, Added: 5 * s},    // added before the window: there from its start
			{ID: 3, Removed: 8 * s},  // gone before the window
			{ID: 4, Added: 12 * s},   // joined within it
			{ID: 5, Removed: 15 * s}, // left within it
			{ID: 6, Added: 30 * s},   // joined after it
		},
		Spans: []Span{
			{Kind: KindJob, Start: 2 * s, End: 9 * s},   // an earlier run's
			{Kind: KindJob, Start: 10 * s, End: 20 * s}, // the window's, edge to edge
			{Kind: KindTask, Start: 11 * s, End: 12 * s},
			{Kind: KindJob, Start: 19 * s, End: 21 * s}, // runs past it
			{Kind: KindJob, Start: 25 * s, End: 26 * s}, // a later run's
		},
	}
	tr.Window(10*s, 20*s)
	if len(tr.Spans) != 2 || tr.Spans[0].Start != 0 || tr.Spans[0].End != 10*s || tr.Spans[1].Start != s || tr.Spans[1].End != 2*s {
		t.Errorf("spans %+v: want the job at [0, 10 s] and the task at [1 s, 2 s]", tr.Spans)
	}
	want := []Executor{{ID: 1}, {ID: 2}, {ID: 4, Added: 2 * s}, {ID: 5, Removed: 5 * s}}
	if len(tr.Executors) != len(want) {
		t.Fatalf("executors %+v, want %+v", tr.Executors, want)
	}
	for i, e := range want {
		if tr.Executors[i] != e {
			t.Errorf("executor %d: %+v, want %+v", i, tr.Executors[i], e)
		}
	}
	if got := tr.Metrics().Makespan; got != 10*s {
		t.Errorf("makespan %v, want 10 s", got)
	}
}
