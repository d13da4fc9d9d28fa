package sim

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"tunesim/costmodel"
	"tunesim/estimators"
	"tunesim/scenarios"
	"tunesim/trace"
	"tunesim/tuning"
)

// randomScenario draws a small but varied valid scenario, of every kind of estimator.
func randomScenario(r *rand.Rand, i int) *scenarios.Scenario {
	s := &scenarios.Scenario{Name: fmt.Sprintf("random-%d", i), Seed: r.Uint64(), SparkVersion: []string{"2", "3", "4"}[r.IntN(3)]}
	s.Cluster = scenarios.Cluster{Local: r.IntN(2) == 0, Executors: 1 + r.IntN(3), CoresPerExecutor: 1 + r.IntN(6), HostCores: 1 + r.IntN(6)}
	s.Data = scenarios.Data{Features: 5 + r.IntN(40), Partitions: 1 + r.IntN(12), Skew: r.Float64() * 0.8}
	s.Data.Rows = int64(s.Data.Partitions) * int64(20+r.IntN(200))
	ks := []float64{2, 3, 4}[:1+r.IntN(3)]
	regs := []float64{0.01, 0.1, 1}[:1+r.IntN(3)]
	s.Pipeline = scenarios.Pipeline{Stages: []string{"pca", "linear_regression"}, Grid: scenarios.Grid{{Name: "pca.k", Values: ks}, {Name: "lr.regParam", Values: regs}}}
	switch r.IntN(8) {
	case 0, 1:
		s.Pipeline = scenarios.Pipeline{Stages: []string{"linear_regression"}, Grid: scenarios.Grid{{Name: "lr.regParam", Values: regs}}}
	case 2:
		s.Pipeline = scenarios.Pipeline{Stages: []string{"tokenizer", "hashing_tf", "logistic_regression"},
			Grid: scenarios.Grid{{Name: "logreg.regParam", Values: regs}}, Params: scenarios.Settings{{Name: "logreg.maxIter", Num: float64(1 + r.IntN(4))}}}
	case 3:
		s.Pipeline = scenarios.Pipeline{Stages: []string{"vector_assembler", "random_forest_classifier"},
			Grid: scenarios.Grid{{Name: "rf.numTrees", Values: []float64{1, 3}[:1+r.IntN(2)]}, {Name: "rf.maxDepth", Values: []float64{1, 3}}}}
	case 4:
		s.Pipeline = scenarios.Pipeline{Stages: []string{"vector_assembler", "gbt_regressor"},
			Grid: scenarios.Grid{{Name: "gbt.maxDepth", Values: []float64{1, 2}}}, Params: scenarios.Settings{{Name: "gbt.maxIter", Num: float64(1 + r.IntN(3))}}}
	case 5:
		s.Pipeline = scenarios.Pipeline{Stages: []string{"standard_scaler", "kmeans"},
			Grid: scenarios.Grid{{Name: "kmeans.k", Values: ks}}, Params: scenarios.Settings{{Name: "kmeans.maxIter", Num: float64(r.IntN(4))}}}
	}
	s.Tuner = scenarios.Tuner{Kind: scenarios.TrainValidationSplit, TrainRatio: 0.5 + 0.4*r.Float64(), Parallelism: 1 + r.IntN(6)}
	if r.IntN(2) == 0 {
		s.Tuner = scenarios.Tuner{Kind: scenarios.CrossValidator, Folds: 2 + r.IntN(2), Parallelism: 1 + r.IntN(6)}
	}
	s.Scheduler.Mode = []string{"FIFO", "FAIR"}[r.IntN(2)]
	s.Noise.TaskCV = []float64{0, 0.2, 0.6}[r.IntN(3)]
	s.Cost.Profile = "default"
	if !s.Cluster.Local && r.IntN(2) == 0 {
		// Shared hosts: the executors on one or two hosts, the driver on one of them or its own.
		hosts := []scenarios.Host{{Cores: 1 + r.IntN(4), Executors: s.Cluster.Executors}}
		if s.Cluster.Executors > 1 && r.IntN(2) == 0 {
			hosts = []scenarios.Host{{Executors: 1}, {Cores: 1 + r.IntN(4), Executors: s.Cluster.Executors - 1}}
		}
		if r.IntN(3) > 0 {
			hosts[r.IntN(len(hosts))].Driver = true
		}
		if r.IntN(2) == 0 { // each JVM a CPU group of its own
			for i := range hosts {
				hosts[i].CPUShare = scenarios.CPUShareProcesses
			}
		}
		s.Cluster.Hosts = hosts
	}
	return s
}

