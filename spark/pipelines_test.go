package spark

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"tunesim/sparkenv/sparktest"
	"tunesim/sparklog"
)

// TestPipelinesWritesAUsersLog runs the smallest validation pipeline of pipelines.py (lr-text:
// Tokenizer -> HashingTF -> LogisticRegression under a 3-fold CrossValidator, one param map, tiny
// data, serial, no warm-up) and checks what the validation campaign relies on: one record in the
// results file naming a finished event log in the directory given, the log complete (an
// ApplicationEnd) and a user's (no job carries a tunesim.* property), the tuning's estimator and
// evaluator jobs in it, and one metric per param map.
func TestPipelinesWritesAUsersLog(t *testing.T) {
	env := sparktest.Long(t, "starts Spark (about 30 s)")
	dir := t.TempDir()
	logs, results := filepath.Join(dir, "logs"), filepath.Join(dir, "results.json")
	cmd := exec.CommandContext(context.Background(), env.Python, "pipelines.py", "--pipeline", "lr-text",
		"--parallelism", "1", "--rows", "200", "--grid-limit", "1", "--no-warmup",
		"--event-log-dir", logs, "--out", results)
	cmd.Env = append(os.Environ(), "SPARK_HOME="+env.SparkHome, "PYSPARK_PYTHON="+env.Python)
	if env.Java != "" {
		cmd.Env = append(cmd.Env, "JAVA_HOME="+filepath.Dir(filepath.Dir(resolve(env.Java))))
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("pipelines.py failed (%v): %s", err, lastLine(string(out)))
	}

	var doc struct {
		Runs []struct {
			Pipeline    string
			Parallelism int
			FitS        float64 `json:"fit_s"`
			AppID       string  `json:"app_id"`
			EventLog    string  `json:"event_log"`
			Tuner       string
			Folds       int
			ParamMaps   int `json:"param_maps"`
			Metrics     []float64
		}
	}
	b, err := os.ReadFile(results)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%s: %v", results, err)
	}
	if len(doc.Runs) != 1 {
		t.Fatalf("%s holds %d runs, want 1", results, len(doc.Runs))
	}
	r := doc.Runs[0]
	if r.Pipeline != "lr-text" || r.Parallelism != 1 || r.Tuner != "CrossValidator" || r.Folds != 3 || r.ParamMaps != 1 {
		t.Errorf("run %+v: want lr-text at parallelism 1 under a 3-fold CrossValidator with 1 param map", r)
	}
	if r.FitS <= 0 {
		t.Errorf("fit_s %g: want the fit's wall time, > 0", r.FitS)
	}
	if len(r.Metrics) != r.ParamMaps || len(r.Metrics) > 0 && (r.Metrics[0] <= 0.5 || r.Metrics[0] > 1) {
		t.Errorf("metrics %v: want one area under ROC in (0.5, 1] per param map (the labels are learnable)", r.Metrics)
	}
	if filepath.Dir(r.EventLog) != logs || !strings.Contains(filepath.Base(r.EventLog), r.AppID) {
		t.Errorf("event log %s: want a file of application %s in %s", r.EventLog, r.AppID, logs)
	}

	events := map[string]int{}
	f, err := os.Open(r.EventLog)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		var e struct {
			Event      string
			Properties map[string]string
		}
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("%s: %v", r.EventLog, err)
		}
		events[e.Event]++
		for k := range e.Properties {
			if strings.HasPrefix(k, sparklog.PropPrefix) {
				t.Errorf("a %s carries %s: a user's log has no tunesim property", e.Event, k)
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if events["SparkListenerApplicationEnd"] != 1 {
		t.Errorf("%s has %d ApplicationEnd events, want 1", r.EventLog, events["SparkListenerApplicationEnd"])
	}

	// The tuning's jobs, by the stage names Spark gives them: LogisticRegression's summarizer and
	// loss in each of the 3 folds' fits and the refit, the evaluator's metrics in each fold.
	app, _, err := sparklog.ReadApp(r.EventLog)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		site string
		min  int
	}{
		{"at Summarizer.scala", 4},
		{"at RDDLossFunction.scala", 4},
		{"at BinaryClassificationMetrics.scala", 3},
	} {
		n := 0
		for _, j := range app.Jobs {
			if slices.ContainsFunc(j.Stages, func(s *sparklog.Stage) bool { return strings.Contains(s.Name, c.site) }) {
				n++
			}
		}
		if n < c.min {
			t.Errorf("%d jobs have a stage %q; want at least %d", n, c.site, c.min)
		}
	}
	t.Logf("lr-text, 1 param map, 200 rows: fit %.2f s, %d jobs, AUC %v", r.FitS, len(app.Jobs), r.Metrics)
}
