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
// 2-core virtual machine tunesim is developed on:
//
//   - OthersPct 25: a window shared with three busy loops shows other processes taking 60-100%
//     of the cores' time (100% when the run itself waits, as in TestHogsAreFlagged); /proc/stat
//     counts in 10 ms ticks, so a window of DefaultMinWindow (250 ms) or more is good to about 4
//     points, and a quarter of the cores taken by someone else is where a parallel run's makespan
//     moves by more than the 5% the recommendation tolerates.
//   - StealPct 10: a tenth of the CPUs' time taken by the hypervisor is a neighbour as busy as
//     the limit on other processes allows, at a smaller scale since steal comes in bursts.
//   - SlowdownPct 50: the reference kernel's readings (its fastest of five repetitions, on its
//     thread's CPU clock) stayed within 10% of each other on an idle host (1.00-1.10 ms) and ran
//     30-40% slower beside three busy loops (1.29-1.42 ms: the loops share the cores' caches and
//     execution units even when the kernel has a core). A host slowing down on its own, as these
//     machines do by 1.6-1.9x (the same benchmark at 6.8M and 4.1M events/s on two days,
//     `go test -bench RealSeedSerial ./realrun` at 357 and 671-756 ms/op), is beyond 50%; busy
//     neighbours alone are not, and are caught by OthersPct.
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
