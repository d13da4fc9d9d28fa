package costmodel

import (
	"fmt"
	"time"

	"tunesim/tuning"
)

// Measured is a Model whose durations were measured, one per task and driver step of one plan:
// the plan package whatif reads from an event log is priced by the log's own times. It prices a
// TaskRef or DriverRef by its place in that plan (fit, step, stage, partition), not by its
// operation, so it serves only the plan it was measured for (at any parallelism or cluster: the
// fits and steps stay the same). Its overheads are zero: the gaps the log shows between a fit's
// jobs are the plan's driver steps.
type Measured struct {
	fits      [][]MeasuredStep
	bg        Overheads
	warm      WarmCurve
	debt      *CompileDebt
	coldStage float64 // see WithColdStage
}

// MeasuredStep is the measured time of one step of a fit: a driver step's CPU time, or a job's
// task durations per stage, in the order of the stage's tasks.
type MeasuredStep struct {
	Driver time.Duration
	// Tasks are, per stage, each task's CPU time, and Waits (nil: none) the rest of the time it
	// held its slot, off the CPU.
	Tasks, Waits [][]time.Duration
	// Submit is, per stage of a job, the scheduler's time from the stage's submission (the job's,
	// for the first) to its first task's launch; Result the time from the job's last task to its end.
	Submit []time.Duration
	Result time.Duration
}

// NewMeasured is the model of a plan whose fit f's step s took steps[f][s]. It checks that the
// durations cover the plan: a step of every fit, a duration for every task of every stage.
func NewMeasured(p *tuning.Plan, steps [][]MeasuredStep) (*Measured, error) {
	if len(steps) != len(p.Fits) {
		return nil, fmt.Errorf("measured model: %d fits measured, the plan has %d", len(steps), len(p.Fits))
	}
	for f, fit := range p.Fits {
		if len(steps[f]) != len(fit.Steps) {
			return nil, fmt.Errorf("measured model: fit %d: %d steps measured, the plan has %d", f, len(steps[f]), len(fit.Steps))
		}
		for s, st := range fit.Steps {
			if st.Kind != tuning.StepJob {
				continue
			}
			if len(steps[f][s].Tasks) != len(st.Stages) {
				return nil, fmt.Errorf("measured model: fit %d step %d: %d stages measured, the plan has %d", f, s, len(steps[f][s].Tasks), len(st.Stages))
			}
			for g, stage := range st.Stages {
				if len(steps[f][s].Tasks[g]) != stage.Tasks {
					return nil, fmt.Errorf("measured model: fit %d step %d stage %d: %d tasks measured, the plan has %d", f, s, g, len(steps[f][s].Tasks[g]), stage.Tasks)
				}
			}
		}
	}
	return &Measured{fits: steps, bg: Overheads{BackgroundThreads: 1}}, nil
}

// WithBackground is m with background CPU: perJob of CPU each job costs off the tasks' path on the
// driver's host (a JVM's compilers, garbage collector, query planning), worked off by threads
// threads, and execPerJob in each executor's JVM of its own (worked off by execThreads threads
// there) — the terms of Overheads that a log does not show and whatif infers (see whatif.Predict);
// the run is over only when that CPU is done (Overheads.BackgroundDone).
func (m *Measured) WithBackground(perJob time.Duration, threads int, execPerJob time.Duration, execThreads int) *Measured {
	c := *m
	c.bg = Overheads{JobBackground: max(perJob, 0), BackgroundThreads: max(threads, 1),
		ExecutorBackground: max(execPerJob, 0), ExecutorBackgroundThreads: max(execThreads, 1),
		BackgroundDone: perJob > 0 || execPerJob > 0, SteadyThreads: m.bg.SteadyThreads,
		ExecutorSteadyThreads: m.bg.ExecutorSteadyThreads}
	return &c
}

// WithSteadyBackground is m with threads threads of the driver's JVM runnable beside everything
// else from the run's start to its end, never done and never waited for (Overheads.SteadyThreads):
// a warm JVM's compilers and collectors, whose backlog grows with the time the run takes rather
// than with its jobs. The background WithBackground set stays.
func (m *Measured) WithSteadyBackground(threads int) *Measured {
	c := *m
	c.bg.SteadyThreads = max(threads, 0)
	return &c
}

// WithExecutorSteadyBackground is m with threads threads of each executor's JVM of its own
// runnable beside everything else from the run's start to its end (Overheads.ExecutorSteadyThreads).
func (m *Measured) WithExecutorSteadyBackground(threads int) *Measured {
	c := *m
	c.bg.ExecutorSteadyThreads = max(threads, 0)
	return &c
}

// Task implements Model: the measured duration of the task at t's place (reading its input and
// the transforms fused into it are in it already, so its extra parts cost nothing more).
func (m *Measured) Task(t tuning.TaskRef) time.Duration {
	if t.Extra {
		return 0
	}
	return m.fits[t.Fit][t.Step].Tasks[t.Stage][t.Part]
}

// TaskWait implements OffCPU: the measured task's time in its slot beyond its CPU time.
func (m *Measured) TaskWait(t tuning.TaskRef) time.Duration {
	if w := m.fits[t.Fit][t.Step].Waits; w != nil && !t.Extra {
		return w[t.Stage][t.Part]
	}
	return 0
}

// Driver implements Model: the measured time of the driver step at d's place.
func (m *Measured) Driver(d tuning.DriverRef) time.Duration { return m.fits[d.Fit][d.Step].Driver }

// Submit implements Scheduled: the measured time to submit a job's stage.
func (m *Measured) Submit(fit, step, stage int) time.Duration {
	if sub := m.fits[fit][step].Submit; stage < len(sub) {
		return sub[stage]
	}
	return 0
}

// Result implements Scheduled: the measured time from a job's last task to its end.
func (m *Measured) Result(fit, step int) time.Duration { return m.fits[fit][step].Result }

// Overheads implements Model: a measured plan carries its driver time as steps; its background
// CPU is what WithBackground set (none by default).
func (m *Measured) Overheads() Overheads { return m.bg }

// Work is the CPU work the model prices over its whole plan: its tasks' (the CPU part of each
// task's time) and the driver's (driver steps and the scheduler's time around the jobs).
func (m *Measured) Work() (tasks, driver time.Duration) {
	for _, fit := range m.fits {
		for _, st := range fit {
			driver += st.Driver + st.Result
			for _, s := range st.Submit {
				driver += s
			}
			for _, stage := range st.Tasks {
				for _, d := range stage {
					tasks += d
				}
			}
		}
	}
	return tasks, driver
}

// BackgroundLeft is m whose run may end with background CPU left undone (Overheads.BackgroundDone
// off): work that expands to the time it is given, as a warm JVM's housekeeping does.
func (m *Measured) BackgroundLeft() *Measured {
	c := *m
	c.bg.BackgroundDone = false
	return &c
}
