package costmodel_test

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"tunesim/costmodel"
	"tunesim/scenarios"
	"tunesim/sim"
	"tunesim/trace"
	"tunesim/tuning"
)

// TestCalibrateClusterCosts simulates a serial run of the seed as 2 executors x 1 slot and the
// driver on one host, with a known task launch, task result and executor cold start, and reads it
// as Spark would log it (a spark:// master; each task's executor time in its metrics, the rest of
// its span the driver's): calibration recovers the driver's time per task (launch + result, which
// the log does not tell apart), the cold start and the operations' costs, and the profile
// predicts the parallel runs.
func TestCalibrateClusterCosts(t *testing.T) {
	const launch, result, cold = 2e-3, 4e-3, 0.05
	want := truth(t)
	term := func(s float64) *costmodel.ClusterTerm { return &costmodel.ClusterTerm{S: s, Source: "test"} }
	want.ClusterCosts = &costmodel.ClusterCosts{TaskLaunch: term(launch), TaskResult: term(result), ExecutorColdStart: term(cold), LocalityWait: term(3)}
	onHost := func(m costmodel.Model, p, cores int) (*tuning.Plan, *trace.Trace) {
		return onOneHost(t, m, p, cores, "")
	}
	// On 8 cores nothing shares a core, so each task's executor part is its span less the
	// driver's launch and result.
	plan, tr := onHost(want, 1, 8)
	tr.Attrs["master"] = "spark://127.0.0.1:7077"
	tr.CPU = 0 // a cluster run's CPU would be the driver's alone; none here
	for i := range tr.Spans {
		if s := &tr.Spans[i]; s.Kind == trace.KindTask {
			s.Detail = &trace.TaskDetail{RunTime: s.Duration() - sec(launch+result)}
		}
	}
	base, _ := costmodel.Load("default", "")
	cal, err := costmodel.Calibrate([]costmodel.Run{{Plan: plan, Trace: tr}}, costmodel.CalibrateOptions{Base: base})
	if err != nil {
		t.Fatal(err)
	}
	c := cal.Profile.ClusterCosts
	if c == nil || c.TaskLaunch == nil || c.ExecutorColdStart == nil || c.LocalityWait == nil {
		t.Fatalf("cluster costs %+v: want all four terms", c)
	}
	if got := c.TaskLaunch.S + c.TaskResult.S; math.Abs(got-(launch+result)) > 1e-6 || c.TaskLaunch.S != c.TaskResult.S {
		t.Errorf("launch %.6f + result %.6f s, want %.6f in all, split evenly", c.TaskLaunch.S, c.TaskResult.S, launch+result)
	}
	if math.Abs(c.ExecutorColdStart.S-cold) > 0.01*cold || c.ExecutorColdStart.Samples != 2 {
		t.Errorf("cold start %.6f s over %d executors, want %.3f (1%%) over 2", c.ExecutorColdStart.S, c.ExecutorColdStart.Samples, cold)
	}
	if c.LocalityWait.S != costmodel.SparkLocalityWait || c.TaskLaunch.Source == "" || c.TaskLaunch.Samples == 0 {
		t.Errorf("locality wait %+v, launch %+v: want Spark's default and sourced terms", c.LocalityWait, c.TaskLaunch)
	}
	for _, pt := range cal.Points {
		if d := math.Abs(pt.Predicted - pt.Measured); d > 1e-6+1e-3*pt.Measured {
			t.Errorf("%s: measured %.6f s, predicted %.6f s", pt.Label, pt.Measured, pt.Predicted)
			break
		}
	}
	b, err := cal.Profile.MarshalIndent()
	if err != nil {
		t.Fatal(err)
	}
	back, err := costmodel.Parse("calibrated", b)
	if err != nil {
		t.Fatalf("the calibrated profile does not read back: %v", err)
	}
	// On 2 cores the driver's work and the tasks share them; the even split of launch and result
	// is an approximation there.
	for _, cores := range []int{8, 2} {
		for _, p := range []int{1, 3} {
			_, mt := onHost(want, p, cores)
			_, mg := onHost(back, p, cores)
			tol := 1e-3
			if cores == 2 {
				tol = 0.02
			}
			if e := math.Abs(mg.Metrics().Makespan.Seconds()/mt.Metrics().Makespan.Seconds() - 1); e > tol {
				t.Errorf("%d cores, parallelism %d: calibrated profile predicts %v, the true one %v (%.2f%% off)", cores, p, mg.Metrics().Makespan, mt.Metrics().Makespan, 100*e)
			}
		}
	}
}

// onOneHost simulates seed-tvs at parallelism p as 2 executors x 1 slot and the driver on one
// host of cores CPUs that shares them as share says (a scenarios.Host's cpu_share).
func onOneHost(t *testing.T, m costmodel.Model, p, cores int, share string) (*tuning.Plan, *trace.Trace) {
	t.Helper()
	s, err := scenarios.Builtin("seed-tvs")
	if err != nil {
		t.Fatal(err)
	}
	s.Cluster = scenarios.Cluster{Executors: 2, CoresPerExecutor: 1, HostCores: cores,
		Hosts: []scenarios.Host{{Executors: 2, Driver: true, CPUShare: share}}}
	s.Tuner.Parallelism = p
	plan, err := tuning.New(s)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := sim.Trace(plan, m, sim.Options{Seed: s.Seed})
	if err != nil {
		t.Fatal(err)
	}
	return plan, tr
}

func sec(s float64) time.Duration { return time.Duration(math.Round(s * 1e9)) }

func TestClusterCostsParse(t *testing.T) {
	const ops = `"ops":{},"overheads":{}`
	for _, tt := range []struct {
		name, cluster string
		want          costmodel.ClusterOverheads
		err           string
	}{
		{"none", ``, costmodel.ClusterOverheads{}, ""},
		{"all four", `,"cluster":{"task_launch":{"s":0.002,"source":"a"},"task_result":{"s":0.003,"source":"b"},"executor_cold_start":{"s":1.5,"source":"c","samples":2},"locality_wait":{"s":3,"source":"d"}}`,
			costmodel.ClusterOverheads{TaskLaunch: sec(0.002), TaskResult: sec(0.003), ExecutorColdStart: sec(1.5), Locality: true, LocalityWait: sec(3)}, ""},
		{"locality not modelled without its term", `,"cluster":{"task_launch":{"s":0.002,"source":"a"}}`, costmodel.ClusterOverheads{TaskLaunch: sec(0.002)}, ""},
		{"a wait of 0 still models locality", `,"cluster":{"locality_wait":{"s":0,"source":"spark.locality.wait=0"}}`, costmodel.ClusterOverheads{Locality: true}, ""},
		{"negative", `,"cluster":{"task_result":{"s":-1,"source":"b"}}`, costmodel.ClusterOverheads{}, "cluster.task_result.s"},
		{"no source", `,"cluster":{"executor_cold_start":{"s":1}}`, costmodel.ClusterOverheads{}, "cluster.executor_cold_start: no source"},
		{"unknown term", `,"cluster":{"task_lunch":{"s":1,"source":"x"}}`, costmodel.ClusterOverheads{}, "task_lunch"},
	} {
		p, err := costmodel.Parse("p.json", []byte(`{"name":"p",`+ops+tt.cluster+`}`))
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) || !errors.Is(err, costmodel.ErrInvalid) {
				t.Errorf("%s: error %v, want ErrInvalid saying %q", tt.name, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got := p.Cluster(); got != tt.want {
			t.Errorf("%s: %+v, want %+v", tt.name, got, tt.want)
		}
	}
}
