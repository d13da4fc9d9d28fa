package spark

import (
	"errors"
	"fmt"
	"strings"

	"tunesim/scenarios"
)

// ErrNotRunnable is wrapped by Runnable's error: the harness does not build the scenario's pipeline.
var ErrNotRunnable = errors.New("not runnable on Spark by the harness")

// Runnable says whether the harness (tune.py) builds the scenario's pipeline: it builds
// Pipeline([PCA,] LinearRegression) with RegressionEvaluator from the grid alone, so any other
// stage, evaluator or fixed param (pipeline.params) would run a different tuning than the one
// simulated.
func Runnable(s *scenarios.Scenario) error {
	for _, st := range s.Pipeline.Stages {
		if st != "pca" && st != "linear_regression" {
			return fmt.Errorf("%w: scenario %s's stages %s: tune.py builds Pipeline([PCA,] LinearRegression) only (the simulator models the others from Spark's source; run them with your own PySpark script and read its event log with simulate whatif)",
				ErrNotRunnable, s.Name, strings.Join(s.Pipeline.Stages, " -> "))
		}
	}
	if len(s.Pipeline.Params) > 0 || (s.Pipeline.Evaluator != "" && s.Pipeline.Evaluator != "regression_evaluator") {
		return fmt.Errorf("%w: scenario %s fixes pipeline.params or names an evaluator; tune.py takes the grid and RegressionEvaluator only", ErrNotRunnable, s.Name)
	}
	return nil
}
