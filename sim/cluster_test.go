package sim

import (
	"testing"
	"time"

	"tunesim/costmodel"
	"tunesim/estimators"
	"tunesim/scenarios"
	"tunesim/trace"
	"tunesim/tuning"
)

// onCluster is plan p moved to a cluster of executors x 1 slot on hosts of cores CPUs, placed by
// hosts (nil: a host per executor, the driver on its own host of cores CPUs).
func onCluster(p *tuning.Plan, executors, cores int, hosts []scenarios.Host) *tuning.Plan {
	sc := *p.Scenario
	sc.Cluster = scenarios.Cluster{Executors: executors, CoresPerExecutor: 1, HostCores: cores, Hosts: hosts}
	q := *p
	q.Scenario = &sc
	return &q
}

// withCluster is fixedProfile's costs plus cluster costs.
func withCluster(p *costmodel.Profile, launch, result, cold float64, wait *float64) *costmodel.Profile {
	term := func(s float64) *costmodel.ClusterTerm { return &costmodel.ClusterTerm{S: s, Source: "test"} }
	p.ClusterCosts = &costmodel.ClusterCosts{TaskLaunch: term(launch), TaskResult: term(result), ExecutorColdStart: term(cold)}
	if wait != nil {
		p.ClusterCosts.LocalityWait = term(*wait)
	}
	return p
}

func TestSharedHostsAndClusterCosts(t *testing.T) {
	const w = 0.010
	ms := func(x float64) time.Duration { return time.Duration(x*float64(time.Second) + 0.5) }
	twoTasks := handPlan(1, 1, 1, 1, []tuning.Step{job(estimators.OpGramian, 2)}, 2)
	fourTasks := handPlan(1, 1, 1, 1, []tuning.Step{job(estimators.OpGramian, 4)}, 4)
	oneTask := handPlan(1, 1, 1, 1, []tuning.Step{job(estimators.OpGramian, 1)}, 1)
	twoJobs := handPlan(1, 1, 1, 1, []tuning.Step{job(estimators.OpGramian, 1), job(estimators.OpEvaluate, 1)}, 1)
	fixed := func() *costmodel.Profile { return fixedProfile(w, 0, costmodel.OverheadCosts{}) }
	tests := []struct {
		name string
		plan *tuning.Plan
		prof *costmodel.Profile
		// wantFit is the first fit's duration, wantMakespan the run's.
		wantFit, wantMakespan time.Duration
	}{
		{"2 executors on one 2-core host: side by side", onCluster(twoTasks, 2, 2, []scenarios.Host{{Executors: 2, Driver: true}}),
			fixed(), ms(w), ms(2 * w)},
		{"4 executors on one 2-core host: each at half a core", onCluster(fourTasks, 4, 2, []scenarios.Host{{Executors: 4, Driver: true}}),
			fixed(), ms(2 * w), ms(4 * w)},
		{"4 executors on hosts of their own", onCluster(fourTasks, 4, 2, nil),
			fixed(), ms(w), ms(2 * w)},
		{"4 executors on two 2-core hosts", onCluster(fourTasks, 4, 2, []scenarios.Host{{Executors: 2}, {Executors: 2}}),
			fixed(), ms(w), ms(2 * w)},
		{"a task's launch and result on the driver", onCluster(oneTask, 1, 1, nil),
			withCluster(fixed(), 0.002, 0.003, 0, nil), ms(0.002 + w + 0.003), ms(2 * (0.002 + w + 0.003))},
		// Two launches at once share the driver's one core, then two results do.
		{"two launches share the driver's core", onCluster(twoTasks, 2, 1, nil),
			withCluster(fixed(), 0.002, 0.003, 0, nil), ms(2*0.002 + w + 2*0.003), ms(2 * (2*0.002 + w + 2*0.003))},
		// The driver's launch shares the executor's host when it is the same host.
		{"the driver on the executors' host", onCluster(oneTask, 1, 1, []scenarios.Host{{Executors: 1, Driver: true}}),
			withCluster(fixed(), 0.002, 0.003, 0, nil), ms(0.002 + w + 0.003), ms(2 * (0.002 + w + 0.003))},
		// The executor's first task pays the cold start; the refit's tasks do not.
		{"an executor's cold start", onCluster(twoJobs, 1, 1, nil),
			withCluster(fixed(), 0, 0, 0.5, nil), ms(0.5 + 2*w), ms(0.5 + 4*w)},
	}
	for _, tt := range tests {
		tr, err := Trace(tt.plan, tt.prof, Options{})
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		fits := fitSpans(tr, trace.KindFit)
		if got := fits[0].Duration(); got != tt.wantFit {
			t.Errorf("%s: first fit %v, want %v", tt.name, got, tt.wantFit)
		}
		if got := tr.Metrics().Makespan; got != tt.wantMakespan {
			t.Errorf("%s: makespan %v, want %v", tt.name, got, tt.wantMakespan)
		}
	}
}

