package sim

import (
	"math"
	"sort"
	"testing"
	"time"

	"tunesim/costmodel"
	"tunesim/estimators"
	"tunesim/scenarios"
	"tunesim/trace"
	"tunesim/tuning"
)

// fixedProfile prices every task of op at task seconds (reading a split at zero) and every driver
// step at driver seconds, with the given overheads.
func fixedProfile(task, driver float64, ov costmodel.OverheadCosts) *costmodel.Profile {
	p := &costmodel.Profile{Name: "fixed", Ops: map[tuning.Op]*costmodel.OpCost{}, Overhead: ov}
	for _, op := range estimators.TaskOps() {
		p.Ops[op] = &costmodel.OpCost{Coeffs: costmodel.Coeffs{task}}
		if op == estimators.OpMaterialize || op == estimators.OpSource {
			p.Ops[op] = &costmodel.OpCost{Source: "free: reading is not what these closed forms count"}
		}
	}
	for _, op := range estimators.DriverOps() {
		p.Ops[op] = &costmodel.OpCost{Coeffs: costmodel.Coeffs{driver}}
	}
	return p
}

// handPlan is a plan of fits with the given steps, one round, on a local[slots] host of cores.
func handPlan(slots, cores, parallelism, fits int, steps []tuning.Step, partitions int) *tuning.Plan {
	s := &scenarios.Scenario{Name: "hand", Cluster: scenarios.Cluster{Local: true, Executors: 1, CoresPerExecutor: slots, HostCores: cores},
		Data: scenarios.Data{Rows: int64(partitions) * 10, Features: 4, Partitions: partitions}, Scheduler: scenarios.Scheduler{Mode: "FIFO"}}
	p := &tuning.Plan{Scenario: s, Parallelism: parallelism, ParamMaps: make([]scenarios.ParamMap, fits)}
	rows := make([]int64, partitions)
	for i := range rows {
		rows[i] = 10
	}
	p.Splits = []tuning.Split{{Name: "full", Fold: tuning.None, Rows: rows}} // uncached: no task waits for another to store a block
	var round []int
	for i := 0; i <= fits; i++ {
		f := tuning.Fit{Index: i, ParamMap: i % fits, Fold: 0, Steps: steps}
		if i == fits {
			f.Refit, f.Fold, f.ParamMap = true, tuning.None, 0
		} else {
			round = append(round, i)
		}
		p.Fits = append(p.Fits, f)
	}
	p.Rounds = [][]int{round}
	return p
}

func job(op tuning.Op, tasks ...int) tuning.Step {
	st := tuning.Step{Kind: tuning.StepJob, Op: op}
	for i, n := range tasks {
		st.Stages = append(st.Stages, tuning.Stage{Op: op, Tasks: n, ReadsSplit: i == 0, In: 4, Out: 4, Partials: 1})
	}
	return st
}

func fitSpans(t *trace.Trace, kind trace.Kind) []trace.Span {
	var out []trace.Span
	for _, s := range t.Spans {
		if s.Kind == kind {
			out = append(out, s)
		}
	}
	return out
}

