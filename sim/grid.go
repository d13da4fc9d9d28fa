package sim

import (
	"fmt"
	"runtime"
	"sync"

	"tunesim/costmodel"
	"tunesim/scenarios"
	"tunesim/trace"
)

// GridError is the failure of the sweep of one scenario of a grid.
type GridError struct {
	// Index is the scenario's place in the grid.
	Index int
	Err   error
}

// Error names the scenario by its index and says why its sweep failed.
func (e *GridError) Error() string { return fmt.Sprintf("grid scenario %d: %v", e.Index, e.Err) }

// Unwrap is the sweep's error.
func (e *GridError) Unwrap() error { return e.Err }

// SweepGrid sweeps each scenario of grid (a scenario with one field at several values, say) over
// o's parallelisms with o's replicas and seed: results[i] is Sweep's of grid[i]. Scenarios run at
// once on up to o.Workers goroutines (0: GOMAXPROCS), each sweep's simulations on its share of
// them; the results do not depend on the number of workers. o.Progress counts the simulations of
// every sweep. A failed sweep is a *GridError naming its scenario's index.
func SweepGrid(grid []*scenarios.Scenario, m costmodel.Model, o SweepOptions) ([][]trace.Result, error) {
	if len(grid) == 0 {
		return nil, nil
	}
	workers := o.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	outer := min(workers, len(grid))
	inner := o
	inner.Workers = max(1, workers/outer)
	var (
		mu      sync.Mutex
		done    int
		total   = len(grid) * (len(o.Parallelisms) + 1) * o.Replicas
		results = make([][]trace.Result, len(grid))
		errs    = make([]error, len(grid))
		next    = make(chan int)
		wg      sync.WaitGroup
	)
	inner.Progress = func(int, int) { // one simulation of any of the sweeps finished
		mu.Lock()
		defer mu.Unlock()
		done++
		if o.Progress != nil {
			o.Progress(done, total)
		}
	}
	for w := 0; w < outer; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				results[i], errs[i] = Sweep(grid[i], m, inner)
			}
		}()
	}
	for i := range grid {
		next <- i
	}
	close(next)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return nil, &GridError{Index: i, Err: err}
		}
	}
	return results, nil
}
