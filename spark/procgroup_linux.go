package spark

import (
	"os/exec"
	"syscall"
)

// ownGroup runs the harness in a process group of its own, with the JVM its Python starts, so
// that killGroup ends both (the Python alone dead, its JVM would work on, orphaned); and the
// Python dies with this process (Pdeathsig), for one killed from outside (a `go test` timeout);
// its JVM then ends as PySpark's gateway does when its Python's pipe closes.
func ownGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

// killGroup kills the started cmd's process group: the harness and its JVM.
func killGroup(cmd *exec.Cmd) error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
