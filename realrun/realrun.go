// Package realrun executes a tuning.Plan for real, the way Spark's local mode would, and records
// what happened as a trace.Trace on the same span vocabulary as a simulated run.
//
// The data is a seeded synthetic regression set (see Data) laid out in the plan's partitions and
// splits; cached splits are built lazily by the first task that reads each partition, uncached
// ones are recomputed by every task. Tasks run gonum kernels per partition, row by row as Spark's
// treeAggregate seqOps do (column summary, covariance Gramian, projection and normal equations,
// residuals), and tree_reduce tasks merge partial aggregates. Driver steps (PCA's
// eigen-decomposition, the normal equations' Cholesky solve) run on the fit's goroutine. A
// LogisticRegression (logistic.go) runs its L-BFGS on gonum with each loss evaluation a job.
//
// The goroutines mirror Spark's threads: cluster.executors x cluster.cores_per_executor task slots
// fed in FIFO (or FAIR) TaskSet order, one DAGScheduler goroutine that every job and stage
// submission passes through, and the tuner's pool of `parallelism` goroutines taking fits from a
// FIFO queue in plan order, fold by fold (CrossValidator's barriers), then the refit of the best
// param map on the calling goroutine.
//
// Cached splits live in memory, 8 bytes per value, as Spark's MEMORY_AND_DISK blocks would without
// spilling: a round holds its training and validation parts (about rows x (features+1) x 8 bytes)
// until the next fold unpersists them, so a real run of a cluster-sized scenario needs that much RAM.
package realrun

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"tunesim/scenarios"
	"tunesim/trace"
	"tunesim/tuning"
)

// Options are a real run's settings beyond the scenario.
type Options struct {
	// Parallelism is the tuner's parallelism; 0 takes the scenario's tuner.parallelism.
	Parallelism int
	// Seed chooses the data and the splits; 0 takes the scenario's seed.
	Seed uint64
	// Progress, when set, is called from the calling goroutine after each fit ends.
	Progress func(done, total int)
}

// Result is what a real run measured and chose.
type Result struct {
	// Trace is the run's spans (Source "real").
	Trace *trace.Trace
	// Best is the index of the best param map: the best mean metric over folds (the first on a
	// tie), the smallest RMSE or the largest classification metric (hamming loss: the smallest).
	Best int
	// BestMetric is the best param map's mean metric.
	BestMetric float64
	// Metrics is the mean evaluator's metric over folds of each param map, in grid order: RMSE
	// (RegressionEvaluator), or for a LogisticRegression its MulticlassClassificationEvaluator's.
	Metrics []float64
	// FoldMetrics[f][m] is the metric of param map m on fold f's validation split.
	FoldMetrics [][]float64
	// BestParams is the best param map by name.
	BestParams map[string]float64
	// Model is the refit of the best param map on the whole data set.
	Model *Model
	// MaxRunningTasks and MaxRunningFits are the peaks of tasks executing on slots and of fits
	// running on tuner goroutines, counted as they ran (instruments for tests).
	MaxRunningTasks, MaxRunningFits int
	// Materialized lists the cached partitions the run built, in the order it built them.
	Materialized []Materialization
}

// runner is one real run in progress.
type runner struct {
	plan *tuning.Plan
	data *Data
	t0   time.Time
	rec  recorder
	ts   *taskScheduler
	dag  chan dagRequest
	// cache[split][partition] holds a cached split's blocks once built.
	cache [][]cacheEntry

	fitsRunning, maxFits atomic.Int64

	matMu        sync.Mutex
	materialized []Materialization
}

// cacheEntry is a cached partition: the first task to read it builds it while later readers wait,
// as Spark's block manager makes them wait for the block's write lock.
type cacheEntry struct {
	mu sync.Mutex
	b  *Block
}

func (r *runner) now() time.Duration { return time.Since(r.t0) }

