package spark

import (
	"context"
	"math"
	"testing"

	"tunesim/costmodel"
	"tunesim/scenarios"
	"tunesim/sparkenv/sparktest"
	"tunesim/tuning"
)

// TestHarnessRunsEveryEstimator runs each built-in estimator scenario through the harness on tiny
// data (2 partitions, local[2], serial, a grid of a few param maps of the scenario's own params)
// and checks the event log against the plan, fit by fit: every fit ran the jobs its plan says,
// and a fit of an iterative solver (L-BFGS's loss evaluations, KMeans' Lloyd iterations, whose
// number the data decide) ran within 10% of the jobs of the plan with the iterations
// LearnIterations counts per param map in the same log.
//
// One job is not planned: Spark 3.5+'s adaptive execution materializes a cached DataFrame in a job
// of its own (TableCacheQueryStageExec) when a SQL query is the first to read it, so the first fit
// of each round whose first job over the tuner's cached training part is a SQL aggregation
// (RandomForestClassifier's label classes, StandardScaler's summary) runs one job more than the
// plan; firstFitExtra says which scenarios do.
func TestHarnessRunsEveryEstimator(t *testing.T) {
	env := sparktest.Long(t, "starts Spark five times (about a minute each on a loaded 2-core machine)")
	for _, c := range []struct {
		scenario      string
		rows          int64
		grid          scenarios.Grid
		params        scenarios.Settings
		folds         int
		firstFitExtra int
		iterative     bool
		// minBest is the least the best param map's metric may be (the labels are learnable).
		minBest float64
	}{
		{scenario: "text-logreg", rows: 600, folds: 2, iterative: true, minBest: 0.7,
			grid: scenarios.Grid{{Name: "hashingTF.numFeatures", Values: []float64{100, 1000}}, {Name: "logreg.regParam", Values: []float64{0.01}}}},
		{scenario: "forest", rows: 800, firstFitExtra: 1, minBest: 0.6,
			grid: scenarios.Grid{{Name: "rf.numTrees", Values: []float64{5}}, {Name: "rf.maxDepth", Values: []float64{3, 4}}}},
		{scenario: "gbt", rows: 600, folds: 2, minBest: 0.6,
			grid:   scenarios.Grid{{Name: "gbt.maxDepth", Values: []float64{2, 3}}, {Name: "gbt.stepSize", Values: []float64{0.1}}},
			params: scenarios.Settings{{Name: "gbt.maxIter", Num: 3}}},
		{scenario: "kmeans", rows: 600, firstFitExtra: 1, iterative: true, minBest: 0.2,
			grid: scenarios.Grid{{Name: "kmeans.k", Values: []float64{2, 4}}}},
		{scenario: "seed-tvs", rows: 600,
			grid: scenarios.Grid{{Name: "pca.k", Values: []float64{5, 20}}, {Name: "lr.regParam", Values: []float64{0.01}}}},
	} {
		t.Run(c.scenario, func(t *testing.T) {
			s, err := scenarios.Builtin(c.scenario)
			if err != nil {
				t.Fatal(err)
			}
			s.Data.Rows, s.Data.Partitions = c.rows, 2
			s.Cluster = scenarios.Cluster{Local: true, Executors: 1, CoresPerExecutor: 2, HostCores: 2}
			s.Tuner.Parallelism = 1
			if c.folds > 0 {
				s.Tuner.Folds = c.folds
			}
			s.Pipeline.Grid = c.grid
			for _, p := range c.params {
				for i := range s.Pipeline.Params {
					if s.Pipeline.Params[i].Name == p.Name {
						s.Pipeline.Params[i] = p
					}
				}
			}
			if err := s.Validate("tiny " + c.scenario); err != nil {
				t.Fatal(err)
			}
			r, err := Run(context.Background(), env, s, Options{Parallelism: 1, EventDir: t.TempDir(), NoWarmup: true})
			if err != nil {
				t.Fatal(err)
			}
			tr, _, err := ReadRun(r.EventLog, s)
			if err != nil {
				t.Fatal(err)
			}
			plan, err := tuning.New(s)
			if err != nil {
				t.Fatal(err)
			}
			if c.iterative {
				learned := costmodel.LearnIterations([]costmodel.Run{{Plan: plan, Trace: tr}})
				if len(learned) != 1 {
					t.Fatalf("learned %+v from the log: want the iterations of %s", learned, c.scenario)
				}
				t.Logf("%s: the scenario expects %v iterations per param map, Spark took %v (mean over %v fits)", learned[0].Param, learned[0].Expected, learned[0].PerParamMap, learned[0].Seen)
				applied, err := learned[0].Apply(s)
				if err != nil {
					t.Fatal(err)
				}
				if plan, err = tuning.New(applied); err != nil {
					t.Fatal(err)
				}
			}
			plan = plan.WithRefit(r.BestIndex)
			got := tr.JobsByFit()
			if len(got) != len(plan.Fits) {
				t.Errorf("Spark ran %d tagged fits; the plan has %d", len(got), len(plan.Fits))
			}
			first := map[int]bool{}
			for _, round := range plan.Rounds {
				first[round[0]] = true
			}
			for _, f := range plan.Fits {
				want := f.Jobs()
				if first[f.Index] {
					want += c.firstFitExtra
				}
				n := got[f.Index]
				switch {
				case c.iterative && math.Abs(float64(n-want)) > 0.1*float64(want):
					t.Errorf("fit %d (param map %d, fold %d) ran %d jobs; the plan with the iterations learned says %d (more than 10%% off)", f.Index, f.ParamMap, f.Fold, n, want)
				case !c.iterative && n != want:
					t.Errorf("fit %d (param map %d, fold %d) ran %d jobs; the plan says %d", f.Index, f.ParamMap, f.Fold, n, want)
				}
			}
			if len(r.Metrics) != len(plan.ParamMaps) || r.BestMetric < c.minBest || math.IsNaN(r.BestMetric) {
				t.Errorf("metrics %v, best %g: want one per param map and the best at least %g", r.Metrics, r.BestMetric, c.minBest)
			}
			t.Logf("Spark %s, %s: %d fits, wall %.1f s, best %v (metric %.4f)", r.SparkVersion, c.scenario, len(got), r.WallSeconds, r.BestParamMap, r.BestMetric)
		})
	}
}
