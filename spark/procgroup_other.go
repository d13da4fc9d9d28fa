//go:build !linux

package spark

import "os/exec"

// ownGroup leaves the harness's process as it is where process groups and parent-death signals
// are not Linux's: a cancelled run kills its Python (exec.CommandContext's default).
func ownGroup(cmd *exec.Cmd) {}