// localityPlan is two fits at parallelism 2 on a split of one cached partition, then a refit on
// uncached data. Fit 0 reads the partition first (storing its block on the executor it ran on,
// executor 0), then holds that executor for 10 s reading it again; fit 1 works on its driver for
// 1.5 s, then reads the partition for 1 s: its task prefers executor 0, which is busy, while
// executor 1 is free.
func localityPlan(hosts []scenarios.Host) (*tuning.Plan, *costmodel.Profile) {
	s := &scenarios.Scenario{Name: "locality", Cluster: scenarios.Cluster{Executors: 2, CoresPerExecutor: 1, HostCores: 4, Hosts: hosts},
		Data: scenarios.Data{Rows: 10, Features: 4, Partitions: 1}, Scheduler: scenarios.Scheduler{Mode: "FIFO"}}
	read := func(op tuning.Op, split int) tuning.Step {
		return tuning.Step{Kind: tuning.StepJob, Op: op, Split: split, Stages: []tuning.Stage{{Op: op, Tasks: 1, ReadsSplit: true, In: 4, Out: 4}}}
	}
	p := &tuning.Plan{Scenario: s, Parallelism: 2, ParamMaps: make([]scenarios.ParamMap, 2),
		Splits: []tuning.Split{{Name: "train", Cached: true, Rows: []int64{10}}, {Name: "full", Fold: tuning.None, Rows: []int64{10}}},
		Fits: []tuning.Fit{
			{Index: 0, Steps: []tuning.Step{read(estimators.OpFirst, 0), read(estimators.OpGramian, 0)}},
			{Index: 1, ParamMap: 1, Steps: []tuning.Step{{Kind: tuning.StepDriver, Op: estimators.OpPCAEigen}, read(estimators.OpEvaluate, 0)}},
			{Index: 2, Refit: true, Fold: tuning.None, Steps: []tuning.Step{read(estimators.OpEvaluate, 1)}},
		},
		Rounds: [][]int{{0, 1}}}
	prof := fixedProfile(0, 0, costmodel.OverheadCosts{})
	prof.Ops[estimators.OpFirst] = &costmodel.OpCost{Coeffs: costmodel.Coeffs{1}}
	prof.Ops[estimators.OpGramian] = &costmodel.OpCost{Coeffs: costmodel.Coeffs{10}}
	prof.Ops[estimators.OpEvaluate] = &costmodel.OpCost{Coeffs: costmodel.Coeffs{1}}
	prof.Ops[estimators.OpPCAEigen] = &costmodel.OpCost{Coeffs: costmodel.Coeffs{1.5}}
	return p, prof
}

