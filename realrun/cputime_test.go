//go:build unix

package realrun

import (
	"context"
	"testing"

	"tunesim/scenarios"
)

// TestRunRecordsItsCPU checks that a real run's trace carries the CPU time it used, which
// calibration needs to find background work. The process's CPU also counts whatever else the test
// binary runs at the time, so only its presence is checked.
func TestRunRecordsItsCPU(t *testing.T) {
	s, err := scenarios.Load("testdata/small-tvs.json")
	if err != nil {
		t.Fatal(err)
	}
	r, err := Run(context.Background(), s, Options{Parallelism: 1})
	if err != nil {
		t.Fatal(err)
	}
	if r.Trace.CPU <= 0 {
		t.Errorf("trace CPU %v, want the run's CPU time", r.Trace.CPU)
	}
}
