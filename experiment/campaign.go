package experiment

import (
	"context"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"tunesim/hostload"
	"tunesim/scenarios"
)

// Campaign measures one scenario at several parallelisms, several runs each, watching the host
// around every run (package hostload): a run the host disturbed is flagged in its trace
// (trace.Disturbance) and, when RetryDisturbed allows, run again. With a Journal, every finished
// run is written to it, and the runs it already holds are taken from it instead of run again.
type Campaign struct {
	Measurer     Measurer
	Scenario     *scenarios.Scenario
	Parallelisms []int
	// Runs is the number of runs per parallelism.
	Runs int
	// RetryDisturbed is how many times a disturbed run is run again (0: never); the last attempt
	// is kept.
	RetryDisturbed int
	// Probe watches the host (nil: hostload.NewProbe()).
	Probe *hostload.Probe
	// Journal, when set, holds the finished runs of this campaign (under JournalKey) and
	// receives every run that finishes.
	Journal    *Journal
	JournalKey JournalKey
	// Progress, when set, is called after each run.
	Progress func(done, total int)
	// Log, when set, receives a line for every run that was disturbed and one saying what the
	// journal gave.
	Log io.Writer
}

// Spawner is a Measurer whose runs are other processes (the Spark harness and the JVM it starts,
// which it does not wait for): the probe then counts their CPU time as the run's own.
type Spawner interface {
	SpawnsProcesses() bool
}

// Adopter is a Measurer whose runs also use processes that are not its descendants (a standalone
// cluster's executors): the host probe counts those Adopts accepts as the run's own.
type Adopter interface {
	Adopts(cmdline []byte) bool
}

// Run measures every run (round-robin over parallelisms, every other round in reverse, so that
// slow drift of the machine or of a warming JVM touches them alike), after the measurer's warm-up when it has one, taking the runs the journal holds
// from it. When all runs are done, every run is judged again against the campaign's best
// reference reading (a run judged early was judged against fewer readings) and each disturbed run
// is reported to Log. An interrupt (ctx cancelled) abandons the run in progress: the journal then
// holds every run finished before it.
func (c *Campaign) Run(ctx context.Context) (*Measured, error) {
	if c.Probe == nil {
		c.Probe = hostload.NewProbe()
	}
	if sp, ok := c.Measurer.(Spawner); ok && sp.SpawnsProcesses() {
		c.Probe.Descendants = true
	}
	if a, ok := c.Measurer.(Adopter); ok {
		c.Probe.Adopt = a.Adopts
	}
	ms := &Measured{Parallelisms: c.Parallelisms, Runs: make([][]*Measurement, len(c.Parallelisms)), Threshold: c.Probe.Threshold}
	journaled, reused := c.fromJournal()
	var err error
	total, done := len(c.Parallelisms)*c.Runs, 0
	if c.Journal != nil {
		c.logf("journal: reusing %d of %d runs from %s\n", reused, total, c.Journal.Path())
		if b := c.Journal.OtherBuilds(); len(b) > 0 {
			c.logf("journal: its runs were measured by %s; this build (%s) simulates them again\n", strings.Join(b, ", "), Version())
		}
	}
	if w, ok := c.Measurer.(Warmer); ok && reused < total {
		if err := w.WarmUp(ctx, c.Scenario); err != nil {
			return nil, c.interrupted(ctx, done, total, err)
		}
	}
	for r := 1; r <= c.Runs; r++ {
		for k := range c.Parallelisms {
			i := k
			if r%2 == 0 {
				i = len(c.Parallelisms) - 1 - k // every other round backwards: a steady drift cancels in the medians
			}
			p := c.Parallelisms[i]
			last := journaled[slot{p, r}]
			var mt *Measurement
			if last != nil && c.final(last) {
				if mt, err = c.measurementOf(last); err != nil {
					return nil, err
				}
			} else {
				attempt := 1
				if last != nil {
					attempt = last.Attempt + 1
				}
				if mt, err = c.measure(ctx, p, r, attempt); err != nil {
					return nil, c.interrupted(ctx, done, total, err)
				}
			}
			ms.Runs[i] = append(ms.Runs[i], mt)
			done++
			if c.Progress != nil {
				c.Progress(done, total)
			}
		}
	}
	for i, p := range ms.Parallelisms {
		for r, mt := range ms.Runs[i] {
			d := mt.Trace.Disturbance
			if d == nil {
				continue
			}
			c.Probe.Judge(d)
			if d.Disturbed {
				c.logf("warning: %s run %d at parallelism %d was disturbed: %s\n", c.Measurer.Source(), r+1, p, d.Reason)
			}
		}
	}
	return ms, nil
}

