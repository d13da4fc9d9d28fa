package realrun

import (
	"context"
	"errors"
	"strings"
	"testing"

	"tunesim/scenarios"
	"tunesim/tuning"
)

// TestNotRunnableBeforeStarting: the seed's estimators run for real (and logistic regression: see
// TestLogisticRegressionRunsForReal); the others are refused
// before any goroutine starts, with their operations named and the way to calibrate from Spark.
func TestNotRunnableBeforeStarting(t *testing.T) {
	for _, tt := range []struct {
		name     string
		runnable bool
		names    string
	}{
		{"seed-tvs", true, ""},
		{"seed-8-partitions", true, ""},
		{"text-logreg", false, "tokenize, hash_tf, binary_score, score_sort"},
		{"forest", false, "tree_stats"},
		{"kmeans", false, "kmeans_iteration"},
	} {
		s, err := scenarios.Builtin(tt.name)
		if err != nil {
			t.Fatal(err)
		}
		p, err := tuning.New(s)
		if err != nil {
			t.Fatal(err)
		}
		err = Runnable(p)
		if tt.runnable {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		if !errors.Is(err, ErrNotRunnable) || !strings.Contains(err.Error(), tt.names) || !strings.Contains(err.Error(), "calibrate it from Spark") {
			t.Errorf("%s: %v, want ErrNotRunnable naming %s and Spark calibration", tt.name, err, tt.names)
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel() // Run must refuse before it would notice a cancelled context
		if _, err := Run(ctx, s, Options{Parallelism: 1}); !errors.Is(err, ErrNotRunnable) {
			t.Errorf("%s: Run: %v, want ErrNotRunnable", tt.name, err)
		}
	}
}
