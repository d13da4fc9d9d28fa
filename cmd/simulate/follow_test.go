package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tunesim/sparklog"
	"tunesim/whatif"
)

// lrTextLines is the untagged serial log of whatif/testdata/lr-text-serial (a CrossValidator, 3
// folds x 6 param maps), decompressed, as lines.
func lrTextLines(t *testing.T) [][]byte {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "whatif", "testdata", "lr-text-serial", "events_1_local-1795968450896.zstd"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := sparklog.Decompress(sparklog.CodecZstd, f)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	data, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.SplitAfter(bytes.TrimRight(data, "\n"), []byte("\n"))
}

// followed runs whatif --follow on log while a goroutine appends chunks to it: one chunk before
// each poll (the follower's sleep hands over to the writer and waits for it), the .inprogress
// name renamed to the final one after the last. It returns the exit status, the JSON lines and
// stderr.
func followed(t *testing.T, log string, chunks [][]byte, args ...string) (int, []followLine, string) {
	t.Helper()
	next, wrote := make(chan bool), make(chan struct{})
	go func() {
		defer close(wrote)
		fh, err := os.OpenFile(log, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
		if err != nil {
			t.Error(err)
			return
		}
		defer fh.Close()
		for _, c := range chunks {
			if !<-next {
				return
			}
			if _, err := fh.Write(c); err != nil {
				t.Error(err)
			}
			wrote <- struct{}{}
		}
		if <-next {
			if err := os.Rename(log, strings.TrimSuffix(log, sparklog.InProgress)); err != nil {
				t.Error(err)
			}
			wrote <- struct{}{}
		}
	}()
	if err := os.WriteFile(log, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	left := len(chunks) + 1
	sleep = func(time.Duration) {
		if left > 0 {
			left--
			next <- true
			<-wrote
		}
	}
	wallClock = func() time.Time { return time.UnixMilli(0).UTC() } // the log's own clock: see runFollow
	defer func() { sleep, wallClock = time.Sleep, time.Now }()
	code, out, errOut := simulate(t, append([]string{"whatif", log, "--follow", "--poll", "1ms"}, args...)...)
	if left > 0 {
		next <- false
	}
	<-wrote
	var lines []followLine
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l followLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("not a JSON line: %q: %v", sc.Text(), err)
		}
		lines = append(lines, l)
	}
	return code, lines, errOut
}

// whatif --follow on a log written while it reads, a chunk per job: each JSON line's fits done is
// the number of fits (of the tuning Find finds in the whole log) whose next fit had begun by the
// line's log time, the counts never fall, the time left is predicted once the second fold began,
// and the last line ends the tuning at the application's end with every fit done.
func TestFollowALogBeingWritten(t *testing.T) {
	lines := lrTextLines(t)
	var chunks [][]byte
	var cur []byte
	for _, l := range lines {
		cur = append(cur, l...)
		if bytes.Contains(l, []byte(`"Event":"SparkListenerJobStart"`)) {
			chunks, cur = append(chunks, cur), nil
		}
	}
	chunks = append(chunks, cur)
	log := filepath.Join(t.TempDir(), "local-1795968450896.inprogress")
	code, out, errOut := followed(t, log, chunks, "--parallelism", "1:3")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	whole, err := whatifTuning(filepath.Join("..", "..", "whatif", "testdata", "lr-text-serial"))
	if err != nil {
		t.Fatal(err)
	}
	n := len(whole.Fits)
	if len(out) < n/2 {
		t.Fatalf("%d JSON lines for %d fits", len(out), n)
	}
	prev := 0
	predicted := false
	for i, l := range out[:len(out)-1] {
		want := 0
		for f := 0; f+1 < n; f++ {
			if whole.Fits[f+1].Jobs[0].Submit.Seconds() <= l.LogS {
				want++
			}
		}
		if l.Event != "progress" || l.FitsDone != want || l.FitsDone < prev {
			t.Errorf("line %d at %.3f s: %s, %d fits done (before: %d); want progress, %d", i, l.LogS, l.Event, l.FitsDone, prev, want)
		}
		prev = l.FitsDone
		if l.FitsDone > whole.ParamMaps {
			if l.FitsTotal != n || len(l.Left) != 3 || l.ETAS == nil || l.Recommended < 1 {
				t.Errorf("line %d (%d fits done): total %d, left %v, eta %v, recommended %d; want %d fits and a prediction", i, l.FitsDone, l.FitsTotal, l.Left, l.ETAS, l.Recommended, n)
			}
			predicted = true
		}
		running := 0
		if l.LogS >= whole.Fits[0].Jobs[0].Submit.Seconds() {
			running = 1 // a serial run, from its first fit's first job on
		}
		if len(l.Running) != running {
			t.Errorf("line %d at %.3f s: %d fits running, want %d", i, l.LogS, len(l.Running), running)
		}
	}
	if !predicted {
		t.Error("no line predicted the time left")
	}
	last := out[len(out)-1]
	if last.Event != "end" || last.FitsDone != n || last.FitsTotal != n || len(last.Running) != 0 || last.ETAS == nil || *last.ETAS != 0 {
		t.Errorf("last line: %+v; want the end with %d fits done and nothing left", last, n)
	}
	if end := (whole.App.End).Seconds(); last.LogS != end {
		t.Errorf("ended at log time %.3f s, the application ended at %.3f s", last.LogS, end)
	}
}

