package sparkenv

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseJavaVersion(t *testing.T) {
	for _, c := range []struct {
		out  string
		want int
		bad  bool
	}{
		{`openjdk version "17.0.15" 2025-04-15`, 17, false},
		{`java version "1.8.0_392"`, 8, false},
		{`openjdk version "21" 2023-09-19`, 21, false},
		{`openjdk version "11.0.2"`, 11, false},
		{`no java here`, 0, true},
	} {
		got, err := ParseJavaVersion(c.out)
		if (err != nil) != c.bad || got != c.want {
			t.Errorf("ParseJavaVersion(%q) = %d, %v; want %d (error %v)", c.out, got, err, c.want, c.bad)
		}
	}
}

func TestFindPythonVarMissing(t *testing.T) {
	t.Setenv(PythonVar, filepath.Join(t.TempDir(), "nope"))
	_, err := Find()
	if err == nil || !strings.Contains(err.Error(), PythonVar) {
		t.Fatalf("Find with a missing %s = %v; want an error naming it", PythonVar, err)
	}
}

func TestFindNoVenv(t *testing.T) {
	t.Setenv(PythonVar, "")
	dir := t.TempDir()
	t.Chdir(dir)
	exe, _ := os.Executable()
	if _, err := os.Stat(filepath.Join(filepath.Dir(exe), "spark")); err == nil {
		t.Skip("a spark/ directory next to the test binary")
	}
	_, err := findPython()
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "spark/setup") {
		t.Fatalf("findPython in an empty directory = %v; want ErrNotFound naming spark/setup", err)
	}
}

func TestFindVenvInParent(t *testing.T) {
	t.Setenv(PythonVar, "")
	root := t.TempDir()
	py := filepath.Join(root, "spark", ".venv", "bin", "python")
	if err := os.MkdirAll(filepath.Dir(py), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(py, nil, 0o755); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(root, "a", "b")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(sub)
	got, err := findPython()
	if err != nil || got != py {
		t.Fatalf("findPython from %s = %q, %v; want %q", sub, got, err, py)
	}
}

// TestFindReal reports the environment of this machine; it skips, saying why, without one.
func TestFindReal(t *testing.T) {
	env, err := Find()
	if err != nil {
		t.Skipf("no Spark environment: %v", err)
	}
	if env.JavaVersion < MinJava || env.SparkVersion == "" {
		t.Fatalf("Find = %+v; want Java >= %d and a pyspark version", env, MinJava)
	}
	if _, err := os.Stat(filepath.Join(env.SparkHome, "jars")); err != nil {
		t.Fatalf("SparkHome %s has no jars/: %v", env.SparkHome, err)
	}
	t.Logf("pyspark %s at %s, Java %d", env.SparkVersion, env.SparkHome, env.JavaVersion)
}
