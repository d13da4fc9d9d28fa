package main

import (
	"fmt"

	"tunesim/sparklog"
	"tunesim/whatif"
)

// whatifLog is one event log given to whatif, read and its tuning found.
type whatifLog struct {
	path string
	info *sparklog.Info
	tun  *whatif.Tuning
}

// readWhatifLogs reads each event log and finds its tuning (from job fromJob on, when above 0),
// warning of what the reader noticed.
func readWhatifLogs(paths []string, h whatif.Hints, fromJob int, c *cli) ([]whatifLog, error) {
	var logs []whatifLog
	for _, path := range paths {
		app, info, err := sparklog.ReadApp(path)
		if err != nil {
			return nil, badInput(fmt.Errorf("reading the event log %s: %w", path, err))
		}
		for _, warn := range info.Warnings {
			fmt.Fprintf(c.stderr, "warning: %s\n", warn)
		}
		if fromJob > 0 {
			whatif.FromJob(app, fromJob)
		}
		tun, err := whatif.Find(app, info, h)
		if err != nil {
			return nil, badInput(fmt.Errorf("%s: %w", path, err))
		}
		logs = append(logs, whatifLog{path: path, info: info, tun: tun})
	}
	return logs, nil
}

// fitWhatifSizes fits the logs' costs across their sizes (whatif.FitSizes): logs of different
// tunings exit 2 naming what differs.
func fitWhatifSizes(logs []whatifLog) (*whatif.Sizes, error) {
	tuns, labels := make([]*whatif.Tuning, len(logs)), make([]string, len(logs))
	for i, l := range logs {
		tuns[i], labels[i] = l.tun, l.path
	}
	s, err := whatif.FitSizes(tuns, labels)
	if err != nil {
		return nil, badInput(err)
	}
	return s, nil
}
