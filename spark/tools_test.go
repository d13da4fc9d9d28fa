package spark

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestToolsPython runs the tests of the Python tools (spark/tools/test_*.py: the standalone
// cluster's start and stop, with fake daemons and no Spark) with the python3 on PATH and the
// standard library alone (-S), in a few seconds.
func TestToolsPython(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skipf("no python3 on PATH to run spark/tools' tests: %v", err)
	}
	dir, err := filepath.Abs("tools")
	if err != nil {
		t.Fatal(err)
	}
	// Read the sources so that go test's cache runs the test again when one of them changes.
	files, err := filepath.Glob(filepath.Join(dir, "*.py"))
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, "pipelines.py") // test_run_timeout.py imports it
	for _, f := range files {
		if _, err := os.ReadFile(f); err != nil {
			t.Fatal(err)
		}
	}
	// -B: no __pycache__ in the checkout.
	cmd := exec.CommandContext(t.Context(), py, "-S", "-B", "-m", "unittest", "discover", "-s", dir, "-p", "test_*.py")
	cmd.Dir = t.TempDir()
	cmd.Env = append(os.Environ(), "TUNESIM_SPARK_CLUSTER_DIR="+t.TempDir())
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s -S -m unittest discover -s spark/tools: %v\n%s", py, err, out)
	}
	if !strings.Contains(string(out), "OK") {
		t.Fatalf("no OK from unittest:\n%s", out)
	}
}
