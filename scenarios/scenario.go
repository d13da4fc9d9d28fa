// Package scenarios defines a tuning scenario — the cluster, the data, the pipeline and its grid,
// the tuner and its parallelism — and loads it strictly from JSON: an unknown field, a wrong type or
// an out-of-range value is an error naming the file, the field's JSON path and what is allowed.
// Built-in scenarios are embedded in the binary.
package scenarios

import (
	"fmt"
	"strconv"
	"strings"
)

// Scenario is everything that decides how a tuning run is scheduled.
type Scenario struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// Seed drives data generation, splits and duration noise.
	Seed uint64 `json:"seed"`
	// SparkVersion is the major version whose jobs the plan follows: "2", "3" or "4".
	SparkVersion string    `json:"spark_version"`
	Cluster      Cluster   `json:"cluster"`
	Data         Data      `json:"data"`
	Pipeline     Pipeline  `json:"pipeline"`
	Tuner        Tuner     `json:"tuner"`
	Scheduler    Scheduler `json:"scheduler"`
	Cost         Cost      `json:"cost"`
	Noise        Noise     `json:"noise"`

	// Dir is the directory of the file the scenario came from ("" for a built-in); relative
	// profile paths are resolved against it.
	Dir string `json:"-"`
}

// Cluster is the executors and the hosts they run on.
type Cluster struct {
	// Local puts the driver on the first executor's host, sharing its cores: Spark's local mode
	// (local[N]) when there is one executor; with more, like a driver in client mode on a worker.
	Local bool `json:"local"`
	// Executors is the number of executors (1 in local mode).
	Executors int `json:"executors"`
	// CoresPerExecutor is the task slots per executor (spark.executor.cores / spark.task.cpus;
	// N of local[N]).
	CoresPerExecutor int `json:"cores_per_executor"`
	// HostCores is the physical CPUs of each executor's host; running threads beyond it share them.
	HostCores int `json:"host_cores"`
	// DriverCores is the physical CPUs of the driver's host when it is not local and has a host of
	// its own (default HostCores).
	DriverCores int `json:"driver_cores,omitempty"`
	// Hosts, when given, places the executors and the driver on shared hosts (several executors
	// on one host, the driver on one of them or on its own); see Placement. Without it every
	// executor has a host of host_cores CPUs to itself.
	Hosts []Host `json:"hosts,omitempty"`
}

// Slots is the total number of task slots.
func (c Cluster) Slots() int { return c.Executors * c.CoresPerExecutor }

// SharedDriverHost is the index in Hosts of the host that holds the driver and executors of the
// cluster, -1 when the driver shares its host with none.
func (c Cluster) SharedDriverHost() int {
	for i, h := range c.Hosts {
		if h.Driver && h.Executors > 0 {
			return i
		}
	}
	return -1
}

// DriverHostCores is the CPUs the driver's threads share: the executor host's in local mode, the
// host's that holds it in cluster.hosts.
func (c Cluster) DriverHostCores() int {
	for _, h := range c.Hosts {
		if h.Driver {
			return c.coresOf(h)
		}
	}
	if c.Local || c.DriverCores == 0 {
		return c.HostCores
	}
	return c.DriverCores
}

// Data is the generated data set.
type Data struct {
	Rows int64 `json:"rows"`
	// Features is the vector size of each row; the numeric columns before a vector_assembler, or
	// the words per row of a text pipeline (one starting with a tokenizer).
	Features   int `json:"features"`
	Partitions int `json:"partitions"`
	// Skew spreads partition sizes linearly from (1-skew) to (1+skew) times the mean; 0 is even.
	Skew float64 `json:"skew"`
	// Classes is the number of distinct labels, for classifiers (0: 2 when a classifier needs them).
	Classes int `json:"classes,omitempty"`
}

// Pipeline is the stages, their params (searched over in the grid or fixed) and the evaluator.
type Pipeline struct {
	// Stages are pipeline stages tunesim models (package estimators), in order; the last one is
	// the predictor, e.g. ["pca", "linear_regression"].
	Stages []string `json:"stages"`
	// Grid maps params ("<stage prefix>.<param>") to their values, in ParamGridBuilder order.
	Grid Grid `json:"grid"`
	// Params fixes params for every param map: numbers, strings (a solver, a family) and inputs of
	// the model that are not Spark params (expected iterations).
	Params Settings `json:"params,omitempty"`
	// Evaluator names the evaluator (default: the predictor's usual one).
	Evaluator string `json:"evaluator,omitempty"`
}

