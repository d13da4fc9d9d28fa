package python

// The unit tests of the Python package a notebook imports (python/tunesim) run from `go test ./...`.

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestPythonUnits runs python/tests, the tests of python/tunesim that need no Spark (a fake CLI,
// fake SparkContexts), with the python3 on PATH and the standard library alone (-S: no
// site-packages, so no pyspark, pandas or IPython), in a few seconds. The tests that need a live
// Spark session are python/spark_tests, run by spark's TestNotebookPython.
func TestPythonUnits(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skipf("no python3 on PATH to run the Python unit tests (python/tests): %v", err)
	}
	// Read the Python sources so that go test's cache, which knows only the files this process
	// opens, runs the test again when one of them changes.
	for _, dir := range []string{"tests", "tunesim"} {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(path, ".py") {
				_, err = os.ReadFile(path)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	tests, err := filepath.Abs("tests")
	if err != nil {
		t.Fatal(err)
	}
	// -B: no __pycache__ in the checkout.
	cmd := exec.CommandContext(t.Context(), py, "-S", "-B", "-m", "unittest", "discover", "-v", "-s", tests)
	cmd.Dir = t.TempDir()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("python tests (%s -S -m unittest discover -s python/tests): %v\n%s", py, err, out)
	}
	t.Logf("%s: %s", py, ranTests.Find(out))
}

var ranTests = regexp.MustCompile(`Ran \d+ tests? in [0-9.]+s`)
