package experiment

import (
	"net"
	"os"
	"runtime"
	"strings"

	"tunesim/costmodel"
	"tunesim/scenarios"
	"tunesim/trace"
)

// AnnotateHosts fills in where a Spark run on a cluster ran when its event log does not say: an
// executor on this machine (its host a loopback address, this machine's name or one of its
// addresses) gets this machine's CPUs as its host's cores, and so does the driver, which
// spark/tune.py runs here (client mode); when executors ran here, costmodel.AttrDriverHost names
// their host as the driver's, so that calibration and validation count the driver's threads among
// theirs. Local runs are left as they are (spark.ReadRun sizes them).
func AnnotateHosts(t *trace.Trace) {
	if !costmodel.ClusterRun(t) {
		return
	}
	here := runtime.NumCPU()
	for i := range t.Executors {
		e := &t.Executors[i]
		if thisMachine(e.Host) {
			if e.HostCores == 0 {
				e.HostCores = here
			}
			if t.Attrs[costmodel.AttrDriverHost] == "" {
				t.Attrs[costmodel.AttrDriverHost] = e.Host
			}
		}
	}
	if t.DriverCores == 0 {
		t.DriverCores = here
	}
}

// thisMachine says host names this machine: a loopback address or name, its host name, or one of
// its interfaces' addresses.
func thisMachine(host string) bool {
	if host == "" {
		return false
	}
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return true
	}
	if name, err := os.Hostname(); err == nil && strings.EqualFold(name, host) {
		return true
	}
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return false
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.String() == host {
			return true
		}
	}
	return false
}

// hostsOf is the hosts of a cluster run as its trace records them: its executors grouped by host
// name (in the order of their first executor), each host of its executors' recorded cores, and
// the driver on the host costmodel.AttrDriverHost names (none: a host of its own), which shares
// its cores among its JVMs first when the trace says they were CPU groups of their own
// (trace.AttrCPUShare). ok is false
// when the trace does not tell: some executor's host or cores unknown, or another number of
// executors than the scenario's.
func hostsOf(c scenarios.Cluster, t *trace.Trace) (hosts []scenarios.Host, ok bool) {
	if len(t.Executors) != c.Executors {
		return nil, false
	}
	index := map[string]int{}
	for _, e := range t.Executors {
		if e.Host == "" || e.HostCores <= 0 {
			return nil, false
		}
		i, seen := index[e.Host]
		if !seen {
			i = len(hosts)
			index[e.Host] = i
			hosts = append(hosts, scenarios.Host{Cores: e.HostCores})
		}
		hosts[i].Executors++
	}
	if i, found := index[t.Attrs[costmodel.AttrDriverHost]]; found {
		hosts[i].Driver = true
		if t.Attrs[trace.AttrCPUShare] == scenarios.CPUShareProcesses {
			hosts[i].CPUShare = scenarios.CPUShareProcesses
		}
	}
	return hosts, true
}