func TestClosedForms(t *testing.T) {
	const w = 0.010 // seconds per task
	ms := func(x float64) time.Duration { return time.Duration(x * float64(time.Second)) }
	tests := []struct {
		name string
		plan *tuning.Plan
		prof *costmodel.Profile
		// wantFit is the first fit's duration, wantMakespan the run's.
		wantFit, wantMakespan time.Duration
	}{
		{
			// One job of n equal tasks on k slots: ceil(n/k) waves of w; the refit does it again.
			name: "7 tasks on 3 slots", plan: handPlan(3, 3, 1, 1, []tuning.Step{job(estimators.OpGramian, 7)}, 7),
			prof: fixedProfile(w, 0, costmodel.OverheadCosts{}), wantFit: ms(3 * w), wantMakespan: ms(6 * w),
		},
		{
			// One fit: jobs and driver steps one after another, each job paying the DAGScheduler's
			// job+stage submission, each extra stage a stage submission, and the driver's per-job work.
			name: "one fit's steps in sequence",
			plan: handPlan(4, 4, 1, 1, []tuning.Step{
				job(estimators.OpFirst, 1),
				job(estimators.OpGramian, 4, 2),
				{Kind: tuning.StepDriver, Op: estimators.OpPCAEigen},
				job(estimators.OpEvaluate, 4),
			}, 4),
			prof: fixedProfile(w, 0.003, costmodel.OverheadCosts{JobSubmitS: 0.001, StageSubmitS: 0.0005, JobDriverS: 0.002}),
			// jobs: (1.5ms + 10 + 2) + (1.5 + 10 + 0.5 + 10 + 2) + (1.5 + 10 + 2); driver 3.
			wantFit: ms(0.0135 + 0.024 + 0.003 + 0.0135), wantMakespan: ms(2 * (0.0135 + 0.024 + 0.003 + 0.0135)),
		},
		{
			// Processor sharing: m equal tasks on m slots but c cores each take w*m/c.
			name: "6 threads on 4 cores", plan: handPlan(6, 4, 1, 1, []tuning.Step{job(estimators.OpGramian, 6)}, 6),
			prof: fixedProfile(w, 0, costmodel.OverheadCosts{}), wantFit: ms(w * 6 / 4), wantMakespan: ms(2 * w * 6 / 4),
		},
		{
			// Three single-task fits at parallelism 3 on 3 slots run side by side, then the refit.
			name: "3 fits in parallel", plan: handPlan(3, 3, 3, 3, []tuning.Step{job(estimators.OpFirst, 1)}, 1),
			prof: fixedProfile(w, 0, costmodel.OverheadCosts{}), wantFit: ms(w), wantMakespan: ms(2 * w),
		},
		{
			// The DAGScheduler is one server: 3 fits submitting at once queue behind each other.
			name: "submissions queue", plan: handPlan(3, 8, 3, 3, []tuning.Step{job(estimators.OpFirst, 1)}, 1),
			prof:    fixedProfile(w, 0, costmodel.OverheadCosts{JobSubmitS: 0.004}),
			wantFit: ms(0.004 + w), wantMakespan: ms(3*0.004 + w + 0.004 + w),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, err := Trace(tt.plan, tt.prof, Options{})
			if err != nil {
				t.Fatal(err)
			}
			fits := fitSpans(tr, trace.KindFit)
			if got := fits[0].Duration(); got != tt.wantFit {
				t.Errorf("first fit took %v, want %v", got, tt.wantFit)
			}
			if got := tr.Metrics().Makespan; got != tt.wantMakespan {
				t.Errorf("makespan %v, want %v", got, tt.wantMakespan)
			}
		})
	}
}

