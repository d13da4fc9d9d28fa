package experiment

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"tunesim/scenarios"
	"tunesim/spark"
	"tunesim/sparkenv"
)

// Spark runs scenarios on Apache Spark through the harness (package spark) and reads their event
// logs back.
type Spark struct {
	Env *sparkenv.Env
	// Master is Spark's master URL (empty: local[N] from the scenario).
	Master string
	// EventDir is where the event logs go.
	EventDir string
	// NoWarmup skips the harness's untagged warm-up run.
	NoWarmup bool
}

// NewSpark finds the Spark environment and makes the event log directory eventDir, or a temporary
// one when eventDir is empty; done removes a temporary directory (and does nothing otherwise).
func NewSpark(master, eventDir string, noWarmup bool) (m *Spark, done func(), err error) {
	env, err := sparkenv.Find()
	if err != nil {
		return nil, nil, err
	}
	dir, done := eventDir, func() {}
	if dir == "" {
		if dir, err = os.MkdirTemp("", "tunesim-eventlogs-"); err != nil {
			return nil, nil, err
		}
		done = func() { os.RemoveAll(dir) }
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, nil, fmt.Errorf("--event-dir: %w", err)
	}
	return &Spark{Env: env, Master: master, EventDir: dir, NoWarmup: noWarmup}, done, nil
}

// SpawnsProcesses is true: each run is the harness's Python and the JVM it starts.
func (*Spark) SpawnsProcesses() bool { return true }

// Adopts says a process, by its command line, is an executor of the run's on this machine: on a
// standalone master (spark://), the executors are JVMs the cluster's workers start
// (CoarseGrainedExecutorBackend), not the harness's descendants, and their CPU is the run's.
func (m *Spark) Adopts(cmdline []byte) bool {
	return strings.HasPrefix(m.Master, "spark://") && bytes.Contains(cmdline, []byte("\x00org.apache.spark.executor.CoarseGrainedExecutorBackend\x00"))
}

// Source is "spark".
func (*Spark) Source() string { return "spark" }

// Measure runs s on Spark at parallelism p and reads its event log into the run's trace.
func (m *Spark) Measure(ctx context.Context, s *scenarios.Scenario, p int) (*Measurement, error) {
	r, err := spark.Run(ctx, m.Env, s, spark.Options{Parallelism: p, Master: m.Master, EventDir: m.EventDir, NoWarmup: m.NoWarmup,
		AppName: fmt.Sprintf("tunesim %s parallelism %d", s.Name, p)})
	if err != nil {
		return nil, err
	}
	t, _, err := spark.ReadRun(r.EventLog, s)
	if err != nil {
		return nil, err
	}
	AnnotateHosts(t)
	plan, err := PlanOf(s, p, r.BestIndex)
	if err != nil {
		return nil, err
	}
	return &Measurement{Trace: t, Plan: plan, Best: r.BestIndex, BestParams: r.BestParamMap, BestMetric: r.BestMetric}, nil
}

// Host describes the Spark the runs of ms ran on.
func (m *Spark) Host(ms *Measured) string {
	return fmt.Sprintf("Spark %s (pyspark at %s), Java %d, master %s, %d CPUs", m.Env.SparkVersion, filepath.Dir(m.Env.SparkHome), m.Env.JavaVersion, ms.First().Trace.Attrs["master"], runtime.NumCPU())
}
