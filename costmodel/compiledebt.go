package costmodel

import (
	"sort"
	"time"
)

// CompilePoint is one point of a serial run's compile track: when the run had started Work of CPU
// work (its tasks, driver steps and background, beyond its steady threads), the driver JVM's
// steady compiler threads had done Compiled.
type CompilePoint struct {
	Work, Compiled time.Duration
}

// CompileTrack is how a fresh JVM's compilers kept pace with a serial run's work: points by Work,
// both non-decreasing (see CompileDebtor).
type CompileTrack []CompilePoint

// At is the CPU the compilers had done when the serial run had started work of work: linear
// between points, the first point's before them and the last's after.
func (c CompileTrack) At(work time.Duration) time.Duration {
	if len(c) == 0 {
		return 0
	}
	i := sort.Search(len(c), func(i int) bool { return c[i].Work >= work })
	switch {
	case i == 0:
		return c[0].Compiled
	case i == len(c):
		return c[len(c)-1].Compiled
	}
	a, b := c[i-1], c[i]
	if b.Work == a.Work {
		return a.Compiled
	}
	f := float64(work-a.Work) / float64(b.Work-a.Work)
	return a.Compiled + time.Duration(f*float64(b.Compiled-a.Compiled))
}

// CompileDebt is what a fresh JVM's compilers owe a run that gives them a smaller share of the
// cores than its serial run did: the code they have not compiled by a point of the work runs
// interpreted or lightly compiled, so the CPU they fell short of the serial run's Track comes back
// as Share times as much work, added to the work that starts while they are behind.
type CompileDebt struct {
	Track CompileTrack
	// Share is the work each CPU-second the compilers fall behind costs (> 0).
	Share float64
}

// CompileDebtor is a Model whose driver JVM's steady threads (Overheads.SteadyThreads) are a fresh
// JVM's compilers owing a serial run's track (see CompileDebt); nil: none.
type CompileDebtor interface {
	CompileDebt() *CompileDebt
}

// WithCompileDebt is m whose steady compilers owe d (nil: nothing).
func (m *Measured) WithCompileDebt(d *CompileDebt) *Measured {
	c := *m
	c.debt = d
	return &c
}

// CompileDebt implements CompileDebtor.
func (m *Measured) CompileDebt() *CompileDebt { return m.debt }
