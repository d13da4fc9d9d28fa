package costmodel_test

import (
	"math"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"

	"tunesim/costmodel"
	"tunesim/estimators"
	"tunesim/scenarios"
	"tunesim/sim"
	"tunesim/trace"
	"tunesim/tuning"
)

// truth is the default profile with per-task and per-step fixed costs and scheduler overheads, so
// every kind of unknown has something to recover.
func truth(t *testing.T) *costmodel.Profile {
	t.Helper()
	p, err := costmodel.Load("default", "")
	if err != nil {
		t.Fatal(err)
	}
	for op, c := range p.Ops {
		c.Coeffs[0] = 3e-4
		if op == estimators.OpPCAEigen || op == estimators.OpLRSolve {
			c.Coeffs[0] = 1e-4
		}
	}
	p.Overhead = costmodel.OverheadCosts{JobSubmitS: 2e-3, StageSubmitS: 1e-3, JobDriverS: 3e-3, FitSetupS: 5e-3}
	return p
}

func simulated(t *testing.T, name string, parallelism, hostCores int, m costmodel.Model) costmodel.Run {
	t.Helper()
	s, err := scenarios.Builtin(name)
	if err != nil {
		t.Fatal(err)
	}
	s.Tuner.Parallelism = parallelism
	if hostCores > 0 {
		s.Cluster.HostCores = hostCores
	}
	s.Noise.TaskCV = 0
	plan, err := tuning.New(s)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := sim.Trace(plan, m, sim.Options{Seed: s.Seed})
	if err != nil {
		t.Fatal(err)
	}
	return costmodel.Run{Plan: plan, Trace: tr}
}

// TestCalibrateRecoversTheModelThatMadeTheTrace calibrates on simulated serial runs of a known
// profile (on 8 and on 2 cores, where local[8]'s tasks share them) and checks that the fit predicts
// every observation and reproduces the profile's makespans at other parallelisms. Parallel runs
// are not calibrated from: their gaps hold queueing for the DAG scheduler, which is not overhead.
func TestCalibrateRecoversTheModelThatMadeTheTrace(t *testing.T) {
	want := truth(t)
	for _, c := range []struct {
		name     string
		scenario string
		p, cores int
	}{
		{"serial tvs on 8 cores", "seed-tvs", 1, 0},
		{"serial tvs on 2 cores", "seed-tvs", 1, 2},
		{"serial mid-size cluster", "cluster-mid", 1, 0},
		{"serial cv on 2 cores", "seed-cv", 1, 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			base, _ := costmodel.Load("default", "")
			cal, err := costmodel.Calibrate([]costmodel.Run{simulated(t, c.scenario, c.p, c.cores, want)}, costmodel.CalibrateOptions{Base: base, Name: "fitted"})
			if err != nil {
				t.Fatal(err)
			}
			if len(cal.Skipped) > 0 {
				t.Fatalf("skipped fits of a simulated trace: %v", cal.Skipped)
			}
			for _, pt := range cal.Points {
				if d := math.Abs(pt.Predicted - pt.Measured); d > 1e-6+1e-3*pt.Measured {
					t.Errorf("%s: measured %.6f s, predicted %.6f s", pt.Label, pt.Measured, pt.Predicted)
					break
				}
			}
			if g := cal.Profile.Overhead.FitSetupS; math.Abs(g-5e-3) > 1e-6 {
				t.Errorf("fit setup %.6f s, want 0.005", g)
			}
			got := cal.Profile.Overheads()
			if w := want.Overheads(); absDiff(got.JobSubmit.Seconds()+got.StageSubmit.Seconds(), w.JobSubmit.Seconds()+w.StageSubmit.Seconds()) > 1e-5 || absDiff(got.JobDriver.Seconds(), w.JobDriver.Seconds()) > 1e-5 {
				t.Errorf("overheads %+v, want %+v", got, w)
			}
			for _, p := range []int{1, 3, 8} {
				mt := simulated(t, c.scenario, p, 2, want).Trace.Metrics().Makespan
				mg := simulated(t, c.scenario, p, 2, cal.Profile).Trace.Metrics().Makespan
				if e := math.Abs(mg.Seconds()/mt.Seconds() - 1); e > 0.005 {
					t.Errorf("parallelism %d: calibrated profile predicts %v, the true one %v (%.2f%% off)", p, mg, mt, 100*e)
				}
			}
		})
	}
}

