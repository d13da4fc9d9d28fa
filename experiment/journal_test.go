package experiment

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tunesim/scenarios"
)

// countingMeasurer counts the runs it makes and cancels ctx (as an interrupt would) when asked to
// make run number cancelAt (from 1), returning what a cancelled run returns.
type countingMeasurer struct {
	fakeMeasurer
	runs     int
	cancelAt int
	cancel   context.CancelFunc
}

func (m *countingMeasurer) Measure(ctx context.Context, s *scenarios.Scenario, p int) (*Measurement, error) {
	m.runs++
	if m.runs == m.cancelAt {
		m.cancel()
		return nil, ctx.Err()
	}
	return m.fakeMeasurer.Measure(ctx, s, p)
}

func journalCampaign(t *testing.T, m Measurer, j *Journal, runs int) *Campaign {
	t.Helper()
	_, probe := newHostScript(t)
	s := seed(t)
	key, err := NewJournalKey(s, "real", "default", 0, "")
	if err != nil {
		t.Fatal(err)
	}
	return &Campaign{Measurer: m, Scenario: s, Parallelisms: []int{1, 2}, Runs: runs, Probe: probe, Journal: j, JournalKey: key}
}

func openJournal(t *testing.T, path string) *Journal {
	t.Helper()
	s := seed(t)
	key, err := NewJournalKey(s, "real", "default", 0, "")
	if err != nil {
		t.Fatal(err)
	}
	j, err := OpenJournal(path, key)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	return j
}

func lines(t *testing.T, path string) int {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Count(b, []byte("\n"))
}

func TestJournalSurvivesAnInterruptAndIsReused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "journal")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	m := &countingMeasurer{fakeMeasurer: fakeMeasurer{makespan: map[int]float64{1: 2, 2: 1}}, cancelAt: 4, cancel: cancel}
	var log strings.Builder
	c := journalCampaign(t, m, openJournal(t, path), 3)
	c.Log = &log
	_, err := c.Run(ctx)
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "interrupted after 3 of 6 runs") || !strings.Contains(err.Error(), "the same command with the same --journal") {
		t.Fatalf("interrupted campaign: %v", err)
	}
	if n := lines(t, path); n != 3 {
		t.Fatalf("the journal holds %d lines after 3 finished runs", n)
	}
	if !strings.Contains(log.String(), "journal: reusing 0 of 6 runs from "+path) {
		t.Errorf("log %q", log.String())
	}

	// Again with the same journal: the 3 finished runs are taken from it, 3 are run.
	m = &countingMeasurer{fakeMeasurer: fakeMeasurer{makespan: map[int]float64{1: 2, 2: 1}}}
	log.Reset()
	c = journalCampaign(t, m, openJournal(t, path), 3)
	c.Log = &log
	ms, err := c.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if m.runs != 3 || !strings.Contains(log.String(), "journal: reusing 3 of 6 runs") {
		t.Errorf("resumed: %d runs made, log %q; want 3 and 3 reused", m.runs, log.String())
	}
	// The first campaign finished p1 r1, p2 r1 and p2 r2 (round 2 runs backwards).
	if w := m.calls; len(w) != 4 || w[0] != "warm-up" || w[1] != "p1" || w[2] != "p1" || w[3] != "p2" {
		t.Errorf("resumed calls %v: want the warm-up, then run 2 at parallelism 1 and run 3 at 1 and 2", w)
	}
	results, _ := ms.Results()
	if results[0].Runs != 3 || results[0].Makespan.P50 != 2 || results[1].Runs != 3 || results[1].Makespan.P50 != 1 {
		t.Errorf("results %+v", results)
	}
	if n := lines(t, path); n != 6 {
		t.Errorf("the journal holds %d lines, want 6", n)
	}

	// Everything is in the journal now: nothing runs, not even the warm-up.
	m = &countingMeasurer{fakeMeasurer: fakeMeasurer{makespan: map[int]float64{1: 2, 2: 1}}}
	c = journalCampaign(t, m, openJournal(t, path), 3)
	if _, err := c.Run(context.Background()); err != nil || len(m.calls) != 0 {
		t.Errorf("a finished campaign again: %v, calls %v; want nothing run", err, m.calls)
	}
}

func TestJournalDropsATornLastLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "journal")
	m := &countingMeasurer{fakeMeasurer: fakeMeasurer{makespan: map[int]float64{1: 2, 2: 1}}}
	if _, err := journalCampaign(t, m, openJournal(t, path), 1).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	whole := len(b)
	// A crash in the middle of writing a third line.
	if err := os.WriteFile(path, append(b, b[:len(b)/3]...), 0o644); err != nil {
		t.Fatal(err)
	}
	j := openJournal(t, path)
	if st, err := os.Stat(path); err != nil || st.Size() != int64(whole) {
		t.Fatalf("size after reading %v (%v), want the torn line cut off: %d", st.Size(), err, whole)
	}
	m = &countingMeasurer{fakeMeasurer: fakeMeasurer{makespan: map[int]float64{1: 2, 2: 1}}}
	if _, err := journalCampaign(t, m, j, 2).Run(context.Background()); err != nil || m.runs != 2 {
		t.Fatalf("resuming: %v, %d runs; want 2", err, m.runs)
	}
	if got := len(openJournal(t, path).entries); got != 4 {
		t.Errorf("%d runs in the journal after resuming, want 4", got)
	}
}

