package sim

import (
	"errors"
	"reflect"
	"sync/atomic"
	"testing"

	"tunesim/costmodel"
	"tunesim/scenarios"
)

// TestSweepGrid checks that each scenario of a grid gets the sweep it gets alone, whatever the
// workers, and that progress counts every simulation of every sweep.
func TestSweepGrid(t *testing.T) {
	s, err := scenarios.Builtin("seed-tvs")
	if err != nil {
		t.Fatal(err)
	}
	s.Noise.TaskCV = 0.2
	prof, err := costmodel.Load("default", "")
	if err != nil {
		t.Fatal(err)
	}
	var grid []*scenarios.Scenario
	for _, executors := range []int{1, 2, 3} {
		sc := *s
		sc.Cluster.Executors = executors
		grid = append(grid, &sc)
	}
	o := SweepOptions{Parallelisms: []int{1, 2, 4}, Replicas: 2, Seed: 5}
	for _, tc := range []struct {
		name    string
		workers int
	}{{"one worker", 1}, {"fewer workers than scenarios", 2}, {"more workers than scenarios", 7}, {"GOMAXPROCS", 0}} {
		var ticks, last atomic.Int64
		o.Workers = tc.workers
		o.Progress = func(done, total int) { ticks.Add(1); last.Store(int64(done*1000 + total)) }
		got, err := SweepGrid(grid, prof, o)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		total := len(grid) * (len(o.Parallelisms) + 1) * o.Replicas
		if ticks.Load() != int64(total) || last.Load() != int64(total*1000+total) {
			t.Errorf("%s: %d progress calls, the last %d; want %d, ending at %d of %d", tc.name, ticks.Load(), last.Load(), total, total, total)
		}
		for i, sc := range grid {
			want, err := Sweep(sc, prof, SweepOptions{Parallelisms: o.Parallelisms, Replicas: o.Replicas, Seed: o.Seed, Workers: 1})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got[i], want) {
				t.Errorf("%s: scenario %d: the grid's sweep differs from the scenario's alone:\n%+v\nvs\n%+v", tc.name, i, got[i], want)
			}
		}
	}
}

func TestSweepGridError(t *testing.T) {
	s, err := scenarios.Builtin("seed-tvs")
	if err != nil {
		t.Fatal(err)
	}
	prof, err := costmodel.Load("default", "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = SweepGrid([]*scenarios.Scenario{s, s}, prof, SweepOptions{Parallelisms: []int{1}, Replicas: 0})
	var ge *GridError
	if !errors.As(err, &ge) || ge.Index != 0 || ge.Err == nil {
		t.Errorf("SweepGrid with 0 replicas: %v, want a *GridError of scenario 0", err)
	}
	if res, err := SweepGrid(nil, prof, SweepOptions{Replicas: 1}); res != nil || err != nil {
		t.Errorf("SweepGrid of no scenarios: %v, %v", res, err)
	}
}
