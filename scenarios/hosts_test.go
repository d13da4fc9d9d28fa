package scenarios

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// clusterJSON is the seed scenario with its cluster object replaced by c.
func clusterJSON(t *testing.T, c string) []byte {
	t.Helper()
	return edit(t, `"cluster": {
    "local": true,
    "executors": 1,
    "cores_per_executor": 8,
    "host_cores": 8
  }`, `"cluster": `+c)
}

func TestPlacement(t *testing.T) {
	tests := []struct {
		name    string
		cluster string
		want    Placement
		// driverCores is DriverHostCores().
		driverCores int
	}{
		{"local mode: the driver on the executor's host",
			`{"local": true, "executors": 1, "cores_per_executor": 8, "host_cores": 2}`,
			Placement{HostCores: []int{2}, ExecHost: []int{0}, DriverHost: 0}, 2},
		{"a cluster: a host per executor, the driver on its own",
			`{"local": false, "executors": 2, "cores_per_executor": 1, "host_cores": 4, "driver_cores": 3}`,
			Placement{HostCores: []int{4, 4, 3}, ExecHost: []int{0, 1}, DriverHost: 2}, 3},
		{"2 executors and the driver on one 2-core host",
			`{"local": false, "executors": 2, "cores_per_executor": 1, "host_cores": 2, "hosts": [{"executors": 2, "driver": true}]}`,
			Placement{HostCores: []int{2}, ExecHost: []int{0, 0}, DriverHost: 0, Shared: true, Processes: []bool{false}}, 2},
		{"2 executors and the driver on one 2-core host, each JVM its share",
			`{"local": false, "executors": 2, "cores_per_executor": 1, "host_cores": 2, "hosts": [{"executors": 2, "driver": true, "cpu_share": "processes"}]}`,
			Placement{HostCores: []int{2}, ExecHost: []int{0, 0}, DriverHost: 0, Shared: true, Processes: []bool{true}}, 2},
		{"two shared hosts, the driver on the second",
			`{"local": false, "executors": 5, "cores_per_executor": 2, "host_cores": 4, "hosts": [{"cores": 8, "executors": 3}, {"executors": 2, "driver": true}]}`,
			Placement{HostCores: []int{8, 4}, ExecHost: []int{0, 0, 0, 1, 1}, DriverHost: 1, Shared: true, Processes: []bool{false, false}}, 4},
		{"shared hosts, the driver on a host of its own",
			`{"local": false, "executors": 4, "cores_per_executor": 1, "host_cores": 2, "driver_cores": 1, "hosts": [{"executors": 4}]}`,
			Placement{HostCores: []int{2, 1}, ExecHost: []int{0, 0, 0, 0}, DriverHost: 1, Shared: true, Processes: []bool{false, false}}, 1},
		{"the driver's host listed, with no executor",
			`{"local": false, "executors": 2, "cores_per_executor": 1, "host_cores": 2, "hosts": [{"executors": 2}, {"cores": 6, "executors": 0, "driver": true}]}`,
			Placement{HostCores: []int{2, 6}, ExecHost: []int{0, 0}, DriverHost: 1, Shared: true, Processes: []bool{false, false}}, 6},
	}
	for _, tt := range tests {
		s, err := Parse("x.json", clusterJSON(t, tt.cluster))
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got := s.Cluster.Placement(); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: placement %+v, want %+v", tt.name, got, tt.want)
		}
		if got := s.Cluster.DriverHostCores(); got != tt.driverCores {
			t.Errorf("%s: driver host cores %d, want %d", tt.name, got, tt.driverCores)
		}
		b, err := s.MarshalIndent()
		if err != nil {
			t.Fatal(err)
		}
		back, err := Parse("shown.json", b)
		if err != nil || !reflect.DeepEqual(back.Cluster, s.Cluster) {
			t.Errorf("%s: shown and read back: %+v, %v; want %+v", tt.name, back.Cluster, err, s.Cluster)
		}
	}
}

func TestBadHosts(t *testing.T) {
	const two = `"local": false, "executors": 2, "cores_per_executor": 1, "host_cores": 2`
	tests := []struct {
		name, cluster string
		want          []string
	}{
		{"unknown field in a host", `{` + two + `, "hosts": [{"executors": 2, "drivr": true}]}`, []string{"cluster.hosts[0].drivr", "unknown", "driver"}},
		{"executors do not add up", `{` + two + `, "hosts": [{"executors": 1, "driver": true}]}`, []string{"cluster.hosts", "1 executors", "cluster.executors is 2"}},
		{"two drivers", `{` + two + `, "hosts": [{"executors": 1, "driver": true}, {"executors": 1, "driver": true}]}`, []string{"cluster.hosts[1].driver", "at most one host"}},
		{"an empty host", `{` + two + `, "hosts": [{"executors": 2}, {"executors": 0}]}`, []string{"cluster.hosts[1]", "no executor"}},
		{"negative cores", `{` + two + `, "hosts": [{"cores": -1, "executors": 2}]}`, []string{"cluster.hosts[0].cores", "1 to 65536"}},
		{"negative executors", `{` + two + `, "hosts": [{"executors": -1}, {"executors": 3}]}`, []string{"cluster.hosts[0].executors"}},
		{"in local mode", `{"local": true, "executors": 1, "cores_per_executor": 2, "host_cores": 2, "hosts": [{"executors": 1, "driver": true}]}`, []string{"cluster.hosts", "cluster.local"}},
		{"an empty list", `{` + two + `, "hosts": []}`, []string{"cluster.hosts", "empty"}},
		{"driver cores with the driver on a host", `{` + two + `, "driver_cores": 4, "hosts": [{"executors": 2, "driver": true}]}`, []string{"cluster.driver_cores", "leave it out"}},
		{"a host not an object", `{` + two + `, "hosts": [2]}`, []string{"cluster.hosts", "object"}},
		{"an unknown cpu share", `{` + two + `, "hosts": [{"executors": 2, "driver": true, "cpu_share": "jvms"}]}`, []string{"cluster.hosts[0].cpu_share", `"jvms"`, `"processes"`, `"threads"`}},
	}
	for _, tt := range tests {
		_, err := Parse("x.json", clusterJSON(t, tt.cluster))
		if err == nil {
			t.Errorf("%s: accepted", tt.name)
			continue
		}
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: error %v is not ErrInvalid", tt.name, err)
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not say %q", tt.name, err, w)
			}
		}
	}
}

func TestSharedDriverHost(t *testing.T) {
	for _, tc := range []struct {
		name  string
		hosts []Host
		want  int
	}{
		{"no hosts", nil, -1},
		{"the driver alone on its host", []Host{{Executors: 2}, {Driver: true}}, -1},
		{"the driver beside executors", []Host{{Executors: 1}, {Executors: 2, Driver: true}}, 1},
		{"no driver placed", []Host{{Executors: 2}}, -1},
	} {
		if got := (Cluster{Hosts: tc.hosts}).SharedDriverHost(); got != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.want)
		}
	}
}
