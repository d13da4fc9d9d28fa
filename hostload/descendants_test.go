package hostload

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseProcStat(t *testing.T) {
	tests := []struct {
		in   string
		want ProcStat
		err  string
	}{
		{in: "file:pid-stat-init", want: ProcStat{PID: 1, PPID: 0, CPU: 155 + 225, Start: 6}},
		{in: "file:pid-stat-sleep", want: ProcStat{PID: 1088, PPID: 1087, CPU: 0, Start: 204251}},
		{in: "file:pid-stat-parens", want: ProcStat{PID: 4242, PPID: 4241, CPU: 1234 + 56, Start: 777}},
		{in: "", err: "no \"PID (comm)\""},
		{in: "12 (x) S 1 2 3", err: "fields after the command name"},
		{in: "x (x) S 1 1 1 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 5", err: "pid \"x\""},
		{in: "7 (x) S -1 1 1 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 5", err: "field 4 (ppid)"},
		{in: "7 (x) S 1 1 1 0 -1 0 0 0 0 0 u 1 0 0 20 0 1 0 5", err: "field 14 (utime)"},
	}
	for _, tt := range tests {
		in := tt.in
		if name, ok := strings.CutPrefix(in, "file:"); ok {
			b, err := os.ReadFile(filepath.Join("testdata", name))
			if err != nil {
				t.Fatal(err)
			}
			in = string(b)
		}
		got, err := ParseProcStat([]byte(in))
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%.30q: error %v, want one mentioning %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%s: %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
}

func FuzzParseProcStat(f *testing.F) {
	for _, name := range []string{"pid-stat-init", "pid-stat-sleep", "pid-stat-parens"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := ParseProcStat(b)
		if err == nil && (p.PID < 1 || p.PPID < 0 || p.CPU > 2*maxTicks || p.Start > maxTicks) {
			t.Errorf("%+v from %q", p, b)
		}
	})
}

// fakeProcs is a proc file system of processes whose stat the test rewrites.
type fakeProcs struct {
	t    *testing.T
	root string
}

func (fp fakeProcs) set(pid, ppid int, cpu, start uint64) {
	dir := filepath.Join(fp.root, fmt.Sprint(pid))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fp.t.Fatal(err)
	}
	line := fmt.Sprintf("%d (p %d) S %d 1 1 0 -1 0 0 0 0 0 %d 0 0 0 20 0 1 0 %d 0 0\n", pid, pid, ppid, cpu, start)
	if err := os.WriteFile(filepath.Join(dir, "stat"), []byte(line), 0o644); err != nil {
		fp.t.Fatal(err)
	}
}

func (fp fakeProcs) end(pid int) { os.RemoveAll(filepath.Join(fp.root, fmt.Sprint(pid))) }

func TestFollowerCountsTheJVMItsPythonLeaves(t *testing.T) {
	fp := fakeProcs{t, t.TempDir()}
	fp.set(100, 1, 500, 10)  // this process
	fp.set(7, 1, 9000, 2)    // someone else's
	fp.set(150, 100, 40, 20) // an earlier child of ours: getrusage counts it
	fp.set(151, 150, 60, 21) // its child, running before the window: only its CPU from now counts
	f := follow(fp.root, 100, nil)
	fp.set(150, 100, 45, 20)
	fp.set(151, 150, 70, 21)
	fp.set(101, 100, 30, 50)  // the harness's Python, our child: getrusage counts it
	fp.set(102, 101, 200, 51) // the JVM it started
	f.scan()
	fp.end(101)
	fp.set(102, 1, 900, 51) // Python ended; the JVM, handed to init, works on
	f.scan()
	fp.set(102, 1, 950, 51)
	f.scan()
	fp.end(102)
	fp.set(103, 1, 999, 51) // another process later: not ours
	fp.set(7, 1, 9999, 2)
	got := f.end()
	if want := (950 + 10) * (time.Second / userHZ); got != want {
		t.Errorf("descendants' CPU %v, want the JVM's 9.5 s and the grandchild's 0.1 s, %v (not our children's, not others')", got, want)
	}
}

func (fp fakeProcs) cmdline(pid int, args ...string) {
	b := []byte(strings.Join(args, "\x00") + "\x00")
	if err := os.WriteFile(filepath.Join(fp.root, fmt.Sprint(pid), "cmdline"), b, 0o644); err != nil {
		fp.t.Fatal(err)
	}
}

func TestFollowerAdoptsTheExecutorsAWorkerStarts(t *testing.T) {
	fp := fakeProcs{t, t.TempDir()}
	fp.set(100, 1, 500, 10) // this process
	fp.cmdline(100, "simulate")
	fp.set(200, 1, 7000, 3) // a standalone cluster's worker, not ours
	fp.cmdline(200, "java", "org.apache.spark.deploy.worker.Worker")
	adopt := func(cmd []byte) bool {
		return strings.Contains(string(cmd), "\x00org.apache.spark.executor.CoarseGrainedExecutorBackend\x00")
	}
	f := follow(fp.root, 100, adopt)
	fp.set(201, 200, 0, 40) // forked by the worker, not yet exec'd: refused once, looked at again
	fp.cmdline(201, "java", "org.apache.spark.deploy.worker.Worker")
	f.scan()
	fp.cmdline(201, "java", "org.apache.spark.executor.CoarseGrainedExecutorBackend", "--app-id", "app-1")
	fp.set(201, 200, 300, 40)
	fp.set(202, 201, 20, 41) // a child of the executor's
	fp.cmdline(202, "sh")
	f.scan()
	fp.set(201, 200, 800, 40)
	fp.set(202, 201, 25, 41)
	fp.set(200, 1, 7100, 3)
	got := f.end()
	if want := (800 + 25) * (time.Second / userHZ); got != want {
		t.Errorf("adopted CPU %v, want the executor's 8 s and its child's 0.25 s, both from their start, %v (not the worker's)", got, want)
	}
}
