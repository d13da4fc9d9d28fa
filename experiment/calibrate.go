package experiment

import (
	"fmt"

	"tunesim/costmodel"
	"tunesim/scenarios"
	"tunesim/spark"
	"tunesim/tuning"
)

// CalibrationRuns is every counted run of ms (see Counted) as costmodel.Calibrate takes it.
func (ms *Measured) CalibrationRuns() []costmodel.Run {
	var runs []costmodel.Run
	for i := range ms.Runs {
		for _, mt := range ms.Counted(i) {
			runs = append(runs, costmodel.Run{Plan: mt.Plan, Trace: mt.Trace})
		}
	}
	return runs
}

// CalibrateSerial fits a profile named "calibrated", on the gonum profile's terms, to the
// counted serial runs of ms.
func (ms *Measured) CalibrateSerial() (*costmodel.Calibration, error) {
	var runs []costmodel.Run
	for i, p := range ms.Parallelisms {
		if p == 1 {
			for _, mt := range ms.Counted(i) {
				runs = append(runs, costmodel.Run{Plan: mt.Plan, Trace: mt.Trace})
			}
		}
	}
	base, err := costmodel.Load(costmodel.Gonum, "")
	if err != nil {
		return nil, err
	}
	cal, err := costmodel.Calibrate(runs, costmodel.CalibrateOptions{Base: base, Name: "calibrated"})
	if err != nil {
		return nil, fmt.Errorf("calibrating from the serial runs: %w", err)
	}
	return cal, nil
}

// EventLogRuns reads event logs of the harness (spark/tune.py) for calibration: the log paths[i]
// is a run of scens[i], or of scens[0] for every log when only one scenario is given. It returns
// the runs, the scenarios' names (each once, in order) and the Spark the last log ran on. Every
// error is about its input: a log that does not read, or a scenario without a plan.
func EventLogRuns(paths []string, scens []*scenarios.Scenario) (runs []costmodel.Run, names []string, host string, err error) {
	if len(scens) != 1 && len(scens) != len(paths) {
		return nil, nil, "", fmt.Errorf("%d event logs and %d scenarios: give one scenario for all logs or one per log", len(paths), len(scens))
	}
	seen := map[string]bool{}
	for i, path := range paths {
		s := scens[min(i, len(scens)-1)]
		t, _, err := spark.ReadRun(path, s)
		if err != nil {
			return nil, nil, "", err
		}
		AnnotateHosts(t)
		plan, err := tuning.New(s)
		if err != nil {
			return nil, nil, "", err
		}
		runs = append(runs, costmodel.Run{Plan: plan, Trace: t})
		if !seen[s.Name] {
			seen[s.Name] = true
			names = append(names, s.Name)
		}
		host = fmt.Sprintf("Spark %s, master %s", t.Attrs["spark_version"], t.Attrs["master"])
	}
	return runs, names, host, nil
}