func absDiff(a, b float64) float64 { return math.Abs(a - b) }

func TestCalibrateRejectsATraceOfAnotherPlan(t *testing.T) {
	r := simulated(t, "seed-tvs", 1, 0, truth(t))
	other := simulated(t, "laptop-2core", 1, 0, truth(t))
	_, err := costmodel.Calibrate([]costmodel.Run{{Plan: other.Plan, Trace: r.Trace}}, costmodel.CalibrateOptions{})
	if err == nil {
		t.Log("no error: the plans have the same fits and jobs")
	}
	empty := &trace.Trace{Source: "real"}
	if _, err := costmodel.Calibrate([]costmodel.Run{{Plan: r.Plan, Trace: empty}}, costmodel.CalibrateOptions{}); err == nil {
		t.Error("calibrating from an empty trace: no error")
	}
}

func TestNNLS(t *testing.T) {
	for _, c := range []struct {
		name string
		a    []float64
		rows int
		b    []float64
		want []float64
	}{
		{"exact interior", []float64{1, 0, 0, 1, 1, 1}, 3, []float64{2, 3, 5}, []float64{2, 3}},
		{"negative unconstrained clamps to zero", []float64{1, 0, 0, 1}, 2, []float64{-1, 2}, []float64{0, 2}},
		{"collinear columns", []float64{1, 2, 2, 4, 3, 6}, 3, []float64{5, 10, 15}, nil},
		{"zero column", []float64{0, 1, 0, 2}, 2, []float64{1, 2}, []float64{0, 1}},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := mat.NewDense(c.rows, len(c.a)/c.rows, c.a)
			x, err := costmodel.NNLS(a, c.b)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range x {
				if v < 0 {
					t.Fatalf("x = %v has a negative entry", x)
				}
			}
			if c.want != nil {
				for i := range x {
					if math.Abs(x[i]-c.want[i]) > 1e-9 {
						t.Fatalf("x = %v, want %v", x, c.want)
					}
				}
			}
			// Optimality (KKT): the gradient A^T(b - Ax) is <= 0, and 0 where x > 0.
			r := mat.NewVecDense(c.rows, nil)
			r.MulVec(a, mat.NewVecDense(len(x), x))
			r.SubVec(mat.NewVecDense(c.rows, c.b), r)
			var g mat.VecDense
			g.MulVec(a.T(), r)
			for i := range x {
				if g.AtVec(i) > 1e-9 || (x[i] > 1e-12 && math.Abs(g.AtVec(i)) > 1e-9) {
					t.Fatalf("not optimal: x = %v, gradient %v", x, mat.Formatted(g.T()))
				}
			}
		})
	}
}

// TestCalibrateFindsBackgroundCPU simulates serial runs whose jobs each cost background CPU
// (with the trace's CPU total, as a real run measures it) on 8 cores, where the background takes
// no time from the tasks, and on 2, where it does: calibration recovers the per-job background
// and predicts the parallel runs, where the background takes cores from other fits.
func TestCalibrateFindsBackgroundCPU(t *testing.T) {
	base, _ := costmodel.Load("default", "")
	for _, c := range []struct{ cores, threads int }{{8, 1}, {2, 1}, {2, 2}} {
		cores := c.cores
		want := truth(t)
		want.Overhead.JobBackgroundCPUS, want.Overhead.BackgroundThreads = 4e-3, c.threads
		r := simulated(t, "seed-tvs", 1, cores, want)
		if r.Trace.CPU <= 0 {
			t.Fatal("a simulated trace without its CPU time")
		}
		cal, err := costmodel.Calibrate([]costmodel.Run{r}, costmodel.CalibrateOptions{Base: base})
		if err != nil {
			t.Fatal(err)
		}
		got := cal.Profile.Overhead.JobBackgroundCPUS
		tol := 1e-6
		if cores == 2 {
			tol = 1e-3 // a job's background is counted as running the whole job: an approximation
		}
		if math.Abs(got-4e-3) > tol || cal.Profile.Overheads().BackgroundThreads != want.Overheads().BackgroundThreads {
			t.Errorf("%d cores: background %.6f s per job on %d threads, want 0.004 on %d", cores, got, cal.Profile.Overhead.BackgroundThreads, c.threads)
		}
		for _, p := range []int{1, 3} {
			mt := simulated(t, "seed-tvs", p, cores, want).Trace.Metrics().Makespan
			mg := simulated(t, "seed-tvs", p, cores, cal.Profile).Trace.Metrics().Makespan
			if e := math.Abs(mg.Seconds()/mt.Seconds() - 1); e > 0.03 {
				t.Errorf("%d cores, parallelism %d: calibrated profile predicts %v, the true one %v (%.2f%% off)", cores, p, mg, mt, 100*e)
			}
		}
	}
}

