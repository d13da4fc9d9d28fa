package whatif

import (
	"fmt"

	"tunesim/scenarios"
	"tunesim/sim"
	"tunesim/sparklog"
)

// A serial LinearSVC tuning logged in a fresh local[2] application, predicted on a standalone
// cluster whose driver and two executors share the same 2-core host: each executor is a fresh JVM
// of its own, which compiles the tasks' code again and runs each stage's first tasks cold, and the
// driver's compilers bring their work with its jobs. The budget says what was added. (Measured on
// that cluster, the tuning took 85 s; docs/validation/2026-12-06-local-to-standalone.md.)
func ExampleTuning_Predict_cluster() {
	app, info, err := sparklog.ReadApp("testdata/svc-fresh-serial")
	if err != nil {
		panic(err)
	}
	tun, err := Find(app, info, Hints{})
	if err != nil {
		panic(err)
	}
	cl := scenarios.Cluster{Executors: 2, CoresPerExecutor: 1, HostCores: 2,
		Hosts: []scenarios.Host{{Cores: 2, Executors: 2, Driver: true, CPUShare: scenarios.CPUShareProcesses}}}
	local, err := tun.Predict(Options{}, CPUOptions{})
	if err != nil {
		panic(err)
	}
	apart, err := tun.Predict(Options{Cluster: &cl}, CPUOptions{})
	if err != nil {
		panic(err)
	}
	l, _ := sim.Run(local.Plan.WithParallelism(1), local.Model, sim.Options{})
	c, _ := sim.Run(apart.Plan.WithParallelism(1), apart.Model, sim.Options{})
	a := apart.Budget.Apart
	fmt.Printf("each executor JVM compiles what the driver's does: %v; its cold tasks cost %.2fx\n",
		a.ExecutorCompileCPUPerJobS == a.DriverCompileCPUPerJobS && a.DriverCompileCPUPerJobS > 0, 1+a.ColdTaskExtra)
	fmt.Printf("serial: %.0f s in local mode, %.0f s on the cluster\n", l.Makespan.Seconds(), c.Makespan.Seconds())
	// Output:
	// each executor JVM compiles what the driver's does: true; its cold tasks cost 1.90x
	// serial: 49 s in local mode, 80 s on the cluster
}
