package experiment

import (
	"fmt"
	"strings"

	"tunesim/costmodel"
	"tunesim/scenarios"
	"tunesim/sim"
	"tunesim/trace"
)

// Validation is a comparison of the simulator with measured runs (trace.Compare) and what it
// compared.
type Validation struct {
	Scenario string `json:"scenario"`
	// Against is what the simulation is checked against: "real" or "spark".
	Against string `json:"against"`
	Profile string `json:"profile"`
	Host    string `json:"host"`
	Runs    int    `json:"runs"`
	trace.Comparison
	// Rows are the comparison's rows, each saying whether its measured figures rest on disturbed
	// runs.
	Rows []ValidationRow `json:"rows"`
	// Disturbed says some row's measured figures rest on disturbed runs (every run of its
	// parallelism was disturbed); DisturbanceThreshold says when a run counts as disturbed.
	Disturbed            bool   `json:"disturbed"`
	DisturbanceThreshold string `json:"disturbance_threshold"`
	// MeasuredRuns lists every measured run with what the host did around it.
	MeasuredRuns []RunRecord `json:"measured_runs"`
	// Jobs compares the jobs each fit ran on Spark (from the event logs) with its plan's.
	Jobs *JobsCheck `json:"jobs,omitempty"`
	// Borrowed lists the operations the profile did not price and how they were priced.
	Borrowed []costmodel.Borrowed `json:"borrowed,omitempty"`
	Notes    []string             `json:"notes,omitempty"`
}

// ValidationRow is a row of the comparison and how many of its measured runs were disturbed.
type ValidationRow struct {
	trace.ComparisonRow
	// Disturbed says every measured run of the row was disturbed: its figures are theirs.
	Disturbed bool `json:"disturbed"`
	// DisturbedRuns counts the row's disturbed runs; those left out of its figures are
	// DisturbedRuns when Disturbed is false.
	DisturbedRuns int `json:"disturbed_runs"`
}

// SimReplicas is how many simulated replicas a validation takes the median of when tasks vary.
const SimReplicas = 21

// Compare simulates each measured parallelism of ms on the host the runs had, with profile prof
// (named profName in the result), and sets the simulation beside the measurement.
func Compare(s *scenarios.Scenario, prof costmodel.Model, profName string, ms *Measured, against string) (*Validation, error) {
	realResults, note := ms.Results()
	first := ms.First().Trace
	host := OnHostOf(s, first)
	replicas := 1
	if sim.TaskCV(host, prof) > 0 {
		replicas = SimReplicas // medians over task noise, as the real medians are over runs
	}
	simResults, err := sim.Sweep(host, prof, sim.SweepOptions{Parallelisms: ms.Parallelisms, Replicas: replicas, Seed: s.Seed})
	if err != nil {
		return nil, err
	}
	cmp, err := trace.Compare(simResults, realResults)
	if err != nil {
		return nil, err
	}
	v := &Validation{Scenario: s.Name, Against: against, Profile: profName, Runs: len(ms.Runs[0]),
		Host: hostLabel(host.Cluster, first.Slots()), Comparison: cmp,
		Disturbed: ms.Disturbed(), DisturbanceThreshold: ms.Threshold.String(), MeasuredRuns: ms.Records()}
	for i, r := range cmp.Rows {
		row := ValidationRow{ComparisonRow: r, Disturbed: ms.AllDisturbed(i)}
		for _, mt := range ms.Runs[i] {
			if mt.Disturbed() {
				row.DisturbedRuns++
			}
		}
		v.Rows = append(v.Rows, row)
	}
	if note != "" {
		v.Notes = append(v.Notes, note)
	}
	if against == "spark" {
		jobs := CheckJobs(ms)
		v.Jobs = &jobs
		v.Notes = append(v.Notes, jobs.String())
	}
	v.Notes = append(v.Notes, ms.DisturbanceNotes()...)
	return v, nil
}

// OnHostOf is s as it ran in t: the executors' host cores and the driver's as the trace records.
// A scenario that places its executors on hosts (cluster.hosts) keeps its placement. A run on a
// cluster (a Spark master that is not local: executors in JVMs of their own) is placed as the
// trace records it: executors sharing a host share it in the simulation too, with the driver when
// it ran there (AnnotateHosts). Otherwise executors that all ran on one host (a real run of a
// cluster scenario on this machine, whose slots are one pool in one process) become one local
// executor with all their slots, sharing that host's cores with the driver.
func OnHostOf(s *scenarios.Scenario, t *trace.Trace) *scenarios.Scenario {
	sc := *s
	if len(sc.Cluster.Hosts) > 0 {
		return &sc
	}
	if len(t.Executors) > 0 && t.Executors[0].HostCores > 0 {
		sc.Cluster.HostCores = t.Executors[0].HostCores
	}
	if !sc.Cluster.Local && costmodel.ClusterRun(t) {
		if hosts, ok := hostsOf(sc.Cluster, t); ok {
			sc.Cluster.Hosts = hosts
			sc.Cluster.DriverCores = 0
			if !placesDriver(hosts) && t.DriverCores > 0 {
				sc.Cluster.DriverCores = t.DriverCores
			}
			return &sc
		}
	}
	if n := len(t.Executors); n > 1 && t.Executors[0].Host != "" {
		same := true
		for _, e := range t.Executors {
			same = same && e.Host == t.Executors[0].Host
		}
		if same {
			sc.Cluster.Local, sc.Cluster.Executors, sc.Cluster.CoresPerExecutor = true, 1, t.Slots()
			sc.Cluster.DriverCores = 0
		}
	}
	if !sc.Cluster.Local && t.DriverCores > 0 {
		sc.Cluster.DriverCores = t.DriverCores
	}
	return &sc
}

// placesDriver says one of hosts holds the driver.
func placesDriver(hosts []scenarios.Host) bool {
	for _, h := range hosts {
		if h.Driver {
			return true
		}
	}
	return false
}

// hostLabel says where a validation simulated: the host cores and slots, or the shared hosts.
func hostLabel(c scenarios.Cluster, slots int) string {
	if len(c.Hosts) == 0 {
		return fmt.Sprintf("%d host cores, %d slots", c.HostCores, slots)
	}
	var hs []string
	for _, h := range c.Hosts {
		what := fmt.Sprintf("%d executors x %d slots", h.Executors, c.CoresPerExecutor)
		if h.Driver {
			what += " and the driver"
		}
		hs = append(hs, fmt.Sprintf("%s on %d cores", what, c.Placement().HostCores[len(hs)]))
	}
	if !placesDriver(c.Hosts) {
		hs = append(hs, fmt.Sprintf("the driver on %d cores", c.DriverHostCores()))
	}
	return strings.Join(hs, "; ")
}
