package trace

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestMetricsOfAttemptsThatDidNotCount checks the figures of failed, killed, lost and
// speculative attempts, stage retries and failed jobs against sums done by hand.
func TestMetricsOfAttemptsThatDidNotCount(t *testing.T) {
	s := time.Second
	at := func(slot int, a, b time.Duration, o Outcome, attempt int, spec bool) Span {
		sp := task(0, slot, a*s, b*s)
		sp.Outcome, sp.Attempt, sp.Speculative = o, attempt, spec
		return sp
	}
	stage := func(attempt int, o Outcome) Span {
		return Span{Kind: KindStage, Stage: 0, StageAttempt: attempt, Outcome: o, Start: 0, End: 10 * s}
	}
	cases := []struct {
		name  string
		spans []Span
		// want: busy, lost in seconds; failed, killed, lost, speculative, retries, failed stages, failed jobs
		busy, lost                                        float64
		failed, killed, lostN, spec, retries, fstg, fjobs int
	}{
		{name: "all succeeded", spans: []Span{at(0, 0, 10, OutcomeSucceeded, 0, false), at(1, 0, 4, OutcomeSucceeded, 0, false)},
			busy: 14},
		{name: "a failed attempt then its retry", spans: []Span{at(0, 0, 3, OutcomeFailed, 0, false), at(0, 3, 8, OutcomeSucceeded, 1, false)},
			busy: 8, lost: 3, failed: 1},
		{name: "a speculative copy wins, the original is killed", spans: []Span{at(0, 0, 9, OutcomeKilled, 0, false), at(1, 5, 7, OutcomeSucceeded, 1, true)},
			busy: 11, lost: 9, killed: 1, spec: 1},
		{name: "a killed speculative duplicate", spans: []Span{at(0, 0, 6, OutcomeSucceeded, 0, false), at(1, 4, 6, OutcomeKilled, 1, true)},
			busy: 8, lost: 2, killed: 1, spec: 1},
		{name: "output lost with its executor, stage retried", spans: []Span{at(0, 0, 2, OutcomeLost, 0, false), at(1, 5, 7, OutcomeSucceeded, 0, false),
			stage(0, OutcomeFailed), stage(1, OutcomeSucceeded), {Kind: KindJob, Outcome: OutcomeFailed, Start: 0, End: 10 * s}},
			busy: 4, lost: 2, lostN: 1, retries: 1, fstg: 1, fjobs: 1},
	}
	for _, c := range cases {
		tr := &Trace{Source: "test", Executors: []Executor{{ID: 0, Slots: 2}}, Spans: c.spans}
		m := tr.Metrics()
		if m.Busy != time.Duration(c.busy*float64(s)) || m.Lost != time.Duration(c.lost*float64(s)) || m.Counted() != m.Busy-m.Lost {
			t.Errorf("%s: busy %v lost %v counted %v, want busy %gs lost %gs", c.name, m.Busy, m.Lost, m.Counted(), c.busy, c.lost)
		}
		got := [7]int{m.FailedTasks, m.KilledTasks, m.LostTasks, m.SpeculativeTasks, m.StageRetries, m.FailedStages, m.FailedJobs}
		want := [7]int{c.failed, c.killed, c.lostN, c.spec, c.retries, c.fstg, c.fjobs}
		if got != want {
			t.Errorf("%s: failed, killed, lost, speculative, retries, failed stages, failed jobs = %v, want %v", c.name, got, want)
		}
		offered := 2 * m.Makespan.Seconds()
		if u := m.Utilization(); math.Abs(u-c.busy/offered) > 1e-12 {
			t.Errorf("%s: utilization %v, want %v", c.name, u, c.busy/offered)
		}
		if u := m.CountedUtilization(); math.Abs(u-(c.busy-c.lost)/offered) > 1e-12 {
			t.Errorf("%s: counted utilization %v, want %v", c.name, u, (c.busy-c.lost)/offered)
		}
	}
}

// TestCounted checks which outcomes count.
func TestCounted(t *testing.T) {
	for o, want := range map[Outcome]bool{OutcomeSucceeded: true, OutcomeFailed: false, OutcomeKilled: false, OutcomeLost: false} {
		if got := (Span{Outcome: o}).Counted(); got != want {
			t.Errorf("outcome %q: Counted %v, want %v", o, got, want)
		}
		if !o.Valid() {
			t.Errorf("outcome %q not valid", o)
		}
	}
	if Outcome("crashed").Valid() {
		t.Error(`outcome "crashed" valid`)
	}
}

// TestSlotTimeWithExecutorsComingAndGoing checks the offered slot time of executors added and
// removed during the run (dynamic allocation) against the sum by hand.
func TestSlotTimeWithExecutorsComingAndGoing(t *testing.T) {
	s := time.Second
	tr := &Trace{Source: "test", Executors: []Executor{
		{ID: 0, Slots: 2}, // throughout: 2 x 10 s
		{ID: 1, Slots: 2, Added: 4 * s, Removed: 8 * s, RemovedReason: "idle"}, // 2 x 4 s
		{ID: 2, Slots: 4, Removed: 5 * s, RemovedReason: "lost"},               // 4 x 5 s
		{ID: 3, Slots: 1, Added: 20 * s},                                       // after the run: nothing
	}, Spans: []Span{task(0, 0, 0, 10*s), task(1, 0, 4*s, 8*s)}}
	m := tr.Metrics()
	if want := 2*10*s + 2*4*s + 4*5*s; m.SlotTime != want || m.Offered() != want {
		t.Fatalf("slot time %v (offered %v), want %v", m.SlotTime, m.Offered(), want)
	}
	if u := m.Utilization(); math.Abs(u-14.0/48) > 1e-12 {
		t.Errorf("utilization %v, want 14/48", u)
	}
	if i := m.IdleCoreSeconds(); math.Abs(i-34) > 1e-9 {
		t.Errorf("idle core-seconds %v, want 34", i)
	}
	static := &Trace{Source: "test", Executors: []Executor{{ID: 0, Slots: 2}}, Spans: tr.Spans}
	if m := static.Metrics(); m.SlotTime != 0 || m.Offered() != 20*s {
		t.Errorf("static executors: slot time %v offered %v, want 0 and 20s", m.SlotTime, m.Offered())
	}
	// Streaming: executors known only after the spans.
	a := NewAccumulator(0)
	for _, sp := range tr.Spans {
		a.Add(sp)
	}
	a.SetExecutors(tr.Executors)
	if got := a.Metrics(); got != m {
		t.Errorf("accumulator with executors set last: %+v, want %+v", got, m)
	}
}

