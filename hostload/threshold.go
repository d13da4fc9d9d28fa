package hostload

import (
	"fmt"
	"strings"

	"tunesim/trace"
)

// Threshold says when a run counts as disturbed: when any of its figures is beyond its limit.
type Threshold struct {
	// OthersPct is the most CPU time other processes may use during a run, in percent of all the
	// CPUs' time.
	OthersPct float64
	// StealPct is the most time the hypervisor may steal, in percent of all the CPUs' time.
	StealPct float64
	// SlowdownPct is how much slower than the campaign's best reading the reference kernel may
	// run, before or after the run, in percent.
	SlowdownPct float64
}

// Default is the threshold of every measuring command. The limits come from measurements on the
// shared 2-core virtual machine tunesim is developed on (2026-11-29, `simulate validate -s seed-tvs
// --parallelism 1,2 --runs 2`, each run's window about 1 s):
//
//   - OthersPct 25. The arithmetic is good to about a point: a probe around 1 s of sleeping or of
//     our own busy loops on an idle host read 0-1% for other processes. Runs started on an idle
//     host saw 0-19% (other sessions' short bursts) and took 0.76-1.03 s, within the runs' own
//     spread; runs that other sessions' work reached 40-50% took 1.3-1.6 s, 40-60% longer; runs
//     beside three busy loops saw 79-90% and took 3.8-8.9 s. A quarter of the cores' time lies
//     between what leaves a run within its spread and what lengthens it by half.
//   - StealPct 10: steal stayed at 0-0.5% in all of these; a tenth of the CPUs' time taken by the
//     hypervisor is as much as the limit on other processes allows at the scale of a 2-core run.
//   - SlowdownPct 50: the reference kernel's readings (its fastest of five repetitions, on its
//     thread's CPU clock) were 1.00-1.10 ms in one process on an idle host, and 1.00-1.39 ms across
//     the runs of a campaign, busy loops or not (its integer half depends on what the vCPU's
//     neighbours on the physical core do; a new process may read 1.00 or 1.24-1.34 ms and keep
//     to it). A host slowing down on its own, as these machines do by 1.6-1.9x (the same
//     benchmark at 6.8M and 4.1M events/s on two days, `go test -bench RealSeedSerial ./realrun`
//     at 357 and 671-756 ms/op), is beyond 50%; the kernel's own spread is not.
var Default = Threshold{OthersPct: 25, StealPct: 10, SlowdownPct: 50}

// String states the threshold in words.
func (th Threshold) String() string {
	return fmt.Sprintf("disturbed when other processes use more than %g%% of the cores' time, the hypervisor steals more than %g%%, or the reference kernel runs more than %g%% slower than the campaign's best",
		th.OthersPct, th.StealPct, th.SlowdownPct)
}

// Judge sets d's verdict from its figures: Disturbed, and a Reason naming every figure beyond its
// limit (empty when none is).
func (th Threshold) Judge(d *trace.Disturbance) {
	var why []string
	if d.OthersCPUPct > th.OthersPct {
		why = append(why, fmt.Sprintf("other processes used %.0f%% of the cores' time (limit %g%%)", d.OthersCPUPct, th.OthersPct))
	}
	if d.StealPct > th.StealPct {
		why = append(why, fmt.Sprintf("the hypervisor stole %.0f%% of the CPUs' time (limit %g%%)", d.StealPct, th.StealPct))
	}
	if d.SlowdownPct > th.SlowdownPct {
		why = append(why, fmt.Sprintf("the reference kernel ran %.0f%% slower than the campaign's best, %.2f ms against %.2f ms (limit %g%%)",
			d.SlowdownPct, max(d.ReferenceBeforeMs, d.ReferenceAfterMs), d.ReferenceBestMs, th.SlowdownPct))
	}
	d.Disturbed, d.Reason = len(why) > 0, strings.Join(why, "; ")
}