// emit records span sp of fit f, filling in the fit's labels.
func (r *runner) emit(sp trace.Span, f *fitRun) {
	fit := f.fit
	sp.Fit, sp.ParamMap, sp.Fold = fit.Index, fit.ParamMap, fit.Fold
	r.rec.add(sp)
}

// Run executes scenario s for real at o.Parallelism and returns its trace, the metric of every
// param map and the best one. Cancelling ctx stops the run between steps of its fits.
func Run(ctx context.Context, s *scenarios.Scenario, o Options) (*Result, error) {
	sc := *s
	if o.Parallelism != 0 {
		if o.Parallelism < 0 || o.Parallelism > scenarios.MaxParallelism {
			return nil, fmt.Errorf("realrun: parallelism %d: allowed are 1 to %d", o.Parallelism, scenarios.MaxParallelism)
		}
		sc.Tuner.Parallelism = o.Parallelism
	}
	seed := o.Seed
	if seed == 0 {
		seed = sc.Seed
	}
	plan, err := tuning.New(&sc)
	if err != nil {
		return nil, fmt.Errorf("realrun: %w", err)
	}
	if err := Runnable(plan); err != nil {
		return nil, fmt.Errorf("realrun: %w", err)
	}
	return run(ctx, plan, seed, o.Progress)
}

func run(ctx context.Context, plan *tuning.Plan, seed uint64, progress func(done, total int)) (*Result, error) {
	sc := plan.Scenario
	c := sc.Cluster
	r := &runner{plan: plan, data: NewData(plan, seed), dag: make(chan dagRequest, plan.Parallelism+2)}
	r.cache = make([][]cacheEntry, len(plan.Splits))
	for i, sp := range plan.Splits {
		if sp.Cached {
			r.cache[i] = make([]cacheEntry, len(sp.Rows))
		}
	}
	policy, err := tuning.PolicyFor(sc.Scheduler.Mode)
	if err != nil {
		return nil, fmt.Errorf("realrun: %w", err)
	}
	r.ts = newTaskScheduler(r, c.Slots(), c.CoresPerExecutor, plan.Parallelism, policy)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var wg sync.WaitGroup
	cpu0 := processCPU()
	r.t0 = time.Now()
	for slot := range r.ts.slots {
		wg.Go(func() { r.ts.slotLoop(slot) })
	}
	wg.Go(r.dagLoop)
	defer func() {
		close(r.dag)
		for _, ch := range r.ts.slots {
			close(ch)
		}
		wg.Wait()
	}()

	res := &Result{}
	best, err := r.tune(ctx, res, progress)
	if err != nil {
		return nil, err
	}
	refitPlan := plan.WithRefit(best)
	refit := newFitRun(refitPlan.Refit(), refitPlan, 0, r.now())
	if err := r.runFit(ctx, refit); err != nil {
		return nil, err
	}
	if progress != nil {
		progress(len(plan.Fits), len(plan.Fits))
	}
	res.Best, res.BestMetric = best, res.Metrics[best]
	res.BestParams = plan.ParamMaps[best].Map()
	res.Model = &refit.model
	res.MaxRunningTasks = int(r.ts.maxRunning.Load())
	res.MaxRunningFits = int(r.maxFits.Load())
	res.Materialized = r.materialized
	res.Trace = r.trace(seed, best)
	if cpu0 > 0 {
		res.Trace.CPU = processCPU() - cpu0 // the whole process: tasks, driver steps, Go's GC
	}
	return res, nil
}

