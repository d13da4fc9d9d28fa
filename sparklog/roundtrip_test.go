package sparklog

import (
	"bytes"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"tunesim/costmodel"
	"tunesim/scenarios"
	"tunesim/sim"
	"tunesim/trace"
	"tunesim/tuning"
)

// simulated runs a built-in scenario at a parallelism.
func simulated(t testing.TB, scenario string, parallelism int) *trace.Trace {
	t.Helper()
	s, err := scenarios.Load(scenario)
	if err != nil {
		t.Fatal(err)
	}
	s.Tuner.Parallelism = parallelism
	plan, err := tuning.New(s)
	if err != nil {
		t.Fatal(err)
	}
	prof, err := costmodel.Load(s.Cost.Profile, s.Dir)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := sim.Trace(plan, prof, sim.Options{Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// spanKey identifies a span regardless of its times and slot.
func spanKey(s trace.Span) string {
	return fmt.Sprintf("%s|%s|%d|%d|%d|%d|%d|%d|%d", s.Kind, s.Name, s.Fit, s.ParamMap, s.Fold, s.Job, s.Stage, s.Partition, s.Executor)
}

// within says whether b is a's time rounded to Spark's milliseconds: half a millisecond off at most.
func within(a, b time.Duration) bool {
	d := a - b
	return d <= time.Millisecond/2 && d >= -time.Millisecond/2
}

// TestRoundTripSimulatedTraces writes simulated traces as event logs (every codec, single file and
// rolling) and reads them back: the same spans, every task, stage and job within half a
// millisecond of its times, tunesim's own spans and the header exact.
func TestRoundTripSimulatedTraces(t *testing.T) {
	cases := []struct {
		scenario    string
		parallelism int
		codec       Codec
		rolling     int64
	}{
		{"seed-tvs", 1, CodecNone, 0},
		{"seed-tvs", 3, CodecZstd, 0},
		{"seed-cv", 4, CodecLZ4, 0},
		{"cluster-mid", 8, CodecSnappy, 0},
		{"seed-cv", 2, CodecLZ4, 64 << 10},
	}
	for _, c := range cases {
		name := fmt.Sprintf("%s p%d %q rolling %d", c.scenario, c.parallelism, c.codec, c.rolling)
		orig := simulated(t, c.scenario, c.parallelism)
		dir := t.TempDir()
		path := filepath.Join(dir, "app"+c.codec.Ext())
		var err error
		if c.rolling > 0 {
			path, err = WriteRolling(dir, orig, c.codec, c.rolling, WriteOptions{})
		} else {
			err = WriteFile(path, orig, c.codec, WriteOptions{})
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		back, info, err := Read(path)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if c.rolling > 0 && len(info.Files) < 2 {
			t.Errorf("%s: a rolling log of %d files", name, len(info.Files))
		}
		if len(info.Warnings) > 0 {
			t.Errorf("%s: warnings %q", name, info.Warnings)
		}
		compareTraces(t, name, orig, back)
		checkLanes(t, name, back)
		if lanes := PackSlots(append([]trace.Span(nil), back.Spans...)); lanes[0] > back.Executors[0].Slots {
			t.Errorf("%s: %d lanes on %d slots", name, lanes[0], back.Executors[0].Slots)
		}
		// The same trace always makes the same log.
		var a, b bytes.Buffer
		Write(&a, orig, WriteOptions{})
		Write(&b, orig, WriteOptions{})
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("%s: two writes differ", name)
		}
	}
}

func compareTraces(t *testing.T, name string, orig, back *trace.Trace) {
	t.Helper()
	ho, hb := *orig, *back
	ho.Spans, hb.Spans = nil, nil
	for _, k := range []string{"app_id", "app_name", "master"} {
		delete(hb.Attrs, k)
	}
	if hb.Attrs["spark_version"] == DefaultSparkVersion && ho.Attrs["spark_version"] == "" {
		delete(hb.Attrs, "spark_version")
	}
	if !reflect.DeepEqual(ho, hb) {
		t.Errorf("%s: header\n%+v\nread back as\n%+v", name, ho, hb)
	}
	if len(orig.Spans) != len(back.Spans) {
		t.Fatalf("%s: %d spans read back, %d written", name, len(back.Spans), len(orig.Spans))
	}
	want := map[string][]trace.Span{}
	for _, s := range orig.Spans {
		want[spanKey(s)] = append(want[spanKey(s)], s)
	}
	for _, s := range back.Spans {
		k := spanKey(s)
		cands := want[k]
		found := -1
		for i, w := range cands {
			exact := s.Kind == trace.KindFit || s.Kind == trace.KindDriver || s.Kind == trace.KindQueue
			if exact && w.Start == s.Start && w.End == s.End && w.Slot == s.Slot ||
				!exact && within(w.Start, s.Start) && within(w.End, s.End) {
				found = i
				break
			}
		}
		if found < 0 {
			t.Fatalf("%s: span read back %+v has no match among %d written with its labels (%+v)", name, s, len(cands), cands)
		}
		want[k] = append(cands[:found], cands[found+1:]...)
	}
}

// A real Spark log read, written and read again gives the same trace: its times are whole
// milliseconds already, so nothing moves.
func TestRoundTripSparkLogs(t *testing.T) {
	for _, p := range []string{
		"testdata/spark-events/local-1795612175730.snappy",
		"testdata/spark-events/eventlog_v2_local-1766844910796",
		"testdata/spark-events/local-1426533911241",
	} {
		orig, info, err := Read(p)
		if err != nil {
			t.Fatal(err)
		}
		orig.Attrs["start_unix_ms"] = fmt.Sprint(info.EpochMs)
		out := filepath.Join(t.TempDir(), "again.lz4")
		if err := WriteFile(out, orig, CodecLZ4, WriteOptions{}); err != nil {
			t.Fatal(err)
		}
		back, info2, err := Read(out)
		if err != nil {
			t.Fatal(err)
		}
		if info2.EpochMs != info.EpochMs || info2.AppID != info.AppID {
			t.Errorf("%s: epoch %d app %q, read back %d %q", p, info.EpochMs, info.AppID, info2.EpochMs, info2.AppID)
		}
		// Every span comes back, times, labels and details alike (lanes are packed again).
		key := func(s trace.Span) string {
			s.Slot = 0
			d := ""
			if s.Detail != nil {
				d = fmt.Sprintf("%+v", *s.Detail)
			}
			s.Detail = nil
			return fmt.Sprintf("%+v %s", s, d)
		}
		count := map[string]int{}
		for _, s := range orig.Spans {
			count[key(s)]++
		}
		for _, s := range back.Spans {
			count[key(s)]--
		}
		for k, n := range count {
			if n != 0 {
				t.Errorf("%s: span %s: %d more written than read back", p, k, n)
			}
		}
		if len(back.Spans) != len(orig.Spans) {
			t.Errorf("%s: %d spans, read back %d", p, len(orig.Spans), len(back.Spans))
		}
	}
}

func TestWriterMakesUpMissingStagesAndJobs(t *testing.T) {
	ms := time.Millisecond
	tr := &trace.Trace{Source: "real", Executors: []trace.Executor{{ID: 0, Slots: 2}, {ID: 1, Slots: 2}}, Spans: []trace.Span{
		{Kind: trace.KindTask, Name: "a", Fit: trace.None, ParamMap: trace.None, Fold: trace.None, Job: trace.None, Stage: trace.None, Partition: 0, Executor: 0, Start: 0, End: 5 * ms},
		{Kind: trace.KindTask, Name: "a", Fit: trace.None, ParamMap: trace.None, Fold: trace.None, Job: trace.None, Stage: trace.None, Partition: 1, Executor: 1, Start: ms, End: 7 * ms},
		{Kind: trace.KindTask, Name: "b", Fit: 2, ParamMap: 0, Fold: 1, Job: 4, Stage: 9, Partition: 0, Executor: 1, Start: 8 * ms, End: 9 * ms},
	}}
	var buf bytes.Buffer
	if err := Write(&buf, tr, WriteOptions{AppID: "app.with dots"}); err != nil {
		t.Fatal(err)
	}
	back, info, err := ReadFrom(&buf, "made-up", CodecNone, false)
	if err != nil {
		t.Fatal(err)
	}
	n := countKinds(back)
	if n[trace.KindTask] != 3 || n[trace.KindStage] != 2 || n[trace.KindJob] != 2 || info.AppID != "app_with_dots" {
		t.Errorf("spans %v, app %q", n, info.AppID)
	}
	for _, s := range back.Spans {
		if s.Kind == trace.KindJob && s.Job == 4 && (s.Fit != 2 || s.Fold != 1 || s.Start != 8*ms) {
			t.Errorf("job 4 %+v", s)
		}
	}
	bad := &trace.Trace{Source: "x", Spans: []trace.Span{{Kind: trace.KindTask, Executor: 3}}}
	if err := Write(&bytes.Buffer{}, bad, WriteOptions{}); err == nil {
		t.Error("a task on an executor the trace does not list is written")
	}
}
