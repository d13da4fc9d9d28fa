package sim

import (
	"fmt"
	"runtime"
	"sync"
	"time"

	"tunesim/costmodel"
	"tunesim/scenarios"
	"tunesim/trace"
	"tunesim/tuning"
)

// SweepOptions are the settings of a sweep over parallelism values.
type SweepOptions struct {
	// Parallelisms to simulate; the serial runs the speedups are measured against are simulated
	// whether or not 1 is among them.
	Parallelisms []int
	// Replicas per parallelism (>= 1), with seeds Seed and replica numbers 0..Replicas-1.
	Replicas int
	Seed     uint64
	// Workers run independent simulations at once (0: GOMAXPROCS). Each simulation stays on one
	// goroutine, and results do not depend on the number of workers.
	Workers int
	// Progress, when set, is called after each finished simulation (from one goroutine at a time).
	Progress func(done, total int)
}

// Sweep simulates a scenario at each parallelism and summarizes the replicas of each, with
// speedups over the serial run of the same replica.
func Sweep(s *scenarios.Scenario, m costmodel.Model, o SweepOptions) ([]trace.Result, error) {
	if o.Replicas < 1 {
		return nil, fmt.Errorf("sweep: replicas %d: allowed are 1 or more", o.Replicas)
	}
	ps := append([]int{1}, o.Parallelisms...)
	plans := make([]*tuning.Plan, len(ps))
	for i, p := range ps {
		sc := *s
		sc.Tuner.Parallelism = p
		pl, err := tuning.New(&sc)
		if err != nil {
			return nil, fmt.Errorf("sweep at parallelism %d: %w", p, err)
		}
		plans[i] = pl
	}
	return sweepPlans(ps, plans, m, o)
}

// SweepPlan is Sweep for a plan that did not come from a scenario alone (one read from an event
// log, say): the same plan at each parallelism, priced by m.
func SweepPlan(base *tuning.Plan, m costmodel.Model, o SweepOptions) ([]trace.Result, error) {
	if o.Replicas < 1 {
		return nil, fmt.Errorf("sweep: replicas %d: allowed are 1 or more", o.Replicas)
	}
	ps, err := sweepParallelisms(o)
	if err != nil {
		return nil, err
	}
	plans := make([]*tuning.Plan, len(ps))
	for i, p := range ps {
		plans[i] = base.WithParallelism(p)
	}
	return sweepPlans(ps, plans, m, o)
}

// sweepParallelisms is the serial run's parallelism, 1, then o.Parallelisms, each at least 1.
func sweepParallelisms(o SweepOptions) ([]int, error) {
	ps := append([]int{1}, o.Parallelisms...)
	for _, p := range ps {
		if p < 1 {
			return nil, fmt.Errorf("sweep: parallelism %d: allowed are 1 or more", p)
		}
	}
	return ps, nil
}

// Priced is a plan and the model that prices it: one prediction's inputs (an event log's plan and
// its measured model, say).
type Priced struct {
	Plan  *tuning.Plan
	Model costmodel.Model
}

// SweepEach simulates each of bases at every parallelism, replica 0 of each, and summarizes each
// parallelism over the bases as over replicas: each base's runs paired with its own serial run for
// the speedup. With several event logs of one tuning, each read and priced on its own, the figures
// are the predictions' medians and their spread is what one run's noise moves a prediction by.
// o.Replicas is ignored (one run per base).
func SweepEach(bases []Priced, o SweepOptions) ([]trace.Result, error) {
	if len(bases) == 0 {
		return nil, fmt.Errorf("sweep: no plan to simulate")
	}
	ps, err := sweepParallelisms(o)
	if err != nil {
		return nil, err
	}
	plans := make([][]*tuning.Plan, len(ps))
	for i, p := range ps {
		plans[i] = make([]*tuning.Plan, len(bases))
		for b, base := range bases {
			plans[i][b] = base.Plan.WithParallelism(p)
		}
	}
	o.Replicas = len(bases)
	return sweepRuns(ps, o, func(i, r int) (trace.Metrics, error) {
		return Run(plans[i][r], bases[r].Model, Options{Seed: o.Seed})
	})
}

// sweepPlans simulates plans[i] (at parallelism ps[i]; ps[0] is the serial run) with every
// replica, fanned out over workers, and summarizes each parallelism against the serial runs.
func sweepPlans(ps []int, plans []*tuning.Plan, m costmodel.Model, o SweepOptions) ([]trace.Result, error) {
	return sweepRuns(ps, o, func(i, r int) (trace.Metrics, error) {
		return Run(plans[i], m, Options{Seed: o.Seed, Replica: r})
	})
}

// sweepRuns runs run(i, r) for every parallelism ps[i] (ps[0] is the serial run) and replica r,
// fanned out over workers, and summarizes each parallelism against the serial runs.
func sweepRuns(ps []int, o SweepOptions, run func(i, r int) (trace.Metrics, error)) ([]trace.Result, error) {
	metrics := make([][]trace.Metrics, len(ps))
	for i := range metrics {
		metrics[i] = make([]trace.Metrics, o.Replicas)
	}
	type job struct{ i, r int }
	jobs := make(chan job)
	workers := o.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var (
		mu       sync.Mutex
		firstErr error
		done     int
		wg       sync.WaitGroup
	)
	total := len(ps) * o.Replicas
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				mt, err := run(j.i, j.r)
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = fmt.Errorf("parallelism %d, replica %d: %w", ps[j.i], j.r, err)
				}
				metrics[j.i][j.r] = mt
				done++
				if o.Progress != nil {
					o.Progress(done, total)
				}
				mu.Unlock()
			}
		}()
	}
	for i := range ps {
		for r := 0; r < o.Replicas; r++ {
			jobs <- job{i, r}
		}
	}
	close(jobs)
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	serial := make([]time.Duration, o.Replicas)
	for r, mt := range metrics[0] {
		serial[r] = mt.Makespan
	}
	results := make([]trace.Result, len(o.Parallelisms))
	for i, p := range o.Parallelisms {
		results[i] = trace.Summarize(p, metrics[i+1], serial)
	}
	return results, nil
}
