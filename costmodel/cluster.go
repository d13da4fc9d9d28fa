package costmodel

import (
	"fmt"
	"math"
	"time"
)

// ClusterCosts are what running on a cluster adds to the operations' costs, where executors are
// JVMs of their own and the driver is elsewhere (a scenario with cluster.local false): local mode
// has none of it, or has it inside the operations' calibrated costs. Each term says where its
// number comes from. A profile without them simulates a cluster as it does local mode.
type ClusterCosts struct {
	// TaskLaunch is the driver's CPU per task launched, before the executor starts it: serializing
	// the task and sending it (TaskSetManager.resourceOffer, CoarseGrainedSchedulerBackend's
	// launchTasks). It runs on the driver's host while the task holds its slot.
	TaskLaunch *ClusterTerm `json:"task_launch,omitempty"`
	// TaskResult is the driver's CPU per task result, after the executor's work: the result's RPC,
	// deserializing it (TaskResultGetter) and handling the task's end. The slot is held meanwhile.
	TaskResult *ClusterTerm `json:"task_result,omitempty"`
	// ExecutorColdStart is the extra CPU of each executor's first task in the application: a
	// fresh JVM loading Spark's classes and compiling its code (JIT) as it goes.
	ExecutorColdStart *ClusterTerm `json:"executor_cold_start,omitempty"`
	// LocalityWait is spark.locality.wait: how long a TaskSet whose tasks prefer the executors that
	// cached their blocks declines other free slots before it takes a slot on the block's host,
	// and as long again before any slot (delay scheduling). Absent: locality is not modelled.
	LocalityWait *ClusterTerm `json:"locality_wait,omitempty"`
}

// ClusterTerm is one cluster cost: seconds, and where the number comes from.
type ClusterTerm struct {
	S      float64 `json:"s"`
	Source string  `json:"source"`
	// Samples is how many observations fitted it (0 when not fitted).
	Samples int `json:"samples,omitempty"`
}

// seconds is the term's duration (0 for an absent term).
func (t *ClusterTerm) seconds() time.Duration {
	if t == nil {
		return 0
	}
	return seconds(t.S)
}

// check says what is wrong with the terms, naming the field.
func (c *ClusterCosts) check() error {
	if c == nil {
		return nil
	}
	for _, t := range []struct {
		name string
		term *ClusterTerm
	}{{"task_launch", c.TaskLaunch}, {"task_result", c.TaskResult}, {"executor_cold_start", c.ExecutorColdStart}, {"locality_wait", c.LocalityWait}} {
		if t.term == nil {
			continue
		}
		if t.term.S < 0 || math.IsNaN(t.term.S) || t.term.S > 3600 {
			return fmt.Errorf("cluster.%s.s = %v: allowed are seconds from 0 to 3600", t.name, t.term.S)
		}
		if t.term.Source == "" {
			return fmt.Errorf("cluster.%s: no source: say where the number comes from", t.name)
		}
	}
	return nil
}

// ClusterOverheads are the costs of running on a cluster (see ClusterCosts) as the simulator
// takes them; all zero (and Locality false) for a model that has none.
type ClusterOverheads struct {
	TaskLaunch, TaskResult, ExecutorColdStart time.Duration
	// Locality says tasks prefer the executor that cached their block, waiting up to
	// LocalityWait per locality level for it (delay scheduling).
	Locality     bool
	LocalityWait time.Duration
	// ColdStage is what more a task costs, times its work, on an executor JVM that has not
	// finished one of its stage (of its fit) yet: a JVM of its own loads, generates and compiles
	// the stage's code for itself and runs it interpreted at first, where the one JVM of local
	// mode had it at hand (docs/validation/2026-12-07-cold.md: such tasks cost 1.46x, 1.99x and
	// 2.65x the local task's CPU with 1, 2 and 3 executors sharing a host, the later ones 1.2x).
	// A profile has none; whatif gives it from a local log (Measured.WithColdStage).
	ColdStage float64
}

// Cluster is the profile's cluster costs.
func (p *Profile) Cluster() ClusterOverheads {
	c := p.ClusterCosts
	if c == nil {
		return ClusterOverheads{}
	}
	return ClusterOverheads{
		TaskLaunch: c.TaskLaunch.seconds(), TaskResult: c.TaskResult.seconds(), ExecutorColdStart: c.ExecutorColdStart.seconds(),
		Locality: c.LocalityWait != nil, LocalityWait: c.LocalityWait.seconds(),
	}
}

// Clustered is a Model that prices what running on a cluster adds (a Profile and a Measured do).
type Clustered interface {
	Cluster() ClusterOverheads
}

// SparkLocalityWait is Spark's default spark.locality.wait (3 s; core/src/main/scala/org/apache/
// spark/internal/config/package.scala, LOCALITY_WAIT), which spark/tune.py leaves as it is.
const SparkLocalityWait = 3.0

// SparkLocalityWaitSource is the source of a locality wait of SparkLocalityWait.
const SparkLocalityWaitSource = "Spark's default spark.locality.wait, 3s (core/.../internal/config/package.scala), which spark/tune.py leaves as it is"

// AttrDriverHost is the key of a trace's Attrs that names the executors' host the driver ran on,
// when it shared one (a simulated run of cluster.hosts, a Spark run of a standalone cluster on
// this machine): calibration then counts the driver's threads among that host's.
const AttrDriverHost = "driver_host"
