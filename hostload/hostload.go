// Package hostload tells how busy and how fast the host was around a measured run: the CPU time the
// run's own processes got against what the cores could have given, the CPU other processes took
// (Linux /proc/stat less our own), the time the hypervisor stole, the load average, and the host's
// own speed, timed on a short fixed reference kernel before and after the run. A Threshold turns
// these figures into a verdict: was the run disturbed, and why.
//
// Elsewhere than Linux (no /proc) the host's figures are reported as unknown, and only the own CPU
// time and the reference kernel are measured.
package hostload

import (
	"os"
	"runtime"
	"time"

	"tunesim/trace"
)

// Probe measures the host around runs of one campaign and remembers the campaign's best reference
// reading, against which each run's readings count as a slowdown.
type Probe struct {
	// Root is where the proc file system is mounted ("/proc"; tests point it at copies).
	Root string
	// Threshold judges each run.
	Threshold Threshold
	// Descendants makes the probe count, as the run's own, the CPU time of this process's
	// descendants that it does not wait for (read from /proc during the run): a Spark harness's
	// JVM, which its Python leaves to end on its own. Children this process waits for are
	// counted by getrusage.
	Descendants bool
	// Adopt, when set, makes the probe count as the run's own also the processes (and their
	// descendants) whose command line (/proc/PID/cmdline, NUL-separated) it accepts, from when
	// they are first seen: executors a Spark standalone cluster's workers start for the run,
	// which are no descendants of this process. It applies with Descendants.
	Adopt func(cmdline []byte) bool
	// MinWindow is the shortest run whose shares of other processes and of steal are reported
	// and judged (DefaultMinWindow); a shorter run's are unknown.
	MinWindow time.Duration
	// best is the fastest reference kernel reading of the campaign so far (0: none yet).
	best time.Duration
	// reference times the reference kernel (Reference; tests replace it).
	reference func() time.Duration
	// own reads this process's CPU time (OwnCPU; tests replace it).
	own func() (time.Duration, bool)
	// now reads the clock (time.Now; tests replace it).
	now func() time.Time
}

// NewProbe is a probe of this host on /proc with the Default threshold.
func NewProbe() *Probe {
	return &Probe{Root: "/proc", Threshold: Default, MinWindow: DefaultMinWindow, reference: Reference, own: OwnCPU, now: time.Now}
}

// DefaultMinWindow is the shortest window whose shares of other processes and of steal count:
// /proc/stat counts in 10 ms ticks, and each snapshot can be a tick off on every CPU, so a 250 ms
// window's shares are good to about 4 percentage points (more than 10 over a 100 ms window).
const DefaultMinWindow = 250 * time.Millisecond

// Observe counts a reference reading of the campaign taken elsewhere (a run read back from a
// journal) towards the campaign's best.
func (p *Probe) Observe(reading time.Duration) {
	if reading > 0 && (p.best == 0 || reading < p.best) {
		p.best = reading
	}
}

// Best is the campaign's fastest reference reading so far (0 when there is none).
func (p *Probe) Best() time.Duration { return p.best }

// Window is a run being watched: what the host looked like when it started.
type Window struct {
	p         *Probe
	before    Snapshot
	refBefore time.Duration
	follow    *follower
}

// Start times the reference kernel, then takes the host's counters: call it just before a run.
func (p *Probe) Start() *Window {
	ref := p.reference()
	p.Observe(ref)
	w := &Window{p: p, refBefore: ref}
	if p.Descendants {
		w.follow = follow(p.Root, os.Getpid(), p.Adopt)
	}
	w.before = p.Snapshot()
	return w
}

// Stop takes the host's counters, then times the reference kernel, and returns the figures of the
// window judged against the probe's threshold and the campaign's best reading so far.
func (w *Window) Stop() *trace.Disturbance {
	after := w.p.Snapshot()
	if w.follow != nil {
		after.Own += w.follow.end()
	}
	ref := w.p.reference()
	w.p.Observe(ref)
	d := Between(w.before, after).atLeast(w.p.MinWindow).Figures()
	d.ReferenceBeforeMs, d.ReferenceAfterMs = ms(w.refBefore), ms(ref)
	w.p.Judge(d)
	return d
}

// Judge sets d's slowdown against the campaign's best reading so far and its verdict under the
// probe's threshold. Judging the runs of a campaign again at its end counts every reading.
func (p *Probe) Judge(d *trace.Disturbance) {
	d.ReferenceBestMs = ms(p.best)
	d.SlowdownPct = 0
	if slowest := max(d.ReferenceBeforeMs, d.ReferenceAfterMs); d.ReferenceBestMs > 0 && slowest > 0 {
		d.SlowdownPct = 100 * (slowest/d.ReferenceBestMs - 1)
	}
	p.Threshold.Judge(d)
}

// ms is d in milliseconds.
func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// cores is the number of CPUs this process may run on, for hosts whose /proc/stat does not tell.
func cores() int { return runtime.NumCPU() }
