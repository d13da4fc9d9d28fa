package trace

import (
	"sort"
	"time"
)

// Metrics are the figures of one run. Every one is computed here, from spans, and nowhere else.
type Metrics struct {
	// Makespan runs from the earliest span start to the latest span end.
	Makespan time.Duration
	// Slots is the number of executor task slots.
	Slots int
	// SlotTime is the slot time the executors offered over the makespan when executors came or
	// went during the run (each executor's slots times the part of the makespan it was there);
	// 0 when they were all there throughout, which is Slots x Makespan.
	SlotTime time.Duration
	// Busy is the total slot time occupied by task attempts, whatever their outcome: a slot that
	// ran an attempt which failed was not idle.
	Busy time.Duration
	// Lost is the part of Busy whose work did not count: task attempts that failed, were killed
	// or lost their output (see Span.Counted), in task-seconds.
	Lost time.Duration
	// Tasks, Jobs and Stages count the spans of each kind (Tasks every attempt, Stages every
	// stage attempt); Fits counts fit spans.
	Tasks, Jobs, Stages, Fits int
	// FailedTasks, KilledTasks and LostTasks count the task attempts of each outcome that did not
	// count. SpeculativeTasks counts speculative copies, whatever their outcome (a copy that won
	// counted; its twin was then killed). StageRetries counts stage attempts after a stage's
	// first (stage spans with StageAttempt > 0); FailedStages and FailedJobs the stage attempts
	// and jobs that failed.
	FailedTasks, KilledTasks, LostTasks, SpeculativeTasks int
	StageRetries, FailedStages, FailedJobs                int
	// FitTime is the sum of fit durations (from a thread taking a fit to its end).
	FitTime time.Duration
	// DriverTime is the sum of driver-step durations.
	DriverTime time.Duration
}

// Offered is the slot time the executors offered over the makespan: SlotTime when executors
// came or went, else Slots x Makespan.
func (m Metrics) Offered() time.Duration {
	if m.SlotTime > 0 {
		return m.SlotTime
	}
	return time.Duration(m.Slots) * m.Makespan
}

// Utilization is the fraction of the offered slot time that task attempts occupied, whatever
// their outcome (CountedUtilization leaves out the work that did not count).
func (m Metrics) Utilization() float64 {
	off := m.Offered()
	if m.Makespan <= 0 || off <= 0 {
		return 0
	}
	return m.Busy.Seconds() / off.Seconds()
}

// Counted is the slot time of the task attempts whose work counted: Busy less Lost.
func (m Metrics) Counted() time.Duration { return m.Busy - m.Lost }

// CountedUtilization is the fraction of the offered slot time spent on work that counted; it
// equals Utilization when no attempt failed, was killed or lost its output.
func (m Metrics) CountedUtilization() float64 {
	off := m.Offered()
	if m.Makespan <= 0 || off <= 0 {
		return 0
	}
	return m.Counted().Seconds() / off.Seconds()
}

// IdleCoreSeconds is the offered slot time left idle over the makespan, in seconds.
func (m Metrics) IdleCoreSeconds() float64 {
	return m.Offered().Seconds() - m.Busy.Seconds()
}

// MeanConcurrentFits is the number of fits running at once, averaged over the makespan.
func (m Metrics) MeanConcurrentFits() float64 {
	if m.Makespan <= 0 {
		return 0
	}
	return m.FitTime.Seconds() / m.Makespan.Seconds()
}

// Speedup is how many times faster a run of makespan m is than a reference (serial) run.
func Speedup(serial, m time.Duration) float64 {
	if m <= 0 {
		return 0
	}
	return serial.Seconds() / m.Seconds()
}

// Accumulator is a Sink that keeps only what Metrics need, in constant memory.
type Accumulator struct {
	m          Metrics
	start, end time.Duration
	any        bool
	execs      []Executor
}

// NewAccumulator returns an Accumulator for a run with the given number of slots.
func NewAccumulator(slots int) *Accumulator { return &Accumulator{m: Metrics{Slots: slots}} }

// SetExecutors sets the run's executors (which may be known only after its spans, as in a
// streamed event log): their slots, and when any came or went during the run, the slot time
// they offered (Metrics.SlotTime).
func (a *Accumulator) SetExecutors(execs []Executor) {
	a.execs = execs
	a.m.Slots = 0
	for _, e := range execs {
		a.m.Slots += e.Slots
	}
}

