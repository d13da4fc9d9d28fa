package whatif

import (
	"math"
	"path/filepath"
	"testing"

	"tunesim/scenarios"
	"tunesim/sim"
)

// The serial logs of five user-written PySpark tunings (spark/pipelines.py, Spark 4.0.1,
// local[2]; spark/testdata/pipelines): each is found with its tuner, folds and param maps, with
// nothing left after the tuning, and replays at its own parallelism within 5% of the log's
// tuning (ALS's evaluator runs a query's jobs at once, which the replay merges into one step).
func TestFindUserPipelines(t *testing.T) {
	for _, tc := range []struct {
		name         string
		kind         string
		folds, maps  int
		replayWithin float64
	}{
		{"lr-text", scenarios.CrossValidator, 3, 6, 0.01},
		{"rf-tvs", scenarios.TrainValidationSplit, 1, 4, 0.01},
		{"gbt-cv", scenarios.CrossValidator, 2, 4, 0.01},
		{"kmeans", scenarios.CrossValidator, 3, 3, 0.01},
		{"als", scenarios.TrainValidationSplit, 1, 4, 0.05},
	} {
		tun, err := find(t, filepath.Join("..", "spark", "testdata", "pipelines", tc.name), Hints{})
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if tun.Kind != tc.kind || tun.Folds != tc.folds || tun.ParamMaps != tc.maps || len(tun.After) != 0 {
			t.Errorf("%s: found %s, %d folds x %d maps, %d jobs after; want %s, %d x %d, 0", tc.name, tun.Kind, tun.Folds, tun.ParamMaps, len(tun.After), tc.kind, tc.folds, tc.maps)
		}
		p, m, err := tun.Plan(Options{})
		if err != nil {
			t.Fatal(err)
		}
		mt, err := sim.Run(p, m, sim.Options{})
		if err != nil {
			t.Fatal(err)
		}
		want := (tun.End() - tun.Start()).Seconds()
		if e := mt.Makespan.Seconds()/want - 1; math.Abs(e) > tc.replayWithin {
			t.Errorf("%s: replay %.2f s, the log's tuning %.2f s (%+.1f%%)", tc.name, mt.Makespan.Seconds(), want, 100*e)
		}
	}
}