// randomProfile scales each operation's terms randomly, with random overheads.
func randomProfile(r *rand.Rand) *costmodel.Profile {
	p := &costmodel.Profile{Name: "random", Ops: map[tuning.Op]*costmodel.OpCost{}}
	for _, op := range append(append([]tuning.Op(nil), estimators.TaskOps()...), estimators.DriverOps()...) {
		var c costmodel.Coeffs
		c[0] = r.Float64() * 2e-3 // fixed
		c[1] = r.Float64() * 1e-6 // per row
		c[2] = r.Float64() * 1e-7 // per row x feature
		p.Ops[op] = &costmodel.OpCost{Coeffs: c}
	}
	p.Overhead = costmodel.OverheadCosts{JobSubmitS: r.Float64() * 1e-3, StageSubmitS: r.Float64() * 5e-4, JobDriverS: r.Float64() * 2e-3}
	if r.IntN(2) == 0 {
		// What a cluster adds, with locality waits of the tasks' order of magnitude.
		term := func(s float64) *costmodel.ClusterTerm { return &costmodel.ClusterTerm{S: s, Source: "random"} }
		p.ClusterCosts = &costmodel.ClusterCosts{TaskLaunch: term(r.Float64() * 5e-4), TaskResult: term(r.Float64() * 5e-4),
			ExecutorColdStart: term(r.Float64() * 1e-2)}
		if r.IntN(3) > 0 {
			p.ClusterCosts.LocalityWait = term(r.Float64() * 5e-3)
		}
	}
	if r.IntN(3) == 0 { // background CPU per job in the driver's JVM and each executor's
		p.Overhead.JobBackgroundCPUS, p.Overhead.BackgroundThreads = r.Float64()*3e-3, 1+r.IntN(3)
		p.Overhead.ExecutorJobBackgroundCPUS, p.Overhead.ExecutorBackgroundThreads = r.Float64()*2e-3, 1+r.IntN(2)
	}
	return p
}

// long makes TestInvariantsOnRandomScenarios check 100,000 random scenarios instead of CI's
// 1,000: go test ./sim -run InvariantsOnRandom -long
var long = flag.Bool("long", false, "check the simulator's invariants on 100000 random scenarios (default 1000, 100 with -short)")

