package tuning

import (
	"fmt"
)

// TaskSet is what a scheduling policy sees of a stage with tasks waiting for a slot. The policies
// are Spark's TaskSet ordering, in one place for every executor of a plan (the simulator and the
// real run's slot pool).
type TaskSet struct {
	// JobID and StageID are Spark's ids; FIFO orders by them.
	JobID, StageID int
	// Pool is the scheduler pool the stage's job was submitted to (the tuner thread under FAIR).
	Pool int
	// PoolRunning is the number of tasks running in that pool.
	PoolRunning int
}

// Policy orders TaskSets: a free slot goes to the first TaskSet, in this order, with a task left.
type Policy interface {
	// Before reports whether a is offered slots before b.
	Before(a, b TaskSet) bool
}

// FIFO is Spark's default: the earliest job first, then its earliest stage
// (FIFOSchedulingAlgorithm: priority = job id, then stage id).
type FIFO struct{}

// Before implements Policy.
func (FIFO) Before(a, b TaskSet) bool {
	if a.JobID != b.JobID {
		return a.JobID < b.JobID
	}
	return a.StageID < b.StageID
}

// Fair is Spark's FAIR mode with one pool per tuner thread (each fit's thread setting
// spark.scheduler.pool, weight 1, minShare 0): the pool with the fewest running tasks first
// (FairSchedulingAlgorithm), FIFO within a pool. Without per-thread pools Spark's FAIR mode puts
// every job in the default pool, which behaves as FIFO.
type Fair struct{}

// Before implements Policy.
func (Fair) Before(a, b TaskSet) bool {
	if a.PoolRunning != b.PoolRunning {
		return a.PoolRunning < b.PoolRunning
	}
	if a.Pool != b.Pool {
		return a.Pool < b.Pool
	}
	return FIFO{}.Before(a, b)
}

// PolicyFor returns the policy of a scenario's scheduler mode.
func PolicyFor(mode string) (Policy, error) {
	switch mode {
	case "FIFO", "":
		return FIFO{}, nil
	case "FAIR":
		return Fair{}, nil
	}
	return nil, fmt.Errorf("scheduler.mode %q: allowed are FIFO, FAIR", mode)
}
