package costmodel

import (
	"math"
	"testing"
	"time"

	"tunesim/trace"
)

// hostTrace is a local run's trace on a host of cores whose task spans run from start[i] to
// end[i] (then driver spans from dstart[i] to dend[i]), made by source under sched.
func hostTrace(source string, sched *HostScheduling, cores int, start, end []time.Duration, dstart, dend []time.Duration) *trace.Trace {
	t := &trace.Trace{Source: source, DriverCores: cores, Attrs: map[string]string{},
		Executors: []trace.Executor{{ID: 0, Host: "localhost", Slots: 8, HostCores: cores}}}
	if sched != nil {
		sched.Annotate(t)
	}
	for i := range start {
		t.Spans = append(t.Spans, trace.TaskSpan("gramian", 0, 0, i, 0, i, start[i], end[i]))
	}
	for i := range dstart {
		t.Spans = append(t.Spans, trace.DriverSpan("pca_eigen", trace.None, 0, dstart[i], dend[i]))
	}
	return t
}

// TestUndoingEachDiscipline checks cpuWork in closed form on traces of k equal tasks of w on c
// cores, as each discipline runs them: processor sharing (all k from 0 to k*w/c), Go's
// scheduler with a long quantum (waves of c, each span from its first run: no span waits), and
// Go's scheduler with w = m quanta (the g = k/c groups take turns a quantum at a time, group j
// from j*q to ((m-1)*g + j + 1)*q). Undoing the discipline that made a trace gives every task w.
// Processor sharing undone on Go's turns gives the early groups more than w and the late ones
// less (the work of the whole stays): the discipline matters.
func TestUndoingEachDiscipline(t *testing.T) {
	const w = 12 * time.Millisecond
	spans := func(k int, f func(i int) (time.Duration, time.Duration)) (s, e []time.Duration) {
		for i := range k {
			a, b := f(i)
			s, e = append(s, a), append(e, b)
		}
		return s, e
	}
	together := func(k, c int) func(int) (time.Duration, time.Duration) {
		return func(int) (time.Duration, time.Duration) { return 0, time.Duration(k) * w / time.Duration(c) }
	}
	waves := func(c int) func(int) (time.Duration, time.Duration) {
		return func(i int) (time.Duration, time.Duration) {
			return time.Duration(i/c) * w, time.Duration(i/c+1) * w
		}
	}
	turns := func(k, c, m int) func(int) (time.Duration, time.Duration) {
		g, q := k/c, w/time.Duration(m)
		return func(i int) (time.Duration, time.Duration) {
			j := i / c
			return time.Duration(j) * q, time.Duration((m-1)*g+j+1) * q
		}
	}
	goQ := func(q time.Duration) *HostScheduling {
		return &HostScheduling{Discipline: DisciplineGo, QuantumS: q.Seconds()}
	}
	for _, tt := range []struct {
		name   string
		source string
		sched  *HostScheduling
		k, c   int
		shape  func(int) (time.Duration, time.Duration)
		// want is each task's work in units of w (nil: all 1).
		want []float64
	}{
		{"sharing undone on sharing", "sim", nil, 8, 2, together(8, 2), nil},
		{"sharing undone on sharing, 6 on 4", "spark", nil, 6, 4, together(6, 4), nil},
		{"go undone on waves", "sim", goQ(time.Second), 8, 2, waves(2), nil},
		{"go undone on waves, 7 on 3", "sim", goQ(time.Second), 7, 3, waves(3), nil},
		{"a real run's waves", "real", nil, 5, 2, waves(2), nil},
		{"go undone on turns", "sim", goQ(w / 3), 8, 2, turns(8, 2, 3), nil},
		{"go undone on turns, 6 on 3", "sim", goQ(w / 4), 6, 3, turns(6, 3, 4), nil},
		{"a real run's turns (Go's 10 ms)", "real", nil, 8, 2, func(i int) (time.Duration, time.Duration) {
			// w = 30 ms = 3 of Go's quanta
			a, b := turns(8, 2, 3)(i)
			return a * 30 / 12, b * 30 / 12
		}, []float64{2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5}},
		{"sharing undone on go's turns", "sim", nil, 8, 2, turns(8, 2, 3), []float64{10.0 / 9, 10.0 / 9, 8.0 / 9, 8.0 / 9, 8.0 / 9, 8.0 / 9, 10.0 / 9, 10.0 / 9}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, e := spans(tt.k, tt.shape)
			tr := hostTrace(tt.source, tt.sched, tt.c, s, e, nil, nil)
			work := cpuWork(tr, background{})
			for i := range tt.k {
				want := w.Seconds()
				if tt.want != nil {
					want *= tt.want[i]
				}
				if math.Abs(work[i]-want) > 1e-9 {
					t.Errorf("task %d (%v..%v): work %.6f s, want %.6f s", i, s[i], e[i], work[i], want)
				}
			}
		})
	}
}

