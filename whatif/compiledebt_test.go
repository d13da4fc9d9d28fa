package whatif

import (
	"testing"
	"time"

	"tunesim/costmodel"
	"tunesim/sim"
)

// TestCompileDebtWhereTheLogShowsNoWarmUp checks where a prediction replays a fresh JVM's
// compilers against the pace they kept in the serial replay: a fresh TrainValidationSplit's log
// (no rounds, so no warm-up curve) at its own size, not a fresh CrossValidator's (its curve is
// replayed), a warm JVM's or a scaled prediction; and what the debt does: nothing to the serial
// replay, and at parallelism 4 more work, by no more than the share of what the compilers did.
func TestCompileDebtWhereTheLogShowsNoWarmUp(t *testing.T) {
	for _, tc := range []struct {
		log   string
		scale float64
		want  float64
	}{
		{"py40-tvs-serial", 0, compileDebtShare},
		{"py40-tvs-serial", 4, 0},
		{"svc-fresh-serial", 0, 0},
		{"lr-text-serial", 0, 0},
	} {
		tun, err := find(t, "testdata/"+tc.log, Hints{})
		if err != nil {
			t.Fatal(err)
		}
		pr, err := tun.Predict(Options{ScaleRows: tc.scale}, CPUOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if got := pr.Budget.CompileDebtShare; got != tc.want {
			t.Errorf("%s at %gx: compile debt share %g, want %g", tc.log, tc.scale, got, tc.want)
		}
		d := pr.Model.CompileDebt()
		if (d != nil) != (tc.want > 0) {
			t.Fatalf("%s at %gx: the model owes %v; want a debt only where the budget says so", tc.log, tc.scale, d)
		}
		if d == nil {
			continue
		}
		free := pr.Model.WithCompileDebt(nil)
		run := func(m *costmodel.Measured, p int) traceCPU {
			tr, err := sim.Trace(pr.Plan.WithParallelism(p), m, sim.Options{})
			if err != nil {
				t.Fatal(err)
			}
			return traceCPU{tr.Metrics().Makespan, tr.CPU - tr.SteadyCPU, tr.SteadyCPU}
		}
		if a, b := run(pr.Model, 1), run(free, 1); a != b {
			t.Errorf("%s: the serial replay owing its own pace %+v differs from it %+v", tc.log, a, b)
		}
		serial, owed, gone := run(free, 1), run(pr.Model, 4), run(free, 4)
		added := owed.work - gone.work
		if added <= 0 || added > time.Duration(d.Share*float64(serial.steady))+time.Millisecond {
			t.Errorf("%s: at parallelism 4 the debt added %v of work; want more than none, at most %.2f of the compilers' serial %v", tc.log, added, d.Share, serial.steady)
		}
		if owed.makespan < gone.makespan {
			t.Errorf("%s: at parallelism 4 owing the pace ran %v, faster than without %v", tc.log, owed.makespan, gone.makespan)
		}
	}
}

// traceCPU is a simulated run's makespan and CPU: its work's and its steady threads'.
type traceCPU struct {
	makespan, work, steady time.Duration
}
