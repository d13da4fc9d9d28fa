package spark

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tunesim/scenarios"
	"tunesim/sparkenv"
)

// fakeHarness writes a "python" that speaks tune.py's --serve protocol as the shell script body
// says, and returns its environment.
func fakeHarness(t *testing.T, body string) *sparkenv.Env {
	t.Helper()
	fake := filepath.Join(t.TempDir(), "python")
	if err := os.WriteFile(fake, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
	return &sparkenv.Env{Python: fake}
}

func seed(t *testing.T) *scenarios.Scenario {
	t.Helper()
	s, err := scenarios.Load("seed-tvs")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestSessionRunsEachRequest: the session waits for the ready line (skipping what is not a JSON
// object), sends one request per Run and reads its summary, and Close ends the harness when its
// input ends.
func TestSessionRunsEachRequest(t *testing.T) {
	env := fakeHarness(t, `echo 'Spark says hello'
echo '{"ready": true, "app_id": "app-1", "warmup_s": [3.5, 2.0]}'
n=0
while read -r line; do
  n=$((n+1))
  p=$(echo "$line" | sed 's/[^0-9]//g')
  echo "{\"app_id\": \"app-1\", \"parallelism\": $p, \"run\": $n, \"wall_s\": 1.5}"
done
echo 'stopped' >&2
`)
	ss, err := Start(context.Background(), env, seed(t), Options{EventDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if ss.AppID != "app-1" || len(ss.WarmupSeconds) != 2 || ss.WarmupSeconds[0] != 3.5 {
		t.Errorf("session app %q, warm-up %v: want app-1 after 3.5 s and 2 s", ss.AppID, ss.WarmupSeconds)
	}
	for i, p := range []int{1, 3, 2} {
		r, err := ss.Run(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		if r.Parallelism != p || r.Run != i+1 {
			t.Errorf("run %d at %d: summary says run %d at %d", i+1, p, r.Run, r.Parallelism)
		}
	}
	if err := ss.Close(); err != nil {
		t.Errorf("close: %v", err)
	}
}

// TestSessionHarnessDies: a harness that fails during a run gives one error naming the scenario
// and the parallelism and ending with its last line on stderr; Close then returns at once.
func TestSessionHarnessDies(t *testing.T) {
	env := fakeHarness(t, `echo '{"ready": true}'
read -r line
echo 'py4j.protocol.Py4JJavaError: the JVM went away' >&2
exit 1
`)
	ss, err := Start(context.Background(), env, seed(t), Options{EventDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	_, err = ss.Run(context.Background(), 2)
	if err == nil {
		t.Fatal("a harness that died returned a run")
	}
	msg := err.Error()
	if strings.Contains(msg, "\n") || !strings.Contains(msg, "seed-tvs") || !strings.Contains(msg, "parallelism 2") || !strings.HasSuffix(msg, "the JVM went away") {
		t.Errorf("error %q: want one line naming seed-tvs and parallelism 2, ending with the harness's last line", msg)
	}
	done := make(chan error, 1)
	go func() { done <- ss.Close() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Close hung after the harness died")
	}
}

// TestSessionNotReady: a harness whose first line is not the ready line fails Start.
func TestSessionNotReady(t *testing.T) {
	env := fakeHarness(t, `echo '{"app_id": "app-1", "parallelism": 1}'
cat >/dev/null
`)
	_, err := Start(context.Background(), env, seed(t), Options{EventDir: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "not {\"ready\": true") {
		t.Errorf("Start on a harness that is not serving: %v; want it to say the first line is not the ready line", err)
	}
}

// TestSessionCancelKillsTheHarness: a Run whose context ends kills the harness (and its process
// group) instead of waiting for a run that never ends.
func TestSessionCancelKillsTheHarness(t *testing.T) {
	env := fakeHarness(t, `echo '{"ready": true}'
read -r line
sleep 600
`)
	ss, err := Start(context.Background(), env, seed(t), Options{EventDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if _, err := ss.Run(ctx, 1); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("run past its context: %v; want the context's error", err)
	}
	done := make(chan error, 1)
	go func() { done <- ss.Close() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Close hung: the harness was not killed")
	}
}

// TestSummaryOfSeveralRuns: a log of several runs has a list of summaries beside it; SummaryOf
// gives the first serial one, and an empty list is an error naming the file.
func TestSummaryOfSeveralRuns(t *testing.T) {
	log := filepath.Join(t.TempDir(), "app-1")
	for _, c := range []struct {
		body    string
		run, p  int
		wantErr bool
	}{
		{`{"parallelism": 3, "run": 1}`, 1, 3, false},
		{`[{"parallelism": 2, "run": 1}, {"parallelism": 1, "run": 2}, {"parallelism": 1, "run": 3}]`, 2, 1, false},
		{`[{"parallelism": 2, "run": 1}, {"parallelism": 3, "run": 2}]`, 1, 2, false},
		{`[]`, 0, 0, true},
	} {
		if err := os.WriteFile(log+SummarySuffix, []byte(c.body), 0o644); err != nil {
			t.Fatal(err)
		}
		r, ok, err := SummaryOf(log)
		if c.wantErr {
			if err == nil || !strings.Contains(err.Error(), log+SummarySuffix) {
				t.Errorf("%s: error %v; want one naming the file", c.body, err)
			}
			continue
		}
		if err != nil || !ok || r.Run != c.run || r.Parallelism != c.p {
			t.Errorf("%s: %+v, %v, %v; want run %d at parallelism %d", c.body, r, ok, err, c.run, c.p)
		}
	}
}
