package realrun

import (
	"context"
	"testing"

	"tunesim/scenarios"
)

func load(t testing.TB, path string) *scenarios.Scenario {
	t.Helper()
	s, err := scenarios.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestRunSmall(t *testing.T) {
	for _, path := range []string{"testdata/small-tvs.json", "testdata/small-cv.json"} {
		s := load(t, path)
		r, err := Run(context.Background(), s, Options{})
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if r.Trace.Source != "real" || r.Trace.MaxConcurrency("fit") > s.Tuner.Parallelism {
			t.Errorf("%s: source %q, %d fits at once", path, r.Trace.Source, r.Trace.MaxConcurrency("fit"))
		}
	}
}
