package scenarios

import (
	"fmt"
	"math"
	"strings"
)

// Limits on what a scenario may ask for.
const (
	MaxParallelism = 4096
	MaxSlots       = 1 << 20
	MaxPartitions  = 1 << 20
	MaxFolds       = 100
	MaxParamMaps   = 100000
	// MaxFeatures bounds data.features (vector size, columns or words per row).
	MaxFeatures = 1 << 20
)

func (s *Scenario) setDefaults() {
	if s.SparkVersion == "" {
		s.SparkVersion = "4"
	}
	if s.Scheduler.Mode == "" {
		s.Scheduler.Mode = "FIFO"
	}
	if s.Cost.Profile == "" {
		s.Cost.Profile = "gonum"
	}
	if s.Pipeline.Grid == nil {
		s.Pipeline.Grid = Grid{}
	}
}

// Validate checks every field's range; file names the source in errors.
func (s *Scenario) Validate(file string) error {
	bad := func(path, problem, allowed string) error {
		return &FieldError{File: file, Path: path, Problem: problem, Allowed: allowed}
	}
	intRange := func(path string, v, lo, hi int64) error {
		if v < lo || v > hi {
			return bad(path, fmt.Sprintf("%d is out of range", v), fmt.Sprintf("an integer from %d to %d", lo, hi))
		}
		return nil
	}
	if strings.TrimSpace(s.Name) == "" {
		return bad("name", "missing or empty", "a non-empty string")
	}
	switch s.SparkVersion {
	case "2", "3", "4":
	default:
		return bad("spark_version", fmt.Sprintf("%q is not a modelled version", s.SparkVersion), `"2", "3" or "4"`)
	}
	if err := s.Cluster.validate(bad); err != nil {
		return err
	}
	d := s.Data
	if d.Rows < 1 || d.Rows > 1e12 {
		return bad("data.rows", fmt.Sprintf("%d is out of range", d.Rows), "an integer from 1 to 10^12")
	}
	if err := intRange("data.features", int64(d.Features), 1, MaxFeatures); err != nil {
		return err
	}
	if err := intRange("data.partitions", int64(d.Partitions), 1, MaxPartitions); err != nil {
		return err
	}
	if int64(d.Partitions) > d.Rows {
		return bad("data.partitions", fmt.Sprintf("%d partitions for %d rows", d.Partitions, d.Rows), "at most data.rows partitions")
	}
	if !(d.Skew >= 0 && d.Skew < 1) {
		return bad("data.skew", fmt.Sprintf("%g is out of range", d.Skew), "a number in [0, 1): partition sizes run from (1-skew) to (1+skew) times the mean")
	}
	if err := s.validatePipeline(bad); err != nil {
		return err
	}
	t := s.Tuner
	switch t.Kind {
	case TrainValidationSplit:
		if !(t.TrainRatio > 0 && t.TrainRatio < 1) {
			return bad("tuner.train_ratio", fmt.Sprintf("%g is out of range", t.TrainRatio), "a number strictly between 0 and 1")
		}
		if min := minSplitRows(d, t.TrainRatio); min < 1 {
			return bad("tuner.train_ratio", fmt.Sprintf("%g leaves an empty split", t.TrainRatio), "a ratio that leaves rows on both sides")
		}
	case CrossValidator:
		if err := intRange("tuner.folds", int64(t.Folds), 2, MaxFolds); err != nil {
			return err
		}
		if int64(t.Folds) > d.Rows {
			return bad("tuner.folds", fmt.Sprintf("%d folds for %d rows", t.Folds, d.Rows), "at most data.rows folds")
		}
	default:
		return bad("tuner.kind", fmt.Sprintf("%q is not a tuner", t.Kind), `"train_validation_split" or "cross_validator"`)
	}
	if err := intRange("tuner.parallelism", int64(t.Parallelism), 1, MaxParallelism); err != nil {
		return err
	}
	switch s.Scheduler.Mode {
	case "FIFO", "FAIR":
	default:
		return bad("scheduler.mode", fmt.Sprintf("%q is not a scheduling mode", s.Scheduler.Mode), `"FIFO" or "FAIR"`)
	}
	if strings.TrimSpace(s.Cost.Profile) == "" {
		return bad("cost.profile", "empty", "a built-in profile name or a profile file")
	}
	if !(s.Noise.TaskCV >= 0 && s.Noise.TaskCV <= 2) {
		return bad("noise.task_cv", fmt.Sprintf("%g is out of range", s.Noise.TaskCV), "a number from 0 to 2")
	}
	return nil
}

// validate checks the cluster's fields (named cluster.<field> in errors made by bad).
func (c Cluster) validate(bad func(path, problem, allowed string) error) error {
	intRange := func(path string, v, lo, hi int64) error {
		if v < lo || v > hi {
			return bad(path, fmt.Sprintf("%d is out of range", v), fmt.Sprintf("an integer from %d to %d", lo, hi))
		}
		return nil
	}
	if err := intRange("cluster.executors", int64(c.Executors), 1, MaxSlots); err != nil {
		return err
	}
	if err := intRange("cluster.cores_per_executor", int64(c.CoresPerExecutor), 1, 65536); err != nil {
		return err
	}
	if c.Slots() > MaxSlots {
		return bad("cluster.executors", fmt.Sprintf("%d slots in all", c.Slots()), fmt.Sprintf("at most %d slots (executors x cores_per_executor)", MaxSlots))
	}
	if err := intRange("cluster.host_cores", int64(c.HostCores), 1, 65536); err != nil {
		return err
	}
	if c.DriverCores != 0 {
		if err := intRange("cluster.driver_cores", int64(c.DriverCores), 1, 65536); err != nil {
			return err
		}
	}
	return c.validateHosts(bad)
}

func minSplitRows(d Data, ratio float64) float64 {
	return math.Min(float64(d.Rows)*ratio, float64(d.Rows)*(1-ratio))
}
