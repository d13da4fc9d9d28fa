package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUnpricedOperationsAreBadInput: a profile that prices only first() is refused by every
// command that simulates with it (exit 2), naming operations the plan needs and how to calibrate
// them, instead of pricing them at zero.
func TestUnpricedOperationsAreBadInput(t *testing.T) {
	thin := filepath.Join(t.TempDir(), "thin.json")
	if err := os.WriteFile(thin, []byte(`{"name": "thin", "description": "prices only first()", "ops": {"first": {"fixed_s": 0.001}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"sweep", "-s", "seed-tvs", "--profile", thin, "--parallelism", "1:2"},
		{"run", "-s", "seed-cv", "--profile", thin, "--trace", filepath.Join(t.TempDir(), "t.json")},
		{"validate", "-s", "seed-tvs", "--profile", thin, "--parallelism", "1", "--runs", "1"},
	} {
		code, _, stderr := simulate(t, args...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2 (stderr %q)", args, code, stderr)
			continue
		}
		for _, want := range []string{"gramian", "column_summary", "lr_aggregate", "evaluate", "calibrate"} {
			if !strings.Contains(stderr, want) {
				t.Errorf("%v: stderr does not mention %s: %q", args, want, stderr)
			}
		}
	}
}
