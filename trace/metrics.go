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
	// Busy is the total slot time occupied by tasks.
	Busy time.Duration
	// Tasks, Jobs and Stages count the spans of each kind; Fits counts fit spans.
	Tasks, Jobs, Stages, Fits int
	// FitTime is the sum of fit durations (from a thread taking a fit to its end).
	FitTime time.Duration
	// DriverTime is the sum of driver-step durations.
	DriverTime time.Duration
}

// Utilization is the fraction of slot time that tasks occupied over the makespan.
func (m Metrics) Utilization() float64 {
	if m.Makespan <= 0 || m.Slots <= 0 {
		return 0
	}
	return m.Busy.Seconds() / (float64(m.Slots) * m.Makespan.Seconds())
}

// IdleCoreSeconds is the slot time left idle over the makespan, in seconds.
func (m Metrics) IdleCoreSeconds() float64 {
	return float64(m.Slots)*m.Makespan.Seconds() - m.Busy.Seconds()
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
}

// NewAccumulator returns an Accumulator for a run with the given number of slots.
func NewAccumulator(slots int) *Accumulator { return &Accumulator{m: Metrics{Slots: slots}} }

// Add folds one span into the metrics.
func (a *Accumulator) Add(s Span) {
	if !a.any || s.Start < a.start {
		a.start = s.Start
	}
	if !a.any || s.End > a.end {
		a.end = s.End
	}
	a.any = true
	switch s.Kind {
	case KindTask:
		a.m.Tasks++
		a.m.Busy += s.Duration()
	case KindJob:
		a.m.Jobs++
	case KindStage:
		a.m.Stages++
	case KindFit:
		a.m.Fits++
		a.m.FitTime += s.Duration()
	case KindDriver:
		a.m.DriverTime += s.Duration()
	}
}

// Metrics returns the figures of the spans added so far.
func (a *Accumulator) Metrics() Metrics {
	m := a.m
	if a.any {
		m.Makespan = a.end - a.start
	}
	return m
}

// Metrics computes the run's figures from its spans.
func (t *Trace) Metrics() Metrics {
	a := NewAccumulator(t.Slots())
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
