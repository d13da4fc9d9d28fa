package experiment

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"tunesim/scenarios"
	"tunesim/spark"
	"tunesim/sparkenv"
)

// Spark runs scenarios on Apache Spark through the harness (package spark) and reads their event
// logs back. The runs of one scenario share one application (a spark.Session): it starts, builds
// the data and warms up once, at WarmUp or at the first run; a run of another scenario ends it
// and starts that scenario's. Close ends the last one. A Spark is for one goroutine at a time.
type Spark struct {
	Env *sparkenv.Env
	// Master is Spark's master URL (empty: local[N] from the scenario).
	Master string
	// EventDir is where the event logs go.
	EventDir string
	// NoWarmup skips the harness's warm-up; WarmupBudget bounds it (0: the harness's 150 s).
	NoWarmup     bool
	WarmupBudget time.Duration

	sess    *spark.Session
	sessFor []byte // the scenario sess runs, as JSON
}

// NewSpark finds the Spark environment and makes the event log directory eventDir, or a temporary
// one when eventDir is empty; done ends the running application and removes a temporary
// directory.
func NewSpark(master, eventDir string, noWarmup bool) (m *Spark, done func(), err error) {
	env, err := sparkenv.Find()
	if err != nil {
		return nil, nil, err
	}
	dir, remove := eventDir, func() {}
	if dir == "" {
		if dir, err = os.MkdirTemp("", "tunesim-eventlogs-"); err != nil {
			return nil, nil, err
		}
		remove = func() { os.RemoveAll(dir) }
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, nil, fmt.Errorf("--event-dir: %w", err)
	}
	m = &Spark{Env: env, Master: master, EventDir: dir, NoWarmup: noWarmup}
	return m, func() { m.Close(); remove() }, nil
}

// WarmUp starts the application for s and warms it up (see spark.Options.NoWarmup), so that the
// first run is measured as warm as the others.
func (m *Spark) WarmUp(ctx context.Context, s *scenarios.Scenario) error {
	_, err := m.session(ctx, s)
	return err
}

// session is the application that runs s, started when there is none for s.
func (m *Spark) session(ctx context.Context, s *scenarios.Scenario) (*spark.Session, error) {
	key, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("scenario %s: %w", s.Name, err)
	}
	if m.sess != nil && bytes.Equal(key, m.sessFor) {
		return m.sess, nil
	}
	if err := m.Close(); err != nil {
		return nil, err
	}
	ss, err := spark.Start(ctx, m.Env, s, spark.Options{Master: m.Master, EventDir: m.EventDir, NoWarmup: m.NoWarmup,
		WarmupBudget: m.WarmupBudget, AppName: "tunesim " + s.Name})
	if err != nil {
		return nil, err
	}
	m.sess, m.sessFor = ss, key
	return ss, nil
}

// Close ends the running application, if any.
func (m *Spark) Close() error {
	if m.sess == nil {
		return nil
	}
	err := m.sess.Close()
	m.sess, m.sessFor = nil, nil
	return err
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

// Measure runs s on Spark at parallelism p, in the application of s's runs, and reads its event
// log into the run's trace.
func (m *Spark) Measure(ctx context.Context, s *scenarios.Scenario, p int) (*Measurement, error) {
	ss, err := m.session(ctx, s)
	if err != nil {
		return nil, err
	}
	r, err := ss.Run(ctx, p)
	if err != nil {
		m.Close()
		return nil, err
	}
	t, err := spark.ReadResult(r, s)
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