// Add folds one span into the metrics.
func (a *Accumulator) Add(s Span) {
	if !a.any || s.Start < a.start {
		a.start = s.Start
	}
	if !a.any || s.End > a.end {
		a.end = s.End
	}
	a.any = true
	a.count(s, 1)
}

// Amend moves attempt's part in the figures from the outcome it was added with to outcome; it
// makes *Accumulator an Amender.
func (a *Accumulator) Amend(attempt Span, outcome Outcome, _ string) {
	a.count(attempt, -1)
	attempt.Outcome = outcome
	a.count(attempt, 1)
}

// count adds (sign 1) or takes away (sign -1) a span's part in the figures.
func (a *Accumulator) count(s Span, sign int) {
	n, d := sign, time.Duration(sign)*s.Duration()
	switch s.Kind {
	case KindTask:
		a.m.Tasks += n
		a.m.Busy += d
		if !s.Counted() {
			a.m.Lost += d
		}
		switch s.Outcome {
		case OutcomeFailed:
			a.m.FailedTasks += n
		case OutcomeKilled:
			a.m.KilledTasks += n
		case OutcomeLost:
			a.m.LostTasks += n
		}
		if s.Speculative {
			a.m.SpeculativeTasks += n
		}
	case KindJob:
		a.m.Jobs += n
		if !s.Counted() {
			a.m.FailedJobs += n
		}
	case KindStage:
		a.m.Stages += n
		if s.StageAttempt > 0 {
			a.m.StageRetries += n
		}
		if !s.Counted() {
			a.m.FailedStages += n
		}
	case KindFit:
		a.m.Fits += n
		a.m.FitTime += d
	case KindDriver:
		a.m.DriverTime += d
	}
}

// Metrics returns the figures of the spans added so far.
func (a *Accumulator) Metrics() Metrics {
	m := a.m
	if a.any {
		m.Makespan = a.end - a.start
		m.SlotTime = SlotTime(a.execs, a.start, a.end)
	}
	return m
}

// SlotTime is the slot time execs offered over [from, to) when any of them came or went in it
// (see Executor.Lifetime), and 0 when none did: then it is their slots times the interval.
func SlotTime(execs []Executor, from, to time.Duration) time.Duration {
	var sum time.Duration
	dynamic := false
	for _, e := range execs {
		a, b := e.Lifetime(from, to)
		if a != from || b != to {
			dynamic = true
		}
		if b > a {
			sum += time.Duration(e.Slots) * (b - a)
		}
	}
	if !dynamic {
		return 0
	}
	return sum
}

// Metrics computes the run's figures from its spans.
func (t *Trace) Metrics() Metrics {
	a := NewAccumulator(0)
	a.SetExecutors(t.Executors)
	for _, s := range t.Spans {
		a.Add(s)
	}
	return a.Metrics()
}

// Step is one piece of a step function over time: Value holds from At until the next step.
type Step struct {
	At    time.Duration `json:"at_ns"`
	Value int           `json:"value"`
}

// Concurrency is the number of spans of kind k in progress over time, as a step function that
// starts at the first span's start and ends with a step to 0 at the last span's end.
func (t *Trace) Concurrency(k Kind) []Step {
	type edge struct {
		at time.Duration
		d  int
	}
	var edges []edge
	for _, s := range t.Spans {
		if s.Kind == k {
			edges = append(edges, edge{s.Start, +1}, edge{s.End, -1})
		}
	}
	sort.Slice(edges, func(i, j int) bool {
		if edges[i].at != edges[j].at {
			return edges[i].at < edges[j].at
		}
		return edges[i].d < edges[j].d // ends before starts at the same instant
	})
	var steps []Step
	v := 0
	for i, e := range edges {
		v += e.d
		if i+1 < len(edges) && edges[i+1].at == e.at {
			continue
		}
		if n := len(steps); n > 0 && steps[n-1].Value == v {
			continue
		}
		steps = append(steps, Step{At: e.at, Value: v})
	}
	return steps
}

// MaxConcurrency is the largest number of spans of kind k in progress at once.
func (t *Trace) MaxConcurrency(k Kind) int {
	max := 0
	for _, s := range t.Concurrency(k) {
		if s.Value > max {
			max = s.Value
		}
	}
	return max
}

// JobsByFit counts each fit's jobs (job spans of that fit, counted or not); jobs outside any fit
// are left out.
func (t *Trace) JobsByFit() map[int]int {
	n := map[int]int{}
	for _, s := range t.Spans {
		if s.Kind == KindJob && s.Fit != None {
			n[s.Fit]++
		}
	}
	return n
}
