package costmodel_test

import (
	"math"
	"testing"

	"tunesim/costmodel"
	"tunesim/scenarios"
	"tunesim/trace"
	"tunesim/tuning"
)

// TestCalibrateFindsEachJVMsBackground simulates serial runs of the seed as 2 executors x 1 slot
// and the driver on one 2-core host that shares its cores among the three JVMs first (as Linux's
// autogroup does with a session per JVM), each JVM with background CPU of its own per job, and
// reads them as a standalone cluster's runs measured here: the driver's CPU and the executors'
// apart, each JVM's busy compiler threads, every task's executor time in its metrics.
// Calibration recovers both backgrounds and the profile predicts the parallel runs, where the
// JVMs' shares, not the threads', decide who runs; and it matters: the same runs shared among
// threads alike end elsewhere.
func TestCalibrateFindsEachJVMsBackground(t *testing.T) {
	const driverBG, execBG = 6e-3, 4e-3
	want := truth(t)
	want.Overhead.JobBackgroundCPUS, want.Overhead.BackgroundThreads = driverBG, 1
	want.Overhead.ExecutorJobBackgroundCPUS, want.Overhead.ExecutorBackgroundThreads = execBG, 1
	onHost := func(m costmodel.Model, p int, share string) (*tuning.Plan, *trace.Trace) {
		return onOneHost(t, m, p, 2, share)
	}
	plan, tr := onHost(want, 1, scenarios.CPUShareProcesses)
	if tr.Attrs[trace.AttrCPUShare] != scenarios.CPUShareProcesses || tr.ExecutorCPU <= 0 || tr.ExecutorBackgroundThreads != 1 || tr.BackgroundThreads != 1 {
		t.Fatalf("simulated trace: cpu_share %q, executor CPU %v on %d threads, driver's on %d: want processes, measured apart on 1 and 1",
			tr.Attrs[trace.AttrCPUShare], tr.ExecutorCPU, tr.ExecutorBackgroundThreads, tr.BackgroundThreads)
	}
	tr.Attrs["master"] = "spark://127.0.0.1:7077"
	for i := range tr.Spans {
		if s := &tr.Spans[i]; s.Kind == trace.KindTask {
			s.Detail = &trace.TaskDetail{RunTime: s.Duration()} // no launch or result costs
		}
	}
	base, _ := costmodel.Load("default", "")
	cal, err := costmodel.Calibrate([]costmodel.Run{{Plan: plan, Trace: tr}}, costmodel.CalibrateOptions{Base: base})
	if err != nil {
		t.Fatal(err)
	}
	o := cal.Profile.Overhead
	// A job's background is counted as running the whole job, and the log's task metrics carry
	// no launch or result: approximations, within 5%.
	if math.Abs(o.JobBackgroundCPUS/driverBG-1) > 0.05 || math.Abs(o.ExecutorJobBackgroundCPUS/execBG-1) > 0.05 {
		t.Errorf("background per job: driver %.6f s, each executor %.6f s; want %.4f and %.4f (5%%)", o.JobBackgroundCPUS, o.ExecutorJobBackgroundCPUS, driverBG, execBG)
	}
	if o.ExecutorBackgroundThreads != 1 {
		t.Errorf("executor background threads %d, want 1", o.ExecutorBackgroundThreads)
	}
	for _, p := range []int{1, 3} {
		_, mt := onHost(want, p, scenarios.CPUShareProcesses)
		_, mg := onHost(cal.Profile, p, scenarios.CPUShareProcesses)
		if e := math.Abs(mg.Metrics().Makespan.Seconds()/mt.Metrics().Makespan.Seconds() - 1); e > 0.03 {
			t.Errorf("parallelism %d: calibrated profile predicts %v, the true one %v (%.2f%% off)", p, mg.Metrics().Makespan, mt.Metrics().Makespan, 100*e)
		}
	}
	_, byProcess := onHost(want, 3, scenarios.CPUShareProcesses)
	_, byThread := onHost(want, 3, scenarios.CPUShareThreads)
	if a, b := byProcess.Metrics().Makespan, byThread.Metrics().Makespan; math.Abs(a.Seconds()/b.Seconds()-1) < 0.01 {
		t.Errorf("parallelism 3: %v sharing among processes, %v among threads: the JVMs' shares should matter", a, b)
	}
}
