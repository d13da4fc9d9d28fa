package scenarios

import "fmt"

// Host is one machine of a cluster whose machines are shared: several executors on it, and the
// driver perhaps (cluster.hosts). Every thread on it — task slots of its executors, the driver's
// threads when it holds the driver — shares its cores.
type Host struct {
	// Cores is the host's physical CPUs (0: cluster.host_cores).
	Cores int `json:"cores,omitempty"`
	// Executors is how many of the cluster's executors run on it (0 for a host of the driver alone).
	Executors int `json:"executors"`
	// Driver puts the driver on this host (at most one host).
	Driver bool `json:"driver,omitempty"`
	// CPUShare is how the host's OS divides its cores when more threads run than it has:
	// "threads" (the default) among all its threads alike; "processes" equally among its
	// processes with threads running first — the driver's JVM and each executor's — and then
	// among each one's threads, as Linux does with autogroup when each JVM runs in a session of
	// its own (spark/tools/standalone_cluster.py starts each worker, and so its executors, in one), or containers
	// with equal CPU weights.
	CPUShare string `json:"cpu_share,omitempty"`
}

// SharesAmongProcesses says the host's cores are shared among its processes first.
func (h Host) SharesAmongProcesses() bool { return h.CPUShare == CPUShareProcesses }

// The values of Host.CPUShare.
const (
	CPUShareThreads   = "threads"
	CPUShareProcesses = "processes"
)

// Placement is where a cluster's executors and driver run: the cores of each host, the host of
// each executor, and the driver's host. It is what the simulator builds its hosts from.
type Placement struct {
	// HostCores is the CPUs of each host, by host index.
	HostCores []int
	// ExecHost is the host index of each executor.
	ExecHost []int
	// DriverHost is the host index of the driver.
	DriverHost int
	// Shared says the scenario described its hosts (cluster.hosts).
	Shared bool
	// Processes says, by host index, that the host shares its cores among its processes (the
	// driver's JVM, each executor's) before their threads (Host.CPUShare "processes").
	Processes []bool
}

// Placement places the executors and the driver. Without cluster.hosts every executor has a host
// of its own (host i for executor i, of host_cores CPUs), and the driver is on the first
// executor's host in local mode or on a host of its own (driver_cores CPUs) after them. With
// cluster.hosts, the hosts come in their order, each taking the next executors, and the driver is
// on the host that says so, or on a host of its own after them.
func (c Cluster) Placement() Placement {
	if len(c.Hosts) == 0 {
		p := Placement{}
		for e := 0; e < c.Executors; e++ {
			p.HostCores = append(p.HostCores, c.HostCores)
			p.ExecHost = append(p.ExecHost, e)
		}
		if !c.Local {
			p.DriverHost = len(p.HostCores)
			p.HostCores = append(p.HostCores, c.DriverHostCores())
		}
		return p
	}
	p := Placement{DriverHost: -1, Shared: true}
	for i, h := range c.Hosts {
		p.HostCores = append(p.HostCores, c.coresOf(h))
		p.Processes = append(p.Processes, h.SharesAmongProcesses())
		for range h.Executors {
			p.ExecHost = append(p.ExecHost, i)
		}
		if h.Driver {
			p.DriverHost = i
		}
	}
	if p.DriverHost < 0 {
		p.DriverHost = len(p.HostCores)
		p.HostCores = append(p.HostCores, c.DriverHostCores())
		p.Processes = append(p.Processes, false)
	}
	return p
}

// coresOf is host h's CPUs: its own, else cluster.host_cores.
func (c Cluster) coresOf(h Host) int {
	if h.Cores > 0 {
		return h.Cores
	}
	return c.HostCores
}

// validateHosts checks cluster.hosts: hosts of 1 to 65536 cores holding every executor once,
// at most one driver, no host with nothing on it, and not in local mode (one JVM on one host).
func (c Cluster) validateHosts(bad func(path, problem, allowed string) error) error {
	if len(c.Hosts) == 0 {
		if c.Hosts != nil {
			return bad("cluster.hosts", "an empty list", "leave it out, or list the hosts: [{\"cores\": C, \"executors\": N, \"driver\": true}, ...]")
		}
		return nil
	}
	if c.Local {
		return bad("cluster.hosts", "given with cluster.local true", "cluster.hosts with cluster.local false: local mode is one JVM on one host, which host_cores sizes")
	}
	if len(c.Hosts) > MaxSlots {
		return bad("cluster.hosts", fmt.Sprintf("%d hosts", len(c.Hosts)), fmt.Sprintf("at most %d hosts", MaxSlots))
	}
	executors, drivers := 0, 0
	for i, h := range c.Hosts {
		path := fmt.Sprintf("cluster.hosts[%d]", i)
		if h.Cores < 0 || h.Cores > 65536 {
			return bad(path+".cores", fmt.Sprintf("%d is out of range", h.Cores), "an integer from 1 to 65536 (or leave it out for cluster.host_cores)")
		}
		if h.Executors < 0 || h.Executors > MaxSlots {
			return bad(path+".executors", fmt.Sprintf("%d is out of range", h.Executors), fmt.Sprintf("an integer from 0 to %d", MaxSlots))
		}
		if h.CPUShare != "" && h.CPUShare != CPUShareThreads && h.CPUShare != CPUShareProcesses {
			return bad(path+".cpu_share", fmt.Sprintf("%q", h.CPUShare), `"threads" (the default: all threads alike) or "processes" (each JVM a CPU group of its own, as Linux's autogroup)`)
		}
		if h.Executors == 0 && !h.Driver {
			return bad(path, "holds no executor and not the driver", "a host with executors, the driver or both")
		}
		executors += h.Executors
		if h.Driver {
			drivers++
			if drivers > 1 {
				return bad(path+".driver", "a second host holds the driver", "the driver on at most one host (on none: a host of its own, of cluster.driver_cores CPUs)")
			}
		}
	}
	if executors != c.Executors {
		return bad("cluster.hosts", fmt.Sprintf("%d executors on the hosts, cluster.executors is %d", executors, c.Executors), "hosts whose executors add up to cluster.executors")
	}
	if drivers == 1 && c.DriverCores != 0 {
		return bad("cluster.driver_cores", fmt.Sprintf("%d with the driver on one of cluster.hosts", c.DriverCores), "leave it out: the driver's host is that host, whose cores it shares")
	}
	return nil
}
