package hostload

import (
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"tunesim/trace"
)

// TestMain makes the test binary a busy loop when asked (TestHogsAreFlagged starts copies of it).
func TestMain(m *testing.M) {
	if os.Getenv("HOSTLOAD_TEST_BUSY_LOOP") == "1" {
		//lint:ignore SA5002 spinning is what a busy loop is for
		for {
		}
	}
	os.Exit(m.Run())
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestUsageArithmetic(t *testing.T) {
	t0 := time.Unix(1000, 0)
	tests := []struct {
		name                   string
		a, b                   Snapshot
		own, others, steal     float64
		unknownMentions        string
		wantCPUOK, wantOwnKnow bool
	}{
		{
			// 1 s on 2 CPUs: 200 ticks, 150 busy (1.5 CPU-s) of which 0.5 s ours, 10 stolen.
			name: "busy host",
			a:    Snapshot{At: t0, CPU: CPUTimes{Busy: 1000, Idle: 500, Steal: 20}, CPUs: 2, Own: time.Second, OwnOK: true},
			b: Snapshot{At: t0.Add(time.Second), CPU: CPUTimes{Busy: 1150, Idle: 540, Steal: 30}, CPUs: 2,
				Own: 1500 * time.Millisecond, OwnOK: true, Load1: 3.5},
			own: 25, others: 50, steal: 5, wantCPUOK: true, wantOwnKnow: true,
		},
		{
			// Our own CPU time is precise, the host's counted in ticks: more of ours than the host
			// counted is no one else's.
			name:   "own beyond the ticks",
			a:      Snapshot{At: t0, CPU: CPUTimes{Busy: 0, Idle: 0}, CPUs: 2, OwnOK: true},
			b:      Snapshot{At: t0.Add(time.Second), CPU: CPUTimes{Busy: 100, Idle: 100}, CPUs: 2, Own: 1010 * time.Millisecond, OwnOK: true},
			own:    50.5,
			others: 0, steal: 0, wantCPUOK: true, wantOwnKnow: true,
		},
		{
			name:   "no /proc",
			a:      Snapshot{At: t0, CPUErr: os.ErrNotExist, LoadErr: os.ErrNotExist, OwnOK: true},
			b:      Snapshot{At: t0.Add(2 * time.Second), CPUErr: os.ErrNotExist, LoadErr: os.ErrNotExist, Own: time.Second, OwnOK: true},
			own:    100 * 0.5 / float64(runtime.NumCPU()),
			others: 0, steal: 0, unknownMentions: "others' CPU and steal", wantOwnKnow: true,
		},
		{
			name:            "counters went backwards",
			a:               Snapshot{At: t0, CPU: CPUTimes{Busy: 10, Idle: 10}, CPUs: 1},
			b:               Snapshot{At: t0.Add(time.Second), CPU: CPUTimes{Busy: 5, Idle: 20}, CPUs: 1},
			unknownMentions: "backwards",
		},
	}
	for _, tt := range tests {
		u := Between(tt.a, tt.b)
		if !near(u.OwnPct(), tt.own) || !near(u.OthersPct(), tt.others) || !near(u.StealPct(), tt.steal) {
			t.Errorf("%s: own %v%%, others %v%%, steal %v%%; want %v, %v, %v", tt.name, u.OwnPct(), u.OthersPct(), u.StealPct(), tt.own, tt.others, tt.steal)
		}
		if u.CPUOK != tt.wantCPUOK || u.OwnOK != tt.wantOwnKnow {
			t.Errorf("%s: CPU known %v, own known %v; want %v, %v", tt.name, u.CPUOK, u.OwnOK, tt.wantCPUOK, tt.wantOwnKnow)
		}
		if got := strings.Join(u.Unknown, "; "); !strings.Contains(got, tt.unknownMentions) || (tt.unknownMentions == "" && got != "") {
			t.Errorf("%s: unknown %q, want it to mention %q", tt.name, got, tt.unknownMentions)
		}
	}
}

func TestThresholdJudge(t *testing.T) {
	th := Threshold{OthersPct: 25, StealPct: 10, SlowdownPct: 50}
	tests := []struct {
		name    string
		d       trace.Disturbance
		reasons []string
	}{
		{"quiet", trace.Disturbance{OthersCPUPct: 12, StealPct: 2, SlowdownPct: 8}, nil},
		{"at the limits", trace.Disturbance{OthersCPUPct: 25, StealPct: 10, SlowdownPct: 50}, nil},
		{"busy neighbours", trace.Disturbance{OthersCPUPct: 61.4}, []string{"other processes used 61% of the cores' time (limit 25%)"}},
		{"steal", trace.Disturbance{StealPct: 30}, []string{"stole 30%"}},
		{"slow host", trace.Disturbance{SlowdownPct: 80, ReferenceBeforeMs: 1.8, ReferenceAfterMs: 1.7, ReferenceBestMs: 1},
			[]string{"80% slower", "1.80 ms against 1.00 ms"}},
		{"all three", trace.Disturbance{OthersCPUPct: 70, StealPct: 11, SlowdownPct: 51}, []string{"other processes", "stole", "slower"}},
	}
	for _, tt := range tests {
		d := tt.d
		th.Judge(&d)
		if d.Disturbed != (len(tt.reasons) > 0) {
			t.Errorf("%s: disturbed %v, want %v (reason %q)", tt.name, d.Disturbed, len(tt.reasons) > 0, d.Reason)
		}
		for _, r := range tt.reasons {
			if !strings.Contains(d.Reason, r) {
				t.Errorf("%s: reason %q does not say %q", tt.name, d.Reason, r)
			}
		}
		if len(tt.reasons) == 0 && d.Reason != "" {
			t.Errorf("%s: reason %q for an undisturbed run", tt.name, d.Reason)
		}
	}
}

// fakeProbe is a probe on a copy of /proc whose files the test swaps, with scripted readings of
// the clock, of our own CPU time and of the reference kernel.
func fakeProbe(t *testing.T, refs []time.Duration) (*Probe, func(stat, loadavg string)) {
	root := t.TempDir()
	put := func(stat, loadavg string) {
		for name, from := range map[string]string{"stat": stat, "loadavg": loadavg} {
			b, err := os.ReadFile(filepath.Join("testdata", from))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(root, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	clock := time.Unix(0, 0)
	p := &Probe{Root: root, Threshold: Default,
		now:       func() time.Time { clock = clock.Add(time.Second); return clock },
		own:       func() (time.Duration, bool) { return 0, true },
		reference: func() time.Duration { r := refs[0]; refs = refs[1:]; return r },
	}
	return p, put
}

func TestProbeOnCopiesOfProc(t *testing.T) {
	// Three busy loops on 2 CPUs, nothing of ours running: every busy tick is someone else's.
	p, put := fakeProbe(t, []time.Duration{time.Millisecond, 1100 * time.Microsecond, 2 * time.Millisecond, time.Millisecond})
	put("stat-hogs-before", "loadavg-busy")
	w := p.Start()
	put("stat-hogs-after", "loadavg-hogs")
	d := w.Stop()
	if !d.Disturbed || !near(d.OthersCPUPct, 100) || d.Cores != 2 || d.WallS != 1 || d.Load1 != 4.73 || !strings.Contains(d.Reason, "other processes used 100%") {
		t.Errorf("hogs: %+v", d)
	}
	if d.ReferenceBeforeMs != 1 || !near(d.ReferenceAfterMs, 1.1) || d.ReferenceBestMs != 1 || !near(d.SlowdownPct, 10) {
		t.Errorf("reference readings %+v: want 1 and 1.1 ms, best 1, slowdown 10%%", d)
	}
	// The same host still, but the kernel now runs twice as slow as the campaign's best.
	put("stat-hogs-after", "loadavg-hogs")
	w = p.Start()
	d = w.Stop()
	if !d.Disturbed || !near(d.SlowdownPct, 100) || d.OthersCPUPct != 0 || !strings.Contains(d.Reason, "reference kernel ran 100% slower") {
		t.Errorf("slow host: %+v", d)
	}
	if p.Best() != time.Millisecond {
		t.Errorf("campaign best %v, want 1ms", p.Best())
	}
}

func TestProbeLeavesShortWindowsUnknown(t *testing.T) {
	p, put := fakeProbe(t, []time.Duration{time.Millisecond, time.Millisecond})
	p.MinWindow = 2 * time.Second // the fake clock's windows last 1 s
	put("stat-hogs-before", "loadavg-busy")
	w := p.Start()
	put("stat-hogs-after", "loadavg-hogs")
	d := w.Stop()
	if d.Disturbed || d.OthersCPUPct != 0 || len(d.Unknown) != 1 || !strings.Contains(d.Unknown[0], "1000 ms are too short") {
		t.Errorf("a window shorter than the probe's minimum: %+v; want the others' share unknown", d)
	}
}

func TestProbeWithoutProc(t *testing.T) {
	p := NewProbe()
	p.Root = filepath.Join(t.TempDir(), "no-proc")
	d := p.Start().Stop()
	if d.Disturbed || len(d.Unknown) != 2 || d.ReferenceBeforeMs <= 0 || d.ReferenceAfterMs <= 0 {
		t.Errorf("without /proc: %+v; want undisturbed, 2 unknown figures, reference readings", d)
	}
}

func TestReferenceKernelIsDeterministic(t *testing.T) {
	a, b := kernel(), kernel()
	if a != b || a == 0 {
		t.Errorf("kernel checksums %#x, %#x: want the same, non-zero", a, b)
	}
	if r := Reference(); r <= 0 {
		t.Errorf("Reference() = %v", r)
	}
}

// TestHogsAreFlagged starts more busy loops than the host has CPUs, as child processes, and checks
// that a window they share is flagged. (That a quiet window is not flagged is the arithmetic of
// TestUsageArithmetic and TestThresholdJudge: a shared machine is never reliably quiet.)
func TestHogsAreFlagged(t *testing.T) {
	if _, err := os.Stat("/proc/stat"); err != nil {
		t.Skipf("no /proc/stat: %v", err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for range runtime.NumCPU() + 1 {
		cmd := exec.Command(exe, "-test.run=^$")
		cmd.Env = append(os.Environ(), "HOSTLOAD_TEST_BUSY_LOOP=1")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	}
	time.Sleep(100 * time.Millisecond) // let them start spinning
	w := NewProbe().Start()
	time.Sleep(300 * time.Millisecond)
	d := w.Stop()
	if !d.Disturbed || d.OthersCPUPct <= Default.OthersPct {
		t.Errorf("a window shared with %d busy loops: %+v; want it disturbed by other processes", runtime.NumCPU()+1, d)
	}
	t.Logf("with busy loops: %+v", d)
}
