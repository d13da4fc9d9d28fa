package spark

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"

	"tunesim/sparkenv/sparktest"
)

// TestNotebookPython runs the tests of the Python package a notebook imports (python/tunesim)
// that need Spark, python/spark_tests (tunesim.whatif on a live session's own event log,
// tunesim.tag_fits at parallelism 2, tunesim.adaptive against the plain tuners), and once more
// those that need no Spark, python/tests, with the project's Python, against the CLI built from
// this checkout. They are Python's unittest
// tests; this test is how CI's `go test ./...` runs the Spark ones (python's TestPythonUnits
// runs python/tests without Spark).
func TestNotebookPython(t *testing.T) {
	env := sparktest.Long(t, "starts Spark and tunes twice (about a minute)")
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go on PATH to build the CLI the Python package runs: %v", err)
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "simulate")
	build := exec.CommandContext(t.Context(), goTool, "build", "-o", bin, "./cmd/simulate")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/simulate: %v\n%s", err, out)
	}

	for _, dir := range []string{"spark_tests", "tests"} {
		py := exec.CommandContext(t.Context(), env.Python, "-m", "unittest", "discover", "-v", "-s", filepath.Join(root, "python", dir))
		py.Dir = t.TempDir()
		py.Env = append(os.Environ(), "TUNESIM_BIN="+bin, "PYTHONDONTWRITEBYTECODE=1")
		out, err := py.CombinedOutput()
		if err != nil {
			t.Fatalf("python tests (%s -m unittest discover -s python/%s): %v\n%s", env.Python, dir, err, out)
		}
		// The environment is there, so a Python test that skipped is one that did not run for a
		// reason this test should have ruled out.
		if m := skipped.FindSubmatch(out); m != nil {
			t.Fatalf("python/%s: %s skipped although Spark and the CLI are here:\n%s", dir, m[1], out)
		}
		t.Logf("python/%s: %s", dir, summary.Find(out))
	}
}

var (
	skipped = regexp.MustCompile(`OK \(skipped=(\d+)\)`)
	summary = regexp.MustCompile(`Ran \d+ tests? in [0-9.]+s`)
)