func TestLocalityWait(t *testing.T) {
	sec := func(x float64) time.Duration { return time.Duration(x * float64(time.Second)) }
	three := 3.0
	oneHost := []scenarios.Host{{Executors: 2, Driver: true}}
	tests := []struct {
		name  string
		hosts []scenarios.Host
		wait  *float64
		// fit1End is when fit 1 ends; exec its evaluate task's executor.
		fit1End time.Duration
		exec    int
	}{
		// Without locality fit 1's task takes the free executor at once: 1.5 + 1.
		{"locality not modelled", nil, nil, sec(2.5), 1},
		// Hosts of their own: PROCESS_LOCAL for 3 s, NODE_LOCAL (the same executor) 3 s more,
		// then ANY: 1.5 + 6 + 1.
		{"executors on hosts of their own", nil, &three, sec(8.5), 1},
		// One host: after 3 s NODE_LOCAL lets it take the other executor there: 1.5 + 3 + 1.
		{"executors on one host", oneHost, &three, sec(5.5), 1},
		// A wait of 0 (spark.locality.wait=0) never waits.
		{"a wait of 0", nil, new(float64), sec(2.5), 1},
	}
	for _, tt := range tests {
		p, prof := localityPlan(tt.hosts)
		if tt.wait != nil {
			prof = withCluster(prof, 0, 0, 0, tt.wait)
		}
		tr, err := Trace(p, prof, Options{})
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		var end time.Duration
		for _, s := range tr.Spans {
			if s.Kind == trace.KindFit && s.Fit == 1 {
				end = s.End
			}
			if s.Kind == trace.KindTask && s.Fit == 1 && s.Executor != tt.exec {
				t.Errorf("%s: fit 1's task ran on executor %d, want %d", tt.name, s.Executor, tt.exec)
			}
		}
		if end != tt.fit1End {
			t.Errorf("%s: fit 1 ends at %v, want %v", tt.name, end, tt.fit1End)
		}
		if got, want := tr.Metrics().Makespan, sec(12); got != want {
			t.Errorf("%s: makespan %v, want %v (fit 0's 11 s, then the refit's 1 s)", tt.name, got, want)
		}
	}
}

// A task prefers the executor holding its block and waits for it when it frees within the wait.
func TestLocalityKeepsTasksOnTheirBlocks(t *testing.T) {
	p, prof := localityPlan(nil)
	prof.Ops[estimators.OpGramian] = &costmodel.OpCost{Coeffs: costmodel.Coeffs{2}} // fit 0 frees executor 0 at 3 s
	three := 3.0
	tr, err := Trace(p, withCluster(prof, 0, 0, 0, &three), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range tr.Spans {
		if s.Kind == trace.KindTask && s.Fit == 1 && (s.Executor != 0 || s.Start != 3*time.Second) {
			t.Errorf("fit 1's task on executor %d from %v; want executor 0 (its block's) from 3s, when fit 0 frees it", s.Executor, s.Start)
		}
	}
}

// TestOffersGoRoundTheExecutors checks that free slots are offered one executor after another, as
// Spark's TaskSchedulerImpl gives each executor one task per round of offers: a serial plan's
// stages of fewer tasks than slots run one task per executor (a standalone 2 x 2 log of the seed
// at 2 partitions ran each of its 86 two-task stages on both executors), and a stage of as many
// tasks as slots fills every executor alike.
func TestOffersGoRoundTheExecutors(t *testing.T) {
	for _, tc := range []struct{ execs, cores, tasks, wantPerExec int }{
		{2, 2, 2, 1}, {3, 2, 3, 1}, {2, 3, 2, 1}, {2, 2, 4, 2}, {3, 2, 6, 2},
	} {
		p := handPlan(1, 1, 1, 2, []tuning.Step{job(estimators.OpGramian, tc.tasks, tc.tasks)}, tc.tasks)
		p = onCluster(p, tc.execs, tc.cores, nil)
		p.Scenario.Cluster.CoresPerExecutor = tc.cores
		tr, err := Trace(p, fixedProfile(0.010, 0, costmodel.OverheadCosts{}), Options{})
		if err != nil {
			t.Fatal(err)
		}
		perStage := map[int]map[int]int{} // stage -> executor -> tasks
		for _, s := range tr.Spans {
			if s.Kind != trace.KindTask {
				continue
			}
			if perStage[s.Stage] == nil {
				perStage[s.Stage] = map[int]int{}
			}
			perStage[s.Stage][s.Executor]++
		}
		if len(perStage) == 0 {
			t.Fatalf("%+v: no task spans", tc)
		}
		for st, by := range perStage {
			if len(by) != min(tc.execs, tc.tasks) {
				t.Errorf("%+v: stage %d ran on executors %v, want %d of them", tc, st, by, min(tc.execs, tc.tasks))
			}
			for e, n := range by {
				if n != tc.wantPerExec {
					t.Errorf("%+v: stage %d ran %d tasks on executor %d, want %d", tc, st, n, e, tc.wantPerExec)
				}
			}
		}
	}
}
