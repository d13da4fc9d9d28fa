package whatif

import (
	"net"
	"sort"
	"strconv"
	"strings"

	"tunesim/scenarios"
	"tunesim/trace"
)

// placement is where a cluster log's executors ran, as their addresses tell: the hosts that held
// more than one of the application's JVMs (executors, or an executor and the driver), each host's
// name, and each executor's host. Hosts is nil when every executor had a host of its own apart
// from the driver's, which is how a log without addresses reads too.
type placement struct {
	hosts []scenarios.Host
	names []string
	of    map[int]int // executor id -> index in hosts
}

// driverHostName is the name placement gives the driver's machine.
const driverHostName = "the driver's host"

// onDriverHost says whether an executor that registered at address h ran on the driver's machine:
// h is the driver's own address (spark.driver.host), or a loopback address, at which the driver
// could reach the executor's block manager only from the same machine.
func onDriverHost(h, driver string) bool {
	if h == "" {
		return false
	}
	if h == driver || strings.EqualFold(h, "localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// placeExecutors groups execs (the driver's own entry, Host "driver", left out) by host. A host's
// cores are the cores its executors offered: a log does not record a machine's CPUs, and a
// standalone worker offers all of them unless told otherwise (measured cores replace it for the
// driver's host, see Tuning.predict). JVMs on one host share its cores among processes first
// (cpu_share "processes"): each executor is a JVM of its own, and Linux's autogroup or a
// container's CPU weight divides a machine among processes, not among their threads.
func placeExecutors(execs []trace.Executor, driverHost string) placement {
	byHost := map[string][]trace.Executor{}
	shared := false
	for _, e := range execs {
		if e.Host == "driver" {
			continue
		}
		name := e.Host
		if onDriverHost(e.Host, driverHost) {
			name, shared = driverHostName, true
		} else if name == "" {
			name = "executor " + strconv.Itoa(e.ID) // no address: a host of its own
		}
		byHost[name] = append(byHost[name], e)
		shared = shared || len(byHost[name]) > 1
	}
	if !shared {
		return placement{}
	}
	p := placement{of: map[int]int{}}
	for name := range byHost {
		p.names = append(p.names, name)
	}
	// The driver's host first, then by address: the same log gives the same hosts.
	sort.Slice(p.names, func(a, b int) bool {
		na, nb := p.names[a], p.names[b]
		if (na == driverHostName) != (nb == driverHostName) {
			return na == driverHostName
		}
		return na < nb
	})
	for i, name := range p.names {
		h := scenarios.Host{Executors: len(byHost[name]), Driver: name == driverHostName, CPUShare: scenarios.CPUShareProcesses}
		for _, e := range byHost[name] {
			h.Cores += max(e.Slots, 1)
			p.of[e.ID] = i
		}
		p.hosts = append(p.hosts, h)
	}
	return p
}

// placement is where the log's executors ran (see placeExecutors).
func (t *Tuning) placement() placement {
	if _, local := t.Info.LocalSlots(); local {
		return placement{}
	}
	return placeExecutors(t.Info.TraceExecutors(), t.Info.DriverHost)
}

// hostOf names the host of executor exec: its host in p, else a host of its own.
func (p placement) hostOf(exec int) string {
	if i, ok := p.of[exec]; ok {
		return p.names[i]
	}
	return "executor " + strconv.Itoa(exec)
}
