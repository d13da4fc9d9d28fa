package main

import (
	"fmt"

	"tunesim/experiment"
	"tunesim/scenarios"
)

// measuredReport is the measured runs as run and sweep report simulations: medians with spread,
// speedup, the best param map of the first run and notes on what the runs disagreed on.
func measuredReport(ms *experiment.Measured, s *scenarios.Scenario, source, host string) *report {
	results, note := ms.Results()
	rep := newReport(s, source, results)
	rep.Seed, rep.Replicas, rep.Host = s.Seed, len(ms.Runs[0]), host
	first := ms.First()
	rep.BestParamMap = first.BestParams
	if r := first.Plan.Refit(); r != nil {
		rep.BestParamLabel = first.Plan.ParamMaps[r.ParamMap].String()
	}
	metric := first.BestMetric
	rep.BestMetric = &metric
	if note != "" {
		rep.Notes = append(rep.Notes, note)
	}
	if n := ms.Disagreements(); n > 0 {
		rep.Notes = append(rep.Notes, fmt.Sprintf("note: %d runs chose another best param map than the first run", n))
	}
	if s.Noise.TaskCV != 0 {
		rep.Notes = append(rep.Notes, "note: noise.task_cv applies to simulations only; measured runs vary by themselves")
	}
	rep.Notes = append(rep.Notes, "metric: RMSE on the validation split (mean over folds), smaller is better")
	return rep
}
