package experiment

import (
	"fmt"

	"tunesim/trace"
)

// RunRecord is one measured run as the reports list it: where it ran, its makespan, whether it
// counted in the figures, and what the host did around it (the figures of trace.Disturbance,
// "disturbed" among them, inline).
type RunRecord struct {
	// Scenario names the run's scenario where a report holds several (calibrate).
	Scenario    string `json:"scenario,omitempty"`
	Parallelism int    `json:"parallelism"`
	// Run is the run's number at its parallelism, from 1.
	Run int `json:"run"`
	// Attempts is how many times it was run (more than 1 when it was retried as disturbed).
	Attempts  int     `json:"attempts"`
	MakespanS float64 `json:"makespan_s"`
	// Counted says the run is in the figures (a disturbed run is left out when its parallelism
	// has undisturbed ones).
	Counted bool `json:"counted"`
	*trace.Disturbance
}

// Records lists every run, parallelism by parallelism.
func (ms *Measured) Records() []RunRecord {
	var out []RunRecord
	for i, p := range ms.Parallelisms {
		counted := map[*Measurement]bool{}
		for _, mt := range ms.Counted(i) {
			counted[mt] = true
		}
		for r, mt := range ms.Runs[i] {
			d := mt.Trace.Disturbance
			if d == nil {
				d = &trace.Disturbance{Unknown: []string{"the host was not watched"}}
			}
			out = append(out, RunRecord{Parallelism: p, Run: r + 1, Attempts: max(mt.Attempts, 1),
				MakespanS: mt.Trace.Metrics().Makespan.Seconds(), Counted: counted[mt], Disturbance: d})
		}
	}
	return out
}

// DisturbedMark is what tables print after a parallelism whose figures rest on disturbed runs;
// DisturbanceNotes explain it.
const DisturbedMark = "*"

// DisturbanceNotes are the lines a report prints under its table about disturbed runs: which
// parallelisms' figures rest on disturbed runs (marked with DisturbedMark) and why, how many
// disturbed runs were left out, and the threshold. None when no run was disturbed.
func (ms *Measured) DisturbanceNotes() []string {
	var notes []string
	for i, p := range ms.Parallelisms {
		if !ms.AllDisturbed(i) {
			continue
		}
		notes = append(notes, fmt.Sprintf("%s parallelism %d: every run was disturbed, the figures are theirs: %s",
			DisturbedMark, p, ms.Runs[i][len(ms.Runs[i])-1].Trace.Disturbance.Reason))
	}
	if n := ms.LeftOut(); n > 0 {
		notes = append(notes, fmt.Sprintf("note: %d disturbed runs left out of the figures (their parallelism had undisturbed runs)", n))
	}
	if len(notes) > 0 {
		notes = append(notes, "note: "+ms.Threshold.String())
	}
	return notes
}
