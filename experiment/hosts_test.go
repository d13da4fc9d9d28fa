package experiment

import (
	"reflect"
	"runtime"
	"testing"

	"tunesim/costmodel"
	"tunesim/scenarios"
	"tunesim/trace"
)

func TestAnnotateHostsAndPlaceThem(t *testing.T) {
	n := runtime.NumCPU()
	two := seed(t)
	two.Cluster = scenarios.Cluster{Executors: 2, CoresPerExecutor: 1, HostCores: 2}
	tests := []struct {
		name      string
		master    string
		executors []trace.Executor
		// want is the scenario's cluster as it ran; driverHost the driver's host the trace names.
		want       scenarios.Cluster
		driverHost string
	}{
		{"a standalone cluster on loopback: one host of this machine's CPUs, the driver on it", "spark://127.0.0.1:7077",
			[]trace.Executor{{ID: 0, Host: "127.0.0.1", Slots: 1}, {ID: 1, Host: "127.0.0.1", Slots: 1}},
			scenarios.Cluster{Executors: 2, CoresPerExecutor: 1, HostCores: n, Hosts: []scenarios.Host{{Cores: n, Executors: 2, Driver: true}}}, "127.0.0.1"},
		{"executors elsewhere: hosts as the log sizes them, the driver here on its own", "spark://10.255.0.1:7077",
			[]trace.Executor{{ID: 0, Host: "10.255.0.7", Slots: 1, HostCores: 4}, {ID: 1, Host: "10.255.0.8", Slots: 1, HostCores: 4}},
			scenarios.Cluster{Executors: 2, CoresPerExecutor: 1, HostCores: 4, DriverCores: n, Hosts: []scenarios.Host{{Cores: 4, Executors: 1}, {Cores: 4, Executors: 1}}}, ""},
		{"executors elsewhere of unknown size: as the scenario says", "spark://10.255.0.1:7077",
			[]trace.Executor{{ID: 0, Host: "10.255.0.7", Slots: 1}, {ID: 1, Host: "10.255.0.8", Slots: 1}},
			scenarios.Cluster{Executors: 2, CoresPerExecutor: 1, HostCores: 2, DriverCores: n}, ""},
	}
	for _, tt := range tests {
		tr := &trace.Trace{Source: "spark", Executors: tt.executors, Attrs: map[string]string{"master": tt.master}}
		AnnotateHosts(tr)
		if got := tr.Attrs[costmodel.AttrDriverHost]; got != tt.driverHost || tr.DriverCores != n {
			t.Errorf("%s: driver host %q on %d cores, want %q on %d", tt.name, got, tr.DriverCores, tt.driverHost, n)
		}
		if got := OnHostOf(two, tr).Cluster; !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: cluster %+v, want %+v", tt.name, got, tt.want)
		}
	}
	// A scenario that places its hosts keeps them; a local run is left as it was.
	placed := *two
	placed.Cluster.Hosts = []scenarios.Host{{Cores: 8, Executors: 2}}
	tr := &trace.Trace{Executors: []trace.Executor{{ID: 0, Host: "127.0.0.1", Slots: 1, HostCores: 2}, {ID: 1, Host: "127.0.0.1", Slots: 1, HostCores: 2}},
		Attrs: map[string]string{"master": "spark://127.0.0.1:7077"}}
	if got := OnHostOf(&placed, tr).Cluster; !reflect.DeepEqual(got, placed.Cluster) {
		t.Errorf("a scenario's own hosts: %+v, want %+v", got, placed.Cluster)
	}
	local := &trace.Trace{Executors: []trace.Executor{{ID: 0, Host: "localhost", Slots: 8}}, Attrs: map[string]string{"master": "local[8]"}}
	AnnotateHosts(local)
	if local.DriverCores != 0 || local.Executors[0].HostCores != 0 || local.Attrs[costmodel.AttrDriverHost] != "" {
		t.Errorf("a local run annotated: %+v", local)
	}
}
