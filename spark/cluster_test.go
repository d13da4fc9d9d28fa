package spark

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"tunesim/scenarios"
)

// masterPage is the status page of a real master with 2 workers x 1 core (spark/tools/standalone_cluster.py up).
func masterPage(t testing.TB) *Standalone {
	t.Helper()
	b, err := os.ReadFile("testdata/master-2x1.json")
	if err != nil {
		t.Fatal(err)
	}
	st, err := ParseStandalone(b)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// clusterScenario is tiny-tvs as a cluster of executors x cores.
func clusterScenario(t testing.TB, local bool, executors, cores int) *scenarios.Scenario {
	t.Helper()
	s, err := scenarios.LoadFile("testdata/tiny-tvs.json")
	if err != nil {
		t.Fatal(err)
	}
	s.Cluster.Local, s.Cluster.Executors, s.Cluster.CoresPerExecutor = local, executors, cores
	return s
}

func TestCheckStandalone(t *testing.T) {
	for _, tc := range []struct {
		name            string
		local           bool
		executors, core int
		edit            func(*Standalone)
		want            []string // substrings of the error; nil: no error
	}{
		{name: "2 workers x 1 core give 2 executors x 1 core", executors: 2, core: 1},
		{name: "2 x 2 cores give 1 executor x 2 cores", executors: 1, core: 2,
			edit: func(st *Standalone) { setWorkers(st, 2, 2048) },
			want: []string{"asks for 1 executor x 2 cores", "2 alive workers x 2 cores (4 cores in all, not 2)"}},
		{name: "2 x 2 cores give 2 executors x 2 cores", executors: 2, core: 2,
			edit: func(st *Standalone) { setWorkers(st, 2, 2048) }},
		{name: "2 x 2 cores give 4 executors x 1 core", executors: 4, core: 1,
			edit: func(st *Standalone) { setWorkers(st, 2, 2048) }},
		{name: "too few cores", executors: 3, core: 1,
			want: []string{"scenario tiny-tvs asks for 3 executors x 1 core", "the master spark://127.0.0.1:7077 has 2 alive workers x 1 core (2 cores in all, not 3)"}},
		{name: "more cores than asked", executors: 1, core: 1,
			want: []string{"asks for 1 executor x 1 core", "2 alive workers x 1 core"}},
		{name: "a dead worker does not count", executors: 2, core: 1,
			edit: func(st *Standalone) { st.Workers[1].State = "DEAD" },
			want: []string{"1 alive worker x 1 core"}},
		{name: "local scenario", local: true, executors: 2, core: 1,
			want: []string{"cluster.local true", "set cluster.local to false"}},
		{name: "cores that do not split", executors: 2, core: 2,
			edit: func(st *Standalone) { setWorkers(st, 3, 4096); st.Workers[1].Cores = 1 },
			want: []string{"2 alive workers with 3, 1 cores", "has 3 cores, not a whole number of executors of 2 cores"}},
		{name: "too little memory", executors: 4, core: 1,
			edit: func(st *Standalone) { setWorkers(st, 2, 1024) },
			want: []string{"1024 MB free, room for 1 executor of 1024 MB, not 2", "--memory"}},
		{name: "another application", executors: 2, core: 1,
			edit: func(st *Standalone) {
				st.ActiveApps = append(st.ActiveApps, struct {
					ID   string `json:"id"`
					Name string `json:"name"`
				}{ID: "app-1"})
			},
			want: []string{"runs 1 application already (app-1)"}},
		{name: "standby master", executors: 2, core: 1,
			edit: func(st *Standalone) { st.Status = "STANDBY" },
			want: []string{"is STANDBY, not ALIVE"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := masterPage(t)
			if tc.edit != nil {
				tc.edit(st)
			}
			err := CheckStandalone(clusterScenario(t, tc.local, tc.executors, tc.core), st)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("CheckStandalone: %v, want no error", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("CheckStandalone: no error, want one saying %q", tc.want)
			}
			if !errors.Is(err, ErrClusterMismatch) {
				t.Errorf("error %v does not wrap ErrClusterMismatch", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}

// setWorkers gives every worker of st cores and memory.
func setWorkers(st *Standalone, cores, memoryMB int) {
	for i := range st.Workers {
		st.Workers[i].Cores, st.Workers[i].MemoryMB = cores, memoryMB
	}
}

// TestMasterStatus serves a status page and finds it through the port spark/tools/standalone_cluster.py recorded for
// the master's URL (its state directory), refusing a page of another master.
func TestMasterStatus(t *testing.T) {
	page, err := os.ReadFile("testdata/master-2x1.json")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/json/" {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write(page)
	}))
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
	t.Setenv(ClusterDirVar, dir)
	st, err := MasterStatus(context.Background(), "spark://127.0.0.1:7077")
	if err != nil {
		t.Fatal(err)
	}
	if st.AliveWorkers != 2 || len(st.Alive()) != 2 || st.Cores() != 2 || st.Page != srv.URL+"/json/" {
		t.Errorf("MasterStatus: %d alive workers (%d listed), %d cores, page %s; want 2, 2, 2, %s/json/", st.AliveWorkers, len(st.Alive()), st.Cores(), st.Page, srv.URL)
	}
	// The same page recorded for another URL: it is that master's page, not the asked one's.
	state = fmt.Sprintf(`{"url": "spark://127.0.0.1:7078", "master": {"webui_port": %s}}`, port)
	if err := os.WriteFile(filepath.Join(dir, "cluster.json"), []byte(state), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := MasterStatus(context.Background(), "spark://127.0.0.1:7078"); err == nil || !strings.Contains(err.Error(), "belongs to the master spark://127.0.0.1:7077, not spark://127.0.0.1:7078") {
		t.Errorf("MasterStatus of another master's page: %v, want an error naming both", err)
	}
	for _, bad := range []string{"local[2]", "spark://127.0.0.1", "yarn", "spark://a:1,b:2"} {
		if _, err := MasterStatus(context.Background(), bad); err == nil || !strings.Contains(err.Error(), "spark://HOST:PORT") {
			t.Errorf("MasterStatus(%q): %v, want an error saying what is allowed", bad, err)
		}
	}
}

func FuzzParseStandalone(f *testing.F) {
	b, err := os.ReadFile("testdata/master-2x1.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte(`{"url":"spark://h:1","status":"ALIVE","workers":[{"cores":-1,"state":"ALIVE"}]}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, page []byte) {
		st, err := ParseStandalone(page)
		if err != nil {
			return
		}
		if st.URL == "" || st.Status == "" {
			t.Fatalf("accepted a page without url or status: %q", page)
		}
		if len(st.Alive()) > len(st.Workers) {
			t.Fatalf("more alive workers than workers")
		}
		// Whatever the page says, checking a scenario against it does not panic.
		s := &scenarios.Scenario{Name: "fuzz"}
		s.Cluster.Executors, s.Cluster.CoresPerExecutor = 2, 1
		_ = CheckStandalone(s, st)
		if _, err := json.Marshal(st); err != nil {
			t.Fatal(err)
		}
	})
}

// TestHarnessStandaloneConf checks the settings tune.py gives a standalone master: executors of
// cores_per_executor cores, executors x cores_per_executor in all, and a loopback driver for a
// loopback master; none for local mode.
func TestHarnessStandaloneConf(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("no python3 to import tune.py with")
	}
	for _, tc := range []struct {
		master          string
		executors, core int
		want            map[string]string
	}{
		{"spark://127.0.0.1:7077", 2, 1, map[string]string{"spark.executor.cores": "1", "spark.cores.max": "2",
			"spark.driver.host": "127.0.0.1", "spark.scheduler.minRegisteredResourcesRatio": "1.0"}},
		{"spark://10.0.0.5:7077", 3, 2, map[string]string{"spark.executor.cores": "2", "spark.cores.max": "6", "spark.driver.host": ""}},
		{"local[2]", 1, 2, map[string]string{"spark.executor.cores": "", "spark.cores.max": ""}},
	} {
		code := fmt.Sprintf(`import json, tune; print(json.dumps(tune.cluster_conf({"cluster": {"executors": %d, "cores_per_executor": %d}}, %q)))`, tc.executors, tc.core, tc.master)
		cmd := exec.Command(py, "-c", code)
		cmd.Env = append(os.Environ(), "PYTHONDONTWRITEBYTECODE=1")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("tune.cluster_conf: %v", err)
		}
		var got map[string]string
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("tune.cluster_conf printed %q: %v", out, err)
		}
		for k, v := range tc.want {
			if got[k] != v {
				t.Errorf("%s, %d x %d: %s = %q, want %q", tc.master, tc.executors, tc.core, k, got[k], v)
			}
		}
	}
}
