package main

import (
	"fmt"
	"io"

	"tunesim/sparklog"
	"tunesim/trace"
)

// readTraceWarn reads a saved trace: tunesim's trace JSON, or a Spark event log (a file, plain or
// compressed, perhaps .inprogress, or a rolling log's directory). Any problem with the file is
// bad input; what the event log reader warns of goes to warn.
func readTraceWarn(path string, warn io.Writer) (*trace.Trace, error) {
	isLog, err := sparklog.IsEventLog(path)
	if err != nil {
		return nil, badInput(err)
	}
	if !isLog {
		t, err := trace.ReadFile(path)
		if err != nil {
			return nil, badInput(err)
		}
		return t, nil
	}
	t, info, err := sparklog.Read(path)
	if err != nil {
		return nil, badInput(err)
	}
	for _, w := range info.Warnings {
		fmt.Fprintf(warn, "warning: %s: %s\n", path, w)
	}
	return t, nil
}
