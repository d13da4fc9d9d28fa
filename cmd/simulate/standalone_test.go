package main

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tunesim/scenarios"
	"tunesim/spark"
	"tunesim/sparkenv"
)

// TestStandaloneMismatchIsBadInput points simulate spark and validate --against spark at a
// standalone master of 2 workers x 1 core (its status page served here) with scenarios it cannot
// run as they say: each stops before starting Spark with exit status 2, naming both sides.
func TestStandaloneMismatchIsBadInput(t *testing.T) {
	if _, err := sparkenv.Find(); err != nil {
		t.Skipf("no Spark environment (the commands look for it first): %v", err)
	}
	page, err := os.ReadFile("../../spark/testdata/master-2x1.json")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(page) }))
	defer srv.Close()
	_, port, err := net.SplitHostPort(strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	state := fmt.Sprintf(`{"url": "spark://127.0.0.1:7077", "master": {"webui_port": %s}}`, port)
	if err := os.WriteFile(filepath.Join(dir, "cluster.json"), []byte(state), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv(spark.ClusterDirVar, dir)
	// tiny-spark as 3 executors x 1 core, driver not local.
	sc, err := scenarios.LoadFile("testdata/tiny-spark.json")
	if err != nil {
		t.Fatal(err)
	}
	sc.Cluster.Local, sc.Cluster.Executors, sc.Cluster.CoresPerExecutor = false, 3, 1
	b, err := json.Marshal(sc)
	if err != nil {
		t.Fatal(err)
	}
	three := filepath.Join(dir, "three.json")
	if err := os.WriteFile(three, b, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"spark", "-s", "testdata/tiny-spark.json", "--master", "spark://127.0.0.1:7077"}, []string{"cluster.local true", "spark://127.0.0.1:7077"}},
		{[]string{"validate", "--against", "spark", "-s", three, "--master", "spark://127.0.0.1:7077"}, []string{"asks for 3 executors x 1 core", "has 2 alive workers x 1 core"}},
	} {
		code, _, errs := simulate(t, tc.args...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2 (stderr %q)", tc.args, code, errs)
		}
		for _, w := range tc.want {
			if !strings.Contains(errs, w) {
				t.Errorf("%v: stderr %q does not say %q", tc.args, errs, w)
			}
		}
	}
}