// whatifTuning is the tuning Find finds in the whole log.
func whatifTuning(path string) (*whatif.Tuning, error) {
	app, info, err := sparklog.ReadApp(path)
	if err != nil {
		return nil, err
	}
	return whatif.Find(app, info, whatif.Hints{})
}

// A log that never ends, followed with --timeout, exits 1 with a timeout line; flags that write a
// report, a poll of 0 and a missing log exit 2.
func TestFollowTimeoutAndBadUsage(t *testing.T) {
	lines := lrTextLines(t)
	log := filepath.Join(t.TempDir(), "app.inprogress")
	code, out, errOut := followed(t, log, [][]byte{bytes.Join(lines[:len(lines)/2], nil)}, "--timeout", "1ns")
	if code != 1 || len(out) == 0 || out[len(out)-1].Event != "timeout" || !strings.Contains(errOut, "--timeout") {
		t.Errorf("timeout: exit %d, %d lines, stderr %q; want 1 and a timeout line", code, len(out), errOut)
	}
	for _, c := range []struct {
		args []string
		in   string
	}{
		{[]string{"whatif", log, "--follow", "--format", "json"}, "--format"},
		{[]string{"whatif", log, "--follow", "--plot", "x.png"}, "--plot"},
		{[]string{"whatif", log, "--follow", "--poll", "0s"}, "--poll"},
		{[]string{"whatif", filepath.Join(t.TempDir(), "none"), "--follow"}, "none"},
	} {
		code, _, errOut := simulate(t, c.args...)
		if code != 2 || !strings.Contains(errOut, c.in) {
			t.Errorf("%v: exit %d, %q; want 2 naming %s", c.args, code, errOut, c.in)
		}
	}
}

// The progress line says what the JSON line says, in a line: the fits done of all, each running
// fit with its expected time (and a stall), the time left at the run's parallelism and at the
// recommended one, the ETA's clock time, or why there is no prediction yet.
func TestProgressText(t *testing.T) {
	eta := 12.4
	for _, c := range []struct {
		line followLine
		want string
	}{
		{followLine{Event: "progress", FitsDone: 3, Status: whatif.Status{Running: []whatif.RunningFit{{Fold: 0, ParamMap: 3, ElapsedS: 2}}, Why: "no fit has finished yet"}},
			"fits 3/? done | (fold 0, param map 3) 2 s | no fit has finished yet"},
		{followLine{Event: "stall", FitsDone: 7, FitsTotal: 19, RunParallelism: 1, ETAS: &eta, ETA: "2026-12-05T19:03:46Z",
			Status: whatif.Status{Running: []whatif.RunningFit{{Fold: 1, ParamMap: 1, ElapsedS: 40, ExpectedS: 1.4, Stalled: true}},
				Left: []whatif.Left{{Parallelism: 1, RemainingS: 12.4}, {Parallelism: 2, RemainingS: 7.6}}, Recommended: 2}},
			"fits 7/19 done | (fold 1, param map 1) 40 s of ~1 STALLED? | left 12 s at parallelism 1, 8 s at 2 | ETA 19:03:46Z"},
		{followLine{Event: "end", FitsDone: 19, FitsTotal: 19}, "fits 19/19 done | the tuning has ended"},
	} {
		if got := progressText(&c.line); got != c.want {
			t.Errorf("progressText:\n got %q\nwant %q", got, c.want)
		}
	}
}

// Following a complete log (Spark 4's rolling zstd directory) reads it to its end and says so in
// one line: every fit done, nothing left.
func TestFollowACompleteLog(t *testing.T) {
	log := filepath.Join("..", "..", "whatif", "testdata", "lr-text-serial")
	code, out, errOut := simulate(t, "whatif", log, "--follow", "--parallelism", "1:2")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var l followLine
	if err := json.Unmarshal([]byte(out), &l); err != nil {
		t.Fatalf("%q: %v", out, err)
	}
	whole, err := whatifTuning(log)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(whole.Fits); l.Event != "end" || l.FitsDone != n || l.FitsTotal != n || len(l.Left) != 2 || l.Left[0].RemainingS != 0 || strings.Count(out, "\n") != 1 {
		t.Errorf("%s; want one end line with %d fits done and nothing left", out, n)
	}
}
