package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"tunesim/costmodel"
	"tunesim/estimators"
	"tunesim/scenarios"
	"tunesim/sim"
	"tunesim/sparklog"
	"tunesim/trace"
	"tunesim/tuning"
)

const iterativeScenario = `{"name": "logreg-iter", "seed": 3, "spark_version": "4",
	"cluster": {"local": true, "executors": 1, "cores_per_executor": 2, "host_cores": 2},
	"data": {"rows": 2000, "features": 10, "partitions": 2, "classes": 2},
	"pipeline": {"stages": ["logistic_regression"], "grid": {"logreg.regParam": [0.1, 0.01]},
		"params": {"logreg.maxIter": 10, "logreg.iterations": %d}},
	"tuner": {"kind": "cross_validator", "folds": 2, "parallelism": 1}}`

// TestCalibrateLearnsIterations calibrates from the event log of a run whose param maps took 4 and
// 6 L-BFGS iterations where the scenario expects 9: the report says so, --scenario-dir writes the
// scenario with them, and its plan runs them.
func TestCalibrateLearnsIterations(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "logreg-iter.json")
	if err := os.WriteFile(file, []byte(fmt.Sprintf(iterativeScenario, 9)), 0o644); err != nil {
		t.Fatal(err)
	}
	took := []int{4, 6}
	// What Spark would log: each fit's plan with its param map's iterations, loss jobs named as
	// Spark names them.
	s, err := scenarios.LoadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := tuning.New(s)
	if err != nil {
		t.Fatal(err)
	}
	truth := *plan
	truth.Fits = append([]tuning.Fit(nil), plan.Fits...)
	for m, n := range took {
		one, err := scenarios.Parse("one.json", []byte(fmt.Sprintf(iterativeScenario, n)))
		if err != nil {
			t.Fatal(err)
		}
		p, err := tuning.New(one)
		if err != nil {
			t.Fatal(err)
		}
		for i, f := range plan.Fits {
			if f.ParamMap == m {
				truth.Fits[i] = p.Fits[i]
			}
		}
	}
	prof, err := costmodel.Load("gonum", "")
	if err != nil {
		t.Fatal(err)
	}
	tr, err := sim.Trace(&truth, prof, sim.Options{Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	for i := range tr.Spans {
		if tr.Spans[i].Kind == trace.KindJob && tr.Spans[i].Name == string(estimators.OpLogRegLoss) {
			tr.Spans[i].Name = estimators.LossSite + ":61"
		}
	}
	log := filepath.Join(dir, "local-1")
	if err := sparklog.WriteFile(log, tr, sparklog.CodecNone, sparklog.WriteOptions{AppID: "local-1"}); err != nil {
		t.Fatal(err)
	}

	learned := filepath.Join(dir, "learned")
	code, out, errs := simulate(t, "calibrate", "--from-eventlog", log, "-s", file, "-o", filepath.Join(dir, "p.json"),
		"--scenario-dir", learned, "--format", "json")
	if code != 0 {
		t.Fatalf("calibrate: exit %d: %s", code, errs)
	}
	var rep calibrationReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Skipped) > 0 {
		t.Errorf("skipped fits: %v (the fits that ran other iterations should be matched)", rep.Skipped)
	}
	want := filepath.Join(learned, "logreg-iter.json")
	if len(rep.Iterations) != 1 || rep.Iterations[0].Param != "logreg.iterations" || rep.Iterations[0].File != want ||
		!equalInts(rep.Iterations[0].PerParamMap, took) || !equalInts(rep.Iterations[0].Expected, []int{9, 9}) {
		t.Fatalf("iterations reported %+v; want logreg.iterations %v (expected [9 9]) written to %s", rep.Iterations, took, want)
	}
	ls, err := scenarios.LoadFile(want)
	if err != nil {
		t.Fatalf("the scenario written: %v", err)
	}
	lp, err := tuning.New(ls)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range lp.Fits[:len(lp.Fits)-1] {
		n := 0
		for _, st := range f.Steps {
			if st.Op == estimators.OpLogRegLoss {
				n++
			}
		}
		if n != took[f.ParamMap]+1 {
			t.Errorf("fit %d (param map %d): the written scenario plans %d loss evaluations, want %d", f.Index, f.ParamMap, n, took[f.ParamMap]+1)
		}
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
