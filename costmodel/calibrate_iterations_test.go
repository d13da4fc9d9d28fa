package costmodel_test

import (
	"math"
	"slices"
	"testing"

	"tunesim/costmodel"
	"tunesim/estimators"
	"tunesim/scenarios"
	"tunesim/sim"
	"tunesim/trace"
	"tunesim/tuning"
)

// iterativeScenario is a small CrossValidator of an iterative estimator whose scenario expects
// the iterations given.
func iterativeScenario(t *testing.T, name string, iterations int) *scenarios.Scenario {
	t.Helper()
	s, err := scenarios.Builtin(name)
	if err != nil {
		t.Fatal(err)
	}
	s.Data.Rows, s.Data.Partitions = 4000, 2
	s.Cluster = scenarios.Cluster{Local: true, Executors: 1, CoresPerExecutor: 2, HostCores: 2}
	s.Tuner = scenarios.Tuner{Kind: scenarios.CrossValidator, Folds: 2, Parallelism: 1}
	for i, st := range s.Pipeline.Params {
		if st.Name == "logreg.iterations" || st.Name == "kmeans.iterations" {
			s.Pipeline.Params[i].Num = float64(iterations)
		}
	}
	s.Noise.TaskCV = 0
	if err := s.Validate(name); err != nil {
		t.Fatal(err)
	}
	return s
}

// sparkRun is what Spark would log of scenario s if fit i took took(fold, param map) iterations:
// each fit's plan built with its own iterations, simulated with model m, shaped like a Spark log
// (no driver spans) and its solver's jobs named as Spark names them (site).
func sparkRun(t *testing.T, s *scenarios.Scenario, param, site string, op estimators.Op, took func(fold, m int) int, refitMap int, m costmodel.Model) (costmodel.Run, *tuning.Plan) {
	t.Helper()
	plan, err := tuning.New(s)
	if err != nil {
		t.Fatal(err)
	}
	truth := *plan.WithRefit(refitMap)
	truth.Fits = slices.Clone(truth.Fits)
	for i := range truth.Fits {
		f := &truth.Fits[i]
		one := *s
		one.Pipeline.Params = append(slices.Clone(s.Pipeline.Params[:0:0]), s.Pipeline.Params...)
		for k := range one.Pipeline.Params {
			if one.Pipeline.Params[k].Name == param {
				one.Pipeline.Params[k].Num = float64(took(f.Fold, f.ParamMap))
			}
		}
		p, err := tuning.New(&one)
		if err != nil {
			t.Fatal(err)
		}
		if f.Refit {
			*f = *p.WithRefit(refitMap).Refit()
		} else {
			*f = p.Fits[i]
		}
	}
	tr, err := sim.Trace(&truth, m, sim.Options{Seed: s.Seed})
	if err != nil {
		t.Fatal(err)
	}
	tr = sparkShaped(tr)
	for i := range tr.Spans {
		if tr.Spans[i].Kind == trace.KindJob && tr.Spans[i].Name == string(op) {
			tr.Spans[i].Name = site + ":61"
		}
	}
	return costmodel.Run{Plan: plan, Trace: tr}, &truth
}

