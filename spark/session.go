package spark

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"

	"tunesim/python"
	"tunesim/scenarios"
	"tunesim/sparkenv"
)

// Session is one Spark application of the harness (tune.py --serve) that runs the tuning again
// at each Run: the application starts, builds the data and warms up once, and all its runs share
// one event log. Runs of one Session are measured in the same warm JVMs, one after another.
type Session struct {
	scenario string
	cmd      *exec.Cmd
	in       io.WriteCloser
	lines    chan []byte
	stderr   *tail
	tmp      string
	waitErr  error
	// AppID is the application's id; WarmupSeconds are its warm-up's serial tunings (see
	// Options.NoWarmup).
	AppID         string
	WarmupSeconds []float64
}

// Start starts the harness's application for scenario s and waits until it has warmed up
// (o.Parallelism is not used: each Run says its own). Close ends it.
func Start(ctx context.Context, env *sparkenv.Env, s *scenarios.Scenario, o Options) (*Session, error) {
	if o.EventDir == "" {
		return nil, errors.New("spark: no event log directory")
	}
	if err := Runnable(s); err != nil {
		return nil, fmt.Errorf("spark: %w", err)
	}
	tmp, err := os.MkdirTemp("", "tunesim-spark-")
	if err != nil {
		return nil, fmt.Errorf("spark: %w", err)
	}
	ss := &Session{scenario: s.Name, tmp: tmp, lines: make(chan []byte), stderr: &tail{max: 64 << 10}}
	if err := ss.start(env, s, o); err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	var ready struct {
		Ready  bool      `json:"ready"`
		AppID  string    `json:"app_id"`
		Warmup []float64 `json:"warmup_s"`
	}
	line, err := ss.next(ctx)
	if err == nil {
		if err = json.Unmarshal(line, &ready); err == nil && !ready.Ready {
			err = fmt.Errorf("its first line %q is not {\"ready\": true, ...}", line)
		}
	}
	if err != nil {
		ss.Close()
		return nil, fmt.Errorf("spark harness on %s: starting: %w", s.Name, err)
	}
	ss.AppID, ss.WarmupSeconds = ready.AppID, ready.Warmup
	return ss, nil
}

// start writes the scenario and the script to ss.tmp and starts the harness's Python.
func (ss *Session) start(env *sparkenv.Env, s *scenarios.Scenario, o Options) error {
	scenarioFile := filepath.Join(ss.tmp, "scenario.json")
	b, err := json.Marshal(harnessInputOf(s))
	if err != nil {
		return fmt.Errorf("spark: scenario %s: %w", s.Name, err)
	}
	if err := os.WriteFile(scenarioFile, b, 0o644); err != nil {
		return fmt.Errorf("spark: %w", err)
	}
	script, err := writeHarness(ss.tmp)
	if err != nil {
		return fmt.Errorf("spark: %w", err)
	}
	args := []string{script, "--scenario", scenarioFile, "--event-dir", o.EventDir, "--serve"}
	if o.Master != "" {
		args = append(args, "--master", o.Master)
	}
	if o.AppName != "" {
		args = append(args, "--app-name", o.AppName)
	}
	if o.NoWarmup {
		args = append(args, "--no-warmup")
	}
	if o.WarmupBudget > 0 {
		args = append(args, "--warmup-s", strconv.FormatFloat(o.WarmupBudget.Seconds(), 'f', -1, 64))
	}
	// The application outlives the context it starts in (a Run's context ends it: see next).
	cmd := exec.Command(env.Python, args...)
	ownGroup(cmd)
	cmd.Env = append(os.Environ(), "SPARK_HOME="+env.SparkHome, "PYSPARK_PYTHON="+env.Python)
	if env.Java != "" {
		cmd.Env = append(cmd.Env, "JAVA_HOME="+filepath.Dir(filepath.Dir(resolve(env.Java))))
	}
	cmd.Stderr = ss.stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return fmt.Errorf("spark: %w", err)
	}
	if ss.in, err = cmd.StdinPipe(); err != nil {
		return fmt.Errorf("spark: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("spark harness on %s: %w", s.Name, err)
	}
	ss.cmd = cmd
	go ss.read(out)
	return nil
}

// writeHarness writes tune.py and the Python package it imports (python/tunesim) into dir as they
// lie in the repository, dir/spark/tune.py and dir/python/tunesim, and returns the script's path.
func writeHarness(dir string) (string, error) {
	pkg, err := fs.Sub(python.Tunesim, "tunesim")
	if err != nil {
		return "", err
	}
	if err := os.CopyFS(filepath.Join(dir, "python", "tunesim"), pkg); err != nil {
		return "", err
	}
	script := filepath.Join(dir, "spark", "tune.py")
	if err := os.Mkdir(filepath.Dir(script), 0o755); err != nil {
		return "", err
	}
	return script, os.WriteFile(script, harness, 0o644)
}

// read hands the harness's stdout on, line by line, to next; at its end it waits for the
// process and closes ss.lines.
func (ss *Session) read(out io.Reader) {
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 64<<10), 64<<20)
	for sc.Scan() {
		line := append([]byte(nil), sc.Bytes()...)
		if len(line) == 0 || line[0] != '{' {
			continue // PySpark or a library printed something: the harness's lines are JSON objects
		}
		ss.lines <- line // Close drains what nobody asked for
	}
	ss.waitErr = ss.cmd.Wait()
	close(ss.lines)
}

// next is the harness's next line of output; an error when it ended first (naming its last
// line on stderr) or ctx ended.
func (ss *Session) next(ctx context.Context) ([]byte, error) {
	select {
	case line, ok := <-ss.lines:
		if ok {
			return line, nil
		}
		if ss.waitErr != nil {
			return nil, fmt.Errorf("failed (%v): %s", ss.waitErr, lastLine(ss.stderr.String()))
		}
		return nil, fmt.Errorf("ended early: %s", lastLine(ss.stderr.String()))
	case <-ctx.Done():
		ss.kill()
		return nil, ctx.Err()
	}
}

// Run runs the tuning once more at parallelism p and returns its summary.
func (ss *Session) Run(ctx context.Context, p int) (*Result, error) {
	if _, err := fmt.Fprintf(ss.in, "{\"parallelism\": %d}\n", p); err != nil {
		return nil, fmt.Errorf("spark harness on %s (parallelism %d): %w", ss.scenario, p, err)
	}
	line, err := ss.next(ctx)
	if err != nil {
		return nil, fmt.Errorf("spark harness on %s (parallelism %d) %w", ss.scenario, p, err)
	}
	var r Result
	if err := json.Unmarshal(line, &r); err != nil {
		return nil, fmt.Errorf("spark harness on %s: reading its summary %q: %w", ss.scenario, line, err)
	}
	return &r, nil
}

// Close ends the application (Spark stops and renames its event log) and waits for it.
func (ss *Session) Close() error {
	defer os.RemoveAll(ss.tmp)
	ss.in.Close()
	for range ss.lines {
	}
	if ss.waitErr != nil {
		return fmt.Errorf("spark harness on %s: stopping (%v): %s", ss.scenario, ss.waitErr, lastLine(ss.stderr.String()))
	}
	return nil
}

// kill ends the harness's process group at once.
func (ss *Session) kill() {
	killGroup(ss.cmd)
}

// tail keeps the last max bytes written to it (the harness's stderr: Spark logs there).
type tail struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - t.max; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}
