package whatif

import (
	"strings"
	"testing"

	"tunesim/scenarios"
)

// TestUnvalidatedCluster: a what-if cluster is flagged when it changes the log's kind of cluster,
// executors, cores or host sizes, and says what whatif models across it (local to standalone, one
// executor's standalone log to local) or not (the tasks of two executors' logs, in local mode); the
// log's own cluster, and its executors placed on hosts, are not.
func TestUnvalidatedCluster(t *testing.T) {
	sa21 := scenarios.Cluster{Executors: 2, CoresPerExecutor: 1, HostCores: 1}
	local := scenarios.Cluster{Local: true, Executors: 1, CoresPerExecutor: 2, HostCores: 2}
	sa12 := scenarios.Cluster{Executors: 1, CoresPerExecutor: 2, HostCores: 2}
	placed := sa21
	placed.HostCores = 2
	placed.Hosts = []scenarios.Host{{Cores: 2, Executors: 2, Driver: true, CPUShare: scenarios.CPUShareProcesses}}
	more := placed
	more.Executors = 4
	bigger := sa21
	bigger.HostCores = 8
	for _, tc := range []struct {
		name          string
		logged, c     scenarios.Cluster
		want, mention string
	}{
		{"the log's", sa21, sa21, "", ""},
		{"placed on hosts", sa21, placed, "", ""},
		{"more executors", sa21, more, "beyond", "4 executors instead of 2"},
		{"local to standalone", local, sa21, "beyond", "a driver apart from its executors instead of local mode"},
		{"bigger hosts", sa21, bigger, "beyond", "other hosts"},
		{"local to standalone: what it adds", local, placed, "beyond", "each executor JVM its own compile work and cold first tasks"},
		{"local to standalone: what it does not add, for the log's tasks", local, placed, "beyond", "this tuning ran 1000 tasks, 16-40 s of task slot time"},
		{"standalone to local: the tasks' CPU stays", sa21, local, "beyond", "which whatif does not take out"},
		{"one executor to local: what it changes", sa12, local, "beyond", "gives the driver's hidden CPU to the one JVM's"},
	} {
		got := unvalidatedCluster(tc.logged, tc.c, 1000)
		if tc.want == "" && got != "" || tc.want != "" && (!strings.Contains(got, tc.want) || !strings.Contains(got, tc.mention)) {
			t.Errorf("%s: %q; want %q naming %q", tc.name, got, tc.want, tc.mention)
		}
	}
}
