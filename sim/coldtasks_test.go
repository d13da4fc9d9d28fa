package sim

import (
	"math"
	"testing"

	"tunesim/costmodel"
	"tunesim/estimators"
	"tunesim/tuning"
)

// cold is a model whose tasks run cold on an executor that has not finished one of their stage.
type cold struct {
	costmodel.Model
	extra float64
}

func (c cold) Cluster() costmodel.ClusterOverheads {
	return costmodel.ClusterOverheads{ColdStage: c.extra}
}

// TestColdTasksFirstWave checks ClusterOverheads.ColdStage in closed form: a fit of one job of one
// stage of N tasks of T seconds, then the refit, on E executors of S slots, each on a host of its
// own with S cores. Each fit's stage is a stage of its own, so each slot's first task of it runs
// cold, at (1+x)T, and the ones after it warm: with N = k·E·S, a fit takes (1+x)T + (k-1)T, the
// run twice that. In local mode, where the executor is the driver's JVM, nothing runs cold.
func TestColdTasksFirstWave(t *testing.T) {
	const T, x = 0.1, 0.9
	for _, c := range []struct {
		local               bool
		executors, slots, k int
	}{{false, 2, 1, 2}, {false, 2, 2, 1}, {false, 3, 1, 3}, {false, 1, 2, 2}, {true, 1, 2, 2}} {
		p := handPlan(c.slots, c.slots, 1, 1, []tuning.Step{job(estimators.OpCount, c.k*c.executors*c.slots)}, c.k*c.executors*c.slots)
		p.Scenario.Cluster.Local, p.Scenario.Cluster.Executors = c.local, c.executors
		r, err := Run(p, cold{Model: fixedProfile(T, 0, costmodel.OverheadCosts{}), extra: x}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		want := 2 * (float64(c.k) * T)
		if !c.local {
			want = 2 * ((1+x)*T + float64(c.k-1)*T)
		}
		if got := r.Makespan.Seconds(); math.Abs(got-want) > 1e-6 {
			t.Errorf("local %v, %d x %d, %d waves: makespan %.6f s, want %.6f s", c.local, c.executors, c.slots, c.k, got, want)
		}
	}
}