// TestCalibrateMeasuresTaskVariation simulates serial runs whose task durations vary (lognormal,
// coefficient of variation 0.2) and checks that calibration measures about that spread.
func TestCalibrateMeasuresTaskVariation(t *testing.T) {
	s, err := scenarios.Builtin("seed-cv")
	if err != nil {
		t.Fatal(err)
	}
	s.Tuner.Parallelism, s.Noise.TaskCV = 1, 0.2
	plan, err := tuning.New(s)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := sim.Trace(plan, truth(t), sim.Options{Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	base, _ := costmodel.Load("default", "")
	cal, err := costmodel.Calibrate([]costmodel.Run{{Plan: plan, Trace: tr}}, costmodel.CalibrateOptions{Base: base})
	if err != nil {
		t.Fatal(err)
	}
	if cv := cal.Profile.TaskCV(); math.Abs(cv-0.2) > 0.04 {
		t.Errorf("measured task_cv %.3f, want about 0.2", cv)
	}
}

// sparkShaped makes a simulated trace look like one read from a Spark event log: no driver spans
// (Spark logs none) and fit spans from the first job's submission to the last job's end.
func sparkShaped(t *trace.Trace) *trace.Trace {
	out := *t
	out.Spans = nil
	first, last := map[int]time.Duration{}, map[int]time.Duration{}
	for _, s := range t.Spans {
		if s.Kind == trace.KindJob {
			if v, ok := first[s.Fit]; !ok || s.Start < v {
				first[s.Fit] = s.Start
			}
			last[s.Fit] = max(last[s.Fit], s.End)
		}
	}
	for _, s := range t.Spans {
		switch s.Kind {
		case trace.KindDriver, trace.KindQueue:
			continue
		case trace.KindFit:
			s.Start, s.End = first[s.Fit], last[s.Fit]
		}
		out.Spans = append(out.Spans, s)
	}
	return &out
}

// TestCalibrateFromSparkShapedTraces calibrates from serial traces shaped like Spark's logs,
// where driver steps, result times and fit setup show only as gaps between jobs and fits, and
// checks that the profile still predicts the makespans of the profile that made them.
func TestCalibrateFromSparkShapedTraces(t *testing.T) {
	want := truth(t)
	r := simulated(t, "seed-tvs", 1, 2, want)
	r.Trace = sparkShaped(r.Trace)
	base, _ := costmodel.Load("default", "")
	cal, err := costmodel.Calibrate([]costmodel.Run{r}, costmodel.CalibrateOptions{Base: base})
	if err != nil {
		t.Fatal(err)
	}
	if len(cal.Skipped) > 0 {
		t.Fatalf("skipped: %v", cal.Skipped)
	}
	for _, p := range []int{1, 3} {
		mt := simulated(t, "seed-tvs", p, 2, want).Trace.Metrics().Makespan
		mg := simulated(t, "seed-tvs", p, 2, cal.Profile).Trace.Metrics().Makespan
		if e := math.Abs(mg.Seconds()/mt.Seconds() - 1); e > 0.01 {
			t.Errorf("parallelism %d: calibrated profile predicts %v, the true one %v (%.2f%% off)", p, mg, mt, 100*e)
		}
	}
}
