package whatif

import (
	"encoding/json"
	"math"
	"os"
	"testing"
	"time"

	"tunesim/scenarios"
	"tunesim/sim"
)

// svcExpected is testdata/svc-expected.json: a LinearSVC CrossValidator run serially in a fresh
// PySpark application, its CPU measured from /proc, and the same tuning's wall times at
// parallelism 1, 2 and 3 (medians of two fresh applications each).
type svcExpected struct {
	SerialAppCPUS float64            `json:"serial_app_cpu_s"`
	FitS          map[string]float64 `json:"fit_s"`
}

func readSVC(t *testing.T) svcExpected {
	t.Helper()
	b, err := os.ReadFile("testdata/svc-expected.json")
	if err != nil {
		t.Fatal(err)
	}
	var e svcExpected
	if err := json.Unmarshal(b, &e); err != nil {
		t.Fatal(err)
	}
	return e
}

// TestPredictReplaysTheSerialRun: with the hidden load, the serial replay still takes as long as
// the log's tuning, on every real log with a tuning in it.
func TestPredictReplaysTheSerialRun(t *testing.T) {
	for _, log := range []string{"svc-fresh-serial", "lr-text-serial", "java-cv-serial", "py40-tvs-serial", "sa22-glr-serial"} {
		t.Run(log, func(t *testing.T) {
			tun, err := find(t, "testdata/"+log, Hints{})
			if err != nil {
				t.Fatal(err)
			}
			pr, err := tun.Predict(Options{}, CPUOptions{})
			if err != nil {
				t.Fatal(err)
			}
			m, err := sim.Run(pr.Plan.WithParallelism(1), pr.Model, sim.Options{})
			if err != nil {
				t.Fatal(err)
			}
			want := tun.End() - tun.Start()
			if e := m.Makespan.Seconds()/want.Seconds() - 1; math.Abs(e) > 0.02 {
				t.Errorf("serial replay %v, the log's tuning %v (%+.1f%%)", m.Makespan, want, 100*e)
			}
			b := pr.Budget
			if b.AppCPUS < b.TaskCPUS || b.CeilingSpeedup < 1 || b.BusyFraction <= 0 || b.Source != SourceInferred {
				t.Errorf("budget %+v: want app CPU >= task CPU, ceiling >= 1, busy > 0, inferred", b)
			}
			// The ceiling bounds what the simulator predicts at any parallelism.
			for _, p := range []int{2, 3, 4} {
				mp, err := sim.Run(pr.Plan.WithParallelism(p), pr.Model, sim.Options{})
				if err != nil {
					t.Fatal(err)
				}
				if s := want.Seconds() / mp.Makespan.Seconds(); s > b.CeilingSpeedup*1.02 {
					t.Errorf("P=%d: speedup %.3f over the ceiling %.3f", p, s, b.CeilingSpeedup)
				}
			}
		})
	}
}

