// Package sparkenv finds the Python with PySpark and the Java that real-Spark runs need: the
// virtual environment spark/setup creates, or the one TUNESIM_PYTHON names.
package sparkenv

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// PythonVar is the environment variable that names a Python with pyspark, overriding the search.
const PythonVar = "TUNESIM_PYTHON"

// Setup is what a user runs to get an environment, quoted in every error.
const Setup = "run spark/setup (a virtual environment with pyspark and numpy; needs python3 and Java 17+) or set " + PythonVar + " to a python that has pyspark"

// MinJava is the oldest Java release Spark 4 runs on.
const MinJava = 17

// Env is a usable Spark environment.
type Env struct {
	// Python is the interpreter that imports pyspark.
	Python string
	// SparkHome is the pyspark package directory; its jars/ hold Spark's jars.
	SparkHome string
	// SparkVersion is pyspark's version, e.g. "4.0.1".
	SparkVersion string
	// Java is the java executable and JavaVersion its major release.
	Java        string
	JavaVersion int
}

// ErrNotFound is wrapped by Find's error when no Python with pyspark is found.
var ErrNotFound = errors.New("no Python with pyspark found")

// Find looks for the environment: $TUNESIM_PYTHON, else spark/.venv/bin/python in the working
// directory or a parent of it, else next to the executable or a parent of it. It checks that
// pyspark imports and that java is 17 or later. The error says what to install.
func Find() (*Env, error) {
	py, err := findPython()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, py, "-c", "import os, pyspark, numpy; print(pyspark.__version__); print(os.path.dirname(pyspark.__file__))").Output()
	if err != nil {
		return nil, fmt.Errorf("%s cannot import pyspark and numpy (%v): %s", py, exitText(err), Setup)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != 2 {
		return nil, fmt.Errorf("%s: unexpected answer %q to a pyspark version check: %s", py, out, Setup)
	}
	env := &Env{Python: py, SparkVersion: lines[0], SparkHome: lines[1]}
	if env.Java, env.JavaVersion, err = findJava(ctx); err != nil {
		return nil, err
	}
	return env, nil
}

func findPython() (string, error) {
	if p := os.Getenv(PythonVar); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("%s=%s: %w", PythonVar, p, err)
		}
		return p, nil
	}
	var starts []string
	if wd, err := os.Getwd(); err == nil {
		starts = append(starts, wd)
	}
	if exe, err := os.Executable(); err == nil {
		starts = append(starts, filepath.Dir(exe))
	}
	for _, dir := range starts {
		for {
			p := filepath.Join(dir, "spark", ".venv", "bin", "python")
			if _, err := os.Stat(p); err == nil {
				return p, nil
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				break
			}
			dir = parent
		}
	}
	return "", fmt.Errorf("%w (looked for spark/.venv/bin/python from the working directory up): %s", ErrNotFound, Setup)
}

var javaVersion = regexp.MustCompile(`version "(\d+)(?:\.(\d+))?`)

func findJava(ctx context.Context) (string, int, error) {
	java := "java"
	if home := os.Getenv("JAVA_HOME"); home != "" {
		java = filepath.Join(home, "bin", "java")
	}
	path, err := exec.LookPath(java)
	if err != nil {
		return "", 0, fmt.Errorf("java not found (%v): install Java %d or later (e.g. apt install openjdk-17-jre-headless) or set JAVA_HOME", err, MinJava)
	}
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, path, "-version")
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return "", 0, fmt.Errorf("%s -version fails (%v): install Java %d or later", path, exitText(err), MinJava)
	}
	v, err := ParseJavaVersion(stderr.String())
	if err != nil {
		return "", 0, fmt.Errorf("%s: %w", path, err)
	}
	if v < MinJava {
		return "", 0, fmt.Errorf("%s is Java %d; Spark 4 needs Java %d or later (set JAVA_HOME to one)", path, v, MinJava)
	}
	return path, v, nil
}

// ParseJavaVersion reads the major release from `java -version` output: "1.8.0_392" is 8,
// "17.0.15" is 17.
func ParseJavaVersion(out string) (int, error) {
	m := javaVersion.FindStringSubmatch(out)
	if m == nil {
		return 0, fmt.Errorf("no version in java -version output %q", strings.TrimSpace(out))
	}
	major, _ := strconv.Atoi(m[1])
	if major == 1 && m[2] != "" {
		major, _ = strconv.Atoi(m[2])
	}
	return major, nil
}

func exitText(err error) string {
	var ee *exec.ExitError
	if errors.As(err, &ee) && len(ee.Stderr) > 0 {
		lines := strings.Split(strings.TrimSpace(string(ee.Stderr)), "\n")
		return lines[len(lines)-1]
	}
	return err.Error()
}
