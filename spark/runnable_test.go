package spark

import (
	"encoding/json"
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"

	"tunesim/estimators"
	"tunesim/scenarios"
)

// TestRunnableByTheHarness: every built-in scenario runs on Spark through tune.py; a grid that
// searches the evaluator's params is refused before Python starts.
func TestRunnableByTheHarness(t *testing.T) {
	for _, name := range scenarios.BuiltinNames() {
		s, err := scenarios.Builtin(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := Runnable(s); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	s, err := scenarios.Builtin("text-logreg")
	if err != nil {
		t.Fatal(err)
	}
	s.Pipeline.Grid = append(s.Pipeline.Grid, scenarios.Param{Name: "evaluator.numBins", Values: []float64{100, 1000}})
	if err := Runnable(s); !errors.Is(err, ErrNotRunnable) || !strings.Contains(err.Error(), "evaluator.numBins") {
		t.Errorf("a grid over evaluator.numBins: %v; want it refused, naming the param", err)
	}
}

// TestHarnessTablesAgree: HarnessStages are the stages and evaluators tune.py's STAGES and
// EVALUATORS tables build, each a unit of the registry with the same param prefix.
func TestHarnessTablesAgree(t *testing.T) {
	var py []string
	prefixes := map[string]string{}
	for _, table := range []string{"STAGES", "EVALUATORS"} {
		i := strings.Index(string(harness), "\n"+table+" = {")
		if i < 0 {
			t.Fatalf("tune.py has no table %s", table)
		}
		body := string(harness)[i:]
		body = body[:strings.Index(body, "\n}")]
		for _, m := range regexp.MustCompile(`(?m)^\s+"([a-z_]+)": \(?"([A-Za-z]+)"`).FindAllStringSubmatch(body, -1) {
			py = append(py, m[1])
			if table == "STAGES" {
				prefixes[m[1]] = m[2]
			}
		}
	}
	slices.Sort(py)
	want := slices.Sorted(slices.Values(HarnessStages))
	if !slices.Equal(py, want) {
		t.Errorf("tune.py builds %v; HarnessStages says %v", py, want)
	}
	for name, prefix := range prefixes {
		u, ok := estimators.Lookup(name)
		if !ok || u.Prefix != prefix {
			t.Errorf("tune.py's %s has prefix %q; the registry's unit %v", name, prefix, u)
		}
	}
}

// TestHarnessScenario: the scenario tune.py reads names the evaluator and the classes, keeps only
// Spark params, spelt as Spark spells their values.
func TestHarnessScenario(t *testing.T) {
	s, err := scenarios.Builtin("text-logreg")
	if err != nil {
		t.Fatal(err)
	}
	s.Pipeline.Evaluator, s.Data.Classes = "", 0
	s.Pipeline.Params = append(s.Pipeline.Params, scenarios.Setting{Name: "logreg.family", Str: "BINOMIAL", IsStr: true},
		scenarios.Setting{Name: "evaluator.metricName", Str: "areaunderpr", IsStr: true})
	b, err := json.Marshal(harnessScenario(s))
	if err != nil {
		t.Fatal(err)
	}
	var h struct {
		Data     struct{ Classes int }
		Pipeline struct {
			Evaluator string
			Params    map[string]any
		}
	}
	if err := json.Unmarshal(b, &h); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"logreg.maxIter": 10.0, "logreg.family": "binomial", "evaluator.metricName": "areaUnderPR"}
	if h.Pipeline.Evaluator != "binary_classification_evaluator" || h.Data.Classes != 2 || !equalMaps(h.Pipeline.Params, want) {
		t.Errorf("harness scenario: evaluator %q, classes %d, params %v; want binary_classification_evaluator, 2, %v", h.Pipeline.Evaluator, h.Data.Classes, h.Pipeline.Params, want)
	}
	if s.Pipeline.Evaluator != "" || len(s.Pipeline.Params) != 4 {
		t.Error("harnessScenario changed the scenario it was given")
	}
}

func equalMaps(a, b map[string]any) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
