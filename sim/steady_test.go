package sim

import (
	"math"
	"testing"
	"time"

	"tunesim/costmodel"
	"tunesim/estimators"
	"tunesim/tuning"
)

// hidden is a model with the hidden load whatif replays: steady threads and a warm-up curve.
type hidden struct {
	costmodel.Model
	steady, execSteady int
	curve              costmodel.WarmCurve
}

func (h hidden) Overheads() costmodel.Overheads {
	ov := h.Model.Overheads()
	ov.SteadyThreads = h.steady
	ov.ExecutorSteadyThreads = h.execSteady
	return ov
}

func (h hidden) WarmUp(at time.Duration) float64 { return h.curve.At(at) }

// TestSteadyThreadsShareTheCores checks Overheads.SteadyThreads in closed form: a fit of one
// one-task job of T seconds, then the refit, beside k threads runnable throughout, on C cores.
// Each task gets min(1, C/(1+k)) of a core, so the run takes 2T·max(1, (1+k)/C), and the steady
// threads use the rest of the cores they can: min(k, C·k/(1+k)) each second of it.
func TestSteadyThreadsShareTheCores(t *testing.T) {
	const T = 0.25
	for _, c := range []struct{ cores, k int }{{1, 1}, {2, 1}, {1, 2}, {2, 2}, {4, 2}, {2, 0}} {
		p := handPlan(1, c.cores, 1, 1, []tuning.Step{job(estimators.OpCount, 1)}, 1)
		m := hidden{Model: fixedProfile(T, 0, costmodel.OverheadCosts{}), steady: c.k}
		tr, err := Trace(p, m, Options{})
		if err != nil {
			t.Fatal(err)
		}
		n := float64(1 + c.k)
		want := 2 * T * math.Max(1, n/float64(c.cores))
		if got := tr.Metrics().Makespan.Seconds(); math.Abs(got-want) > 1e-6 {
			t.Errorf("%d cores, %d steady: makespan %.6f s, want %.6f s", c.cores, c.k, got, want)
		}
		rate := math.Min(float64(c.k), float64(c.cores)*float64(c.k)/n)
		if got, w := tr.SteadyCPU.Seconds(), want*rate; math.Abs(got-w) > 1e-6 {
			t.Errorf("%d cores, %d steady: steady CPU %.6f s, want %.6f s", c.cores, c.k, got, w)
		}
		if got, w := tr.CPU.Seconds(), 2*T+want*rate; math.Abs(got-w) > 1e-6 {
			t.Errorf("%d cores, %d steady: CPU %.6f s, want the tasks' %.3f plus the steady %.6f", c.cores, c.k, got, 2*T, want*rate)
		}
	}
}

// TestExecutorSteadyThreadsShareTheirHost checks Overheads.ExecutorSteadyThreads in closed form:
// the same run on one executor of its own, on a host of C cores beside k steady threads of its
// JVM, takes 2T·max(1, (1+k)/C), the driver's host untouched; the steady threads use
// min(k, C·k/(1+k)) of a core each second. In local mode, where the executor is the driver's JVM,
// they add nothing.
func TestExecutorSteadyThreadsShareTheirHost(t *testing.T) {
	const T = 0.25
	for _, c := range []struct {
		local    bool
		cores, k int
	}{{false, 1, 1}, {false, 2, 1}, {false, 1, 2}, {false, 2, 2}, {false, 4, 2}, {false, 2, 0}, {true, 1, 1}, {true, 2, 3}} {
		p := handPlan(1, c.cores, 1, 1, []tuning.Step{job(estimators.OpCount, 1)}, 1)
		p.Scenario.Cluster.Local = c.local
		m := hidden{Model: fixedProfile(T, 0, costmodel.OverheadCosts{}), execSteady: c.k}
		tr, err := Trace(p, m, Options{})
		if err != nil {
			t.Fatal(err)
		}
		want, rate := 2*T, 0.0
		if !c.local {
			n := float64(1 + c.k)
			want = 2 * T * math.Max(1, n/float64(c.cores))
			rate = math.Min(float64(c.k), float64(c.cores)*float64(c.k)/n)
		}
		if got := tr.Metrics().Makespan.Seconds(); math.Abs(got-want) > 1e-6 {
			t.Errorf("local %v, %d cores, %d steady: makespan %.6f s, want %.6f s", c.local, c.cores, c.k, got, want)
		}
		if got, w := tr.SteadyCPU.Seconds(), want*rate; math.Abs(got-w) > 1e-6 {
			t.Errorf("local %v, %d cores, %d steady: steady CPU %.6f s, want %.6f s", c.local, c.cores, c.k, got, w)
		}
	}
}

// TestWarmUpSlowsByTheClock checks costmodel.Warming in closed form: work starting before U runs
// F times as long. With U past the first task's slow end, both tasks run slow (2FT); with U
// before it, the refit, starting after U, runs warm (FT + T).
func TestWarmUpSlowsByTheClock(t *testing.T) {
	const T, F = 0.2, 3.0
	for _, c := range []struct {
		until time.Duration
		want  float64
	}{
		{time.Second, 2 * F * T},
		{100 * time.Millisecond, F*T + T},
		{0, 2 * T},
	} {
		p := handPlan(1, 1, 1, 1, []tuning.Step{job(estimators.OpCount, 1)}, 1)
		m := hidden{Model: fixedProfile(T, 0, costmodel.OverheadCosts{}), curve: costmodel.WarmCurve{{Until: c.until, Factor: F}}}
		r, err := Run(p, m, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := r.Makespan.Seconds(); math.Abs(got-c.want) > 1e-6 {
			t.Errorf("slow until %v: makespan %.6f s, want %.6f s", c.until, got, c.want)
		}
	}
}
