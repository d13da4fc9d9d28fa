package whatif

import (
	"errors"
	"testing"

	"tunesim/scenarios"
)

// The fixtures of testdata/README.md: untagged event logs of real tuning runs written by a Java
// application (spark/fixtures/TuneJava.java) and by a plain PySpark script
// (spark/fixtures/tune_py.py) on Spark 3.5 and 4.0, CrossValidator and TrainValidationSplit. Each
// tunes Tokenizer -> HashingTF -> LogisticRegression over a 2 x 2 grid after caching and counting
// its data, and does nothing after the fit; the expected structure is what the program ran:
// CrossValidator with numFolds 3 (3 x 4 fits and a refit), TrainValidationSplit (one round of 4
// fits and a refit), and, for the runs at parallelism 2, the refusal of an untagged parallel log.
// Spark 3.5 wrote a single file, not a rolling log's directory, so the log named is that file.
func TestFindInRealFixtures(t *testing.T) {
	cv, tvs := scenarios.CrossValidator, scenarios.TrainValidationSplit
	for _, c := range []struct {
		name, log string
		kind      string
		folds     int
		paramMaps int
		parallel  bool // a run at parallelism 2: want ErrParallel
	}{
		{name: "Java CV serial, Spark 4.0.1", log: "java-cv-serial", kind: cv, folds: 3, paramMaps: 4},
		{name: "Java TVS serial, Spark 4.0.1", log: "java-tvs-serial", kind: tvs, folds: 1, paramMaps: 4},
		{name: "Java CV parallelism 2, Spark 4.0.1", log: "java-cv-p2", parallel: true},
		{name: "Java TVS parallelism 2, Spark 4.0.1", log: "java-tvs-p2", parallel: true},
		{name: "PySpark CV serial, Spark 3.5.9", log: "py35-cv-serial/local-1795974386077.zstd", kind: cv, folds: 3, paramMaps: 4},
		{name: "PySpark TVS serial, Spark 3.5.9", log: "py35-tvs-serial/local-1795974385617.zstd", kind: tvs, folds: 1, paramMaps: 4},
		{name: "PySpark TVS serial, Spark 4.0.1", log: "py40-tvs-serial", kind: tvs, folds: 1, paramMaps: 4},
	} {
		t.Run(c.name, func(t *testing.T) {
			tun, err := find(t, "testdata/"+c.log, Hints{})
			if c.parallel {
				if !errors.Is(err, ErrParallel) {
					t.Fatalf("%s: %v; want ErrParallel", c.log, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tun.Kind != c.kind || tun.Folds != c.folds || tun.ParamMaps != c.paramMaps || tun.Tagged {
				t.Errorf("found %s, %d folds, %d param maps, tagged %v; want %s, %d, %d, untagged",
					tun.Kind, tun.Folds, tun.ParamMaps, tun.Tagged, c.kind, c.folds, c.paramMaps)
			}
			if want := c.folds*c.paramMaps + 1; len(tun.Fits) != want || !tun.Fits[len(tun.Fits)-1].Refit {
				t.Errorf("%d fits, the last a refit: %v; want %d and a refit", len(tun.Fits), tun.Fits[len(tun.Fits)-1].Refit, want)
			}
			if len(tun.Before) == 0 || len(tun.After) != 0 {
				t.Errorf("%d jobs before the tuning, %d after; want the caching count's jobs before and none after", len(tun.Before), len(tun.After))
			}
		})
	}
}
