package sim

import (
	"bytes"
	"testing"

	"tunesim/costmodel"
	"tunesim/scenarios"
)

func traceJSON(t *testing.T, name string, seed uint64, replica int) []byte {
	t.Helper()
	pr := builtinPriced(t, name, func(s *scenarios.Scenario) { s.Noise.TaskCV = 0.3 })
	tr, err := Trace(pr.Plan, pr.Model, Options{Seed: seed, Replica: replica})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := tr.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestSameSeedSameTraceBytes(t *testing.T) {
	for _, name := range []string{"seed-tvs", "seed-cv"} {
		a, b := traceJSON(t, name, 7, 0), traceJSON(t, name, 7, 0)
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two runs with seed 7 differ", name)
		}
		if c := traceJSON(t, name, 8, 0); bytes.Equal(a, c) {
			t.Errorf("%s: seeds 7 and 8 give the same trace despite task_cv 0.3", name)
		}
		if c := traceJSON(t, name, 7, 1); bytes.Equal(a, c) {
			t.Errorf("%s: replicas 0 and 1 give the same trace despite task_cv 0.3", name)
		}
	}
}

func TestSweepDoesNotDependOnWorkers(t *testing.T) {
	s, err := scenarios.Builtin("seed-cv")
	if err != nil {
		t.Fatal(err)
	}
	s.Noise.TaskCV = 0.4
	prof, _ := costmodel.Load("default", "")
	var first []byte
	for _, w := range []int{1, 3, 8} {
		res, err := Sweep(s, prof, SweepOptions{Parallelisms: []int{1, 2, 3, 5}, Replicas: 6, Seed: 11, Workers: w})
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		for _, r := range res {
			j, _ := r.MarshalJSON()
			b.Write(j)
		}
		if first == nil {
			first = b.Bytes()
		} else if !bytes.Equal(first, b.Bytes()) {
			t.Errorf("sweep with %d workers differs from 1 worker", w)
		}
	}
}
