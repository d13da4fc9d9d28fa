package spark

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"tunesim/sparkenv"
)

// TestClusterScript brings a standalone cluster of 2 workers x 1 core up with spark/tools/standalone_cluster.py (in
// a state directory of its own, on free ports), checks that up is idempotent, that status and
// the master's status page agree with what was asked, and that down leaves no process of it.
func TestClusterScript(t *testing.T) {
	if !sparkenv.LongTests() {
		t.Skipf("runs real Spark for minutes: set %s=all to run it (.ci/run does)", sparkenv.LongTestsVar)
	}
	if _, err := os.Stat(".venv"); err != nil {
		t.Skip("no spark/.venv (run spark/setup): the cluster is started from pyspark's jars")
	}
	if _, err := exec.LookPath("java"); err != nil && os.Getenv("JAVA_HOME") == "" {
		t.Skip("no java on PATH and no JAVA_HOME: Spark's daemons need Java 17+")
	}
	if testing.Short() {
		t.Skip("starts a Spark master and 2 workers (about 20 s); -short skips it")
	}
	dir := t.TempDir()
	t.Setenv(ClusterDirVar, dir)
	port, webui := freePort(t), freePort(t)
	run := func(args ...string) (last string, err error) {
		t.Helper()
		cmd := exec.Command("./tools/standalone_cluster.py", args...)
		var out, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &stderr
		err = cmd.Run()
		if err != nil {
			t.Logf("spark/tools/standalone_cluster.py %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
		}
		return lastLine(out.String()), err
	}
	var pids []int
	t.Cleanup(func() {
		if _, err := run("down"); err != nil {
			for _, p := range pids { // what this test started, and only that
				_ = syscall.Kill(-p, syscall.SIGKILL)
			}
		}
	})
	url, err := run("up", "--workers", "2", "--cores", "1", "--port", strconv.Itoa(port), "--webui-port", strconv.Itoa(webui))
	if err != nil {
		t.Fatal(err)
	}
	want := "spark://127.0.0.1:" + strconv.Itoa(port)
	if url != want {
		t.Fatalf("up's last line %q, want %q", url, want)
	}
	pids = statePids(t, dir)
	if len(pids) != 3 {
		t.Fatalf("state records %d processes, want a master and 2 workers", len(pids))
	}
	if again, err := run("up"); err != nil || again != want {
		t.Errorf("up on a running cluster: %q, %v; want the URL %q and no error", again, err, want)
	}
	if _, err := run("up", "--workers", "3"); err == nil {
		t.Error("up --workers 3 on a running cluster of 2 workers succeeded; want an error")
	}
	if st, err := run("status"); err != nil || st != want {
		t.Errorf("status: %q, %v; want the URL %q last", st, err, want)
	}
	st, err := MasterStatus(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Alive()) != 2 || st.Cores() != 2 {
		t.Errorf("the master reports %d alive workers with %d cores, want 2 with 2", len(st.Alive()), st.Cores())
	}
	for _, w := range st.Alive() {
		if w.Host != "127.0.0.1" || w.Cores != 1 {
			t.Errorf("worker %s on %s with %d cores, want 127.0.0.1 with 1", w.ID, w.Host, w.Cores)
		}
	}
	if err := CheckStandalone(clusterScenario(t, false, 2, 1), st); err != nil {
		t.Errorf("2 executors x 1 core on 2 workers x 1 core: %v", err)
	}
	if _, err := run("down"); err != nil {
		t.Fatal(err)
	}
	for _, p := range pids {
		if running := groupRunning(p); len(running) > 0 {
			t.Errorf("process group %d still runs after down: %v", p, running)
		}
	}
	if left := processesMentioning(dir); len(left) > 0 {
		t.Errorf("after down, processes still run from %s: %v", dir, left)
	}
	if _, err := run("status"); err == nil {
		t.Error("status after down succeeded; want an error saying no cluster is up")
	}
	if _, err := run("down"); err != nil {
		t.Errorf("down on a stopped cluster: %v, want no error", err)
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// statePids are the master's and workers' pids spark/tools/standalone_cluster.py recorded in dir.
func statePids(t *testing.T, dir string) []int {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "cluster.json"))
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		Master  struct{ PID int }
		Workers []struct{ PID int }
	}
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	out := []int{st.Master.PID}
	for _, w := range st.Workers {
		out = append(out, w.PID)
	}
	return out
}

// processesMentioning lists the processes whose command line holds s (Linux /proc; none elsewhere).
func processesMentioning(s string) []string {
	var out []string
	procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, p := range procs {
		b, err := os.ReadFile(p)
		if err == nil && bytes.Contains(b, []byte(s)) {
			out = append(out, filepath.Base(filepath.Dir(p))+": "+strings.ReplaceAll(string(b), "\x00", " "))
		}
	}
	return out
}

// groupRunning lists the processes of group pgid that still run, as "pid state", from /proc's
// stat files; a zombie (state Z or X: exited, waiting for its parent, which after up exited is
// init) runs nothing and is left out. Without /proc it falls back on kill(-pgid, 0), which
// counts zombies too.
func groupRunning(pgid int) []string {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	if len(stats) == 0 {
		if err := syscall.Kill(-pgid, 0); err == nil {
			return []string{"group " + strconv.Itoa(pgid) + " answers kill 0"}
		}
		return nil
	}
	var out []string
	for _, p := range stats {
		b, err := os.ReadFile(p)
		if err != nil {
			continue // exited while listed
		}
		s := string(b)
		// pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses.
		f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		if len(f) < 3 || f[2] != strconv.Itoa(pgid) || f[0] == "Z" || f[0] == "X" {
			continue
		}
		out = append(out, filepath.Base(filepath.Dir(p))+" "+f[0])
	}
	return out
}
