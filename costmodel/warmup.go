package costmodel

import (
	"sort"
	"time"
)

// Warming is a Model whose CPU work runs slower early in the run than late: a JVM that started
// with the application runs Spark's and MLlib's code interpreted or lightly compiled until its
// compilers, which work at a pace of their own (a thread or two, whatever the tuning does), have
// compiled it. The slowdown is a function of the run's time, not of the fits done: fits that run
// together early all run slow. The simulator multiplies a task's and a driver step's CPU work by
// WarmUp at the time it starts.
type Warming interface {
	WarmUp(at time.Duration) float64
}

// WarmStep is one step of a warm-up curve: work starting before Until runs Factor times as long as
// warm (Factor >= 1).
type WarmStep struct {
	Until  time.Duration
	Factor float64
}

// WarmCurve is a warm-up curve: steps by Until, each Factor at most the one before; after the last
// step, work runs warm (factor 1).
type WarmCurve []WarmStep

// At is the curve's factor for work starting at time at.
func (c WarmCurve) At(at time.Duration) float64 {
	i := sort.Search(len(c), func(i int) bool { return at < c[i].Until })
	if i == len(c) {
		return 1
	}
	return c[i].Factor
}

// Extra is the CPU work a serial run of warm work w spread evenly over [0, end) spends beyond w:
// the area between the curve and 1, times w/end (the curve's cost, for reports and tests).
func (c WarmCurve) Extra(end time.Duration) time.Duration {
	var area float64
	from := time.Duration(0)
	for _, s := range c {
		to := min(s.Until, end)
		if to > from {
			area += float64(to-from) * (s.Factor - 1)
		}
		from = max(from, s.Until)
	}
	return time.Duration(area)
}

// WithWarmUp is m whose work warms up along curve (see Warming): its durations are then the warm
// ones, and the curve says how much slower each ran before the JVM had compiled its code.
func (m *Measured) WithWarmUp(curve WarmCurve) *Measured {
	c := *m
	c.warm = curve
	return &c
}

// WarmUp implements Warming (1 throughout when no curve was given).
func (m *Measured) WarmUp(at time.Duration) float64 { return m.warm.At(at) }

// ScaleFitWork is m with fit f's CPU work (its tasks' CPU time and its driver steps, what a
// warm-up slows) times k.
func (m *Measured) ScaleFitWork(f int, k float64) *Measured {
	c := *m
	c.fits = append([][]MeasuredStep(nil), m.fits...)
	steps := append([]MeasuredStep(nil), m.fits[f]...)
	for s := range steps {
		steps[s].Driver = time.Duration(float64(steps[s].Driver) * k)
		tasks := make([][]time.Duration, len(steps[s].Tasks))
		for g, stage := range steps[s].Tasks {
			tasks[g] = make([]time.Duration, len(stage))
			for j, d := range stage {
				tasks[g][j] = time.Duration(float64(d) * k)
			}
		}
		steps[s].Tasks = tasks
	}
	c.fits[f] = steps
	return &c
}
