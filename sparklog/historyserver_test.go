package sparklog

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"tunesim/sparkenv"
	"tunesim/trace"
)

// The JVM options Spark's launcher (spark-class) gives Spark 4 on Java 17.
var sparkJavaOptions = strings.Fields(`-XX:+IgnoreUnrecognizedVMOptions --add-modules=jdk.incubator.vector
	--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
	--add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
	--add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
	--add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
	--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
	--add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
	--add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
	-Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true`)

// lockedBuffer collects a process's output for the failure message.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) tail() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.b.String()
	return s[max(0, len(s)-3000):]
}

func getJSON(url string, v any) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// TestHistoryServerOpensWrittenLogs starts Spark's History Server (from PyPI's pyspark, see
// sparkenv) on loopback against a directory of logs this package wrote — plain, each codec, and
// rolling — and reads them back through its REST API: every application is listed, and opening it
// shows the trace's jobs, stages and tasks.
func TestHistoryServerOpensWrittenLogs(t *testing.T) {
	env, err := sparkenv.Find()
	if err != nil {
		t.Skipf("no Spark to start a History Server with: %v", err)
	}
	dir := t.TempDir()
	type app struct {
		id                  string
		jobs, stages, tasks int
	}
	var apps []app
	for i, c := range []struct {
		scenario    string
		parallelism int
		codec       Codec
		rolling     int64
	}{
		{"seed-tvs", 3, CodecNone, 0},
		{"seed-cv", 2, CodecZstd, 0},
		{"seed-tvs", 1, CodecLZ4, 0},
		{"cluster-mid", 4, CodecSnappy, 0},
		{"seed-tvs", 2, CodecLZ4, 100 << 10},
	} {
		tr := simulated(t, c.scenario, c.parallelism)
		id := fmt.Sprintf("tunesim-%d-%s-p%d", i, c.scenario, c.parallelism)
		opts := WriteOptions{AppID: id, EpochMs: DefaultEpochMs + int64(i)*3600_000}
		if c.rolling > 0 {
			_, err = WriteRolling(dir, tr, c.codec, c.rolling, opts)
		} else {
			err = WriteFile(filepath.Join(dir, id+c.codec.Ext()), tr, c.codec, opts)
		}
		if err != nil {
			t.Fatal(err)
		}
		n := countKinds(tr)
		apps = append(apps, app{id, n[trace.KindJob], n[trace.KindStage], n[trace.KindTask]})
	}
	ids := make([]string, len(apps))
	for i, a := range apps {
		ids[i] = a.id
	}
	base, out := startHistoryServer(t, env, dir, ids)
	for _, a := range apps {
		var jobs []struct {
			JobID  int    `json:"jobId"`
			Status string `json:"status"`
		}
		if err := getJSON(base+"/"+a.id+"/jobs", &jobs); err != nil {
			t.Fatalf("%s: %v\n%s", a.id, err, out.tail())
		}
		var stages []struct {
			StageID       int    `json:"stageId"`
			Status        string `json:"status"`
			CompleteTasks int    `json:"numCompleteTasks"`
		}
		if err := getJSON(base+"/"+a.id+"/stages", &stages); err != nil {
			t.Fatalf("%s: %v", a.id, err)
		}
		tasks := 0
		for _, s := range stages {
			tasks += s.CompleteTasks
			if s.Status != "COMPLETE" {
				t.Errorf("%s: stage %d is %s", a.id, s.StageID, s.Status)
			}
		}
		for _, j := range jobs {
			if j.Status != "SUCCEEDED" {
				t.Errorf("%s: job %d is %s", a.id, j.JobID, j.Status)
			}
		}
		if len(jobs) != a.jobs || len(stages) != a.stages || tasks != a.tasks {
			t.Errorf("%s: the History Server shows %d jobs, %d stages, %d tasks; the trace has %d, %d, %d",
				a.id, len(jobs), len(stages), tasks, a.jobs, a.stages, a.tasks)
		}
	}
}

// startHistoryServer starts Spark's History Server on loopback against dir and waits until it
// lists every application of ids; it returns its REST API's applications URL and its output. The
// server is stopped when the test ends.
func startHistoryServer(t *testing.T, env *sparkenv.Env, dir string, ids []string) (string, *lockedBuffer) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	args := append(append([]string{}, sparkJavaOptions...), "-cp", filepath.Join(env.SparkHome, "jars", "*"),
		"-Dspark.history.fs.logDirectory=file:"+dir, "-Dspark.history.ui.port="+strconv.Itoa(port),
		"-Dspark.history.fs.update.interval=1s",
		// Keep every job and stage (Spark's UI keeps the last 1000 by default).
		"-Dspark.ui.retainedJobs=100000", "-Dspark.ui.retainedStages=100000", "-Dspark.ui.retainedTasks=10000000",
		"org.apache.spark.deploy.history.HistoryServer")
	cmd := exec.Command(env.Java, args...)
	cmd.Env = append(cmd.Environ(), "SPARK_LOCAL_IP=127.0.0.1", "SPARK_HOME="+env.SparkHome)
	out := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting the History Server: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-exited
	})
	base := fmt.Sprintf("http://127.0.0.1:%d/api/v1/applications", port)
	const patience = 180 * time.Second // the JVM starts and scans the directory; slow on a loaded machine
	deadline := time.Now().Add(patience)
	listed := map[string]bool{}
	for n := 0; n < len(ids); {
		select {
		case err := <-exited:
			exited <- err
			t.Fatalf("the History Server exited (%v):\n%s", err, out.tail())
		case <-time.After(time.Second):
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %v the History Server lists %v of %d applications; its output:\n%s", patience, listed, len(ids), out.tail())
		}
		var list []struct {
			ID string `json:"id"`
		}
		if getJSON(base, &list) != nil {
			continue
		}
		for _, a := range list {
			listed[a.ID] = true
		}
		n = 0
		for _, id := range ids {
			if listed[id] {
				n++
			}
		}
	}
	return base, out
}
