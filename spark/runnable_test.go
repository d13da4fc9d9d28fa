package spark

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"tunesim/estimators"
	"tunesim/scenarios"
	"tunesim/sparkenv"
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

// TestHarnessTablesAgree: tune.py builds what the registry says. The scenario file package spark
// hands it carries harness_units, derived from every unit that names a PySpark class, which
// tune.py reads (the first stage's data, the classifier's classes); without it tune.py stops with
// an error naming the key. Where the Spark environment's Python is found, every module and class
// of the table is importable from PySpark.
func TestHarnessTablesAgree(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("no python3 to import tune.py with")
	}
	if len(HarnessStages) != len(estimators.Builtin) {
		t.Errorf("tune.py builds %v, not every unit of the registry", HarnessStages)
	}
	dir := t.TempDir()
	script, err := writeHarness(dir)
	if err != nil {
		t.Fatal(err)
	}
	names := scenarios.BuiltinNames()
	for _, name := range names {
		s, err := scenarios.Builtin(name)
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(harnessInputOf(s))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+".json"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// What tune.py makes of each: the first stage's columns, the predictor's unit; and the
	// table's classes, for the Spark environment's Python to import.
	code := `import json, sys, tune
out = {}
for name in sys.argv[2:]:
    s = tune.load_scenario(sys.argv[1] + "/" + name + ".json")
    out[name] = {"columns": tune.source_columns(s), "predictor": tune.unit(s, s["pipeline"]["stages"][-1]),
                 "units": tune.units_of(s)}
print(json.dumps(out))`
	cmd := exec.Command(py, append([]string{"-c", code, dir}, names...)...)
	cmd.Dir = filepath.Dir(script)
	cmd.Env = append(os.Environ(), "PYTHONDONTWRITEBYTECODE=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("tune.py reading the scenarios: %v\n%s", err, out)
	}
	var got map[string]struct {
		Columns   []string
		Predictor harnessUnit
		Units     map[string]harnessUnit
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("tune.py printed %q: %v", out, err)
	}
	firstColumns := map[estimators.Data]string{estimators.Text: "text", estimators.Tokens: "tokens", estimators.Vectors: "data", estimators.Columns: "x0"}
	for _, name := range names {
		s, _ := scenarios.Builtin(name)
		pl := s.Units()
		g := got[name]
		if len(g.Columns) == 0 || g.Columns[0] != firstColumns[pl.Stages[0].Input] {
			t.Errorf("%s: tune.py reads %v first, its %s reads %v", name, g.Columns, pl.Stages[0].Name, pl.Stages[0].Input)
		}
		if p := pl.Predictor(); g.Predictor.Task != string(p.Task) || g.Predictor.Prefix != p.Prefix || g.Predictor.Kind != "predictor" {
			t.Errorf("%s: tune.py's predictor %+v; the registry's %s: task %s, prefix %s", name, g.Predictor, p.Name, p.Task, p.Prefix)
		}
		if len(g.Units) != len(HarnessStages) {
			t.Errorf("%s: tune.py knows %d units, HarnessStages %d", name, len(g.Units), len(HarnessStages))
		}
		for n, hu := range g.Units {
			u, ok := estimators.Lookup(n)
			if !ok || hu.Module+"."+hu.Class != u.PySpark || hu.Prefix != u.Prefix || hu.Reads == "" || hu.Kind == "" {
				t.Errorf("%s: tune.py's unit %s %+v; the registry's %+v", name, n, hu, u)
			}
		}
	}

	// Without the table, tune.py says what is missing.
	bare := filepath.Join(dir, "bare.json")
	if err := os.WriteFile(bare, []byte(`{"data": {}, "pipeline": {}, "tuner": {}, "cluster": {}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd = exec.Command(py, "-c", "import sys, tune; tune.load_scenario(sys.argv[1])", bare)
	cmd.Dir = filepath.Dir(script)
	cmd.Env = append(os.Environ(), "PYTHONDONTWRITEBYTECODE=1")
	out, err = cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "harness_units") {
		t.Errorf("tune.py on a scenario without harness_units: %v, %q; want a failure naming the key", err, out)
	}

	env, err := sparkenv.Find()
	if err != nil {
		t.Logf("not importing the PySpark classes: no Spark environment: %v", err)
		return
	}
	var classes []string
	for _, hu := range harnessUnits() {
		classes = append(classes, hu.Module+"."+hu.Class)
	}
	code = `import importlib, sys
for c in sys.argv[1:]:
    m, _, n = c.rpartition(".")
    getattr(importlib.import_module(m), n)`
	cmd = exec.Command(env.Python, append([]string{"-c", code}, classes...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("PySpark lacks a class of the harness's table: %v\n%s", err, out)
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
