package sim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"tunesim/costmodel"
	"tunesim/estimators"
	"tunesim/tuning"
)

// owing is a model whose steady compilers owe a track (see costmodel.CompileDebt).
type owing struct {
	hidden
	debt *costmodel.CompileDebt
}

func (o owing) CompileDebt() *costmodel.CompileDebt { return o.debt }

// TestCompileDebtClosedForm checks the debt by hand: a fit of one one-task job of T seconds and
// its refit on C cores beside one steady compiler, owing a track that says the compilers had done
// X before any work started. The first task starts with the compilers at 0, so it owes X: it
// takes s·X more work, or doubles when s·X > T, the rest owed by the refit's task less what the
// compiler did meanwhile. Each task runs at r = min(1, C/2) of a core, as does the compiler.
func TestCompileDebtClosedForm(t *testing.T) {
	const T = 0.25
	for _, c := range []struct {
		cores int
		x, s  float64
	}{{1, 0.1, 0.5}, {2, 0.1, 0.5}, {2, 0.2, 1}, {1, 0.4, 1}, {2, 1.0, 0.57}, {2, 0, 1}} {
		p := handPlan(1, c.cores, 1, 1, []tuning.Step{job(estimators.OpCount, 1)}, 1)
		track := costmodel.CompileTrack{{Work: 0, Compiled: time.Duration(c.x * 1e9)}}
		m := owing{hidden{Model: fixedProfile(T, 0, costmodel.OverheadCosts{}), steady: 1}, &costmodel.CompileDebt{Track: track, Share: c.s}}
		tr, err := Trace(p, m, Options{})
		if err != nil {
			t.Fatal(err)
		}
		r := math.Min(1, float64(c.cores)/2)
		first := math.Min(c.s*c.x, T)
		t1 := (T + first) / r
		second := math.Max(0, c.x-r*t1-first/c.s) * c.s
		second = math.Min(second, T)
		want := t1 + (T+second)/r
		if got := tr.Metrics().Makespan.Seconds(); math.Abs(got-want) > 1e-6 {
			t.Errorf("%d cores, X %.2f, share %.2f: makespan %.6f s, want %.6f s", c.cores, c.x, c.s, got, want)
		}
		if got, w := (tr.CPU - tr.SteadyCPU).Seconds(), 2*T+first+second; math.Abs(got-w) > 1e-6 {
			t.Errorf("%d cores, X %.2f, share %.2f: work %.6f CPU-s, want %.6f", c.cores, c.x, c.s, got, w)
		}
	}
}

// TestCompileDebtInvariants checks, over random scenarios in local mode with steady compilers,
// that a serial run owes its own recorded track nothing (the same trace, byte for byte), and that
// a parallel run owing it adds work but never more than Share times what the track says the
// compilers had done by the serial run's end.
func TestCompileDebtInvariants(t *testing.T) {
	n := 200
	if testing.Short() {
		n = 40
	}
	for i := range n {
		if err := checkCompileDebt(i); err != nil {
			t.Fatalf("random scenario %d: %v", i, err)
		}
	}
}

func checkCompileDebt(i int) error {
	r := rand.New(rand.NewPCG(7, uint64(i)))
	s := randomScenario(r, i)
	s.Cluster.Local, s.Cluster.Executors = true, 1
	s.Cluster.CoresPerExecutor = 1 + r.IntN(4)
	s.Cluster.HostCores = 1 + r.IntN(4)
	s.Cluster.Hosts = nil
	prof := randomProfile(r)
	p, err := tuning.New(s)
	if err != nil {
		return err
	}
	base := hidden{Model: prof, steady: 1 + r.IntN(2)}
	serial := p.WithParallelism(1)
	var track costmodel.CompileTrack
	want, err := Trace(serial, base, Options{Seed: s.Seed, RecordCompile: &track})
	if err != nil {
		return err
	}
	if len(track) == 0 {
		return fmt.Errorf("the serial run recorded no track")
	}
	for k := 1; k < len(track); k++ {
		if track[k].Work < track[k-1].Work || track[k].Compiled < track[k-1].Compiled {
			return fmt.Errorf("track point %d %+v goes back from %+v", k, track[k], track[k-1])
		}
	}
	debt := &costmodel.CompileDebt{Track: track, Share: 0.2 + r.Float64()}
	got, err := Trace(serial, owing{base, debt}, Options{Seed: s.Seed})
	if err != nil {
		return err
	}
	a, _ := json.Marshal(want)
	b, _ := json.Marshal(got)
	if !bytes.Equal(a, b) {
		return fmt.Errorf("the serial run owing its own track differs from it (%v against %v)", got.Metrics().Makespan, want.Metrics().Makespan)
	}
	par := p.WithParallelism(2 + r.IntN(4))
	free, err := Trace(par, base, Options{Seed: s.Seed})
	if err != nil {
		return err
	}
	owed, err := Trace(par, owing{base, debt}, Options{Seed: s.Seed})
	if err != nil {
		return err
	}
	added := (owed.CPU - owed.SteadyCPU) - (free.CPU - free.SteadyCPU)
	most := time.Duration(debt.Share*float64(track[len(track)-1].Compiled)) + time.Microsecond
	if added < 0 || added > most {
		return fmt.Errorf("parallelism %d: owing the track added %v of work, want 0 to %v", par.Parallelism, added, most)
	}
	return nil
}
