package whatif

import (
	"math"
	"testing"
	"time"

	"tunesim/scenarios"
	"tunesim/sim"
	"tunesim/sparklog"
)

// TestStandaloneLogTogether checks the mirror of TestLocalLogApart: a fresh standalone log
// predicted in local mode loses the executors' compilers and background, gains the one JVM's C2
// compiler, and the local JVM's hidden CPU over its serial replay (the compiler's and the work
// its jobs bring) is the driver's on the cluster, or, when the compiler alone does more, the
// compiler's with nothing per job.
func TestStandaloneLogTogether(t *testing.T) {
	tun, err := find(t, "testdata/sa22-glr-serial", Hints{})
	if err != nil {
		t.Fatal(err)
	}
	if tun.JVM().Kind != JVMFresh {
		t.Fatalf("the fixture shows a %s JVM; the test needs a fresh one", tun.JVM().Kind)
	}
	local := scenarios.Cluster{Local: true, Executors: 1, CoresPerExecutor: 2, HostCores: 2}
	pred, err := tun.Predict(Options{Cluster: &local}, CPUOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tg := pred.Budget.Together
	if tg == nil {
		t.Fatal("the budget says nothing of the JVMs brought together")
	}
	ov := pred.Model.Overheads()
	if ov.SteadyThreads != 1 || ov.ExecutorSteadyThreads != 0 || ov.ExecutorBackground != 0 {
		t.Errorf("local mode: %d steady threads, %d per executor, %v per job in executors; want the JVM's one C2 compiler and nothing apart",
			ov.SteadyThreads, ov.ExecutorSteadyThreads, ov.ExecutorBackground)
	}
	want := executorCompilers(tun.LoggedCluster(CPUOptions{}))
	if tg.ExecutorCompilers != want || tg.LocalCompilers != 1 || tg.DriverCPUPerJobS <= 0 {
		t.Fatalf("budget %+v; want %d compilers per executor (HotSpot's for the log's hosts), one locally, and driver CPU per job", tg, want)
	}
	if math.Abs(ov.JobBackground.Seconds()-tg.LocalCPUPerJobS) > 1e-9 {
		t.Errorf("the model brings %v a job, the budget says %.6f s", ov.JobBackground, tg.LocalCPUPerJobS)
	}
	tr, err := sim.Trace(pred.Plan.WithParallelism(1), pred.Model, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	jobs := pred.Plan.Jobs()
	hidden := tr.SteadyCPU + ov.JobBackground*time.Duration(jobs)
	driver := time.Duration(tg.DriverCPUPerJobS * float64(jobs) * float64(time.Second))
	switch {
	case ov.JobBackground > 0:
		if d := (hidden - driver).Seconds(); math.Abs(d) > 0.01*driver.Seconds() {
			t.Errorf("the local JVM's hidden CPU is %v (compiler %v, jobs %v); the driver's was %v", hidden, tr.SteadyCPU, hidden-tr.SteadyCPU, driver)
		}
	case tr.SteadyCPU < driver:
		t.Errorf("nothing per job, yet the compiler did %v of the driver's %v", tr.SteadyCPU, driver)
	}
}

// TestSplitInJVM: a task that ran in an executor of its own and is to run in the driver's JVM
// keeps its CPU and loses its scheduler delay (its slot time beyond run, deserialization and
// result serialization) from its time off the CPU, never going below none; elsewhere the split
// is as before.
func TestSplitInJVM(t *testing.T) {
	ms := time.Millisecond
	c := Contention{Threads: 1, Latency: 30 * ms, Tasks: minContentionTasks}
	for _, tc := range []struct {
		name              string
		inJVM             bool
		tk                sparklog.Task
		d                 time.Duration // the task's time as the plan prices it
		wantCPU, wantWait time.Duration
	}{
		{"apart: latency as fitted", false, sparklog.Task{Finish: 100 * ms, RunTime: 50 * ms, Deserialize: 10 * ms, CPU: 40 * ms}, 100 * ms, 40 * ms, 30 * ms},
		{"in the JVM: 40 ms delay, no wait left", true, sparklog.Task{Finish: 100 * ms, RunTime: 50 * ms, Deserialize: 10 * ms, CPU: 40 * ms}, 100 * ms, 40 * ms, 0},
		{"in the JVM: 20 ms delay of 30 ms", true, sparklog.Task{Finish: 100 * ms, RunTime: 70 * ms, Deserialize: 10 * ms, CPU: 40 * ms}, 100 * ms, 40 * ms, 10 * ms},
		{"in the JVM, scaled task: the delay scales too", true, sparklog.Task{Finish: 100 * ms, RunTime: 70 * ms, Deserialize: 10 * ms, CPU: 40 * ms}, 200 * ms, 80 * ms, 20 * ms},
		{"in the JVM, no delay", true, sparklog.Task{Finish: 100 * ms, RunTime: 80 * ms, ResultSerialization: 20 * ms, CPU: 40 * ms}, 100 * ms, 40 * ms, 30 * ms},
	} {
		ld := &load{hostOf: func(int) string { return "h" }, hosts: map[string]Contention{"h": c}, driverShare: 1, inJVM: tc.inJVM}
		cpu, wait := ld.split(tc.d, tc.tk)
		if cpu != tc.wantCPU || wait != tc.wantWait {
			t.Errorf("%s: cpu %v wait %v, want %v and %v", tc.name, cpu, wait, tc.wantCPU, tc.wantWait)
		}
	}
}
