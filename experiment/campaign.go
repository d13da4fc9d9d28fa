package experiment

import (
	"context"
	"fmt"
	"io"

	"tunesim/hostload"
	"tunesim/scenarios"
)

// Campaign measures one scenario at several parallelisms, several runs each, watching the host
// around every run (package hostload): a run the host disturbed is flagged in its trace
// (trace.Disturbance) and, when RetryDisturbed allows, run again.
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
	// Progress, when set, is called after each run.
	Progress func(done, total int)
	// Warn, when set, receives a line for every run that was disturbed.
	Warn io.Writer
}

// Spawner is a Measurer whose runs are other processes (the Spark harness and the JVM it starts,
// which it does not wait for): the probe then counts their CPU time as the run's own.
type Spawner interface {
	SpawnsProcesses() bool
}

// Run measures every run (round-robin over parallelisms, so slow drift of the machine touches
// them alike), after the measurer's warm-up when it has one. When all runs are done, every run is
// judged again against the campaign's best reference reading (a run judged early was judged
// against fewer readings) and each disturbed run is reported to Warn.
func (c *Campaign) Run(ctx context.Context) (*Measured, error) {
	if c.Probe == nil {
		c.Probe = hostload.NewProbe()
	}
	if sp, ok := c.Measurer.(Spawner); ok && sp.SpawnsProcesses() {
		c.Probe.Descendants = true
	}
	ms := &Measured{Parallelisms: c.Parallelisms, Runs: make([][]*Measurement, len(c.Parallelisms)), Threshold: c.Probe.Threshold}
	if w, ok := c.Measurer.(Warmer); ok {
		if err := w.WarmUp(ctx, c.Scenario); err != nil {
			return nil, err
		}
	}
	total, done := len(c.Parallelisms)*c.Runs, 0
	for r := 0; r < c.Runs; r++ {
		for i, p := range c.Parallelisms {
			mt, err := c.measure(ctx, p, r)
			if err != nil {
				return nil, err
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
			c.Probe.Judge(d)
			if d.Disturbed && c.Warn != nil {
				fmt.Fprintf(c.Warn, "warning: %s run %d at parallelism %d was disturbed: %s\n", c.Measurer.Source(), r+1, p, d.Reason)
			}
		}
	}
	return ms, nil
}

// measure runs replica r at parallelism p, again while it is disturbed and retries are left.
func (c *Campaign) measure(ctx context.Context, p, r int) (*Measurement, error) {
	for attempt := 1; ; attempt++ {
		w := c.Probe.Start()
		mt, err := c.Measurer.Measure(ctx, c.Scenario, p)
		if err != nil {
			return nil, err
		}
		mt.Trace.Disturbance = w.Stop()
		mt.Attempts = attempt
		d := mt.Trace.Disturbance
		if !d.Disturbed || attempt > c.RetryDisturbed {
			return mt, nil
		}
		if c.Warn != nil {
			fmt.Fprintf(c.Warn, "warning: %s run %d at parallelism %d was disturbed (%s); running it again (retry %d of %d)\n",
				c.Measurer.Source(), r+1, p, d.Reason, attempt, c.RetryDisturbed)
		}
	}
}