func TestInvariantsOnRandomScenarios(t *testing.T) {
	n := 1000
	switch {
	case *long:
		n = 100000
	case testing.Short():
		n = 100
	}
	// Scenario i is drawn from its own seed, so any failure reruns alone whatever n and the
	// number of workers; the workers share the scenarios out and stop at the first failure.
	var (
		next   atomic.Int64
		failed atomic.Bool
		wg     sync.WaitGroup
		mu     sync.Mutex
		first  = -1
		report error
	)
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !failed.Load() {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				if err := checkRandomScenario(i); err != nil {
					failed.Store(true)
					mu.Lock()
					if first < 0 || i < first {
						first, report = i, err
					}
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if report != nil {
		t.Fatalf("random scenario %d of %d: %v", first, n, report)
	}
}

// checkRandomScenario draws scenario i and a random cost profile, simulates it, and checks the
// trace against the invariants, the streaming metrics against the trace's, and the speedup
// against a serial run of the same scenario.
func checkRandomScenario(i int) error {
	r := rand.New(rand.NewPCG(42, uint64(i)))
	s := randomScenario(r, i)
	prof := randomProfile(r)
	if err := s.Validate(s.Name); err != nil {
		return fmt.Errorf("generated an invalid scenario: %w", err)
	}
	p, err := tuning.New(s)
	if err != nil {
		return err
	}
	opts := Options{Seed: s.Seed, Replica: r.IntN(3)}
	tr, err := Trace(p, prof, opts)
	if err != nil {
		return fmt.Errorf("%s: %w", s.Name, err)
	}
	if err := checkRun(s, p, prof, opts, tr); err != nil {
		return fmt.Errorf("%s (%+v, parallelism %d, %s, %d rounds): %w", s.Name, s.Cluster, s.Tuner.Parallelism, s.Scheduler.Mode, s.Tuner.Rounds(), err)
	}
	return nil
}

// checkInvariants checks a simulated trace against what must hold of any run of plan p.
func checkInvariants(p *tuning.Plan, tr *trace.Trace, serial time.Duration) error {
	m := tr.Metrics()
	// Every task of the plan ran exactly once.
	want := 0
	for _, f := range p.Fits {
		for _, st := range f.Steps {
			want += st.Tasks()
		}
	}
	if m.Tasks != want || m.Fits != len(p.Fits) {
		return fmt.Errorf("%d tasks and %d fits ran, the plan has %d and %d", m.Tasks, m.Fits, want, len(p.Fits))
	}
	jobStart := map[int]time.Duration{}
	fitStart, fitEnd := map[int]time.Duration{}, map[int]time.Duration{}
	var longestFit time.Duration
	type lane struct{ exec, slot int }
	lanes := map[lane][]trace.Span{}
	for _, s := range tr.Spans {
		if s.End < s.Start {
			return fmt.Errorf("span ends before it starts: %+v", s)
		}
		switch s.Kind {
		case trace.KindJob:
			jobStart[s.Job] = s.Start
		case trace.KindFit:
			fitStart[s.Fit], fitEnd[s.Fit] = s.Start, s.End
			longestFit = max(longestFit, s.Duration())
		case trace.KindTask:
			lanes[lane{s.Executor, s.Slot}] = append(lanes[lane{s.Executor, s.Slot}], s)
		}
	}
	// A slot never runs two tasks at once.
	for l, spans := range lanes {
		sort.Slice(spans, func(i, j int) bool { return spans[i].Start < spans[j].Start })
		for i := 1; i < len(spans); i++ {
			if spans[i].Start < spans[i-1].End {
				return fmt.Errorf("slot %v runs two tasks at once: %+v and %+v", l, spans[i-1], spans[i])
			}
		}
		if l.slot < 0 || l.slot >= tr.Executors[l.exec].Slots {
			return fmt.Errorf("task on slot %v outside the cluster", l)
		}
	}
	// No task starts before its job was submitted, nor outside its fit.
	for _, s := range tr.Spans {
		if s.Kind == trace.KindTask {
			if js, ok := jobStart[s.Job]; !ok || s.Start < js {
				return fmt.Errorf("task %+v starts before its job (submitted at %v)", s, js)
			}
			if s.Start < fitStart[s.Fit] || s.End > fitEnd[s.Fit] {
				return fmt.Errorf("task %+v outside its fit [%v, %v]", s, fitStart[s.Fit], fitEnd[s.Fit])
			}
		}
	}
	// At most `parallelism` fits at once.
	if c := tr.MaxConcurrency(trace.KindFit); c > p.Parallelism {
		return fmt.Errorf("%d fits at once, parallelism %d", c, p.Parallelism)
	}
	// Fold barriers: every fit of a round ends before any fit of the next round starts, and the
	// refit starts after them all.
	for r := 1; r < len(p.Rounds); r++ {
		for _, a := range p.Rounds[r-1] {
			for _, b := range p.Rounds[r] {
				if fitEnd[a] > fitStart[b] {
					return fmt.Errorf("fit %d of round %d starts at %v before fit %d of round %d ends at %v", b, r, fitStart[b], a, r-1, fitEnd[a])
				}
			}
		}
	}
	refit := len(p.Fits) - 1
	for i := 0; i < refit; i++ {
		if fitEnd[i] > fitStart[refit] {
			return fmt.Errorf("the refit starts at %v before fit %d ends at %v", fitStart[refit], i, fitEnd[i])
		}
	}
	// The makespan is at least the work over the capacity and at least the longest fit.
	if m.Makespan < m.Busy/time.Duration(m.Slots) || m.Makespan < longestFit {
		return fmt.Errorf("makespan %v below busy %v / %d slots or the longest fit %v", m.Makespan, m.Busy, m.Slots, longestFit)
	}
	// Parallel fits cannot beat serial ones by more than the parallelism.
	if sp := trace.Speedup(serial, m.Makespan); sp > float64(p.Parallelism)+1e-9 {
		return fmt.Errorf("speedup %.4f over serial %v exceeds parallelism %d", sp, serial, p.Parallelism)
	}
	return nil
}

// checkRun checks tr, the trace of plan p of scenario s simulated with prof and opts: Run's
// streaming metrics equal the trace's, and the invariants hold against the serial run's makespan.
func checkRun(s *scenarios.Scenario, p *tuning.Plan, prof costmodel.Model, opts Options, tr *trace.Trace) error {
	serial := *s
	serial.Tuner.Parallelism = 1
	sp, err := tuning.New(&serial)
	if err != nil {
		return err
	}
	sm, err := Run(sp, prof, opts)
	if err != nil {
		return err
	}
	got, err := Run(p, prof, opts)
	if err != nil {
		return err
	}
	if want := tr.Metrics(); got != want {
		return fmt.Errorf("%s: streaming metrics %+v differ from the trace's %+v", s.Name, got, want)
	}
	return checkInvariants(p, tr, sm.Makespan)
}