func TestSerialMakespanIsTheSumOfFits(t *testing.T) {
	for _, name := range scenarios.BuiltinNames() {
		b := builtinPriced(t, name, func(s *scenarios.Scenario) {
			s.Tuner.Parallelism = 1
			s.Noise.TaskCV = 0.3
		})
		tr, err := Trace(b.Plan, b.Model, Options{Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		var sum time.Duration
		for _, f := range fitSpans(tr, trace.KindFit) {
			sum += f.Duration()
		}
		if mk := tr.Metrics().Makespan; mk != sum {
			t.Errorf("%s: serial makespan %v, sum of fits %v", name, mk, sum)
		}
	}
}

func TestFIFOFinishesTheEarliestJobFirstFAIRShares(t *testing.T) {
	const w = 0.010
	plan := handPlan(2, 2, 2, 2, []tuning.Step{job(estimators.OpGramian, 4)}, 4)
	prof := fixedProfile(w, 0, costmodel.OverheadCosts{})
	firstFitEnd := map[string]time.Duration{}
	makespan := map[string]time.Duration{}
	for name, pol := range map[string]tuning.Policy{"FIFO": tuning.FIFO{}, "FAIR": tuning.Fair{}} {
		tr, err := Trace(plan, prof, Options{Policy: pol})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fitSpans(tr, trace.KindFit) {
			if f.Fit == 0 {
				firstFitEnd[name] = f.End
			}
		}
		makespan[name] = tr.Metrics().Makespan
	}
	// FIFO: job 0 takes both slots until its 4 tasks are done (2 waves); job 1 waits.
	if firstFitEnd["FIFO"] != 20*time.Millisecond {
		t.Errorf("FIFO: fit 0 ends at %v, want 20ms", firstFitEnd["FIFO"])
	}
	// FAIR: once both pools have work they get a slot each, so fit 0 ends later.
	if firstFitEnd["FAIR"] <= firstFitEnd["FIFO"] {
		t.Errorf("FAIR: fit 0 ends at %v, not later than under FIFO (%v)", firstFitEnd["FAIR"], firstFitEnd["FIFO"])
	}
	// Both keep the slots busy: the same 8 tasks + the refit's 4 take the same time.
	if makespan["FIFO"] != makespan["FAIR"] || makespan["FIFO"] != 60*time.Millisecond {
		t.Errorf("makespans FIFO %v, FAIR %v, want 60ms each", makespan["FIFO"], makespan["FAIR"])
	}
}

// TestBackgroundCPUTakesCoresNotTime checks JobBackground in closed form: a serial fit of one
// one-task job of T seconds, then the refit, each job starting b seconds of background CPU. On one
// core the task and the background share it (the task ends at T + b when b <= T); on two cores
// the background costs no time at all.
func TestBackgroundCPUTakesCoresNotTime(t *testing.T) {
	const T, b = 0.4, 0.1
	for _, c := range []struct {
		cores int
		want  float64
	}{
		{1, 2 * (T + b)},
		{2, 2 * T},
	} {
		p := handPlan(1, c.cores, 1, 1, []tuning.Step{job(estimators.OpCount, 1)}, 1)
		prof := fixedProfile(T, 0, costmodel.OverheadCosts{JobBackgroundCPUS: b})
		m, err := Run(p, prof, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := m.Makespan.Seconds(); got < c.want-1e-6 || got > c.want+1e-6 {
			t.Errorf("%d cores: makespan %.6f s, want %.6f s", c.cores, got, c.want)
		}
	}
}

// TestReadersWaitForABlockBeingStored checks Spark's block lock in closed form: two fits in
// parallel run a one-task job on the same cached partition. The first stores it (T + M); the
// second holds its slot from the start but computes only once the block is stored (ending at
// 2T + M); the refit then reads the stored block (T).
func TestReadersWaitForABlockBeingStored(t *testing.T) {
	const T, M = 0.010, 0.004
	p := handPlan(2, 2, 2, 2, []tuning.Step{job(estimators.OpCount, 1)}, 1)
	p.Splits[0].Cached = true
	prof := fixedProfile(T, 0, costmodel.OverheadCosts{})
	prof.Ops[estimators.OpMaterialize] = &costmodel.OpCost{Coeffs: costmodel.Coeffs{M}}
	tr, err := Trace(p, prof, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := tr.Metrics().Makespan.Seconds(), 3*T+M; math.Abs(got-want) > 1e-9 {
		t.Errorf("makespan %.6f s, want %.6f s", got, want)
	}
	tasks := fitSpans(tr, trace.KindTask)
	sort.Slice(tasks, func(i, j int) bool { return tasks[i].End < tasks[j].End })
	if len(tasks) != 3 || tasks[1].Start != 0 || math.Abs(tasks[1].End.Seconds()-(2*T+M)) > 1e-9 {
		t.Errorf("the waiting task ran %v..%v, want 0..%v (tasks %+v)", tasks[1].Start, tasks[1].End, 2*T+M, tasks)
	}
}
