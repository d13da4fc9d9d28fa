package experiment

import (
	"context"
	"fmt"
	"runtime"

	"tunesim/realrun"
	"tunesim/scenarios"
)

// Real runs scenarios with goroutines (package realrun).
type Real struct {
	// Seed chooses the data and the splits; 0 takes the scenario's.
	Seed uint64
}

// WarmUp runs the scenario once, serially, untimed: the first run in a process pays for growing
// the heap and faulting its pages in, which no later run (and no simulation) does.
func (m Real) WarmUp(ctx context.Context, s *scenarios.Scenario) error {
	_, err := realrun.Run(ctx, s, realrun.Options{Parallelism: 1, Seed: m.Seed})
	return err
}

// Source is "real".
func (Real) Source() string { return "real" }

// Measure runs s for real at parallelism p.
func (m Real) Measure(ctx context.Context, s *scenarios.Scenario, p int) (*Measurement, error) {
	r, err := realrun.Run(ctx, s, realrun.Options{Parallelism: p, Seed: m.Seed})
	if err != nil {
		return nil, err
	}
	plan, err := PlanOf(s, p, r.Best)
	if err != nil {
		return nil, err
	}
	return &Measurement{Trace: r.Trace, Plan: plan, Best: r.Best, BestParams: r.BestParams, BestMetric: r.BestMetric}, nil
}

// RealHost describes this machine as a real run sees it.
func RealHost() string {
	return fmt.Sprintf("%d cores (GOMAXPROCS), %s/%s, %s", runtime.GOMAXPROCS(0), runtime.GOOS, runtime.GOARCH, runtime.Version())
}
