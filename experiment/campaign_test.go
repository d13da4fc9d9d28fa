package experiment

import (
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"tunesim/hostload"
	"tunesim/scenarios"
)

// hostScript plays a host whose /proc/stat (in a directory a probe reads) shows, over each run,
// either all CPUs busy with other processes (a disturbed run) or all idle.
type hostScript struct {
	t          *testing.T
	root       string
	busy, idle uint64
}

func newHostScript(t *testing.T) (*hostScript, *hostload.Probe) {
	h := &hostScript{t: t, root: t.TempDir()}
	h.write()
	p := hostload.NewProbe()
	p.Root = h.root
	// The reference kernel really runs; on a shared machine its readings vary, so these tests
	// judge by other processes' CPU alone.
	p.Threshold.SlowdownPct = math.Inf(1)
	p.MinWindow = 0 // the scripted counters are exact, whatever the window
	return h, p
}

// run advances the counters by one second of 2 CPUs, busy or idle.
func (h *hostScript) run(busy bool) {
	if busy {
		h.busy += 200
	} else {
		h.idle += 200
	}
	h.write()
}

func (h *hostScript) write() {
	stat := fmt.Sprintf("cpu  %d 0 0 %d 0 0 0 0 0 0\ncpu0 0 0 0 0 0 0 0 0 0 0\ncpu1 0 0 0 0 0 0 0 0 0 0\n", h.busy, h.idle)
	if err := os.WriteFile(filepath.Join(h.root, "stat"), []byte(stat), 0o644); err != nil {
		h.t.Fatal(err)
	}
}

// scriptedMeasurer measures fake runs; run k (from 0, warm-up excluded) is disturbed when
// disturbed[k] and then lasts 10 s, else its parallelism's makespan.
type scriptedMeasurer struct {
	fakeMeasurer
	host      *hostScript
	disturbed []bool
	k         int
}

func (m *scriptedMeasurer) Measure(ctx context.Context, s *scenarios.Scenario, p int) (*Measurement, error) {
	bad := m.k < len(m.disturbed) && m.disturbed[m.k]
	m.k++
	mt, err := m.fakeMeasurer.Measure(ctx, s, p)
	if err != nil {
		return nil, err
	}
	if bad {
		*mt.Trace = *fakeTrace(p, 10)
	}
	m.host.run(bad)
	return mt, nil
}

func TestCampaignRetriesDisturbedRuns(t *testing.T) {
	tests := []struct {
		name      string
		retries   int
		disturbed []bool
		attempts  int
		// kept says the run kept is disturbed.
		kept  bool
		warns []string
	}{
		{"quiet", 2, []bool{false}, 1, false, nil},
		{"quiet on the second try", 2, []bool{true, false}, 2, false, []string{"running it again (retry 1 of 2)"}},
		{"retries run out", 1, []bool{true, true, false}, 2, true, []string{"retry 1 of 1", "real run 1 at parallelism 2 was disturbed: other processes used 100%"}},
		{"no retries", 0, []bool{true}, 1, true, []string{"real run 1 at parallelism 2 was disturbed"}},
	}
	for _, tt := range tests {
		host, probe := newHostScript(t)
		m := &scriptedMeasurer{fakeMeasurer: fakeMeasurer{makespan: map[int]float64{2: 1}}, host: host, disturbed: tt.disturbed}
		var warn strings.Builder
		c := &Campaign{Measurer: m, Scenario: seed(t), Parallelisms: []int{2}, Runs: 1, RetryDisturbed: tt.retries, Probe: probe, Log: &warn}
		ms, err := c.Run(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		mt := ms.Runs[0][0]
		if mt.Attempts != tt.attempts || mt.Disturbed() != tt.kept {
			t.Errorf("%s: %d attempts, disturbed %v; want %d, %v", tt.name, mt.Attempts, mt.Disturbed(), tt.attempts, tt.kept)
		}
		for _, w := range tt.warns {
			if !strings.Contains(warn.String(), w) {
				t.Errorf("%s: warnings %q do not say %q", tt.name, warn.String(), w)
			}
		}
		if tt.warns == nil && warn.Len() > 0 {
			t.Errorf("%s: warnings %q for a quiet run", tt.name, warn.String())
		}
		if d := mt.Trace.Disturbance; d == nil || d.Cores != 2 || d.ReferenceBeforeMs <= 0 {
			t.Errorf("%s: the trace's disturbance %+v lacks its figures", tt.name, d)
		}
	}
}

func TestDisturbedRunsStayOutOfTheFigures(t *testing.T) {
	host, probe := newHostScript(t)
	// Round-robin over parallelisms 1 and 2, three runs each, every other round backwards: p1 r1,
	// p2 r1, p2 r2, p1 r2, p1 r3, p2 r3. The second run at 1 is disturbed (and lasts 10 s); every
	// run at 2 is.
	m := &scriptedMeasurer{fakeMeasurer: fakeMeasurer{makespan: map[int]float64{1: 2, 2: 1}}, host: host,
		disturbed: []bool{false, true, true, true, false, true}}
	c := &Campaign{Measurer: m, Scenario: seed(t), Parallelisms: []int{1, 2}, Runs: 3, Probe: probe}
	ms, err := c.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := len(ms.Counted(0)); got != 2 {
		t.Errorf("counted serial runs %d, want the 2 undisturbed", got)
	}
	if ms.AllDisturbed(0) || !ms.AllDisturbed(1) || !ms.Disturbed() || ms.LeftOut() != 1 {
		t.Errorf("all disturbed at 1: %v, at 2: %v; disturbed %v; left out %d; want false, true, true, 1",
			ms.AllDisturbed(0), ms.AllDisturbed(1), ms.Disturbed(), ms.LeftOut())
	}
	results, _ := ms.Results()
	if r := results[0]; r.Runs != 2 || r.Makespan.P50 != 2 {
		t.Errorf("serial figures over %d runs, median %g s; want the 2 undisturbed runs' 2 s", r.Runs, r.Makespan.P50)
	}
	if r := results[1]; r.Runs != 3 || r.Makespan.P50 != 10 || r.Speedup.P50 != 0.2 {
		t.Errorf("parallelism 2 over %d runs, median %g s, speedup %g; want all 3 disturbed runs' 10 s, 0.2", r.Runs, r.Makespan.P50, r.Speedup.P50)
	}
	notes := strings.Join(ms.DisturbanceNotes(), "\n")
	for _, want := range []string{"* parallelism 2: every run was disturbed", "1 disturbed runs left out", "more than 25%"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes %q do not say %q", notes, want)
		}
	}
	recs := ms.Records()
	if len(recs) != 6 || recs[1].Run != 2 || recs[1].Counted || !recs[1].Disturbed || !recs[0].Counted || recs[0].Disturbed || !recs[3].Counted {
		t.Errorf("records %+v", recs)
	}
}

