package whatif

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"os"
	"testing"
	"time"

	"tunesim/costmodel"
	"tunesim/scenarios"
	"tunesim/sim"
	"tunesim/sparklog"
	"tunesim/tuning"
)

// testdata/lr-text-serial is the untagged event log of a plain PySpark script (Spark 4.0.1,
// local[2] on 2 cores): Tokenizer -> HashingTF -> LogisticRegression under a CrossValidator of
// 3 folds over 6 param maps, after 4 jobs of loading and caching the data. expected.json holds
// the measured wall time of tuner.fit.
func find(t *testing.T, log string, h Hints) (*Tuning, error) {
	t.Helper()
	app, info, err := sparklog.ReadApp(log)
	if err != nil {
		t.Fatalf("reading %s: %v", log, err)
	}
	return Find(app, info, h)
}

func TestFindCrossValidatorInUntaggedLog(t *testing.T) {
	tun, err := find(t, "testdata/lr-text-serial", Hints{})
	if err != nil {
		t.Fatal(err)
	}
	if tun.Kind != scenarios.CrossValidator || tun.Folds != 3 || tun.ParamMaps != 6 || tun.Tagged {
		t.Fatalf("found %s, %d folds, %d param maps, tagged %v; want cross_validator, 3, 6, untagged", tun.Kind, tun.Folds, tun.ParamMaps, tun.Tagged)
	}
	if len(tun.Fits) != 19 || len(tun.Before) != 4 || len(tun.After) != 0 {
		t.Fatalf("%d fits, %d jobs before, %d after; want 19, 4, 0", len(tun.Fits), len(tun.Before), len(tun.After))
	}
	jobs := len(tun.Before) + len(tun.After)
	for i, f := range tun.Fits {
		jobs += len(f.Jobs)
		var est, eval int
		for _, r := range f.Roles {
			switch r {
			case RoleEstimator:
				est++
			case RoleEvaluator:
				eval++
			}
		}
		if est == 0 || (eval == 0) != f.Refit || f.Refit != (i == 18) {
			t.Errorf("fit %d: %d estimator and %d evaluator jobs, refit %v", i, est, eval, f.Refit)
		}
		if !f.Refit && (f.Fold != i/6 || f.ParamMap != i%6) {
			t.Errorf("fit %d: fold %d param map %d; want %d, %d", i, f.Fold, f.ParamMap, i/6, i%6)
		}
		if f.End <= f.Start || (i > 0 && f.Start != tun.Fits[i-1].End && !tun.Fits[i-1].Refit) {
			t.Errorf("fit %d: runs %v to %v after the previous ended at %v", i, f.Start, f.End, tun.Fits[max(i-1, 0)].End)
		}
	}
	if jobs != len(tun.App.Jobs) {
		t.Errorf("%d jobs accounted for, the log has %d", jobs, len(tun.App.Jobs))
	}
}