// journalOfOneRun is a journal holding one run at each of parallelism 1 and 2 of the seed,
// measured by this build, and that campaign's scenario and key.
func journalOfOneRun(t *testing.T) (path string, s *scenarios.Scenario, key JournalKey) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "journal")
	m := &countingMeasurer{fakeMeasurer: fakeMeasurer{makespan: map[int]float64{1: 2, 2: 1}}}
	if _, err := journalCampaign(t, m, openJournal(t, path), 1).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	s = seed(t)
	key, err := NewJournalKey(s, "real", "default", 0, "")
	if err != nil {
		t.Fatal(err)
	}
	return path, s, key
}

func TestJournalOfAnotherCampaignIsRefused(t *testing.T) {
	path, s, base := journalOfOneRun(t)
	other := *s
	other.Data.Rows++
	otherSum, err := NewJournalKey(&other, "real", "default", 0, "")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		change func(k *JournalKey)
		says   string
	}{
		{func(k *JournalKey) { k.Tunesim = "tunesim 0123456789ab go1.0" }, `tunesim version "` + base.Tunesim + `" (this campaign: "tunesim 0123456789ab go1.0")`},
		{func(k *JournalKey) { k.Scenario = "seed-cv" }, `scenario "seed-tvs" (this campaign: "seed-cv")`},
		{func(k *JournalKey) { k.ScenarioSHA256 = otherSum.ScenarioSHA256 }, "scenario JSON's sha256"},
		{func(k *JournalKey) { k.Profile = "calibrated.json" }, `profile "default" (this campaign: "calibrated.json")`},
		{func(k *JournalKey) { k.Source = "spark" }, `source "real"`},
		{func(k *JournalKey) { k.Seed = 9 }, `seed "0" (this campaign: "9")`},
		{func(k *JournalKey) { k.Master = "local[2]" }, "master"},
	}
	for _, tt := range tests {
		k := base
		tt.change(&k)
		_, err := OpenJournal(path, k)
		var mismatch *KeyMismatchError
		if !errors.As(err, &mismatch) || mismatch.Line != 1 || len(mismatch.Differences) != 1 || !strings.Contains(err.Error(), tt.says) {
			t.Errorf("a journal of another campaign (%s): %v", tt.says, err)
		}
	}
	if otherSum.ScenarioSHA256 == base.ScenarioSHA256 {
		t.Error("a scenario with other data has the same hash")
	}
}

func TestJournalRefusesWhatItDidNotWrite(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"not json":      "{\"tunesim\": \"x\"\n",
		"unknown field": "{\"bogus\": 1}\n",
		"no trace":      "{\"parallelism\": 1, \"run\": 1, \"attempt\": 1}\n",
	} {
		path := filepath.Join(dir, strings.ReplaceAll(name, " ", "-"))
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := OpenJournal(path); err == nil || !strings.Contains(err.Error(), path+" line 1") {
			t.Errorf("%s: %v; want an error naming the file and line 1", name, err)
		}
	}
}

func TestJournalRerunsADisturbedRunWithRetriesLeft(t *testing.T) {
	path := filepath.Join(t.TempDir(), "journal")
	host, probe := newHostScript(t)
	s := seed(t)
	key, err := NewJournalKey(s, "real", "default", 0, "")
	if err != nil {
		t.Fatal(err)
	}
	// First campaign: no retries; its one run is disturbed.
	m := &scriptedMeasurer{fakeMeasurer: fakeMeasurer{makespan: map[int]float64{1: 1}}, host: host, disturbed: []bool{true}}
	c := &Campaign{Measurer: m, Scenario: s, Parallelisms: []int{1}, Runs: 1, Probe: probe, Journal: openJournal(t, path), JournalKey: key}
	if _, err := c.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	// Again, allowing a retry: the disturbed run is run once more, as attempt 2.
	m = &scriptedMeasurer{fakeMeasurer: fakeMeasurer{makespan: map[int]float64{1: 1}}, host: host}
	c = &Campaign{Measurer: m, Scenario: s, Parallelisms: []int{1}, Runs: 1, RetryDisturbed: 1, Probe: probe, Journal: openJournal(t, path), JournalKey: key}
	ms, err := c.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if mt := ms.First(); m.k != 1 || mt.Attempts != 2 || mt.Disturbed() {
		t.Errorf("%d runs made; kept attempt %d, disturbed %v; want 1 run, attempt 2, undisturbed", m.k, mt.Attempts, mt.Disturbed())
	}
}

func TestJournalOfAnyBuildTakesAnotherBuildsRuns(t *testing.T) {
	path, _, base := journalOfOneRun(t)
	newer := base
	newer.Tunesim = "tunesim 0123456789ab go1.0"
	if _, err := OpenJournal(path, newer); err == nil {
		t.Fatal("OpenJournal took another build's runs")
	}
	j, err := OpenJournalOfAnyBuild(path, newer)
	if err != nil {
		t.Fatal(err)
	}
	if got := j.OtherBuilds(); len(got) != 1 || got[0] != base.Tunesim {
		t.Errorf("other builds %v, want [%s]", got, base.Tunesim)
	}
	if n := len(j.Entries(newer)); n != 2 {
		t.Errorf("%d runs taken for this build, want the journal's 2", n)
	}
	j.Close()
	otherScenario := newer
	otherScenario.Scenario = "seed-cv"
	if _, err := OpenJournalOfAnyBuild(path, otherScenario); err == nil {
		t.Error("OpenJournalOfAnyBuild took the runs of another scenario")
	}
	same, err := OpenJournalOfAnyBuild(path, base)
	if err != nil || len(same.OtherBuilds()) != 0 {
		t.Errorf("this build's own journal: %v, other builds %v; want none", err, same.OtherBuilds())
	}
}
