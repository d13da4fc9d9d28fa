package sim

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"testing"
	"time"

	"tunesim/costmodel"
	"tunesim/estimators"
	"tunesim/trace"
	"tunesim/tuning"
)

// goScheduling is DisciplineGo with quantum q.
func goScheduling(q time.Duration) *costmodel.HostScheduling {
	return &costmodel.HostScheduling{Discipline: costmodel.DisciplineGo, QuantumS: q.Seconds(), Source: "test"}
}

// firstFitTasks are fit 0's task spans, by partition.
func firstFitTasks(tr *trace.Trace) []trace.Span {
	var out []trace.Span
	for _, s := range fitSpans(tr, trace.KindTask) {
		if s.Fit == 0 {
			out = append(out, s)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Partition < out[j].Partition })
	return out
}

// TestDisciplinesInClosedForm runs one stage of k equal tasks of w on k slots of a host of c
// cores under each discipline and checks every task's span against its closed form:
//   - processor sharing: all k progress at c/k of a core and end together at k*w/c;
//   - Go's scheduler with a quantum longer than a task: waves of c in launch order, task i
//     running from floor(i/c)*w to floor(i/c)*w + w (its span starts when it first runs), so
//     the stage takes ceil(k/c)*w, and a core idles in the last wave when c does not divide k;
//   - Go's scheduler with w = m quanta and k = g*c: the g groups of c take turns a quantum at a
//     time, group j first running at j*q (new threads before preempted ones) and ending at
//     ((m-1)*g + j + 1)*q, the stage at k*w/c as under sharing.
func TestDisciplinesInClosedForm(t *testing.T) {
	const w = 12 * time.Millisecond
	type span struct{ start, end time.Duration }
	waves := func(k, c int) []span {
		var s []span
		for i := range k {
			s = append(s, span{time.Duration(i/c) * w, time.Duration(i/c+1) * w})
		}
		return s
	}
	together := func(k, c int) []span {
		var s []span
		for range k {
			s = append(s, span{0, time.Duration(k) * w / time.Duration(c)})
		}
		return s
	}
	turns := func(k, c, m int) []span {
		g, q := k/c, w/time.Duration(m)
		var s []span
		for i := range k {
			j := i / c
			s = append(s, span{time.Duration(j) * q, time.Duration((m-1)*g+j+1) * q})
		}
		return s
	}
	for _, tt := range []struct {
		name  string
		k, c  int
		sched *costmodel.HostScheduling
		want  []span
	}{
		{"sharing, 8 tasks on 2 cores", 8, 2, nil, together(8, 2)},
		{"sharing, 5 tasks on 2 cores", 5, 2, nil, together(5, 2)},
		{"sharing named, 6 tasks on 4 cores", 6, 4, &costmodel.HostScheduling{Discipline: costmodel.DisciplineSharing}, together(6, 4)},
		{"go, long quantum, 8 tasks on 2 cores", 8, 2, goScheduling(time.Second), waves(8, 2)},
		{"go, long quantum, 5 tasks on 2 cores", 5, 2, goScheduling(time.Second), waves(5, 2)},
		{"go, long quantum, 7 tasks on 3 cores", 7, 3, goScheduling(time.Second), waves(7, 3)},
		{"go, quantum w/3, 8 tasks on 2 cores", 8, 2, goScheduling(w / 3), turns(8, 2, 3)},
		{"go, quantum w/4, 6 tasks on 3 cores", 6, 3, goScheduling(w / 4), turns(6, 3, 4)},
		{"go, 2 tasks on 4 cores never wait", 2, 4, goScheduling(w / 5), together(2, 2)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			plan := handPlan(tt.k, tt.c, 1, 1, []tuning.Step{job(estimators.OpGramian, tt.k)}, tt.k)
			prof := fixedProfile(w.Seconds(), 0, costmodel.OverheadCosts{})
			prof.Scheduling = tt.sched
			tr, err := Trace(plan, prof, Options{})
			if err != nil {
				t.Fatal(err)
			}
			tasks := firstFitTasks(tr)
			if len(tasks) != tt.k {
				t.Fatalf("%d tasks, want %d", len(tasks), tt.k)
			}
			for i, s := range tasks {
				if d := s.Start - tt.want[i].start; d < -time.Microsecond || d > time.Microsecond {
					t.Errorf("task %d starts at %v, want %v", i, s.Start, tt.want[i].start)
				}
				if d := s.End - tt.want[i].end; d < -time.Microsecond || d > time.Microsecond {
					t.Errorf("task %d ends at %v, want %v", i, s.End, tt.want[i].end)
				}
			}
			if got, want := tr.Attrs[costmodel.AttrHostScheduling], map[bool]string{true: costmodel.DisciplineGo}[tt.sched != nil && tt.sched.Queued()]; got != want {
				t.Errorf("trace says host_scheduling %q, want %q", got, want)
			}
		})
	}
}

