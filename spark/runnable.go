package spark

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"tunesim/estimators"
	"tunesim/scenarios"
)

// ErrNotRunnable is wrapped by Runnable's error: the harness does not build the scenario's pipeline.
var ErrNotRunnable = errors.New("not runnable on Spark by the harness")

// HarnessStages are the pipeline stages and evaluators tune.py builds (its STAGES and EVALUATORS
// tables): every unit of estimators.Builtin so far.
var HarnessStages = []string{
	"tokenizer", "hashing_tf", "vector_assembler", "standard_scaler", "pca",
	"linear_regression", "logistic_regression", "random_forest_classifier", "random_forest_regressor",
	"gbt_classifier", "gbt_regressor", "kmeans",
	"regression_evaluator", "binary_classification_evaluator", "multiclass_classification_evaluator", "clustering_evaluator",
}

// Runnable says whether the harness (tune.py) builds the scenario's pipeline: every stage and the
// evaluator must be one it knows, and the grid may search the stages' params only (a tuner does
// not set its evaluator's).
func Runnable(s *scenarios.Scenario) error {
	if err := s.Validate("scenario " + s.Name); err != nil {
		return err
	}
	pl := s.Units()
	for _, u := range append(slices.Clone(pl.Stages), pl.Evaluator) {
		if !slices.Contains(HarnessStages, u.Name) {
			return fmt.Errorf("%w: scenario %s's %s %s: tune.py builds %s (run it with your own PySpark script and read its event log with simulate whatif)",
				ErrNotRunnable, s.Name, kindName(u.Kind), u.Name, strings.Join(HarnessStages, ", "))
		}
	}
	for _, p := range s.Pipeline.Grid {
		if strings.HasPrefix(p.Name, pl.Evaluator.Prefix+".") {
			return fmt.Errorf("%w: scenario %s searches %s in pipeline.grid: a tuner sets its estimator's params, not its evaluator's (fix it in pipeline.params)", ErrNotRunnable, s.Name, p.Name)
		}
	}
	return nil
}

func kindName(k estimators.Kind) string {
	if k == estimators.Evaluator {
		return "evaluator"
	}
	return "stage"
}

// harnessScenario is s as tune.py takes it: the evaluator named (the predictor's default when s
// names none), data.classes set for a classifier, tunesim's own model inputs (such as
// logreg.iterations, which are not Spark params) left out of pipeline.params, and string params
// spelt as Spark spells them.
func harnessScenario(s *scenarios.Scenario) *scenarios.Scenario {
	h := *s
	pl := s.Units()
	h.Pipeline.Evaluator = pl.Evaluator.Name
	if pl.Predictor().Task == estimators.Classification {
		h.Data.Classes = pl.Classes
	}
	units := append(slices.Clone(pl.Stages), pl.Evaluator)
	h.Pipeline.Params = nil
	for _, st := range s.Pipeline.Params {
		p := paramOf(units, st.Name)
		if p == nil || p.Model {
			continue
		}
		if st.IsStr {
			for _, c := range p.Choices {
				if strings.EqualFold(c, st.Str) {
					st.Str = c
				}
			}
		}
		h.Pipeline.Params = append(h.Pipeline.Params, st)
	}
	return &h
}

// paramOf is the param "<prefix>.<name>" of one of units.
func paramOf(units []*estimators.Unit, full string) *estimators.Param {
	prefix, name, _ := strings.Cut(full, ".")
	for _, u := range units {
		if u.Prefix == prefix {
			if p, ok := u.Param(name); ok {
				return p
			}
		}
	}
	return nil
}
