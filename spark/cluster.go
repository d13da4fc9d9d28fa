package spark

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"tunesim/scenarios"
)

// Standalone is what a Spark standalone master reports on its JSON status page
// (http://HOST:WEBUI/json/): its URL, state and workers.
type Standalone struct {
	// URL is the master's own URL, spark://HOST:PORT.
	URL string `json:"url"`
	// Status is the master's state, "ALIVE" when it accepts applications.
	Status string `json:"status"`
	// AliveWorkers is how many workers are ALIVE.
	AliveWorkers int      `json:"aliveworkers"`
	Workers      []Worker `json:"workers"`
	// ActiveApps are the applications running on the cluster now.
	ActiveApps []struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"activeapps"`
	// Page is the status page this was read from.
	Page string `json:"-"`
}

// Worker is one worker as the master reports it.
type Worker struct {
	ID    string `json:"id"`
	Host  string `json:"host"`
	State string `json:"state"`
	// Cores and MemoryMB are what the worker offers; the Used fields what applications hold.
	Cores        int `json:"cores"`
	CoresUsed    int `json:"coresused"`
	MemoryMB     int `json:"memory"`
	MemoryUsedMB int `json:"memoryused"`
}

// Alive is the workers in state ALIVE.
func (st *Standalone) Alive() []Worker {
	var out []Worker
	for _, w := range st.Workers {
		if w.State == "ALIVE" {
			out = append(out, w)
		}
	}
	return out
}

// Cores is the cores of the alive workers.
func (st *Standalone) Cores() int {
	n := 0
	for _, w := range st.Alive() {
		n += w.Cores
	}
	return n
}

// ClusterDirVar names the directory spark/tools/standalone_cluster.py keeps its state in (default spark/.cluster).
const ClusterDirVar = "TUNESIM_SPARK_CLUSTER_DIR"

// DefaultWebUIPort is a standalone master's conventional web UI port.
const DefaultWebUIPort = 8080

// ExecutorMemoryMB is the memory tune.py asks for each executor on a standalone master
// (spark.executor.memory 1g); a worker hosts only the executors whose memory it has free.
const ExecutorMemoryMB = 1024

// ErrClusterMismatch is wrapped by CheckStandalone's error when the master cannot give the
// scenario's executors, or the scenario is not a cluster scenario.
var ErrClusterMismatch = errors.New("the scenario's cluster does not match the master's")

// MasterStatus reads the status page of the standalone master at masterURL (spark://HOST:PORT).
// The page's port is the one spark/tools/standalone_cluster.py recorded for that URL in its state directory
// ($TUNESIM_SPARK_CLUSTER_DIR, else spark/.cluster from the working directory up), else 8080; the
// page must name masterURL as its master.
func MasterStatus(ctx context.Context, masterURL string) (*Standalone, error) {
	host, err := masterHost(masterURL)
	if err != nil {
		return nil, err
	}
	port, from := DefaultWebUIPort, "the conventional web UI port"
	if p, file, ok := recordedWebUIPort(masterURL); ok {
		port, from = p, "recorded in "+file
	}
	page := fmt.Sprintf("http://%s/json/", net.JoinHostPort(host, strconv.Itoa(port)))
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, page, nil)
	if err != nil {
		return nil, fmt.Errorf("master %s: %w", masterURL, err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("master %s: its status page %s (port %d, %s) does not answer: %w; start a cluster with spark/tools/standalone_cluster.py up, or give the URL it prints", masterURL, page, port, from, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return nil, fmt.Errorf("master %s: reading %s: %w", masterURL, page, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("master %s: %s answers %s", masterURL, page, resp.Status)
	}
	st, err := ParseStandalone(body)
	if err != nil {
		return nil, fmt.Errorf("master %s: %s: %w", masterURL, page, err)
	}
	st.Page = page
	if strings.TrimSuffix(st.URL, "/") != strings.TrimSuffix(masterURL, "/") {
		return nil, fmt.Errorf("master %s: the status page %s (%s) belongs to the master %s, not %s", masterURL, page, from, st.URL, masterURL)
	}
	return st, nil
}

// ParseStandalone reads a standalone master's JSON status page.
func ParseStandalone(page []byte) (*Standalone, error) {
	var st Standalone
	if err := json.Unmarshal(page, &st); err != nil {
		return nil, fmt.Errorf("not a standalone master's status page: %w", err)
	}
	if st.URL == "" || st.Status == "" {
		return nil, errors.New("not a standalone master's status page: no url or status")
	}
	return &st, nil
}

// masterHost is the host of a spark://HOST:PORT URL.
func masterHost(masterURL string) (string, error) {
	u, err := url.Parse(masterURL)
	if err != nil || u.Scheme != "spark" || u.Hostname() == "" || u.Port() == "" || strings.Contains(u.Host, ",") {
		return "", fmt.Errorf("--master %q: not a standalone master URL; allowed: spark://HOST:PORT (one master)", masterURL)
	}
	return u.Hostname(), nil
}

// recordedWebUIPort is the web UI port spark/tools/standalone_cluster.py recorded for masterURL, and the file.
func recordedWebUIPort(masterURL string) (port int, file string, ok bool) {
	for _, dir := range clusterDirs() {
		file = filepath.Join(dir, "cluster.json")
		b, err := os.ReadFile(file)
		if err != nil {
			continue
		}
		var st struct {
			URL    string `json:"url"`
			Master struct {
				WebUIPort int `json:"webui_port"`
			} `json:"master"`
		}
		if json.Unmarshal(b, &st) == nil && st.URL == masterURL && st.Master.WebUIPort > 0 {
			return st.Master.WebUIPort, file, true
		}
	}
	return 0, "", false
}

// clusterDirs are where spark/tools/standalone_cluster.py may keep its state: $TUNESIM_SPARK_CLUSTER_DIR, and
// spark/.cluster in the working directory and each parent of it.
func clusterDirs() []string {
	var dirs []string
	if d := os.Getenv(ClusterDirVar); d != "" {
		dirs = append(dirs, d)
	}
	wd, err := os.Getwd()
	if err != nil {
		return dirs
	}
	for {
		dirs = append(dirs, filepath.Join(wd, "spark", ".cluster"))
		parent := filepath.Dir(wd)
		if parent == wd {
			return dirs
		}
		wd = parent
	}
}

// CheckStandalone says whether the master st can run scenario s as the scenario describes it: a
// driver that is not local (cluster.local false) and cluster.executors executors of
// cluster.cores_per_executor cores, made of exactly the alive workers' cores, none of them held
// by another application, each worker with memory for its executors. Every error wraps
// ErrClusterMismatch and names both sides.
func CheckStandalone(s *scenarios.Scenario, st *Standalone) error {
	c := s.Cluster
	if c.Executors < 1 || c.CoresPerExecutor < 1 {
		return fmt.Errorf("%w: scenario %s has cluster.executors %d and cluster.cores_per_executor %d; allowed are 1 or more", ErrClusterMismatch, s.Name, c.Executors, c.CoresPerExecutor)
	}
	ask := fmt.Sprintf("scenario %s asks for %s x %s (cluster.executors, cluster.cores_per_executor)",
		s.Name, plural(c.Executors, "executor"), plural(c.CoresPerExecutor, "core"))
	alive := st.Alive()
	has := fmt.Sprintf("the master %s has %s", st.URL, describeWorkers(alive))
	switch {
	case st.Status != "ALIVE":
		return fmt.Errorf("%w: the master %s is %s, not ALIVE", ErrClusterMismatch, st.URL, st.Status)
	case c.Local:
		return fmt.Errorf("%w: scenario %s has cluster.local true (the driver on the executors' host, Spark's local[N]), but %s is a standalone cluster; set cluster.local to false", ErrClusterMismatch, s.Name, st.URL)
	case len(st.ActiveApps) > 0:
		return fmt.Errorf("%w: the master %s runs %s already (%s), whose executors would take the scenario's cores; wait for it or stop it", ErrClusterMismatch, st.URL, plural(len(st.ActiveApps), "application"), st.ActiveApps[0].ID)
	}
	if have, want := st.Cores(), c.Executors*c.CoresPerExecutor; have != want {
		return fmt.Errorf("%w: %s, but %s (%s in all, not %d); change the scenario or restart the cluster (spark/tools/standalone_cluster.py down; spark/tools/standalone_cluster.py up --workers N --cores C)",
			ErrClusterMismatch, ask, has, plural(have, "core"), want)
	}
	for _, w := range alive {
		if w.Cores%c.CoresPerExecutor != 0 {
			return fmt.Errorf("%w: %s, but %s: worker %s has %s, not a whole number of executors of %s", ErrClusterMismatch, ask, has, w.ID, plural(w.Cores, "core"), plural(c.CoresPerExecutor, "core"))
		}
		fit := w.Cores / c.CoresPerExecutor
		if free := (w.MemoryMB - w.MemoryUsedMB) / ExecutorMemoryMB; free < fit {
			return fmt.Errorf("%w: %s, but %s: worker %s has %d MB free, room for %s of %d MB, not %d (spark/tools/standalone_cluster.py up --memory)", ErrClusterMismatch, ask, has, w.ID, w.MemoryMB-w.MemoryUsedMB, plural(free, "executor"), ExecutorMemoryMB, fit)
		}
	}
	return nil
}

// CheckMaster reads the status page of the standalone master at masterURL and checks it against
// scenario s (CheckStandalone).
func CheckMaster(ctx context.Context, s *scenarios.Scenario, masterURL string) error {
	st, err := MasterStatus(ctx, masterURL)
	if err != nil {
		return err
	}
	return CheckStandalone(s, st)
}

// describeWorkers says "2 alive workers x 1 core" or, when they differ, each worker's cores.
func describeWorkers(ws []Worker) string {
	if len(ws) == 0 {
		return "no alive worker"
	}
	same := true
	for _, w := range ws {
		same = same && w.Cores == ws[0].Cores
	}
	if same {
		return fmt.Sprintf("%s x %s", plural(len(ws), "alive worker"), plural(ws[0].Cores, "core"))
	}
	var cores []string
	for _, w := range ws {
		cores = append(cores, strconv.Itoa(w.Cores))
	}
	return fmt.Sprintf("%s with %s cores", plural(len(ws), "alive worker"), strings.Join(cores, ", "))
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
