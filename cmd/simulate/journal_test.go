package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestJournalIsReusedAndGuarded(t *testing.T) {
	withThreshold(t, noRunDisturbed)
	dir := t.TempDir()
	j := filepath.Join(dir, "j")
	args := []string{"real", "-s", "testdata/small-tvs.json", "--parallelism", "1,2", "--runs", "2", "--journal", j, "--format", "json"}
	code, first, errs := simulate(t, args...)
	if code != 0 || !strings.Contains(errs, "journal: reusing 0 of 4 runs from "+j) {
		t.Fatalf("first: exit %d, stderr %q", code, errs)
	}
	code, again, errs := simulate(t, args...)
	if code != 0 || !strings.Contains(errs, "journal: reusing 4 of 4 runs from "+j) {
		t.Fatalf("again: exit %d, stderr %q", code, errs)
	}
	if first != again {
		t.Errorf("a report made wholly from the journal differs from the first:\n%s\n%s", first, again)
	}
	// validate's campaign has another profile: the same journal is refused.
	code, _, errs = simulate(t, "validate", "-s", "testdata/small-tvs.json", "--journal", j)
	if code != 2 || !strings.Contains(errs, `profile "default" (this campaign: "calibrated from the serial runs")`) {
		t.Errorf("validate with real's journal: exit %d, %q; want 2 naming the profile", code, errs)
	}
	// Another seed, another scenario file.
	code, _, errs = simulate(t, "real", "-s", "testdata/small-tvs.json", "--seed", "9", "--journal", j)
	if code != 2 || !strings.Contains(errs, `seed "0" (this campaign: "9")`) {
		t.Errorf("another seed: exit %d, %q", code, errs)
	}
	b, err := os.ReadFile("testdata/small-tvs.json")
	if err != nil {
		t.Fatal(err)
	}
	changed := filepath.Join(dir, "small-tvs.json")
	if err := os.WriteFile(changed, bytes.Replace(b, []byte(`"seed": 7`), []byte(`"seed": 8`), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs = simulate(t, "real", "-s", changed, "--journal", j)
	if code != 2 || !strings.Contains(errs, "scenario JSON's sha256") {
		t.Errorf("an edited scenario: exit %d, %q", code, errs)
	}
	code, _, errs = simulate(t, "calibrate", "--from-eventlog", "x", "-o", filepath.Join(dir, "p.json"), "--journal", j)
	if code != 2 || !strings.Contains(errs, "--journal") {
		t.Errorf("calibrate --from-eventlog --journal: exit %d, %q", code, errs)
	}
}

// TestInterruptedCampaignLeavesAValidJournal sends this process SIGINT while `real --journal`
// runs, then runs the same command again: the journal holds whole runs only, and they are reused.
func TestInterruptedCampaignLeavesAValidJournal(t *testing.T) {
	withThreshold(t, noRunDisturbed)
	// While this test listens for SIGINT, it does not end the process (whether or not the command
	// is still listening when it arrives).
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	defer signal.Stop(sig)

	j := filepath.Join(t.TempDir(), "j")
	args := []string{"real", "-s", "testdata/small-tvs.json", "--parallelism", "1,2", "--runs", "10", "--journal", j, "--format", "json"}
	type result struct {
		code      int
		out, errs string
	}
	done := make(chan result, 1)
	go func() {
		code, out, errs := simulate(t, args...)
		done <- result{code, out, errs}
	}()
	for start := time.Now(); ; time.Sleep(time.Millisecond) {
		if st, err := os.Stat(j); err == nil && st.Size() > 0 {
			break
		}
		if time.Since(start) > time.Minute {
			t.Fatal("no journal line after a minute")
		}
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	r := <-done
	if r.code == 0 {
		t.Skip("the command finished before the interrupt reached it")
	}
	if r.code != 1 || !strings.Contains(r.errs, "interrupted after") || !strings.Contains(r.errs, "the same --journal") {
		t.Fatalf("interrupted: exit %d, stderr %q", r.code, r.errs)
	}
	f, err := os.Open(j)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for sc := bufio.NewScanner(f); sc.Scan(); n++ {
		if !json.Valid(sc.Bytes()) {
			t.Errorf("journal line %d is not whole JSON", n+1)
		}
	}
	f.Close()
	code, out, errs := simulate(t, args...)
	if code != 0 || !strings.Contains(errs, "journal: reusing ") || strings.Contains(errs, "reusing 0 of") {
		t.Fatalf("resumed: exit %d, stderr %q", code, errs)
	}
	var rep measuredJSON
	if err := json.Unmarshal([]byte(out), &rep); err != nil || len(rep.MeasuredRuns) != 20 {
		t.Errorf("resumed report: %v, %d runs; want 20", err, len(rep.MeasuredRuns))
	}
	t.Logf("interrupted after %d runs; resumed: %s", n, strings.TrimSpace(errs))
}
