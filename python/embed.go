// Package python holds the sources of the Python package tunesim (python/tunesim) for Go code
// that hands them to a Python it starts: package spark writes them beside its harness, tune.py,
// which tags its fits with tunesim.tagging.
package python

import "embed"

// Tunesim is the package's files, under tunesim/.
//
//go:embed tunesim/*.py
var Tunesim embed.FS
