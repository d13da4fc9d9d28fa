//go:build !linux

package spark

import "os/exec"

// ownGroup leaves the harness's process as it is where process groups and parent-death signals
// are not Linux's.
func ownGroup(cmd *exec.Cmd) {}

// killGroup kills the started cmd's process (its Python).
func killGroup(cmd *exec.Cmd) error { return cmd.Process.Kill() }
