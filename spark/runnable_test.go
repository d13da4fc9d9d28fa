package spark

import (
	"errors"
	"testing"

	"tunesim/scenarios"
)

// TestRunnableByTheHarness: the seed's pipelines run on Spark through tune.py; the estimators it
// does not build are refused before Python starts.
func TestRunnableByTheHarness(t *testing.T) {
	for name, ok := range map[string]bool{"seed-tvs": true, "laptop-2core": true, "text-logreg": false, "forest": false, "gbt": false, "kmeans": false} {
		s, err := scenarios.Builtin(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := Runnable(s); (err == nil) != ok || (err != nil && !errors.Is(err, ErrNotRunnable)) {
			t.Errorf("%s: Runnable = %v, want runnable %v", name, err, ok)
		}
	}
}
