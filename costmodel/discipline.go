package costmodel

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"tunesim/trace"
)

// The host scheduling disciplines a profile may select (HostScheduling.Discipline).
const (
	// DisciplineSharing is processor sharing: n runnable threads on c cores each progress at
	// min(1, c/n) of a core. The OS's scheduler divides cores among a JVM's threads this way
	// (Spark's task threads, its driver, its compilers), and it is the default.
	DisciplineSharing = "processor_sharing"
	// DisciplineGo is Go's runtime scheduler, which runs a process's goroutines on GOMAXPROCS
	// threads: at most c threads run at once, each at a full core, and the others wait. A thread
	// that becomes runnable when a core frees at that very instant takes it (Go's runnext: the
	// goroutine a finishing one woke runs next on its P); otherwise waiting threads take freed
	// cores in turn, those that have not run yet (Go's local run queues) before those preempted
	// (its global run queue). A thread that has run for the quantum while others wait is
	// preempted and goes to the back of the queue (sysmon preempts a goroutine after 10 ms).
	// Tasks shorter than the quantum thus run in waves of c, to completion.
	DisciplineGo = "go"
)

// GoQuantum is the Go runtime's time slice: sysmon preempts a goroutine that has run for 10 ms
// (forcePreemptNS in runtime/proc.go).
const GoQuantum = 10 * time.Millisecond

// GoQuantumSource says where GoQuantum comes from.
const GoQuantumSource = "Go's runtime scheduler: GOMAXPROCS threads run goroutines, sysmon preempts one after 10 ms (forcePreemptNS, runtime/proc.go)"

// HostScheduling says how a host's cores are divided when more threads are runnable than it has
// cores. The zero value (and a profile without it) is processor sharing.
type HostScheduling struct {
	// Discipline is DisciplineSharing or DisciplineGo ("" means DisciplineSharing).
	Discipline string `json:"discipline"`
	// QuantumS is DisciplineGo's time slice, in seconds (0 takes GoQuantum).
	QuantumS float64 `json:"quantum_s,omitempty"`
	// Source says why the discipline is the host's.
	Source string `json:"source,omitempty"`
}

// GoScheduling is the discipline of `simulate real` runs: Go's runtime scheduler, with its quantum.
func GoScheduling() *HostScheduling {
	return &HostScheduling{Discipline: DisciplineGo, QuantumS: GoQuantum.Seconds(), Source: GoQuantumSource}
}

// Queued says the discipline is DisciplineGo: threads beyond the cores wait rather than share.
func (h HostScheduling) Queued() bool { return h.Discipline == DisciplineGo }

// Quantum is DisciplineGo's time slice (GoQuantum unless QuantumS says otherwise).
func (h HostScheduling) Quantum() time.Duration {
	if h.QuantumS <= 0 {
		return GoQuantum
	}
	return max(seconds(h.QuantumS), time.Microsecond)
}

// check says what is wrong with the discipline, naming the field.
func (h *HostScheduling) check() error {
	if h == nil {
		return nil
	}
	switch h.Discipline {
	case "", DisciplineSharing, DisciplineGo:
	default:
		return fmt.Errorf("host_scheduling.discipline %q: allowed are %q and %q", h.Discipline, DisciplineSharing, DisciplineGo)
	}
	if h.QuantumS < 0 || math.IsNaN(h.QuantumS) || (h.QuantumS != 0 && h.QuantumS < 1e-6) || h.QuantumS > 60 {
		return fmt.Errorf("host_scheduling.quantum_s %v: allowed are 0 (Go's 10 ms) or seconds from 1e-6 to 60", h.QuantumS)
	}
	return nil
}

// Disciplined is a Model that says how its hosts divide their cores (a Profile does).
type Disciplined interface {
	HostScheduling() HostScheduling
}

// HostScheduling is the profile's host scheduling discipline (processor sharing when it names none).
func (p *Profile) HostScheduling() HostScheduling {
	if p.Scheduling == nil {
		return HostScheduling{Discipline: DisciplineSharing}
	}
	h := *p.Scheduling
	if h.Discipline == "" {
		h.Discipline = DisciplineSharing
	}
	return h
}

// Keys of a trace's Attrs that say how its hosts divided their cores, when a simulation used
// DisciplineGo (a real run's trace says so by its source, "real").
const (
	AttrHostScheduling = "host_scheduling"
	AttrQuantum        = "host_scheduling_quantum_s"
)

// Annotate records a queued discipline in t's Attrs (processor sharing, the default, is left
// unsaid, so that such traces stay as they were).
func (h HostScheduling) Annotate(t *trace.Trace) {
	if !h.Queued() {
		return
	}
	if t.Attrs == nil {
		t.Attrs = map[string]string{}
	}
	t.Attrs[AttrHostScheduling] = h.Discipline
	t.Attrs[AttrQuantum] = strconv.FormatFloat(h.Quantum().Seconds(), 'g', -1, 64)
}

// SchedulingOf is how the hosts of a measured or simulated run divided their cores: as its
// Attrs say (a simulation's), else Go's scheduler for a real run (`simulate real`: goroutines on
// GOMAXPROCS threads), else processor sharing (Spark's JVMs, event logs, simulations under
// processor sharing).
func SchedulingOf(t *trace.Trace) HostScheduling {
	if d := t.Attrs[AttrHostScheduling]; d != "" {
		h := HostScheduling{Discipline: d, Source: "the discipline the simulation that made the trace had"}
		if q, err := strconv.ParseFloat(t.Attrs[AttrQuantum], 64); err == nil && q > 0 {
			h.QuantumS = q
		}
		return h
	}
	if t.Source == "real" {
		return *GoScheduling()
	}
	return HostScheduling{Discipline: DisciplineSharing}
}

// scheduling is the discipline of the hosts the runs had, for a profile calibrated from them: a
// queued one when every run's was the same (real runs: Go's scheduler), else nil (processor
// sharing).
func scheduling(runs []Run) *HostScheduling {
	var h *HostScheduling
	for _, r := range runs {
		d := SchedulingOf(r.Trace)
		if !d.Queued() || (h != nil && d.Quantum() != h.Quantum()) {
			return nil
		}
		h = &d
	}
	return h
}
