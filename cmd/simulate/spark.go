package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"tunesim/scenarios"
	"tunesim/spark"
	"tunesim/sparkenv"
)

func init() {
	register(&command{name: "spark", summary: "run the tuning on Apache Spark (PySpark harness) at each parallelism and measure it from its event logs", run: runSpark})
}

// sparkFlags are the flags of the commands that run Spark.
type sparkFlags struct {
	master, eventDir string
	noWarmup         bool
}

func (sf *sparkFlags) add(f *flags) {
	f.StringVar(&sf.master, "master", "", "Spark master `URL` (default: local[N] from the scenario; spark://, yarn and k8s:// run unchanged)")
	f.StringVar(&sf.eventDir, "event-dir", "", "keep Spark's event logs in `DIR` (default: a temporary directory, removed after)")
	f.BoolVar(&sf.noWarmup, "no-warmup", false, "skip the untagged warm-up run that loads Spark's classes and warms the JIT before the measured one")
}

// measurer finds the Spark environment and makes the event log directory; done removes a
// temporary one.
func (sf *sparkFlags) measurer() (m *sparkMeasurer, done func(), err error) {
	env, err := sparkenv.Find()
	if err != nil {
		return nil, nil, err
	}
	dir, done := sf.eventDir, func() {}
	if dir == "" {
		if dir, err = os.MkdirTemp("", "tunesim-eventlogs-"); err != nil {
			return nil, nil, err
		}
		done = func() { os.RemoveAll(dir) }
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, nil, fmt.Errorf("--event-dir: %w", err)
	}
	return &sparkMeasurer{env: env, master: sf.master, eventDir: dir, noWarmup: sf.noWarmup}, done, nil
}

// sparkMeasurer runs scenarios on Spark through the harness and reads their event logs back.
type sparkMeasurer struct {
	env      *sparkenv.Env
	master   string
	eventDir string
	noWarmup bool
}

func (*sparkMeasurer) source() string { return "spark" }

func (m *sparkMeasurer) measure(ctx context.Context, s *scenarios.Scenario, p int) (*measurement, error) {
	r, err := spark.Run(ctx, m.env, s, spark.Options{Parallelism: p, Master: m.master, EventDir: m.eventDir, NoWarmup: m.noWarmup,
		AppName: fmt.Sprintf("tunesim %s parallelism %d", s.Name, p)})
	if err != nil {
		return nil, err
	}
	t, _, err := spark.ReadRun(r.EventLog, s)
	if err != nil {
		return nil, err
	}
	plan, err := planOf(s, p, r.BestIndex)
	if err != nil {
		return nil, err
	}
	return &measurement{trace: t, plan: plan, bestParams: r.BestParamMap, bestMetric: r.BestMetric}, nil
}

func runSpark(args []string, c *cli) error {
	f := newFlags(c, "spark", "spark [-s SCENARIO] [--parallelism 1,3] [--runs N] [--master URL] [--event-dir DIR] [--no-warmup] [--trace FILE] [--timeline FILE] [--format table|json|csv] [-o FILE]")
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
	s, ms, err := mf.run(f, m, "running on Spark")
	if err != nil {
		return err
	}
	host := fmt.Sprintf("Spark %s (pyspark at %s), Java %d, master %s, %d CPUs", m.env.SparkVersion, filepath.Dir(m.env.SparkHome), m.env.JavaVersion, ms.runs[0][0].trace.Attrs["master"], runtime.NumCPU())
	return f.writeReport(ms.report(s, "spark", host))
}