// TestOutcomeJSON checks that a successful span writes no outcome fields (traces read as before),
// that outcomes round-trip, that an unknown outcome is refused naming the allowed ones, and that
// a trace written before spans carried attempts reads them from the task's detail.
func TestOutcomeJSON(t *testing.T) {
	b, err := json.Marshal(task(0, 0, 0, 1))
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"outcome", "reason", "attempt", "stage_attempt", "speculative"} {
		if strings.Contains(string(b), `"`+k+`"`) {
			t.Errorf("a successful first attempt writes %q: %s", k, b)
		}
	}
	sp := task(0, 0, 0, 1)
	sp.Outcome, sp.Reason, sp.Attempt, sp.StageAttempt, sp.Speculative = OutcomeKilled, "TaskKilled (another attempt succeeded)", 1, 2, true
	tr := &Trace{Source: "spark", Executors: []Executor{{ID: 0, Slots: 1, Added: 5, Removed: 9, RemovedReason: "lost"}}, Spans: []Span{sp}}
	var buf bytes.Buffer
	if err := tr.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := ReadJSON(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if back.Spans[0] != sp || back.Executors[0] != tr.Executors[0] {
		t.Errorf("round trip: %+v %+v, want %+v %+v", back.Spans[0], back.Executors[0], sp, tr.Executors[0])
	}

	bad := `{"source":"spark","executors":[],"spans":[{"kind":"task","fit":0,"param_map":0,"fold":0,"job":0,"stage":0,"partition":0,"executor":0,"slot":0,"start_ns":0,"end_ns":1,"outcome":"crashed"}]}`
	if _, err := ReadJSON(strings.NewReader(bad)); err == nil || !strings.Contains(err.Error(), `"crashed"`) || !strings.Contains(err.Error(), `"killed"`) {
		t.Errorf("unknown outcome: error %v, want one naming it and the allowed outcomes", err)
	}

	old := `{"source":"spark","executors":[],"spans":[{"kind":"task","fit":0,"param_map":0,"fold":0,"job":0,"stage":0,"partition":0,"executor":0,"slot":0,"start_ns":0,"end_ns":1,` +
		`"detail":{"run_ns":1,"cpu_ns":0,"deserialize_ns":0,"result_serialize_ns":0,"getting_result_ns":0,"gc_ns":0,"attempt":2,"failed":true,"speculative":true}}]}`
	got, err := ReadJSON(strings.NewReader(old))
	if err != nil {
		t.Fatal(err)
	}
	s0 := got.Spans[0]
	if s0.Attempt != 2 || s0.Outcome != OutcomeFailed || !s0.Speculative || s0.Detail.LegacyAttempt != 0 || s0.Detail.LegacyFailed || s0.Detail.LegacySpeculative {
		t.Errorf("legacy detail: span %+v detail %+v, want attempt 2, failed, speculative, legacy fields cleared", s0, *s0.Detail)
	}
}

// TestAmend checks that a trace, an accumulator and a tee of both are told that a task's output
// was lost: the trace's span takes the outcome and reason (and keeps its detail), and the
// accumulator's figures equal those of the amended trace.
func TestAmend(t *testing.T) {
	s := time.Second
	first := task(0, 0, 0, 2*s)
	first.Detail = &TaskDetail{RunTime: 2 * s}
	other := task(0, 1, s, 3*s)
	tr := &Trace{Source: "test", Executors: []Executor{{ID: 0, Slots: 2}}}
	acc := NewAccumulator(2)
	var sink Amender = Tee{tr, acc}
	sink.Add(first)
	sink.Add(other)
	told := first
	told.Detail, told.Name = nil, "" // the later event knows the attempt, not its metrics or stage
	const why = "Resubmitted (resubmitted due to lost executor)"
	sink.Amend(told, OutcomeLost, why)
	want := first
	want.Outcome, want.Reason = OutcomeLost, why
	if tr.Spans[0] != want || tr.Spans[1] != other {
		t.Fatalf("trace after Amend: %+v", tr.Spans)
	}
	if got, want := acc.Metrics(), tr.Metrics(); got != want || want.Lost != 2*s || want.LostTasks != 1 || want.Tasks != 2 {
		t.Errorf("accumulator %+v, trace %+v; want lost 2s in 1 of 2 tasks", got, want)
	}
	before := append([]Span(nil), tr.Spans...)
	tr.Amend(task(0, 0, 5*s, 6*s), OutcomeFailed, "") // no such attempt: nothing changes
	if !reflect.DeepEqual(tr.Spans, before) {
		t.Errorf("Amend of an attempt the trace lacks changed it: %+v", tr.Spans)
	}
}
