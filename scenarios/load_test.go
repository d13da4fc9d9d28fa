package scenarios

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBuiltinsRoundTrip(t *testing.T) {
	for _, name := range BuiltinNames() {
		s, err := Builtin(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		b, err := s.MarshalIndent()
		if err != nil {
			t.Fatal(err)
		}
		s2, err := Parse(name+".json", b)
		if err != nil {
			t.Fatalf("%s: shown JSON does not load back: %v", name, err)
		}
		b2, _ := s2.MarshalIndent()
		if string(b) != string(b2) {
			t.Errorf("%s: show -> load -> show changed the JSON:\n%s\n%s", name, b, b2)
		}
	}
	for _, want := range []string{"seed-tvs", "seed-cv", "cluster-mid", "laptop-2core"} {
		if _, err := Builtin(want); err != nil {
			t.Errorf("built-in %s missing: %v", want, err)
		}
	}
}

func TestSeedScenarioIsTheSeedExperiment(t *testing.T) {
	s, err := Builtin(Default)
	if err != nil {
		t.Fatal(err)
	}
	if !s.Cluster.Local || s.Cluster.CoresPerExecutor != 8 || s.Data.Rows != 10000 || s.Data.Features != 100 ||
		s.Data.Partitions != 2 || s.Tuner.Kind != TrainValidationSplit || s.Tuner.TrainRatio != 0.8 || len(s.Pipeline.Grid.ParamMaps()) != 16 {
		t.Errorf("seed-tvs is not the seed experiment: %+v", s)
	}
	// ParamGridBuilder order: the first param varies slowest.
	pm := s.Pipeline.Grid.ParamMaps()
	if pm[0].String() != "pca.k=15 lr.regParam=0.001" || pm[1].String() != "pca.k=15 lr.regParam=0.003" || pm[4].String() != "pca.k=20 lr.regParam=0.001" {
		t.Errorf("grid order: %v, %v, %v", pm[0], pm[1], pm[4])
	}
}

// edit replaces the first occurrence of old in the seed's JSON.
func edit(t *testing.T, old, new string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "seed-tvs.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), old) {
		t.Fatalf("testdata/seed-tvs.json has no %q", old)
	}
	return []byte(strings.Replace(string(b), old, new, 1))
}

