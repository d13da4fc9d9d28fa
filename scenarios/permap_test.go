package scenarios

import (
	"errors"
	"strings"
	"testing"
)

const perMapScenario = `{"name": "per-map", "seed": 1, "spark_version": "4",
	"cluster": {"local": true, "executors": 1, "cores_per_executor": 2, "host_cores": 2},
	"data": {"rows": 1000, "features": 10, "partitions": 2, "classes": 2},
	"pipeline": {"stages": ["logistic_regression"],
		"grid": {"logreg.regParam": [0.1, 0.01, 0.001], "logreg.elasticNetParam": [0, 0.5]},
		"params": {"logreg.maxIter": 20, "logreg.iterations": %s}},
	"tuner": {"kind": "train_validation_split", "train_ratio": 0.75, "parallelism": 1}}`

// TestPerParamMapSettings: a model input given per param map (as calibrate writes learned
// iterations) gives each param map its own value, in grid order, and writes back as it was read.
func TestPerParamMapSettings(t *testing.T) {
	s, err := Parse("per-map.json", []byte(strings.Replace(perMapScenario, "%s", "[3, 4, 5, 6, 7, 8]", 1)))
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range s.Pipeline.Grid.ParamMaps() {
		if got := s.Pipeline.Grid.Index(m); got != i {
			t.Errorf("param map %d (%v): Index %d", i, m, got)
		}
		// Grid order: regParam varies slowest, so map i is regParam i/2 and elasticNetParam i%2.
		v, ok := s.Pipeline.Source(m).Num("logreg.iterations")
		if !ok || v != float64(3+i) {
			t.Errorf("param map %d (%v): iterations %v, %v; want %d", i, m, v, ok, 3+i)
		}
		if v, ok := s.Pipeline.Source(m).Num("logreg.maxIter"); !ok || v != 20 {
			t.Errorf("param map %d: maxIter %v, %v; want the fixed 20", i, v, ok)
		}
	}
	if got := s.Pipeline.Grid.Index(ParamMap{{"logreg.regParam", 0.5}, {"logreg.elasticNetParam", 0}}); got != -1 {
		t.Errorf("a param map not in the grid: Index %d, want -1", got)
	}
	b, err := s.MarshalIndent()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"logreg.iterations": [`) {
		t.Errorf("written back without the list:\n%s", b)
	}
	s2, err := Parse("again.json", b)
	if err != nil {
		t.Fatalf("written scenario does not load back: %v\n%s", err, b)
	}
	if b2, _ := s2.MarshalIndent(); string(b2) != string(b) {
		t.Errorf("load -> write -> load changed it:\n%s\n%s", b, b2)
	}
}

// TestPerParamMapSettingsRefused: a list must be a model input's, one finite value per param map.
func TestPerParamMapSettingsRefused(t *testing.T) {
	for _, tt := range []struct{ value, path, problem string }{
		{"[3, 4, 5]", "pipeline.params.logreg.iterations", "3 values for 6 param maps"},
		{"[3, 4, 5, 6, 7, -1]", "pipeline.params.logreg.iterations[5]", "out of range"},
		{`[3, 4, "x", 6, 7, 8]`, "pipeline.params.logreg.iterations[2]", "not a number"},
		{"[[3], 4, 5, 6, 7, 8]", "pipeline.params.logreg.iterations[0]", "not a number"},
	} {
		_, err := Parse("bad.json", []byte(strings.Replace(perMapScenario, "%s", tt.value, 1)))
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Path != tt.path || !strings.Contains(fe.Problem, tt.problem) {
			t.Errorf("iterations %s: error %v; want %s: %s", tt.value, err, tt.path, tt.problem)
		}
	}
	bad := strings.Replace(perMapScenario, `"logreg.iterations": %s`, `"logreg.regParam": [0.1, 0.2]`, 1)
	bad = strings.Replace(bad, `"logreg.regParam": [0.1, 0.01, 0.001], `, "", 1)
	_, err := Parse("spark-param.json", []byte(bad))
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Path != "pipeline.params.logreg.regParam" || !strings.Contains(fe.Allowed, "input of the model") {
		t.Errorf("a list for a Spark param: error %v; want it refused at pipeline.params.logreg.regParam", err)
	}
}
