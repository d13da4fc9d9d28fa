package whatif

import (
	"fmt"
	"time"

	"tunesim/costmodel"
	"tunesim/scenarios"
	"tunesim/sim"
	"tunesim/tuning"
)

// Together is what a prediction from a fresh application's log on a standalone cluster changes
// for local mode, where the driver and the executors are one JVM: the mirror of Apart. The log's
// serial run is replayed with each executor's C2 compilers runnable beside its tasks throughout
// (as Apart adds them) and the driver's hidden CPU as work each job brings; in local mode the
// executors' compilers are gone (their JVMs are), and the one JVM's C2 compilers, runnable
// throughout, do the driver's compile work and the tasks' in the share of the cores the run
// leaves them. What they do in the local serial replay comes out of the driver's work per job, so
// that the local JVM's hidden CPU is the log's driver's.
type Together struct {
	// ExecutorCompilers is the C2 compiler threads each executor JVM ran in the log's replay.
	ExecutorCompilers int `json:"executor_compilers"`
	// DriverCPUPerJobS is the driver's hidden CPU each job brought on the log's cluster: what its
	// tasks, driver steps and the executors' compilers leave of the log's time (or the measured
	// CPU), spread over the jobs.
	DriverCPUPerJobS float64 `json:"driver_cpu_per_job_s"`
	// LocalCompilers is the C2 compiler threads of the local JVM, runnable throughout.
	LocalCompilers int `json:"local_compilers"`
	// LocalCPUPerJobS is the driver's hidden CPU each job still brings beside them.
	LocalCPUPerJobS float64 `json:"local_cpu_per_job_s"`
	// LocalCompileCPUS is what the local JVM's compilers did in its serial replay.
	LocalCompileCPUS float64 `json:"local_compile_cpu_s"`
	// CompileDebtShare is the work each CPU-second the local JVM's compilers fall behind the pace
	// they kept in its serial replay costs (costmodel.CompileDebt; the log shows no warm-up of
	// that JVM), 0 when the prediction is at another size.
	CompileDebtShare float64 `json:"compile_debt_share,omitempty"`
}

// together is m, priced from a fresh application's log on the standalone cluster logCl (its
// serial replay rp under rm, with no hidden load yet, taking wall, the application's CPU measured
// when measured > 0, its tasks' contention cont), for local mode on target: see Together. k
// threads work the per-job CPU off; owe says p is the log's work (not scaled), so the local JVM's
// compilers owe the pace of its serial replay (see costmodel.CompileDebt).
func together(rp *tuning.Plan, rm *costmodel.Measured, logCl scenarios.Cluster, p *tuning.Plan, m *costmodel.Measured, target scenarios.Cluster, wall, measured time.Duration, cont Contention, k int, owe bool) (*costmodel.Measured, *Together, error) {
	jobs := rp.Jobs()
	tg := &Together{ExecutorCompilers: executorCompilers(logCl), LocalCompilers: c2Compilers(target.HostCores)}
	onCluster := rm.WithSteadyBackground(0).WithExecutorSteadyBackground(tg.ExecutorCompilers)
	k = max(k, 1)
	local := m.WithSteadyBackground(tg.LocalCompilers).WithExecutorSteadyBackground(0)
	if jobs == 0 {
		return local.WithBackground(0, k, 0, 1), tg, nil
	}
	driver, err := perJobBackground(rp, onCluster, 1, logCl.HostCores, wall, measured, cont,
		func(m *costmodel.Measured, b time.Duration) *costmodel.Measured { return m.WithBackground(b, k, 0, 1) })
	if err != nil {
		return nil, nil, fmt.Errorf("the driver's hidden CPU on the log's cluster: %w", err)
	}
	tg.DriverCPUPerJobS = driver.Seconds()
	// The local JVM's hidden CPU, its steady compilers' and the work its jobs bring, is the
	// driver's: the compilers' share grows with the run, so the work per job left beside them is
	// found by bisection.
	var steady time.Duration
	var track costmodel.CompileTrack
	hidden := func(b time.Duration) (time.Duration, error) {
		track = track[:0]
		tr, err := sim.Trace(p.WithParallelism(1), local.WithBackground(b, k, 0, 1), sim.Options{RecordCompile: &track})
		if err != nil {
			return 0, fmt.Errorf("replaying the serial run in local mode: %w", err)
		}
		steady = tr.SteadyCPU
		return b*time.Duration(p.Jobs()) + tr.SteadyCPU, nil
	}
	b, err := bisect(hidden, driver*time.Duration(jobs), driver)
	if err != nil {
		return nil, nil, err
	}
	if _, err := hidden(b); err != nil { // the compilers' CPU and pace at b
		return nil, nil, err
	}
	tg.LocalCPUPerJobS, tg.LocalCompileCPUS = b.Seconds(), steady.Seconds()
	local = local.WithBackground(b, k, 0, 1)
	if owe && tg.LocalCompilers > 0 {
		tg.CompileDebtShare = compileDebtShare
		local = local.WithCompileDebt(&costmodel.CompileDebt{Track: track, Share: compileDebtShare})
	}
	return local, tg, nil
}
