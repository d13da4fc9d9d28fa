package experiment

import (
	"fmt"
	"math"
)

// JobsCheck compares the jobs each fit of the measured runs ran (counted from their traces: a
// Spark run's from its event log) with the jobs its plan has, fit by fit over every run.
type JobsCheck struct {
	// Fits is how many fits were compared; Exact ran the plan's jobs exactly, Within10 within 10%.
	Fits     int `json:"fits"`
	Exact    int `json:"exact"`
	Within10 int `json:"within_10pct"`
	// PlanJobs and RanJobs are the totals over the compared fits.
	PlanJobs int `json:"plan_jobs"`
	RanJobs  int `json:"ran_jobs"`
	// Worst describes the fit furthest from its plan (empty when every fit matched).
	Worst string `json:"worst,omitempty"`
}

// CheckJobs counts, for every run of ms, the jobs each fit ran against its plan's.
func CheckJobs(ms *Measured) JobsCheck {
	var c JobsCheck
	worst := 0.0
	for i, runs := range ms.Runs {
		for _, mt := range runs {
			ran := mt.Trace.JobsByFit()
			for _, f := range mt.Plan.Fits {
				want, got := f.Jobs(), ran[f.Index]
				c.Fits++
				c.PlanJobs += want
				c.RanJobs += got
				off := math.Abs(float64(got-want)) / math.Max(float64(want), 1)
				if got == want {
					c.Exact++
				}
				if off <= 0.1 {
					c.Within10++
				}
				if off > worst {
					worst = off
					c.Worst = fmt.Sprintf("fit %d (param map %d, fold %d) at parallelism %d ran %d jobs, its plan has %d", f.Index, f.ParamMap, f.Fold, ms.Parallelisms[i], got, want)
				}
			}
		}
	}
	return c
}

// String is the check in one line.
func (c JobsCheck) String() string {
	s := fmt.Sprintf("jobs per fit: %d of %d fits ran exactly their plan's jobs, %d within 10%% (%d jobs ran, %d planned)", c.Exact, c.Fits, c.Within10, c.RanJobs, c.PlanJobs)
	if c.Worst != "" {
		s += "; furthest: " + c.Worst
	}
	return s
}