// Tuner kinds.
const (
	TrainValidationSplit = "train_validation_split"
	CrossValidator       = "cross_validator"
)

// Tuner is the CrossValidator or TrainValidationSplit and its parallelism.
type Tuner struct {
	Kind string `json:"kind"`
	// Folds is CrossValidator's numFolds (ignored by TrainValidationSplit).
	Folds int `json:"folds,omitempty"`
	// TrainRatio is TrainValidationSplit's trainRatio (ignored by CrossValidator).
	TrainRatio float64 `json:"train_ratio,omitempty"`
	// Parallelism is the number of fits run at once (>= 1).
	Parallelism int `json:"parallelism"`
}

// Rounds is the number of rounds of all param maps: folds for CrossValidator, 1 otherwise.
func (t Tuner) Rounds() int {
	if t.Kind == CrossValidator {
		return t.Folds
	}
	return 1
}

// Scheduler is Spark's task scheduling mode.
type Scheduler struct {
	// Mode is "FIFO" (Spark's default) or "FAIR".
	Mode string `json:"mode"`
}

// Cost names the cost profile: a built-in name or a profile file.
type Cost struct {
	Profile string `json:"profile"`
}

// Noise is seeded random variation of task durations.
type Noise struct {
	// TaskCV is the coefficient of variation of each task's duration (lognormal, mean preserved).
	TaskCV float64 `json:"task_cv"`
}

// Param is one grid dimension: a Spark param and its values.
type Param struct {
	Name   string
	Values []float64
}

// Grid is an ordered list of params; its JSON form is an object whose key order is kept.
type Grid []Param

// ParamMap is one point of the grid: a value per param, in grid order.
type ParamMap []ParamValue

// ParamValue is one param's value in a param map.
type ParamValue struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"`
}

// Get returns the value of the named param and whether the map sets it.
func (m ParamMap) Get(name string) (float64, bool) {
	for _, p := range m {
		if p.Name == name {
			return p.Value, true
		}
	}
	return 0, false
}

// String is the map as Spark prints params, e.g. "pca.k=15 lr.regParam=0.001".
func (m ParamMap) String() string {
	parts := make([]string, len(m))
	for i, p := range m {
		parts[i] = p.Name + "=" + strconv.FormatFloat(p.Value, 'g', -1, 64)
	}
	return strings.Join(parts, " ")
}

// Map is the param map as a name -> value map (for JSON output).
func (m ParamMap) Map() map[string]float64 {
	out := make(map[string]float64, len(m))
	for _, p := range m {
		out[p.Name] = p.Value
	}
	return out
}

// ParamMaps expands the grid as Spark's ParamGridBuilder does: the first param varies slowest.
// An empty grid is one empty param map.
func (g Grid) ParamMaps() []ParamMap {
	maps := []ParamMap{{}}
	for _, p := range g {
		next := make([]ParamMap, 0, len(maps)*len(p.Values))
		for _, m := range maps {
			for _, v := range p.Values {
				nm := make(ParamMap, len(m), len(m)+1)
				copy(nm, m)
				next = append(next, append(nm, ParamValue{p.Name, v}))
			}
		}
		maps = next
	}
	return maps
}

// String names the scenario briefly, for titles and progress lines.
func (s *Scenario) String() string {
	mode := fmt.Sprintf("%d x %d slots", s.Cluster.Executors, s.Cluster.CoresPerExecutor)
	if s.Cluster.Local && s.Cluster.Executors == 1 {
		mode = fmt.Sprintf("local[%d]", s.Cluster.CoresPerExecutor)
	}
	hosts := fmt.Sprintf("%d-core hosts", s.Cluster.HostCores)
	if n := len(s.Cluster.Hosts); n > 0 {
		hosts = fmt.Sprintf("%d shared hosts", n)
	}
	return fmt.Sprintf("%s (%s on %s, %d x %d in %d partitions, %d param maps, %s)",
		s.Name, mode, hosts, s.Data.Rows, s.Data.Features, s.Data.Partitions,
		len(s.Pipeline.Grid.ParamMaps()), s.Tuner.Kind)
}
