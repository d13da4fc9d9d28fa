package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tunesim/costmodel"
	"tunesim/tuning"
)

// TestUnpricedOperationsAreBadInput: a profile that prices only first() is refused by every
// command that simulates with it (exit 2), naming operations the plan needs and how to calibrate
// them, instead of pricing them at zero or borrowing them: under --strict, and without it too,
// since it shares no work with the built-in profile to scale borrowed costs by.
func TestUnpricedOperationsAreBadInput(t *testing.T) {
	thin := filepath.Join(t.TempDir(), "thin.json")
	if err := os.WriteFile(thin, []byte(`{"name": "thin", "description": "prices only first()", "ops": {"first": {"fixed_s": 0.001}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"sweep", "--strict", "-s", "seed-tvs", "--profile", thin, "--parallelism", "1:2"},
		{"sweep", "--strict", "-s", "seed-tvs", "--profile", thin, "--parallelism", "1:2", "--vary", "data.partitions=2,8"},
		{"run", "--strict", "-s", "seed-cv", "--profile", thin, "--trace", filepath.Join(t.TempDir(), "t.json")},
		{"validate", "--strict", "-s", "seed-tvs", "--profile", thin, "--parallelism", "1", "--runs", "1"},
		{"validate", "--strict", "-s", "seed-tvs", "--profile", thin, "--parallelism", "1", "--runs", "1", "--rows-scale", "2"},
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

// writeProfile writes p to dir/name and returns the path.
func writeProfile(t *testing.T, dir, name string, p *costmodel.Profile) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := p.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	return path
}

// timesGonum is a profile pricing ops at k times the built-in gonum profile, every term.
func timesGonum(t *testing.T, name string, k float64, ops ...tuning.Op) *costmodel.Profile {
	t.Helper()
	b, err := costmodel.Load(costmodel.Gonum, "")
	if err != nil {
		t.Fatal(err)
	}
	p := &costmodel.Profile{Name: name, Ops: map[tuning.Op]*costmodel.OpCost{}}
	for _, op := range ops {
		c := *b.Ops[op]
		for i := range c.Coeffs {
			c.Coeffs[i] *= k
		}
		p.Ops[op] = &c
	}
	return p
}

// TestProfilesBorrowAcrossScenarios: a profile of the seed's operations at k times the built-in
// gonum's, which lacks tree_reduce (needed from 6 partitions), prices seed-8-partitions: sweep
// names tree_reduce and its source in the text and the JSON, and simulates exactly what the
// built-in profile scaled by k does, as the built-in's makespans are linear in its costs when
// the overheads are zero. --strict refuses it (exit 2, naming tree_reduce); a profile beside it
// that prices tree_reduce is borrowed from, and --borrow-from goes first.
func TestProfilesBorrowAcrossScenarios(t *testing.T) {
	seed := []tuning.Op{"first", "sparse_check", "column_summary", "gramian", "pca_eigen", "lr_aggregate", "lr_solve", "lr_summary", "evaluate", "materialize", "source"}
	const k = 3.0
	dir, other := t.TempDir(), t.TempDir()
	lone := writeProfile(t, dir, "k.json", timesGonum(t, "k", k, seed...))
	full := writeProfile(t, other, "full.json", timesGonum(t, "full", 1, append(seed, "tree_reduce")...))
	oneOp := writeProfile(t, other, "exact.json", timesGonum(t, "exact", k, "first", "gramian", "tree_reduce"))
	sweep := func(extra ...string) (int, string, string) {
		return simulate(t, append([]string{"sweep", "-s", "seed-8-partitions", "--parallelism", "1:3", "--format", "json"}, extra...)...)
	}
	makespans := func(out string) ([]float64, []costmodel.Borrowed) {
		var r struct {
			Results []struct {
				Makespan float64 `json:"makespan_s"`
			} `json:"results"`
			Borrowed []costmodel.Borrowed `json:"borrowed"`
		}
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		var ms []float64
		for _, res := range r.Results {
			ms = append(ms, res.Makespan)
		}
		return ms, r.Borrowed
	}
	code, out, stderr := sweep("--profile", "gonum")
	if code != 0 {
		t.Fatalf("gonum: exit %d: %s", code, stderr)
	}
	truth, _ := makespans(out)

	tests := []struct {
		name       string
		args       []string
		rule, from string
	}{
		{"from the built-in", []string{"--profile", lone}, costmodel.BorrowBuiltin, "built-in profile gonum"},
		{"from the profile given", []string{"--profile", lone, "--borrow-from", full}, costmodel.BorrowProfile, "full"},
		{"the nearest of those given", []string{"--profile", lone, "--borrow-from", full, "--borrow-from", oneOp}, costmodel.BorrowProfile, "exact"},
	}
	for _, tt := range tests {
		code, out, stderr := sweep(tt.args...)
		if code != 0 {
			t.Errorf("%s: exit %d: %s", tt.name, code, stderr)
			continue
		}
		ms, borrowed := makespans(out)
		if len(borrowed) != 1 || borrowed[0].Op != "tree_reduce" || borrowed[0].Rule != tt.rule || borrowed[0].From != tt.from {
			t.Errorf("%s: borrowed %+v, want tree_reduce by rule %s from %s", tt.name, borrowed, tt.rule, tt.from)
		}
		for i := range ms {
			if math.Abs(ms[i]-k*truth[i]) > 1e-6*k*truth[i] {
				t.Errorf("%s: parallelism %d: makespan %g s, want %g x the built-in's %g s", tt.name, i+1, ms[i], k, truth[i])
			}
		}
	}

	code, out, _ = simulate(t, "sweep", "-s", "seed-8-partitions", "--parallelism", "1:2", "--profile", lone)
	if code != 0 || !strings.Contains(out, "borrowed: tree_reduce") || !strings.Contains(out, "built-in profile gonum") {
		t.Errorf("the table does not say what was borrowed (exit %d): %s", code, out)
	}
	if code, _, stderr := sweep("--profile", lone, "--strict"); code != 2 || !strings.Contains(stderr, "tree_reduce") {
		t.Errorf("--strict: exit %d, want 2 naming tree_reduce: %s", code, stderr)
	}
	if code, _, stderr := simulate(t, "validate", "--strict", "-s", "seed-8-partitions", "--profile", lone, "--parallelism", "1", "--runs", "1"); code != 2 || !strings.Contains(stderr, "tree_reduce") {
		t.Errorf("validate --strict: exit %d, want 2 naming tree_reduce: %s", code, stderr)
	}
	// Beside it: the full profile at 1x, so tree_reduce costs k x its (this profile is k x).
	writeProfile(t, dir, "full.json", timesGonum(t, "full beside", 1, append(seed, "tree_reduce")...))
	code, out, stderr = sweep("--profile", lone)
	ms, borrowed := makespans(out)
	if code != 0 || len(borrowed) != 1 || borrowed[0].From != "full beside" || !(math.Abs(borrowed[0].Scale-k) <= 1e-9*k) {
		t.Errorf("beside: exit %d, borrowed %+v, want tree_reduce from full beside x %g (%s)", code, borrowed, k, stderr)
	}
	for i := range ms {
		if math.Abs(ms[i]-k*truth[i]) > 1e-6*k*truth[i] {
			t.Errorf("beside: parallelism %d: makespan %g s, want %g", i+1, ms[i], k*truth[i])
		}
	}
	if code, _, stderr := sweep("--profile", lone, "--borrow-from", full, "--strict"); code != 2 || !strings.Contains(stderr, "--borrow-from") {
		t.Errorf("--borrow-from with --strict: exit %d, want 2 naming both: %s", code, stderr)
	}
	if code, _, stderr := sweep("--profile", lone, "--borrow-from", filepath.Join(other, "nope.json")); code != 2 || !strings.Contains(stderr, "--borrow-from") {
		t.Errorf("a --borrow-from that does not load: exit %d, want 2 naming the flag: %s", code, stderr)
	}
}