func TestQuietCampaignHasNoDisturbanceNotes(t *testing.T) {
	host, probe := newHostScript(t)
	m := &scriptedMeasurer{fakeMeasurer: fakeMeasurer{makespan: map[int]float64{1: 2, 2: 1}}, host: host}
	c := &Campaign{Measurer: m, Scenario: seed(t), Parallelisms: []int{1, 2}, Runs: 2, Probe: probe}
	ms, err := c.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if ms.Disturbed() || ms.LeftOut() != 0 || len(ms.DisturbanceNotes()) != 0 {
		t.Errorf("a quiet campaign: disturbed %v, left out %d, notes %q", ms.Disturbed(), ms.LeftOut(), ms.DisturbanceNotes())
	}
	for _, r := range ms.Records() {
		if r.Disturbed || !r.Counted || r.OthersCPUPct != 0 {
			t.Errorf("record %+v of a quiet run", r)
		}
	}
}

// sleepingMeasurer's runs sleep for a while: a window the host's other processes fill.
type sleepingMeasurer struct{ fakeMeasurer }

func (m *sleepingMeasurer) Measure(ctx context.Context, s *scenarios.Scenario, p int) (*Measurement, error) {
	time.Sleep(400 * time.Millisecond)
	return m.fakeMeasurer.Measure(ctx, s, p)
}

// TestCampaignBesideBusyLoopsIsFlagged runs a campaign on the real host while more busy loops
// than it has CPUs spin in other processes, and checks that the run is flagged. (A quiet host
// cannot be had on a shared machine: that an idle host's run is not flagged is checked on a
// scripted /proc above.)
func TestCampaignBesideBusyLoopsIsFlagged(t *testing.T) {
	if _, err := os.Stat("/proc/stat"); err != nil {
		t.Skipf("no /proc/stat: %v", err)
	}
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skipf("no sh for the busy loops: %v", err)
	}
	for range runtime.NumCPU() + 1 {
		cmd := exec.Command(sh, "-c", "while :; do :; done")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	}
	time.Sleep(100 * time.Millisecond)
	var warn strings.Builder
	c := &Campaign{Measurer: &sleepingMeasurer{fakeMeasurer{makespan: map[int]float64{1: 1}}}, Scenario: seed(t),
		Parallelisms: []int{1}, Runs: 1, Log: &warn}
	ms, err := c.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	d := ms.First().Trace.Disturbance
	if !d.Disturbed || d.OthersCPUPct <= hostload.Default.OthersPct || !strings.Contains(warn.String(), "was disturbed") {
		t.Errorf("a run beside %d busy loops: %+v, warnings %q; want it flagged for other processes' CPU", runtime.NumCPU()+1, d, warn.String())
	}
}
