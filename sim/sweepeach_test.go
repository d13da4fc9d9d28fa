package sim

import (
	"math"
	"testing"

	"tunesim/costmodel"
	"tunesim/scenarios"
	"tunesim/trace"
	"tunesim/tuning"
)

// builtinPriced is builtin scenario name, changed by edit (when not nil), planned and priced by
// the default profile.
func builtinPriced(t testing.TB, name string, edit func(*scenarios.Scenario)) Priced {
	t.Helper()
	s, err := scenarios.Builtin(name)
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(s)
	}
	p, err := tuning.New(s)
	if err != nil {
		t.Fatal(err)
	}
	prof, err := costmodel.Load("default", "")
	if err != nil {
		t.Fatal(err)
	}
	return Priced{Plan: p, Model: prof}
}

// priced is a builtin scenario at rows times its data size: two of them are two predictions of
// one tuning that disagree.
func priced(t *testing.T, name string, rows float64) Priced {
	t.Helper()
	return builtinPriced(t, name, func(s *scenarios.Scenario) {
		s.Data.Rows = int64(math.Round(float64(s.Data.Rows) * rows))
	})
}

// TestSweepEachSummarizesEachBase checks SweepEach against each base swept on its own
// (SweepPlan): at every parallelism the figures are the bases' medians, two bases' median is
// their mean, p10 and p90 lie between them, and each base's speedup is over its own serial run.
func TestSweepEachSummarizesEachBase(t *testing.T) {
	ps := []int{1, 2, 3, 5}
	for _, tc := range []struct {
		name string
		rows []float64
	}{
		{"seed-tvs", []float64{1, 1}},
		{"seed-tvs", []float64{1, 1.6}},
		{"seed-cv", []float64{0.5, 1, 1.5}},
	} {
		var bases []Priced
		var alone [][]trace.Result
		for _, r := range tc.rows {
			b := priced(t, tc.name, r)
			res, err := SweepPlan(b.Plan, b.Model, SweepOptions{Parallelisms: ps, Replicas: 1})
			if err != nil {
				t.Fatal(err)
			}
			bases, alone = append(bases, b), append(alone, res)
		}
		got, err := SweepEach(bases, SweepOptions{Parallelisms: ps, Replicas: 7})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(ps) {
			t.Fatalf("%s %v: %d results for %d parallelisms", tc.name, tc.rows, len(got), len(ps))
		}
		for i, r := range got {
			if r.Parallelism != ps[i] || r.Runs != len(bases) {
				t.Errorf("%s %v: result %d is parallelism %d over %d runs, want %d over %d", tc.name, tc.rows, i, r.Parallelism, r.Runs, ps[i], len(bases))
			}
			var mk, sp []float64
			for _, a := range alone {
				mk, sp = append(mk, a[i].Makespan.P50), append(sp, a[i].Speedup.P50)
			}
			if tc.rows[0] != tc.rows[len(tc.rows)-1] && ps[i] == 1 && mk[0] == mk[len(mk)-1] {
				t.Errorf("%s %v: the bases' serial makespans do not differ (%v): nothing to summarize", tc.name, tc.rows, mk)
			}
			for _, f := range []struct {
				what string
				got  trace.Spread
				each []float64
			}{{"makespan", r.Makespan, mk}, {"speedup", r.Speedup, sp}} {
				want := trace.NewSpread(f.each)
				if !near(f.got.P50, want.P50) || !near(f.got.P10, want.P10) || !near(f.got.P90, want.P90) {
					t.Errorf("%s %v P=%d: %s %+v, want the bases' %+v (each alone %v)", tc.name, tc.rows, ps[i], f.what, f.got, want, f.each)
				}
				if len(f.each) == 2 && !near(f.got.P50, (f.each[0]+f.each[1])/2) {
					t.Errorf("%s %v P=%d: %s median %v of two is not their mean %v", tc.name, tc.rows, ps[i], f.what, f.got.P50, f.each)
				}
			}
		}
	}
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*max(1, math.Abs(b)) }

func TestSweepEachRefusesNothing(t *testing.T) {
	if _, err := SweepEach(nil, SweepOptions{Parallelisms: []int{2}}); err == nil {
		t.Error("SweepEach of no plans: no error")
	}
	b := priced(t, "seed-tvs", 1)
	if _, err := SweepEach([]Priced{b}, SweepOptions{Parallelisms: []int{0}}); err == nil {
		t.Error("SweepEach at parallelism 0: no error")
	}
}
