package costmodel

// ColdTasker is a Model whose tasks cost more on an executor JVM that has not yet run its stage:
// a task an executor starts before it has finished one of the same stage (of the same fit) costs
// 1 + ColdTasks() times its work. A JVM of its own loads, generates and compiles the stage's code
// for itself and runs it interpreted at first, where the one JVM of local mode had it at hand
// (docs/validation/2026-12-07-cold.md: such tasks cost 1.46x, 1.99x and 2.65x the local task's
// CPU with 1, 2 and 3 executors sharing a host, the later ones 1.2x). 0: none.
type ColdTasker interface {
	ColdTasks() float64
}

// WithColdTasks is m whose tasks cost 1 + extra times their work on an executor that has not
// finished one of their stage yet (see ColdTasker; 0 or less: none).
func (m *Measured) WithColdTasks(extra float64) *Measured {
	c := *m
	c.cold = max(extra, 0)
	return &c
}

// ColdTasks implements ColdTasker.
func (m *Measured) ColdTasks() float64 { return m.cold }
