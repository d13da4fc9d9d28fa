package main

import (
	"fmt"
	"strings"

	"tunesim/sim"
	"tunesim/trace"
	"tunesim/whatif"
)

// eachLog says whatif predicts from each of the logs on its own and gives the medians over them:
// several logs of one data size (sizes.OneSize) asked about at that size. Logs of different sizes
// fit the costs across the sizes instead (whatif.FitSizes), and a what-if at another size scales
// the largest.
func (w *whatifFlags) eachLog(logs []whatifLog, sizes *whatif.Sizes) bool {
	return len(logs) > 1 && sizes != nil && sizes.OneSize() && *w.scale == 1
}

// sweepEach predicts the tuning from each log on its own (its own CPU measurement or inference, the
// what-if flags applied to its cluster), simulates each at parallelisms ps, and summarizes each
// parallelism over the logs (sim.SweepEach): figures are the medians over the logs, and their
// p10-p90 what one serial run's noise moves a prediction by. base is the log the report's summary
// and pictures come from; its prediction is pr (already made).
func (w *whatifFlags) sweepEach(logs []whatifLog, base int, pr *whatif.Prediction, ps []int, c *cli) ([]trace.Result, error) {
	if *w.appCPU > 0 {
		return nil, badUsage("--app-cpu is one run's CPU and %d logs were given: give one log, or leave the CPU measured beside each (tunesim.measure) or inferred", len(logs))
	}
	bases := make([]sim.Priced, len(logs))
	for i, l := range logs {
		if i == base {
			bases[i] = sim.Priced{Plan: pr.Plan, Model: pr.Model}
			continue
		}
		co, err := w.cpuOptions(l.path, l.info.AppID, c)
		if err != nil {
			return nil, badInput(err)
		}
		cl, _ := w.cluster(l.tun, co)
		p, err := l.tun.Predict(whatif.Options{Cluster: &cl, SchedulerMode: strings.ToUpper(*w.mode)}, co)
		if err != nil {
			return nil, badInput(fmt.Errorf("%s: %w", l.path, err))
		}
		bases[i] = sim.Priced{Plan: p.Plan, Model: p.Model}
	}
	return sim.SweepEach(bases, sim.SweepOptions{Parallelisms: ps, Progress: c.progress("simulating")})
}

// eachNote is what the report says of a prediction made from each of n logs.
func eachNote(n int) string {
	return fmt.Sprintf("predicted from each of the %d logs (one data size) on its own: the figures are the medians over them, and [p10-p90] is how far one serial run's noise moves a prediction", n)
}