// TestPredictInfersTheMeasuredCPU checks the CPU inferred from a fresh JVM's serial log against the
// CPU measured from /proc over the same run, and the predicted speedups against the measured ones.
func TestPredictInfersTheMeasuredCPU(t *testing.T) {
	e := readSVC(t)
	tun, err := find(t, "testdata/svc-fresh-serial", Hints{})
	if err != nil {
		t.Fatal(err)
	}
	if k := tun.JVM(); k.Kind != JVMFresh {
		t.Errorf("JVM %+v, want fresh", k)
	}
	pr, err := tun.Predict(Options{}, CPUOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if r := pr.Budget.AppCPUS / e.SerialAppCPUS; r < 0.75 || r > 1.25 {
		t.Errorf("inferred app CPU %.1f s, measured %.1f s", pr.Budget.AppCPUS, e.SerialAppCPUS)
	}
	m1, _ := sim.Run(pr.Plan.WithParallelism(1), pr.Model, sim.Options{})
	for _, p := range []string{"2", "3"} {
		n := int(p[0] - '0')
		mp, err := sim.Run(pr.Plan.WithParallelism(n), pr.Model, sim.Options{})
		if err != nil {
			t.Fatal(err)
		}
		got, want := m1.Makespan.Seconds()/mp.Makespan.Seconds(), e.FitS["1"]/e.FitS[p]
		if err := got/want - 1; math.Abs(err) > 0.10 {
			t.Errorf("P=%s: predicted speedup %.3f, measured %.3f (%+.1f%%)", p, got, want, 100*err)
		}
	}
	// Measured CPU replaces the inferred one.
	pm, err := tun.Predict(Options{}, CPUOptions{AppCPU: time.Duration(e.SerialAppCPUS * float64(time.Second))})
	if err != nil {
		t.Fatal(err)
	}
	if pm.Budget.Source != SourceMeasured || math.Abs(pm.Budget.AppCPUS-e.SerialAppCPUS) > 1e-6 {
		t.Errorf("with the measured CPU: %+v", pm.Budget)
	}
}

// TestPredictWithoutHiddenCPUIsThePlan: --hidden-cpu off is the replay of the log's times alone.
func TestPredictWithoutHiddenCPUIsThePlan(t *testing.T) {
	tun, err := find(t, "testdata/lr-text-serial", Hints{})
	if err != nil {
		t.Fatal(err)
	}
	p0, m0, err := tun.Plan(Options{})
	if err != nil {
		t.Fatal(err)
	}
	pr, err := tun.Predict(Options{}, CPUOptions{Ignore: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []int{1, 3} {
		a, _ := sim.Run(p0.WithParallelism(p), m0, sim.Options{})
		b, _ := sim.Run(pr.Plan.WithParallelism(p), pr.Model, sim.Options{})
		if a.Makespan != b.Makespan {
			t.Errorf("P=%d: %v from Plan, %v from Predict with the hidden load off", p, a.Makespan, b.Makespan)
		}
	}
}

func TestJVMKind(t *testing.T) {
	for log, want := range map[string]string{"svc-fresh-serial": JVMFresh, "lr-text-serial": JVMWarm} {
		tun, err := find(t, "testdata/"+log, Hints{})
		if err != nil {
			t.Fatal(err)
		}
		if k := tun.JVM(); k.Kind != want || k.Why == "" {
			t.Errorf("%s: %+v, want %s with a reason", log, k, want)
		}
	}
	tun, _ := find(t, "testdata/lr-text-serial", Hints{})
	if _, err := tun.Predict(Options{}, CPUOptions{JVM: JVMFresh}); err == nil {
		t.Error("--jvm fresh from a warm JVM's log: no error")
	}
	svc, _ := find(t, "testdata/svc-fresh-serial", Hints{})
	warm, err := svc.Predict(Options{}, CPUOptions{JVM: JVMWarm})
	if err != nil {
		t.Fatal(err)
	}
	fresh, _ := svc.Predict(Options{}, CPUOptions{})
	w1, _ := sim.Run(warm.Plan.WithParallelism(1), warm.Model, sim.Options{})
	f1, _ := sim.Run(fresh.Plan.WithParallelism(1), fresh.Model, sim.Options{})
	if w1.Makespan >= f1.Makespan || warm.Budget.Predicted != JVMWarm {
		t.Errorf("warm serial run %v, fresh %v (predicted %s): want the warm one shorter", w1.Makespan, f1.Makespan, warm.Budget.Predicted)
	}
}

// TestLocalLogApart: a fresh local JVM's log predicted on a standalone cluster whose driver and
// two executors share the 2-core host runs no steady thread in any JVM: the CPU the serial
// replay's steady compiler did is carried over, whole, into the work the driver's jobs bring, and
// each executor JVM's jobs bring as much again (executorCompileShare), worked off by one thread;
// its tasks run cold, 1 + 0.45 x 2 times their work, until it has finished one of their stage.
func TestLocalLogApart(t *testing.T) {
	tun, err := find(t, "testdata/svc-fresh-serial", Hints{})
	if err != nil {
		t.Fatal(err)
	}
	local, err := tun.Predict(Options{}, CPUOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cl := scenarios.Cluster{Executors: 2, CoresPerExecutor: 1, HostCores: 2,
		Hosts: []scenarios.Host{{Cores: 2, Executors: 2, Driver: true, CPUShare: "processes"}}}
	apart, err := tun.Predict(Options{Cluster: &cl}, CPUOptions{})
	if err != nil {
		t.Fatal(err)
	}
	lo, ao := local.Model.Overheads(), apart.Model.Overheads()
	if lo.SteadyThreads != 1 || lo.ExecutorSteadyThreads != 0 {
		t.Fatalf("local: %d steady threads, %d per executor; want the fresh JVM's one C2 compiler, none apart", lo.SteadyThreads, lo.ExecutorSteadyThreads)
	}
	if ao.SteadyThreads != 0 || ao.ExecutorSteadyThreads != 0 || ao.ExecutorBackgroundThreads != 1 {
		t.Errorf("apart: %d steady threads, %d per executor, %d executor background threads; want none, none, one",
			ao.SteadyThreads, ao.ExecutorSteadyThreads, ao.ExecutorBackgroundThreads)
	}
	tr, err := sim.Trace(local.Plan.WithParallelism(1), local.Model, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	jobs := local.Plan.Jobs()
	carried := (ao.JobBackground - lo.JobBackground) * time.Duration(jobs)
	if d := (carried - tr.SteadyCPU).Seconds(); math.Abs(d) > 1e-6*float64(jobs) {
		t.Errorf("the driver's jobs bring %v more than in local mode; the replay's compiler did %v", carried, tr.SteadyCPU)
	}
	if d := (ao.ExecutorBackground*time.Duration(jobs) - tr.SteadyCPU).Seconds(); math.Abs(d) > 1e-6*float64(jobs) {
		t.Errorf("each executor's jobs bring %v; the replay's compiler did %v", ao.ExecutorBackground*time.Duration(jobs), tr.SteadyCPU)
	}
	if got := apart.Model.Cluster().ColdStage; math.Abs(got-0.9) > 1e-12 || local.Model.Cluster().ColdStage != 0 {
		t.Errorf("cold tasks: %v apart, %v local; want 0.45 x 2 executors apart, none local", got, local.Model.Cluster().ColdStage)
	}
	if a := apart.Budget.Apart; a == nil || a.ExecutorCompilers != 0 || math.Abs(a.DriverCompileCPUPerJobS*float64(jobs)-tr.SteadyCPU.Seconds()) > 1e-3 ||
		a.ExecutorCompileCPUPerJobS != a.DriverCompileCPUPerJobS || a.ColdTaskExtra != 0.9 {
		t.Errorf("the budget says %+v; want no compilers throughout, the compiler's %v spread over %d jobs for the driver and each executor, cold tasks 0.9 more", a, tr.SteadyCPU, jobs)
	}
	if local.Budget.Apart != nil {
		t.Errorf("local mode's budget says %+v apart; want nothing", local.Budget.Apart)
	}
}

// TestColdTaskExtra: 0.45 more a cold task per executor, as measured with 1-3 executors, and held
// at three's beyond them.
func TestColdTaskExtra(t *testing.T) {
	for _, c := range []struct {
		executors int
		want      float64
	}{{1, 0.45}, {2, 0.9}, {3, 1.35}, {20, 1.35}} {
		if got := coldTaskExtra(scenarios.Cluster{Executors: c.executors, CoresPerExecutor: 1}); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("%d executors: %v more, want %v", c.executors, got, c.want)
		}
	}
}

func TestExecutorCompilers(t *testing.T) {
	for _, c := range []struct {
		name string
		cl   scenarios.Cluster
		want int
	}{
		{"2-core hosts", scenarios.Cluster{Executors: 2, CoresPerExecutor: 1, HostCores: 2}, 1},
		{"8-core hosts", scenarios.Cluster{Executors: 4, CoresPerExecutor: 4, HostCores: 8}, 3},
		{"hosts differ: the fewest cores", scenarios.Cluster{Executors: 2, CoresPerExecutor: 2,
			Hosts: []scenarios.Host{{Cores: 8, Executors: 1}, {Cores: 2, Executors: 1, Driver: true}}}, 1},
	} {
		if got := executorCompilers(c.cl); got != c.want {
			t.Errorf("%s: %d compiler threads per executor, want %d", c.name, got, c.want)
		}
	}
}

// TestWarmSteadyThreadsAreTheCompilers: a warm JVM's steady threads are its C2 compilers, at most
// HotSpot's count however much CPU the log leaves unexplained; the rest is work its jobs bring.
// Told an application CPU half again what the serial replay infers (room for more threads
// throughout, by CPU), the prediction keeps the compilers' count and puts the excess in per-job
// work: more of it, the more CPU is given.
func TestWarmSteadyThreadsAreTheCompilers(t *testing.T) {
	tun, err := find(t, "testdata/lr-text-serial", Hints{})
	if err != nil {
		t.Fatal(err)
	}
	if k := tun.JVM(); k.Kind != JVMWarm {
		t.Fatalf("JVM %+v, want warm", k)
	}
	inferred, err := tun.Predict(Options{}, CPUOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cores, prev := inferred.Budget.Cores, inferred.Budget.BackgroundCPUPerJobS
	for _, f := range []float64{0, 1.5, 2} {
		co := CPUOptions{AppCPU: time.Duration(f * inferred.Budget.AppCPUS * float64(time.Second))}
		pr, err := tun.Predict(Options{}, co)
		if err != nil {
			t.Fatal(err)
		}
		b := pr.Budget
		if b.SteadyThreads < 1 || b.SteadyThreads > c2Compilers(cores) {
			t.Errorf("app CPU x%.1f: %d steady threads, want 1 to HotSpot's %d C2 compilers on %d cores", f, b.SteadyThreads, c2Compilers(cores), cores)
		}
		if f > 0 {
			if b.BackgroundCPUPerJobS <= prev {
				t.Errorf("app CPU x%.1f: %.3f CPU-s a job, want more than %.3f with less CPU", f, b.BackgroundCPUPerJobS, prev)
			}
			prev = b.BackgroundCPUPerJobS
		}
	}
}

// TestMeasuredCPUKeepsTheLogsTime: with the application's CPU measured, a fresh local JVM's serial
// replay still takes as long as the log's tuning, whatever CPU was measured, and its compilers that
// run throughout are as many, up to HotSpot's count, as let that replay spend nearest the CPU
// measured: none when little was measured beyond what the replay needs anyway, all when the cores
// were full, never fewer for more CPU.
func TestMeasuredCPUKeepsTheLogsTime(t *testing.T) {
	fresh := 0
	for _, log := range []string{"svc-fresh-serial", "lr-text-serial", "java-cv-serial", "py40-tvs-serial"} {
		t.Run(log, func(t *testing.T) {
			tun, err := find(t, "testdata/"+log, Hints{})
			if err != nil {
				t.Fatal(err)
			}
			if tun.JVM().Kind != JVMFresh || !tun.Cluster().Local {
				return // a warm JVM's steady threads are counted otherwise (steadyThreads)
			}
			fresh++
			want := tun.End() - tun.Start()
			cores := tun.Cluster().HostCores
			limit := c2Compilers(cores)
			last := -1
			for _, busy := range []float64{0.05, 0.5, 0.8, 1.0} {
				cpu := time.Duration(busy * float64(cores) * float64(want))
				pr, err := tun.Predict(Options{}, CPUOptions{AppCPU: cpu})
				if err != nil {
					t.Fatal(err)
				}
				b := pr.Budget
				if !b.SteadyFromCPU || b.Source != SourceMeasured || b.SteadyThreads < 0 || b.SteadyThreads > limit {
					t.Fatalf("busy %.2f: budget %+v: want steady threads from the CPU, 0-%d of them", busy, b, limit)
				}
				if b.SteadyThreads < last {
					t.Errorf("busy %.2f: %d steady threads, fewer than %d for less CPU", busy, b.SteadyThreads, last)
				}
				last = b.SteadyThreads
				m, err := sim.Run(pr.Plan.WithParallelism(1), pr.Model, sim.Options{})
				if err != nil {
					t.Fatal(err)
				}
				if e := m.Makespan.Seconds()/want.Seconds() - 1; math.Abs(e) > 0.02 {
					t.Errorf("busy %.2f: serial replay %v, the log's tuning %v (%+.1f%%)", busy, m.Makespan, want, 100*e)
				}
				switch busy {
				case 0.05:
					if b.SteadyThreads != 0 {
						t.Errorf("busy 0.05: %d steady threads, want 0", b.SteadyThreads)
					}
				case 1.0:
					if b.SteadyThreads != limit {
						t.Errorf("busy 1.0: %d steady threads, want HotSpot's %d", b.SteadyThreads, limit)
					}
				}
			}
		})
	}
	if fresh == 0 {
		t.Error("no fresh local log among the fixtures: nothing checked")
	}
}

// TestMeasuredCPUIsSpent checks that with the CPU measured, the serial replay of a standalone
// CrossValidator's log spends it: the work each job brings is sized with that work in the replay,
// where the tasks it delays cost less on the log's warm-up curve (sized without it, such replays
// spent 5-10% less than measured; docs/validation/2026-12-08-cpufit.md). Measured CPU below, at and
// above the run's own, each within 1%.
func TestMeasuredCPUIsSpent(t *testing.T) {
	e, tun := sa22(t)
	for _, f := range []float64{0.9, 1, 1.1} {
		co := e.Measurement.CPUOptions()
		co.HostBusy = time.Duration(f * float64(co.HostBusy))
		pr, err := tun.Predict(Options{}, co)
		if err != nil {
			t.Fatal(err)
		}
		if pr.Budget.Source != SourceMeasured || pr.Budget.BackgroundCPUPerJobS <= 0 {
			t.Fatalf("x%.1f: budget %+v: want the CPU measured, and work each job brings", f, pr.Budget)
		}
		tr, err := sim.Trace(pr.Plan.WithParallelism(1), pr.Model, sim.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := (tr.CPU + tr.ExecutorCPU).Seconds(); math.Abs(got/pr.Budget.AppCPUS-1) > 0.01 {
			t.Errorf("x%.1f: the serial replay spent %.2f CPU-s, measured %.2f", f, got, pr.Budget.AppCPUS)
		}
	}
}
