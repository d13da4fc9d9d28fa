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

// HarnessStages are the pipeline stages and evaluators tune.py builds, sorted: the units of
// estimators.Builtin that name their PySpark class (Unit.PySpark). tune.py learns them from the
// scenario package spark hands it (harnessUnits).
var HarnessStages = func() []string {
	var names []string
	for _, u := range estimators.Builtin {
		if u.PySpark != "" {
			names = append(names, u.Name)
		}
	}
	slices.Sort(names)
	return names
}()

// harnessUnit is what tune.py knows of a unit it builds: its param prefix, what it reads when it
// is the pipeline's first stage (so the data are generated as it reads them), its PySpark module
// and class, its kind and task.
type harnessUnit struct {
	Prefix string `json:"prefix"`
	Reads  string `json:"reads"`
	Module string `json:"module"`
	Class  string `json:"class"`
	Kind   string `json:"kind"`
	Task   string `json:"task"`
}

var (
	harnessReads = map[estimators.Data]string{estimators.Text: "text", estimators.Tokens: "tokens",
		estimators.Columns: "columns", estimators.Vectors: "vectors"}
	harnessKinds = map[estimators.Kind]string{estimators.Transformer: "transformer",
		estimators.FeatureEstimator: "feature_estimator", estimators.Predictor: "predictor", estimators.Evaluator: "evaluator"}
)

// harnessUnits is the table of the units tune.py builds (HarnessStages), by name, as it reads it
// from its scenario's "harness_units".
func harnessUnits() map[string]harnessUnit {
	units := map[string]harnessUnit{}
	for _, name := range HarnessStages {
		u, _ := estimators.Lookup(name)
		i := strings.LastIndex(u.PySpark, ".")
		units[name] = harnessUnit{Prefix: u.Prefix, Reads: harnessReads[u.Input], Module: u.PySpark[:max(i, 0)],
			Class: u.PySpark[i+1:], Kind: harnessKinds[u.Kind], Task: string(u.Task)}
	}
	return units
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

// harnessInput is the scenario file tune.py reads: the scenario and, under "harness_units", the
// table of the units it builds (harnessUnits). Only tune.py reads it: a scenario loaded by
// package scenarios has no such key.
type harnessInput struct {
	*scenarios.Scenario
	Units map[string]harnessUnit `json:"harness_units"`
}

// harnessInputOf is what package spark hands tune.py for scenario s.
func harnessInputOf(s *scenarios.Scenario) harnessInput {
	return harnessInput{Scenario: harnessScenario(s), Units: harnessUnits()}
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