func TestBadInputNamesTheField(t *testing.T) {
	tests := []struct {
		name, old, new string
		// want are fragments the error must contain.
		want []string
	}{
		{"unknown field", `"seed": 1,`, `"seed": 1, "sede": 2,`, []string{"x.json", "sede", "unknown"}},
		{"unknown nested field", `"partitions": 2,`, `"partitions": 2, "partition": 3,`, []string{"data.partition"}},
		{"wrong type", `"partitions": 2`, `"partitions": "2"`, []string{"data.partitions", "integer"}},
		{"parallelism 0", `"parallelism": 3`, `"parallelism": 0`, []string{"tuner.parallelism", "allowed"}},
		{"more partitions than rows", `"partitions": 2`, `"partitions": 20000`, []string{"data.partitions", "rows"}},
		{"unknown tuner", `"train_validation_split"`, `"grid_search"`, []string{"tuner.kind", "cross_validator"}},
		{"unknown scheduler", `"FIFO"`, `"LIFO"`, []string{"scheduler.mode", "FAIR"}},
		{"unknown spark version", `"spark_version": "4"`, `"spark_version": "5"`, []string{"spark_version"}},
		{"ratio out of range", `"train_ratio": 0.8`, `"train_ratio": 1.5`, []string{"tuner.train_ratio"}},
		{"negative skew", `"skew": 0`, `"skew": -1`, []string{"data.skew"}},
		{"noise out of range", `"task_cv": 0`, `"task_cv": 9`, []string{"noise.task_cv"}},
		{"unknown grid param", `"pca.k"`, `"pca.kk"`, []string{"pipeline.grid", "pca.kk"}},
		{"k above features", `15,`, `150,`, []string{"pca.k"}},
		{"unknown stage", `"linear_regression"
    ]`, `"linear_regresion"]`, []string{"pipeline.stages[1]", "linear_regression"}},
		{"predictor not last", `"pca",
      "linear_regression"`, `"linear_regression", "pca"`, []string{"pipeline.stages", "predictor"}},
		{"no predictor", `"pca",
      "linear_regression"`, `"pca"`, []string{"pipeline.stages[0]", "linear_regression"}},
		{"evaluator of another task", `"stages"`, `"evaluator": "no_such", "stages"`, []string{"pipeline.evaluator", "regression_evaluator"}},
		{"string param in the grid", `"lr.regParam"`, `"lr.solver"`, []string{"pipeline.grid.lr.solver"}},
		{"param fixed and searched", `"stages"`, `"params": {"lr.regParam": 0.1}, "stages"`, []string{"pipeline.params.lr.regParam", "both"}},
		{"fixed param out of range", `"stages"`, `"params": {"lr.elasticNetParam": 2}, "stages"`, []string{"pipeline.params.lr.elasticNetParam", "from 0 to 1"}},
		{"fixed param of another stage", `"stages"`, `"params": {"kmeans.k": 2}, "stages"`, []string{"pipeline.params.kmeans.k", "pca.k"}},
		{"ratio beyond float64", `"train_ratio": 0.8`, `"train_ratio": 1e400`, []string{"tuner.train_ratio"}},
		{"skew beyond float64", `"skew": 0`, `"skew": -1e999`, []string{"data.skew"}},
		{"integer param beyond a Java int", `"stages"`, `"params": {"lr.maxIter": 1e300}, "stages"`, []string{"pipeline.params.lr.maxIter", "from 0 to 2147483647"}},
		{"integer param just beyond a Java int", `"stages"`, `"params": {"lr.maxIter": 2147483648}, "stages"`, []string{"pipeline.params.lr.maxIter", "out of range"}},
		{"float param beyond float64", `"stages"`, `"params": {"lr.elasticNetParam": 1e309}, "stages"`, []string{"pipeline.params.lr.elasticNetParam", "not a number"}},
		{"params not an object", `"stages"`, `"params": [1], "stages"`, []string{"pipeline.params"}},
		{"truncated", `"noise"`, ``, []string{"x.json"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := edit(t, tt.old, tt.new)
			if tt.name == "truncated" {
				b = b[:len(b)/2]
			}
			_, err := Parse("x.json", b)
			if err == nil {
				t.Fatal("accepted")
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("error %v is not ErrInvalid", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestSyntaxErrorHasLineAndColumn(t *testing.T) {
	_, err := Parse("x.json", []byte("{\n  \"name\": \"a\",\n  oops\n}"))
	if err == nil || !strings.Contains(err.Error(), "x.json:3:") {
		t.Errorf("want x.json:3:col in %v", err)
	}
}

func TestLoadMissingFileOrName(t *testing.T) {
	for _, arg := range []string{"no-such-scenario", "missing/file.json"} {
		_, err := Load(arg)
		if err == nil || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), arg) {
			t.Errorf("Load(%q): %v", arg, err)
		}
	}
}

// FuzzParse feeds the loader arbitrary bytes: it must return a scenario or an ErrInvalid, never
// panic, and what loads must show and load back unchanged. Its seeds are the built-in scenarios
// and testdata/fuzz/FuzzParse (a small scenario of each tuner, cluster and scheduler kind, and
// one of each kind of bad input: unknown field, wrong type, duplicate or malformed grid, two
// values, out-of-range numbers).
func FuzzParse(f *testing.F) {
	for _, name := range BuiltinNames() {
		b, _ := builtinFS.ReadFile("builtin/" + name + ".json")
		f.Add(b)
	}
	f.Add([]byte(`{"name":"x","pipeline":{"grid":{"pca.k":[1e300]}}}`))
	f.Add([]byte(`{`))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := Parse("fuzz.json", b)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v is not ErrInvalid", err)
			}
			return
		}
		// Whatever loads must show and load back to the same scenario.
		out, err := s.MarshalIndent()
		if err != nil {
			t.Fatal(err)
		}
		s2, err := Parse("again.json", out)
		if err != nil {
			t.Fatalf("shown scenario does not load back: %v\n%s", err, out)
		}
		if out2, _ := s2.MarshalIndent(); string(out) != string(out2) {
			t.Fatalf("round trip changed the scenario:\n%s\n%s", out, out2)
		}
	})
}