// slot is a run's place in a campaign: its parallelism and its number there, from 1.
type slot struct{ p, run int }

// fromJournal is the last attempt the journal holds of each run of the campaign, and how many
// of the campaign's runs are final there; every reference reading the journal holds counts
// towards the campaign's best.
func (c *Campaign) fromJournal() (map[slot]*JournalEntry, int) {
	last := map[slot]*JournalEntry{}
	if c.Journal == nil {
		return last, 0
	}
	entries := c.Journal.Entries(c.JournalKey)
	for i := range entries {
		e := &entries[i]
		k := slot{e.Parallelism, e.Run}
		if prev := last[k]; prev == nil || e.Attempt >= prev.Attempt {
			last[k] = e
		}
		if d := e.Trace.Disturbance; d != nil {
			c.Probe.Observe(fromMs(d.ReferenceBeforeMs))
			c.Probe.Observe(fromMs(d.ReferenceAfterMs))
		}
	}
	n := 0
	for _, p := range c.Parallelisms {
		for r := 1; r <= c.Runs; r++ {
			if e := last[slot{p, r}]; e != nil && c.final(e) {
				n++
			}
		}
	}
	return last, n
}

// fromMs is ms milliseconds, to the nanosecond the reading had.
func fromMs(ms float64) time.Duration {
	return time.Duration(math.Round(ms * float64(time.Millisecond)))
}

// final says the journal's attempt e is the run's last: undisturbed, or out of retries.
func (c *Campaign) final(e *JournalEntry) bool { return !e.Disturbed || e.Attempt > c.RetryDisturbed }

// measurementOf is the measurement a journal entry holds.
func (c *Campaign) measurementOf(e *JournalEntry) (*Measurement, error) {
	plan, err := PlanOf(c.Scenario, e.Parallelism, e.Best)
	if err != nil {
		return nil, err
	}
	return &Measurement{Trace: e.Trace, Plan: plan, Best: e.Best, BestParams: e.BestParams, BestMetric: e.BestMetric, Attempts: e.Attempt}, nil
}

// measure makes run r at parallelism p, from attempt number attempt, again while it is disturbed
// and retries are left, writing each attempt to the journal.
func (c *Campaign) measure(ctx context.Context, p, r, attempt int) (*Measurement, error) {
	for ; ; attempt++ {
		w := c.Probe.Start()
		mt, err := c.Measurer.Measure(ctx, c.Scenario, p)
		if err != nil {
			return nil, err
		}
		mt.Trace.Disturbance = w.Stop()
		mt.Attempts = attempt
		d := mt.Trace.Disturbance
		if c.Journal != nil {
			e := JournalEntry{JournalKey: c.JournalKey, Parallelism: p, Run: r, Attempt: attempt, Best: mt.Best, BestParams: mt.BestParams,
				BestMetric: mt.BestMetric, MakespanS: mt.Trace.Metrics().Makespan.Seconds(), Disturbed: d.Disturbed, Trace: mt.Trace}
			if err := c.Journal.Append(e); err != nil {
				return nil, err
			}
		}
		if !d.Disturbed || attempt > c.RetryDisturbed {
			return mt, nil
		}
		c.logf("warning: %s run %d at parallelism %d was disturbed (%s); running it again (retry %d of %d)\n",
			c.Measurer.Source(), r, p, d.Reason, attempt, c.RetryDisturbed)
	}
}

// interrupted is err, said as an interruption when ctx was cancelled, with what the journal
// holds.
func (c *Campaign) interrupted(ctx context.Context, done, total int, err error) error {
	if ctx.Err() == nil {
		return err
	}
	msg := fmt.Sprintf("interrupted after %d of %d runs", done, total)
	if c.Journal != nil {
		msg += fmt.Sprintf("; the journal %s holds every finished run: the same command with the same --journal goes on from there", c.Journal.Path())
	}
	return fmt.Errorf("%s: %w", msg, ctx.Err())
}

func (c *Campaign) logf(format string, a ...any) {
	if c.Log != nil {
		fmt.Fprintf(c.Log, format, a...)
	}
}
