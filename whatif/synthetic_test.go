package whatif

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"tunesim/scenarios"
	"tunesim/sim"
	"tunesim/sparklog"
)

const (
	estDetails  = "org.apache.spark.rdd.RDD.treeAggregate(RDD.scala:1)\norg.apache.spark.ml.classification.LogisticRegression.train(LogisticRegression.scala:1)"
	evalDetails = "org.apache.spark.mllib.evaluation.BinaryClassificationMetrics.<init>(BinaryClassificationMetrics.scala:50)\norg.apache.spark.ml.evaluation.BinaryClassificationEvaluator.evaluate(BinaryClassificationEvaluator.scala:99)"
)

// synthetic is the App of a CrossValidator (folds x maps fits and a refit, each fit two estimator
// jobs and one evaluator job of one 100 ms task, 50 ms of driver time before each job) on one
// slot, run serially, or with fits two at a time, each fit's jobs in a job group of its own.
func synthetic(folds, maps int, parallel bool) *sparklog.App {
	app := &sparklog.App{}
	const task, gap = 100 * time.Millisecond, 50 * time.Millisecond
	id := 0
	// one loading job first
	load := &sparklog.Job{ID: id, Submit: 0, End: task, Succeeded: true, Props: map[string]string{},
		Stages: []*sparklog.Stage{{ID: 0, Name: "count at X.scala:1", Tasks: []sparklog.Task{{Launch: 0, Finish: task}}}}}
	app.Jobs = append(app.Jobs, load)
	id++
	clock := task
	fit := func(fold, m int, refit bool, start time.Duration, group string) time.Duration {
		at := start
		n := 3
		if refit {
			n = 2
		}
		for k := 0; k < n; k++ {
			at += gap
			det, name := estDetails, "treeAggregate at RDDLossFunction.scala:61"
			if k == 2 {
				det, name = evalDetails, "collect at AreaUnderCurve.scala:44"
			}
			persisted := map[int]string{100 + fold: fmt.Sprintf("train fold %d", fold)}
			if refit {
				persisted = map[int]string{99: "data"}
			}
			j := &sparklog.Job{ID: id, Submit: at, End: at + task, Succeeded: true, Props: map[string]string{},
				Stages: []*sparklog.Stage{{ID: id, Name: name, Details: det, NumTasks: 1, Submit: at, End: at + task, Persisted: persisted,
					Tasks: []sparklog.Task{{Launch: at, Finish: at + task, Records: 10}}}}}
			if group != "" {
				j.Props[sparklog.PropJobGroup] = group
			}
			app.Jobs = append(app.Jobs, j)
			id++
			at += task
		}
		return at
	}
	for f := 0; f < folds; f++ {
		if !parallel {
			for m := 0; m < maps; m++ {
				clock = fit(f, m, false, clock, "")
			}
			continue
		}
		// two fits at once: their jobs interleave in the log
		var ends []time.Duration
		for m := 0; m < maps; m++ {
			ends = append(ends, fit(f, m, false, clock+time.Duration(m%2)*10*time.Millisecond, fmt.Sprintf("fit-%d-%d", f, m)))
		}
		for _, e := range ends {
			clock = max(clock, e)
		}
	}
	clock = fit(0, 0, true, clock, "refit")
	app.End = clock + time.Second // the application lives on after the tuning
	// Spark numbers jobs in submission order.
	for i := range app.Jobs {
		for k := i + 1; k < len(app.Jobs); k++ {
			if app.Jobs[k].Submit < app.Jobs[i].Submit {
				app.Jobs[i], app.Jobs[k] = app.Jobs[k], app.Jobs[i]
			}
		}
	}
	for i, j := range app.Jobs {
		j.ID = i
	}
	return app
}

func syntheticInfo() *sparklog.Info { return &sparklog.Info{AppName: "synthetic", Master: "local[1]"} }

// A serial synthetic log: found exactly, and replayed on its one slot it takes exactly as long as
// the log says (every task and gap is a whole number of milliseconds, and nothing overlaps).
func TestSyntheticSerialReplaysExactly(t *testing.T) {
	for _, tc := range []struct{ folds, maps int }{{2, 2}, {3, 4}, {1, 5}} {
		tun, err := Find(synthetic(tc.folds, tc.maps, false), syntheticInfo(), Hints{})
		if err != nil {
			t.Fatalf("%+v: %v", tc, err)
		}
		kind := scenarios.CrossValidator
		if tc.folds == 1 {
			kind = scenarios.TrainValidationSplit
		}
		if tun.Kind != kind || tun.Folds != tc.folds || tun.ParamMaps != tc.maps || len(tun.Before) != 1 {
			t.Fatalf("%+v: found %s %d folds %d maps, %d jobs before", tc, tun.Kind, tun.Folds, tun.ParamMaps, len(tun.Before))
		}
		p, m, err := tun.Plan(Options{})
		if err != nil {
			t.Fatal(err)
		}
		mt, err := sim.Run(p, m, sim.Options{})
		if err != nil {
			t.Fatal(err)
		}
		// fits: 3 x (50 + 100) ms each, the refit 2 x 150 ms plus its tail (the fits' median 50 ms
		// between the last estimator job and the evaluator job).
		want := time.Duration(tc.folds*tc.maps)*450*time.Millisecond + 300*time.Millisecond + 50*time.Millisecond
		if mt.Makespan != want || tun.End()-tun.Start() != want {
			t.Errorf("%+v: replay %v, log %v; want %v", tc, mt.Makespan, tun.End()-tun.Start(), want)
		}
	}
}

// Fits that ran at once are attributed by their job groups; without them the log is refused.
func TestParallelFitsByJobGroup(t *testing.T) {
	app := synthetic(2, 4, true)
	tun, err := Find(app, syntheticInfo(), Hints{})
	if err != nil {
		t.Fatal(err)
	}
	if tun.Kind != scenarios.CrossValidator || tun.Folds != 2 || tun.ParamMaps != 4 || len(tun.Fits) != 9 {
		t.Fatalf("found %s %d folds %d maps %d fits", tun.Kind, tun.Folds, tun.ParamMaps, len(tun.Fits))
	}
	for i, f := range tun.Fits[:8] {
		if len(f.Jobs) != 3 || f.Fold != i/4 {
			t.Errorf("fit %d: %d jobs, fold %d", i, len(f.Jobs), f.Fold)
		}
	}
	for _, j := range app.Jobs {
		delete(j.Props, sparklog.PropJobGroup)
	}
	if _, err := Find(app, syntheticInfo(), Hints{}); !errors.Is(err, ErrParallel) {
		t.Errorf("untagged parallel fits: %v; want ErrParallel", err)
	}
}