// TestLearnIterations: from a Spark-shaped run whose fits took other iterations than the scenario
// expects (varying by fold and param map), LearnIterations finds each param map's mean over its
// fits, the scenario it writes plans them, and Calibrate matches every fit (none skipped) and
// predicts the run's makespan.
func TestLearnIterations(t *testing.T) {
	for _, c := range []struct {
		scenario, param, site string
		op                    estimators.Op
		expected              int
		extra                 int // jobs at the site beyond the iterations
		took                  func(fold, m int) int
	}{
		{"text-logreg", "logreg.iterations", estimators.LossSite, estimators.OpLogRegLoss, 9, 1,
			// Line searches: up to 13 evaluations for maxIter 10.
			func(fold, m int) int { return 5 + m + fold*(m%3) }},
		{"kmeans", "kmeans.iterations", estimators.LloydSite, estimators.OpKMeansIteration, 12, 0,
			func(fold, m int) int { return 2 + 2*m + fold }},
	} {
		t.Run(c.scenario, func(t *testing.T) {
			s := iterativeScenario(t, c.scenario, c.expected)
			const refitMap = 1
			r, truth := sparkRun(t, s, c.param, c.site, c.op, c.took, refitMap, truth(t))
			maps := len(s.Pipeline.Grid.ParamMaps())

			learned := costmodel.LearnIterations([]costmodel.Run{r})
			if len(learned) != 1 {
				t.Fatalf("learned %+v, want one scenario", learned)
			}
			l := learned[0]
			if l.Param != c.param || l.Scenario != s.Name {
				t.Errorf("learned %s of %s, want %s of %s", l.Param, l.Scenario, c.param, s.Name)
			}
			for m := range maps {
				// The mean over the fits of param map m: one per fold, and the refit's.
				sum, n := 0, 0
				for fold := range s.Tuner.Folds {
					sum, n = sum+c.took(fold, m), n+1
				}
				if m == refitMap {
					sum, n = sum+c.took(trace.None, m), n+1
				}
				if want := int(math.Round(float64(sum) / float64(n))); l.PerParamMap[m] != want || l.Seen[m] != n || l.Expected[m] != c.expected {
					t.Errorf("param map %d: learned %d from %d fits (expected %d); want %d from %d (expected %d)", m, l.PerParamMap[m], l.Seen[m], l.Expected[m], want, n, c.expected)
				}
			}
			if !l.Differs() {
				t.Error("Differs: false, though the run took other iterations")
			}

			// The scenario with the learned iterations plans them, param map by param map.
			applied, err := l.Apply(s)
			if err != nil {
				t.Fatal(err)
			}
			plan, err := tuning.New(applied)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range plan.Fits[:maps] {
				if got := jobsOf(&f, c.op); got != l.PerParamMap[f.ParamMap]+c.extra {
					t.Errorf("param map %d: the applied scenario plans %d %s jobs, want %d", f.ParamMap, got, c.op, l.PerParamMap[f.ParamMap]+c.extra)
				}
			}

			// Calibration matches every fit to the iterations it ran.
			base, _ := costmodel.Load("default", "")
			cal, err := costmodel.Calibrate([]costmodel.Run{r}, costmodel.CalibrateOptions{Base: base})
			if err != nil {
				t.Fatal(err)
			}
			if len(cal.Skipped) > 0 {
				t.Fatalf("skipped fits: %v", cal.Skipped)
			}
			mt := r.Trace.Metrics().Makespan
			tr, err := sim.Trace(truth, cal.Profile, sim.Options{Seed: s.Seed})
			if err != nil {
				t.Fatal(err)
			}
			if e := math.Abs(tr.Metrics().Makespan.Seconds()/mt.Seconds() - 1); e > 0.01 {
				t.Errorf("the calibrated profile predicts %v for the run's plan, the run took %v (%.2f%% off)", tr.Metrics().Makespan, mt, 100*e)
			}
		})
	}
}

// TestLearnIterationsIgnoresOtherSolvers: a run of a predictor without an iterative solver, and one
// whose fits ran none of its solver's jobs (a LinearRegression on the normal equations), teach
// nothing and change no plan.
func TestLearnIterationsIgnoresOtherSolvers(t *testing.T) {
	for _, name := range []string{"seed-tvs", "forest"} {
		r := simulated(t, name, 1, 2, truth(t))
		if l := costmodel.LearnIterations([]costmodel.Run{r}); len(l) != 0 {
			t.Errorf("%s: learned %+v from a run without loss evaluations", name, l)
		}
	}
}

func jobsOf(f *tuning.Fit, op estimators.Op) int {
	n := 0
	for _, st := range f.Steps {
		if st.Kind == tuning.StepJob && st.Op == op {
			n++
		}
	}
	return n
}