// TestGoRunsTheWokenThreadFirst checks Go's runnext in closed form: two fits at parallelism 2 on
// one core, each a one-task job of w then a driver step of d. Under Go's scheduler fit 0's job
// goes first (the DAGScheduler's thread for fit 1's waits for the core too); when its task ends,
// fit 0's driver step (the goroutine it woke) takes the core before fit 1's waiting thread,
// whose task then runs from w+d (its span starting there) to 2w+d, and its driver step after it.
// (Waiting threads take a core freed at t from t + 1 ns, after every thread woken at t: a
// zero-cost thread among them ends 1 ns late.) Under processor sharing both tasks end at 2w and
// both steps at 2w+2d.
func TestGoRunsTheWokenThreadFirst(t *testing.T) {
	const w, d = 10 * time.Millisecond, 3 * time.Millisecond
	type span struct{ start, end time.Duration }
	for _, tt := range []struct {
		name         string
		sched        *costmodel.HostScheduling
		task, driver [2]span // per fit
	}{
		{"go", goScheduling(time.Second), [2]span{{0, w}, {w + d, 2*w + d}}, [2]span{{w, w + d}, {2*w + d, 2*w + 2*d}}},
		{"sharing", nil, [2]span{{0, 2 * w}, {0, 2 * w}}, [2]span{{2 * w, 2*w + 2*d}, {2 * w, 2*w + 2*d}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			plan := handPlan(2, 1, 2, 2, []tuning.Step{job(estimators.OpGramian, 1), {Kind: tuning.StepDriver, Op: estimators.OpPCAEigen}}, 1)
			prof := fixedProfile(w.Seconds(), d.Seconds(), costmodel.OverheadCosts{})
			prof.Scheduling = tt.sched
			tr, err := Trace(plan, prof, Options{})
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range tr.Spans {
				if s.Fit > 1 || (s.Kind != trace.KindTask && (s.Kind != trace.KindDriver || s.Name != string(estimators.OpPCAEigen))) {
					continue
				}
				want := tt.task[s.Fit]
				if s.Kind == trace.KindDriver {
					want = tt.driver[s.Fit]
				}
				if d0, d1 := s.Start-want.start, s.End-want.end; d0 < 0 || d0 > 2 || d1 < 0 || d1 > 2 {
					t.Errorf("fit %d's %s ran %v..%v, want %v..%v", s.Fit, s.Name, s.Start, s.End, want.start, want.end)
				}
			}
		})
	}
}

// TestInvariantsUnderGoScheduling checks the invariants of any run (checkInvariants) on random
// scenarios and profiles simulated under Go's scheduler with random quanta, and that a second
// simulation gives the same spans.
func TestInvariantsUnderGoScheduling(t *testing.T) {
	n := 300
	if testing.Short() {
		n = 50
	}
	for i := range n {
		if err := checkRandomScenarioGo(i); err != nil {
			t.Fatalf("random scenario %d under Go's scheduler: %v", i, err)
		}
	}
}

func checkRandomScenarioGo(i int) error {
	r := rand.New(rand.NewPCG(7, uint64(i)))
	s := randomScenario(r, i)
	prof := randomProfile(r)
	prof.Scheduling = goScheduling(time.Duration(1+r.IntN(20000)) * time.Microsecond)
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
	again, err := Trace(p, prof, opts)
	if err != nil {
		return err
	}
	if len(again.Spans) != len(tr.Spans) {
		return fmt.Errorf("%s: a second simulation gave %d spans, the first %d", s.Name, len(again.Spans), len(tr.Spans))
	}
	for k := range tr.Spans {
		if again.Spans[k] != tr.Spans[k] {
			return fmt.Errorf("%s: span %d differs between two simulations: %+v, %+v", s.Name, k, tr.Spans[k], again.Spans[k])
		}
	}
	if err := checkRun(s, p, prof, opts, tr); err != nil {
		return fmt.Errorf("%s (%+v, parallelism %d, quantum %v): %w", s.Name, s.Cluster, s.Tuner.Parallelism, prof.HostScheduling().Quantum(), err)
	}
	return nil
}
