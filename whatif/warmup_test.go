package whatif

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"tunesim/scenarios"
	"tunesim/sim"
)

// TestNonIncreasing checks the pool-adjacent-violators fit: its result falls, keeps the weighted
// sum, leaves a falling sequence as it is, and pools a rising pair at its weighted mean.
func TestNonIncreasing(t *testing.T) {
	for _, tc := range []struct {
		y, w, want []float64
	}{
		{[]float64{3, 2, 1}, []float64{1, 1, 1}, []float64{3, 2, 1}},
		{[]float64{1, 3}, []float64{1, 3}, []float64{2.5, 2.5}},
		{[]float64{2, 1, 3, 0}, []float64{1, 1, 1, 1}, []float64{2, 2, 2, 0}},
	} {
		got := nonIncreasing(tc.y, tc.w)
		for i := range got {
			if math.Abs(got[i]-tc.want[i]) > 1e-12 {
				t.Errorf("nonIncreasing(%v, %v) = %v, want %v", tc.y, tc.w, got, tc.want)
				break
			}
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		n := 1 + r.IntN(12)
		y, w := make([]float64, n), make([]float64, n)
		var sum float64
		for i := range y {
			y[i], w[i] = r.Float64()*3, 0.1+r.Float64()
			sum += y[i] * w[i]
		}
		got := nonIncreasing(y, w)
		var gsum float64
		for i := range got {
			gsum += got[i] * w[i]
			if i > 0 && got[i] > got[i-1]+1e-12 {
				t.Fatalf("nonIncreasing(%v) = %v rises at %d", y, got, i)
			}
		}
		if math.Abs(gsum-sum) > 1e-9 {
			t.Fatalf("nonIncreasing(%v) = %v: weighted sum %v, want %v", y, got, gsum, sum)
		}
		again := nonIncreasing(got, w)
		for i := range again {
			if math.Abs(again[i]-got[i]) > 1e-12 {
				t.Fatalf("not idempotent: %v then %v", got, again)
			}
		}
	}
}

// TestJVMKindByFirstTask: the application's first task's deserialization tells a fresh JVM (it
// loads the classes of Spark's tasks) from a warm one, whatever the fits' times say.
func TestJVMKindByFirstTask(t *testing.T) {
	for _, tc := range []struct {
		deser time.Duration
		want  string
	}{
		{40 * time.Millisecond, JVMFresh}, {freshDeserialize, JVMFresh}, {2 * time.Millisecond, JVMWarm}, {0, JVMWarm},
	} {
		app := synthetic(3, 2, false)
		app.Jobs[0].Stages[0].Tasks[0].Deserialize = tc.deser
		tun, err := Find(app, syntheticInfo(), Hints{})
		if err != nil {
			t.Fatal(err)
		}
		if got := tun.JVM(); got.Kind != tc.want {
			t.Errorf("first task deserialized in %v: %s JVM (%s), want %s", tc.deser, got.Kind, got.Why, tc.want)
		}
	}
}

// slowRounds is a synthetic serial CrossValidator whose fits of the rounds before the last ran
// factor[round] times as long (tasks and gaps alike), all later jobs shifted to follow: a fresh
// JVM still compiling. The first task deserializes as a fresh JVM's does.
func slowRounds(folds, maps int, factor []float64) *Tuning {
	app := synthetic(folds, maps, false)
	app.Jobs[0].Stages[0].Tasks[0].Deserialize = 40 * time.Millisecond
	tun, err := Find(app, syntheticInfo(), Hints{})
	if err != nil {
		panic(err)
	}
	var shift time.Duration
	stretch := func(d, from time.Duration, k float64) time.Duration {
		return from + time.Duration(float64(d-from)*k)
	}
	for i := range tun.Fits {
		f := &tun.Fits[i]
		k := 1.0
		if !f.Refit && f.Fold < len(factor) {
			k = factor[f.Fold]
		}
		start := f.Start
		for _, j := range f.Jobs {
			j.Submit = stretch(j.Submit, start, k) + shift
			j.End = stretch(j.End, start, k) + shift
			for _, st := range j.Stages {
				st.Submit, st.End = stretch(st.Submit, start, k)+shift, stretch(st.End, start, k)+shift
				for ti := range st.Tasks {
					tk := &st.Tasks[ti]
					tk.Launch, tk.Finish = stretch(tk.Launch, start, k)+shift, stretch(tk.Finish, start, k)+shift
				}
			}
		}
		end := stretch(f.End, start, k) + shift
		f.Start += shift
		shift += end - shift - f.End
		f.End = end
	}
	return tun
}

// TestWarmUpCurve: a fresh JVM's log whose first round ran twice as slow gives a curve of 2 over
// that round (the first fit aside), 1 after; the serial replay still takes the log's time; and
// fits run together early run slow, so the predicted speedup is below the one of the same log
// read without the curve.
func TestWarmUpCurve(t *testing.T) {
	tun := slowRounds(3, 4, []float64{2, 1})
	w, curve, first, ok := tun.warmUp()
	if !ok {
		t.Fatal("no warm-up found in a log whose first round ran twice as slow")
	}
	if len(curve) == 0 || math.Abs(curve[0].Factor-2) > 1e-9 || math.Abs(first-2) > 1e-9 {
		t.Fatalf("curve %v (first fit's factor %v), want 2 over the first round", curve, first)
	}
	if got, want := curve[len(curve)-1].Until, tun.Fits[tun.ParamMaps-1].End-tun.Start(); got != want {
		t.Errorf("the curve ends at %v, want the first round's end %v", got, want)
	}
	if w.Fits[1].End-w.Fits[1].Start >= tun.Fits[1].End-tun.Fits[1].Start {
		t.Errorf("the warm tuning's second fit is not its warm sibling's time")
	}
	pr, err := tun.Predict(Options{}, CPUOptions{Ignore: true})
	if err != nil {
		t.Fatal(err)
	}
	serial, err := sim.Run(pr.Plan.WithParallelism(1), pr.Model, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := tun.End() - tun.Start()
	if e := serial.Makespan.Seconds()/want.Seconds() - 1; math.Abs(e) > 0.01 {
		t.Errorf("serial replay %v, the log's %v (%+.1f%%)", serial.Makespan, want, 100*e)
	}
	// On four cores, where fits can run together.
	four := Options{Cluster: &scenarios.Cluster{Local: true, Executors: 1, CoresPerExecutor: 4, HostCores: 4}}
	pr4, err := tun.Predict(four, CPUOptions{Ignore: true})
	if err != nil {
		t.Fatal(err)
	}
	flatPlan, flatModel, err := tun.Plan(four)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []int{2, 4} {
		a, err := sim.Run(pr4.Plan.WithParallelism(p), pr4.Model, sim.Options{})
		if err != nil {
			t.Fatal(err)
		}
		b, err := sim.Run(flatPlan.WithParallelism(p), flatModel, sim.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if a.Makespan <= b.Makespan {
			t.Errorf("P=%d: %v with the warm-up curve, %v with each fit as logged: want the curve slower", p, a.Makespan, b.Makespan)
		}
	}
}

// TestHiddenCPUByJVMKind: a warm JVM's hidden threads are steady, so a faster parallel run leaves
// them less CPU than the serial run; a fresh JVM's hidden load is its C2 compilers, steady too (one
// on the log's 2 cores), and work its jobs bring, done however fast they come.
func TestHiddenCPUByJVMKind(t *testing.T) {
	for _, log := range []string{"svc-fresh-serial", "lr-text-serial"} {
		t.Run(log, func(t *testing.T) {
			tun, err := find(t, "testdata/"+log, Hints{})
			if err != nil {
				t.Fatal(err)
			}
			pr, err := tun.Predict(Options{}, CPUOptions{})
			if err != nil {
				t.Fatal(err)
			}
			cpu := map[int]time.Duration{}
			for _, p := range []int{1, 4} {
				tr, err := sim.Trace(pr.Plan.WithParallelism(p), pr.Model, sim.Options{})
				if err != nil {
					t.Fatal(err)
				}
				cpu[p] = tr.CPU
			}
			b := pr.Budget
			switch b.JVM.Kind {
			case JVMWarm:
				if b.SteadyThreads == 0 || cpu[4] >= cpu[1] {
					t.Errorf("warm JVM: %d steady threads, CPU %v at P=4 against %v serially: want steady threads and less CPU", b.SteadyThreads, cpu[4], cpu[1])
				}
			case JVMFresh:
				if b.SteadyThreads != 1 || b.BackgroundCPUPerJobS <= 0 || cpu[4] >= cpu[1] {
					t.Errorf("fresh JVM on 2 cores: %d steady threads, %.3f s a job, CPU %v at P=4 against %v serially: want one C2 compiler, per-job work and less CPU", b.SteadyThreads, b.BackgroundCPUPerJobS, cpu[4], cpu[1])
				}
			}
			if want := map[string]string{"svc-fresh-serial": JVMFresh, "lr-text-serial": JVMWarm}[log]; b.JVM.Kind != want {
				t.Errorf("%s JVM, want %s (%s)", b.JVM.Kind, want, b.JVM.Why)
			}
		})
	}
}

// TestC2Compilers checks HotSpot's count of C2 compiler threads by host size, worked by hand from
// CompilationPolicy::initialize (count = max(log2 n * log2 log2 n * 3/2, 2); C1 gets count/3, at
// least one; C2 the rest).
func TestC2Compilers(t *testing.T) {
	for _, tc := range []struct{ cores, c2 int }{
		{1, 1}, {2, 1}, {4, 2}, {8, 3}, {16, 8}, {32, 10}, {64, 12}, {0, 1},
	} {
		if got := c2Compilers(tc.cores); got != tc.c2 {
			t.Errorf("c2Compilers(%d) = %d, want %d", tc.cores, got, tc.c2)
		}
	}
}