// tune runs the rounds of fits on the tuner's pool and returns the best param map.
func (r *runner) tune(ctx context.Context, res *Result, progress func(done, total int)) (int, error) {
	plan := r.plan
	P := plan.Parallelism
	type outcome struct {
		f   *fitRun
		err error
	}
	inbox := make([]chan *fitRun, P)
	done := make(chan outcome, P)
	var wg sync.WaitGroup
	for t := range inbox {
		inbox[t] = make(chan *fitRun, 1)
		wg.Go(func() {
			for f := range inbox[t] {
				done <- outcome{f, r.runFit(ctx, f)}
			}
		})
	}
	defer func() {
		for _, ch := range inbox {
			close(ch)
		}
		wg.Wait()
	}()

	nMaps := len(plan.ParamMaps)
	res.FoldMetrics = make([][]float64, len(plan.Rounds))
	finished := 0
	var firstErr error
	idle := make([]bool, P)
	for i := range idle {
		idle[i] = true
	}
	for round, queue := range plan.Rounds {
		res.FoldMetrics[round] = make([]float64, nMaps)
		roundStart := r.now()
		pos, left := 0, len(queue)
		initial := true
		for left > 0 {
			for t := 0; t < P && pos < len(queue) && firstErr == nil; t++ {
				if !idle[t] {
					continue
				}
				f := newFitRun(&plan.Fits[queue[pos]], plan, t, r.now())
				if !initial {
					r.emit(trace.QueueSpan(t, roundStart, f.start), f)
				}
				pos++
				idle[t] = false
				inbox[t] <- f
			}
			initial = false
			if firstErr != nil {
				left -= len(queue) - pos // never dispatched
				pos = len(queue)
				if left == 0 {
					break
				}
			}
			o := <-done
			left--
			idle[o.f.thread] = true
			if o.err != nil && firstErr == nil {
				firstErr = o.err
			}
			if o.err == nil {
				res.FoldMetrics[round][o.f.fit.ParamMap] = o.f.metric()
			}
			finished++
			if progress != nil {
				progress(finished, len(plan.Fits))
			}
		}
		if firstErr != nil {
			return 0, firstErr
		}
		// The round's splits are unpersisted before the next fold.
		for si, sp := range plan.Splits {
			if sp.Fold == round && r.cache[si] != nil {
				for p := range r.cache[si] {
					e := &r.cache[si][p]
					e.mu.Lock()
					e.b = nil
					e.mu.Unlock()
				}
			}
		}
	}
	res.Metrics = make([]float64, nMaps)
	best := 0
	larger := largerBetter(plan.Scenario)
	for m := range nMaps {
		var sum float64
		for f := range res.FoldMetrics {
			sum += res.FoldMetrics[f][m]
		}
		res.Metrics[m] = sum / float64(len(res.FoldMetrics))
		better := res.Metrics[m] < res.Metrics[best]
		if larger {
			better = res.Metrics[m] > res.Metrics[best]
		}
		if better || math.IsNaN(res.Metrics[best]) {
			best = m
		}
	}
	return best, nil
}

// trace assembles the run's trace.
func (r *runner) trace(seed uint64, best int) *trace.Trace {
	sc := r.plan.Scenario
	c := sc.Cluster
	procs := runtime.GOMAXPROCS(0)
	t := &trace.Trace{
		Source: "real", Scenario: sc.Name, Parallelism: r.plan.Parallelism, Seed: seed,
		Fits: len(r.plan.Fits), DriverCores: procs,
		Attrs: map[string]string{
			"spark_version": sc.SparkVersion, "scheduler_mode": sc.Scheduler.Mode,
			"gomaxprocs": strconv.Itoa(procs), "num_cpu": strconv.Itoa(runtime.NumCPU()),
			"go_version": runtime.Version(), "goarch": runtime.GOARCH,
			"best_param_map": r.plan.ParamMaps[best].String(),
		},
	}
	for _, m := range r.plan.ParamMaps {
		t.ParamMaps = append(t.ParamMaps, m.String())
	}
	for e := range c.Executors {
		t.Executors = append(t.Executors, trace.Executor{ID: e, Host: "localhost", Slots: c.CoresPerExecutor, HostCores: procs})
	}
	t.Spans = r.rec.sorted()
	return t
}

// errStopped ends a fit whose run was cancelled.
var errStopped = errors.New("realrun: stopped")
