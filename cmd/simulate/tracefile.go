package main

import (
	"tunesim/trace"
)

// readTrace reads a saved trace (tunesim's trace JSON); any problem with the file is bad input.
func readTrace(path string) (*trace.Trace, error) {
	t, err := trace.ReadFile(path)
	if err != nil {
		return nil, badInput(err)
	}
	return t, nil
}