// The replay of the log's own plan at its own parallelism and cluster reproduces the tuning's
// makespan in the log, and the measured wall time of tuner.fit, within 3%.
func TestReplayReproducesTheLog(t *testing.T) {
	tun, err := find(t, "testdata/lr-text-serial", Hints{})
	if err != nil {
		t.Fatal(err)
	}
	p, m, err := tun.Plan(Options{})
	if err != nil {
		t.Fatal(err)
	}
	mt, err := sim.Run(p, m, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var exp struct {
		FitS map[string]float64 `json:"fit_s"`
	}
	b, err := os.ReadFile("testdata/expected.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &exp); err != nil {
		t.Fatal(err)
	}
	got := mt.Makespan.Seconds()
	for what, want := range map[string]float64{"the log's tuning": (tun.End() - tun.Start()).Seconds(), "tuner.fit's wall time": exp.FitS["1"]} {
		if e := got/want - 1; math.Abs(e) > 0.03 {
			t.Errorf("replay at parallelism 1: %.3f s, %s %.3f s (%+.1f%%); want within 3%%", got, what, want, 100*e)
		}
	}
	// The log has 1270 SparkListenerTaskEnd events; its 4 loading jobs ran 10 of them.
	if mt.Tasks != 1270-10 || mt.Fits != 19 {
		t.Errorf("replay ran %d tasks in %d fits; want the log's 1260 tuning tasks in 19 fits", mt.Tasks, mt.Fits)
	}
}

func TestNoTuningExitsWithWhatWasLookedFor(t *testing.T) {
	_, err := find(t, "testdata/no-tuning", Hints{})
	if !errors.Is(err, ErrNoTuning) {
		t.Fatalf("a log without ML jobs: %v; want ErrNoTuning", err)
	}
}

func TestParallelUntaggedLogIsRefused(t *testing.T) {
	_, err := find(t, "testdata/lr-text-p2", Hints{})
	if !errors.Is(err, ErrParallel) {
		t.Fatalf("the untagged log of a run at parallelism 2: %v; want ErrParallel", err)
	}
}

func TestHintsSettleTheFolds(t *testing.T) {
	for _, tc := range []struct {
		h       Hints
		folds   int
		wantErr bool
	}{
		{Hints{Folds: 3}, 3, false},
		{Hints{ParamMaps: 6}, 3, false},
		{Hints{ParamMaps: 9}, 2, false},
		{Hints{ParamMaps: 7}, 0, true},
		{Hints{Folds: 4}, 0, true},
	} {
		tun, err := find(t, "testdata/lr-text-serial", tc.h)
		if (err != nil) != tc.wantErr {
			t.Errorf("%+v: error %v, want error %v", tc.h, err, tc.wantErr)
			continue
		}
		if err == nil && (tun.Folds != tc.folds || tun.Folds*tun.ParamMaps != 18) {
			t.Errorf("%+v: %d folds x %d param maps; want %d folds", tc.h, tun.Folds, tun.ParamMaps, tc.folds)
		}
	}
}

// A log tunesim wrote of a simulated run carries the fits' properties: the finder takes the
// same path for it, and the replay of its plan reproduces the simulated run.
func TestTaggedLogOfASimulatedRun(t *testing.T) {
	s, err := scenarios.Builtin("seed-cv")
	if err != nil {
		t.Fatal(err)
	}
	s.Data.Rows *= 20 // tasks of tens of milliseconds, far above the log's 1 ms resolution
	s.Tuner.Parallelism = 1
	p, err := tuning.New(s)
	if err != nil {
		t.Fatal(err)
	}
	prof, err := costmodel.Load(s.Cost.Profile, "")
	if err != nil {
		t.Fatal(err)
	}
	tr, err := sim.Trace(p, prof, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := sparklog.Write(&buf, tr, sparklog.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	app, info, err := sparklog.ReadAppFrom(&buf, "sim.log", sparklog.CodecNone, false)
	if err != nil {
		t.Fatal(err)
	}
	tun, err := Find(app, info, Hints{})
	if err != nil {
		t.Fatal(err)
	}
	if !tun.Tagged || tun.Kind != scenarios.CrossValidator || tun.Folds != s.Tuner.Folds || tun.ParamMaps != len(p.ParamMaps) {
		t.Fatalf("found tagged %v, %s, %d folds, %d maps; want tagged, cross_validator, %d, %d", tun.Tagged, tun.Kind, tun.Folds, tun.ParamMaps, s.Tuner.Folds, len(p.ParamMaps))
	}
	q, m, err := tun.Plan(Options{})
	if err != nil {
		t.Fatal(err)
	}
	mt, err := sim.Run(q, m, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := tr.Metrics().Makespan
	if e := mt.Makespan.Seconds()/want.Seconds() - 1; math.Abs(e) > 0.03 {
		t.Errorf("replay of the simulated run's log: %v, simulated %v (%+.1f%%)", mt.Makespan, want, 100*e)
	}
}

// Scale fits fixed + per-record costs exactly when the tasks follow them.
func TestScaleRecoversPerRecordCost(t *testing.T) {
	const fixed, per = 3 * time.Millisecond, 2 * time.Microsecond
	var tasks []sparklog.Task
	for i, rec := range []int64{1000, 2000, 3000, 4500} {
		d := fixed + time.Duration(rec)*per
		tasks = append(tasks, sparklog.Task{Index: i, Launch: 0, Finish: d, Records: rec})
	}
	st := &sparklog.Stage{Name: "treeAggregate at X.scala:1", Tasks: tasks}
	tun := &Tuning{Fits: []Fit{{Jobs: []*sparklog.Job{{Stages: []*sparklog.Stage{st}}}}}}
	sc := tun.Scale(4)
	f := sc.Fits[st.Name]
	if math.Abs(f.FixedS-fixed.Seconds()) > 1e-9 || math.Abs(f.PerRecordS-per.Seconds()) > 1e-12 {
		t.Fatalf("fitted %v s + %v s/record; want %v + %v", f.FixedS, f.PerRecordS, fixed.Seconds(), per.Seconds())
	}
	// 4x the rows: the measured time plus 3x the records' cost.
	got := sc.task(st.Name, tasks[1])
	want := fixed + 4*2000*per
	if d := got - want; d < -time.Microsecond || d > time.Microsecond {
		t.Errorf("task of 2000 records at 4x: %v, want %v", got, want)
	}
}