// TestUndoingGoGivesTheWokenThreadItsCore checks a driver step that starts while tasks wait for
// the cores (a parallel real run: a fit's goroutine woken by its job's end runs next): under Go's
// scheduler it ran at a full core, so its work is its duration, and the tasks it overtook did
// the rest; processor sharing would count it at a share.
func TestUndoingGoGivesTheWokenThreadItsCore(t *testing.T) {
	ms := func(x float64) time.Duration { return time.Duration(x * float64(time.Millisecond)) }
	// One core: task 0 runs 0..10 (quantum 10: preempted at 10 while task 1 waits), task 1 runs
	// 10..20, the driver step starts at 20 (woken, it takes the core task 1's quantum leaves)
	// and runs to 23, then task 0 resumes 23..25 and task 1 25..27: works 12, 12 and 3.
	tr := hostTrace("real", nil, 1, []time.Duration{0, ms(10)}, []time.Duration{ms(25), ms(27)}, []time.Duration{ms(20)}, []time.Duration{ms(23)})
	work := cpuWork(tr, background{})
	for i, want := range []float64{12e-3, 12e-3, 3e-3} {
		if math.Abs(work[i]-want) > 1e-9 {
			t.Errorf("span %d (%s %v..%v): work %.6f s, want %.6f s", i, tr.Spans[i].Name, tr.Spans[i].Start, tr.Spans[i].End, work[i], want)
		}
	}
}

// TestSchedulingOf checks which discipline a trace says it ran under.
func TestSchedulingOf(t *testing.T) {
	withAttrs := &trace.Trace{Source: "sim"}
	(&HostScheduling{Discipline: DisciplineGo, QuantumS: 0.002}).Annotate(withAttrs)
	for _, tt := range []struct {
		name    string
		t       *trace.Trace
		queued  bool
		quantum time.Duration
	}{
		{"a real run", &trace.Trace{Source: "real"}, true, GoQuantum},
		{"a spark run", &trace.Trace{Source: "spark"}, false, 0},
		{"a simulation under sharing", &trace.Trace{Source: "sim"}, false, 0},
		{"a simulation under go", withAttrs, true, 2 * time.Millisecond},
	} {
		got := SchedulingOf(tt.t)
		if got.Queued() != tt.queued || (tt.queued && got.Quantum() != tt.quantum) {
			t.Errorf("%s: %+v (quantum %v), want queued %v with quantum %v", tt.name, got, got.Quantum(), tt.queued, tt.quantum)
		}
	}
	var sharing trace.Trace
	HostScheduling{Discipline: DisciplineSharing}.Annotate(&sharing)
	if len(sharing.Attrs) != 0 {
		t.Errorf("processor sharing annotated a trace: %v", sharing.Attrs)
	}
}

// TestParseHostScheduling checks a profile's host_scheduling strictly.
func TestParseHostScheduling(t *testing.T) {
	for _, tt := range []struct {
		json, err string
		queued    bool
	}{
		{`{"name":"p","ops":{},"overheads":{}}`, "", false},
		{`{"name":"p","ops":{},"overheads":{},"host_scheduling":{"discipline":"go"}}`, "", true},
		{`{"name":"p","ops":{},"overheads":{},"host_scheduling":{"discipline":"go","quantum_s":0.01}}`, "", true},
		{`{"name":"p","ops":{},"overheads":{},"host_scheduling":{"discipline":"processor_sharing"}}`, "", false},
		{`{"name":"p","ops":{},"overheads":{},"host_scheduling":{"discipline":"fifo"}}`, `host_scheduling.discipline "fifo": allowed are`, false},
		{`{"name":"p","ops":{},"overheads":{},"host_scheduling":{"discipline":"go","quantum_s":-1}}`, "host_scheduling.quantum_s -1: allowed are", false},
		{`{"name":"p","ops":{},"overheads":{},"host_scheduling":{"discipline":"go","quantum_s":1e-9}}`, "host_scheduling.quantum_s 1e-09: allowed are", false},
		{`{"name":"p","ops":{},"overheads":{},"host_scheduling":{"discipline":"go","slice":1}}`, `unknown field "slice"`, false},
	} {
		p, err := Parse("test.json", []byte(tt.json))
		switch {
		case tt.err == "" && err != nil:
			t.Errorf("%s: %v", tt.json, err)
		case tt.err != "" && (err == nil || !contains(err.Error(), tt.err) || !contains(err.Error(), "test.json")):
			t.Errorf("%s: error %v, want one naming test.json and saying %q", tt.json, err, tt.err)
		case err == nil && p.HostScheduling().Queued() != tt.queued:
			t.Errorf("%s: queued %v, want %v", tt.json, p.HostScheduling().Queued(), tt.queued)
		}
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}
