package main

import (
	"context"
	"strings"
	"time"

	"tunesim/experiment"
	"tunesim/scenarios"
	"tunesim/spark"
)

func init() {
	register(&command{name: "spark", summary: "run the tuning on Apache Spark (PySpark harness) at each parallelism and measure it from its event logs", run: runSpark})
}

// sparkFlags are the flags of the commands that run Spark.
type sparkFlags struct {
	master, eventDir string
	noWarmup         bool
	warmup           time.Duration
}

func (sf *sparkFlags) add(f *flags) {
	f.StringVar(&sf.master, "master", "", "Spark master `URL` (default: local[N] from the scenario; spark://, yarn and k8s:// run unchanged)")
	f.StringVar(&sf.eventDir, "event-dir", "", "keep Spark's event logs in `DIR` (default: a temporary directory, removed after)")
	f.BoolVar(&sf.noWarmup, "no-warmup", false, "skip the warm-up (untagged serial tunings, until one takes within 5% of the one before or they have taken --warmup) that loads Spark's classes and warms the JIT before the measured runs (the first run then pays for the cold JVMs)")
	f.DurationVar(&sf.warmup, "warmup", 150*time.Second, "stop the warm-up's serial tunings once they have taken `D` (at least two run); longer warm-ups leave less drift in the runs")
}

// measurer finds the Spark environment and makes the event log directory; done removes a
// temporary one. On a standalone master (spark://) the scenario's cluster is checked against
// the master's before the first run.
func (sf *sparkFlags) measurer() (m *standaloneChecked, done func(), err error) {
	sm, done, err := experiment.NewSpark(sf.master, sf.eventDir, sf.noWarmup)
	if err != nil {
		return nil, nil, err
	}
	if sf.warmup <= 0 {
		done()
		return nil, nil, badUsage("--warmup %v: must be more than 0 (--no-warmup skips it)", sf.warmup)
	}
	sm.WarmupBudget = sf.warmup
	return &standaloneChecked{sm}, done, nil
}

// measurerFor is what --against names: real runs, or Spark through these flags; done releases
// it. Another value is a usage error.
func (sf *sparkFlags) measurerFor(against string) (m experiment.Measurer, done func(), err error) {
	switch against {
	case "real":
		return experiment.Real{}, func() {}, nil
	case "spark":
		return sf.measurer()
	}
	return nil, nil, badUsage("--against %q: allowed are real and spark", against)
}

// standaloneChecked is a Spark measurer whose warm-up first checks that a standalone master can
// run the scenario as its cluster says (spark.CheckMaster): a mismatch is bad input.
type standaloneChecked struct{ *experiment.Spark }

// WarmUp implements experiment.Warmer.
func (m *standaloneChecked) WarmUp(ctx context.Context, s *scenarios.Scenario) error {
	if strings.HasPrefix(m.Master, "spark://") {
		if err := spark.CheckMaster(ctx, s, m.Master); err != nil {
			return badInput(err)
		}
	}
	if w, ok := any(m.Spark).(experiment.Warmer); ok {
		return w.WarmUp(ctx, s)
	}
	return nil
}

func runSpark(args []string, c *cli) error {
	f := newFlags(c, "spark", "spark [-s SCENARIO] [--parallelism 1,3] [--runs N] [--retry-disturbed N] [--journal FILE] [--master URL] [--event-dir DIR] [--no-warmup] [--warmup D] [--trace FILE] [--timeline FILE] [--format table|json|csv] [-o FILE]")
	var mf measureFlags
	mf.add(f, "Spark")
	var sf sparkFlags
	sf.add(f)
	f.outputFlags()
	if err := f.parse(args); err != nil {
		return err
	}
	m, done, err := sf.measurer()
	if err != nil {
		return err
	}
	defer done()
	s, ms, err := mf.run(f, m, "running on Spark", 0, sf.master)
	if err != nil {
		return err
	}
	return f.writeMeasured(newMeasuredReport(ms, s, "spark", m.Host(ms)))
}
