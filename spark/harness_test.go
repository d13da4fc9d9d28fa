package spark

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"tunesim/scenarios"
	"tunesim/sparkenv"
	"tunesim/sparklog"
	"tunesim/tuning"
)

// TestHarnessTagsEveryJobOfThePlan runs the harness on a tiny scenario and checks, line by line
// in the event log, that every fit of the plan ran exactly the jobs the plan says, tagged with
// its fit, param map and fold, and that the best param map is the one with the smallest RMSE.
func TestHarnessTagsEveryJobOfThePlan(t *testing.T) {
	env, err := sparkenv.Find()
	if err != nil {
		t.Skipf("no Spark environment: %v", err)
	}
	if testing.Short() {
		t.Skip("starts Spark (about 30 s); -short skips it")
	}
	s, err := scenarios.LoadFile("testdata/tiny-tvs.json")
	if err != nil {
		t.Fatal(err)
	}
	r, err := Run(context.Background(), env, s, Options{Parallelism: 2, EventDir: t.TempDir(), NoWarmup: true})
	if err != nil {
		t.Fatal(err)
	}
	plan, err := tuning.New(s)
	if err != nil {
		t.Fatal(err)
	}
	plan = plan.WithRefit(r.BestIndex)
	want := map[int]int{} // fit -> jobs
	for _, f := range plan.Fits {
		for _, st := range f.Steps {
			if st.Kind == tuning.StepJob {
				want[f.Index]++
			}
		}
	}
	got := map[int]int{}
	folds := map[int]string{}
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
			t.Fatal(err)
		}
		if e.Event != "SparkListenerJobStart" {
			continue
		}
		fit, err := strconv.Atoi(e.Properties[sparklog.PropFit])
		if err != nil {
			t.Fatalf("a job without a tunesim.fit tag: %v", e.Properties)
		}
		got[fit]++
		folds[fit] = e.Properties[sparklog.PropFold]
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	for fit, n := range want {
		if got[fit] != n {
			t.Errorf("fit %d ran %d jobs on Spark %s; the plan says %d", fit, got[fit], r.SparkVersion, n)
		}
	}
	if len(got) != len(want) {
		t.Errorf("Spark ran %d tagged fits; the plan has %d", len(got), len(want))
	}
	if folds[len(plan.Fits)-1] != "-1" {
		t.Errorf("the refit's fold tag is %q, want -1", folds[len(plan.Fits)-1])
	}
	for i, m := range r.Metrics {
		if m < r.Metrics[r.BestIndex] {
			t.Errorf("param map %d has RMSE %g below the chosen %d's %g", i, m, r.BestIndex, r.BestMetric)
		}
	}
	t.Logf("Spark %s: %d fits, wall %.2f s, best %v (RMSE %.4f)", r.SparkVersion, len(got), r.WallSeconds, r.BestParamMap, r.BestMetric)
}

// TestHarnessErrorIsOneLine runs a "python" that prints a traceback and fails: the error is one
// line that names the scenario and ends with the traceback's last line.
func TestHarnessErrorIsOneLine(t *testing.T) {
	s, err := scenarios.Load("seed-tvs")
	if err != nil {
		t.Fatal(err)
	}
	fake := filepath.Join(t.TempDir(), "python")
	script := "#!/bin/sh\necho 'Traceback (most recent call last):' >&2\necho 'ModuleNotFoundError: No module named pyspark' >&2\nexit 1\n"
	if err := os.WriteFile(fake, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	_, err = Run(context.Background(), &sparkenv.Env{Python: fake}, s, Options{EventDir: t.TempDir()})
	if err == nil {
		t.Fatal("a harness that fails returned no error")
	}
	msg := err.Error()
	if strings.Contains(msg, "\n") || !strings.Contains(msg, "seed-tvs") || !strings.HasSuffix(msg, "No module named pyspark") {
		t.Errorf("error %q: want one line naming seed-tvs and ending with the traceback's last line", msg)
	}
}

// TestHarnessTagsAgree: the harness as package spark writes it out (tune.py and the tunesim
// package beside it) imports its fit tags from python/tunesim/tagging.py, whose properties are
// sparklog's.
func TestHarnessTagsAgree(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("no python3 to import tune.py with")
	}
	script, err := writeHarness(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	code := `import json, sys; sys.path.insert(0, sys.argv[1]); import tune; t = tune.tagging
print(json.dumps([t.__file__, t.FIT, t.PARAM_MAP, t.FOLD, t.PARAM_LABEL, t.PHASE]))`
	cmd := exec.Command(py, "-c", code, filepath.Dir(script))
	cmd.Env = append(os.Environ(), "PYTHONDONTWRITEBYTECODE=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("importing the written tune.py: %v\n%s", err, out)
	}
	var got []string
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("tune.py's tags printed %q: %v", out, err)
	}
	if want := filepath.Join(filepath.Dir(filepath.Dir(script)), "python", "tunesim", "tagging.py"); got[0] != want {
		t.Errorf("tune.py imported its tags from %s, want %s (the package written beside it)", got[0], want)
	}
	want := []string{sparklog.PropFit, sparklog.PropParamMap, sparklog.PropFold, sparklog.PropParamLabel, sparklog.PropPhase}
	if !slices.Equal(got[1:], want) {
		t.Errorf("tagging.py's properties %v; sparklog's %v", got[1:], want)
	}
}
