//go:build unix

package hostload

import (
	"runtime"
	"syscall"
	"time"
)

const goos = runtime.GOOS

// OwnCPU is the CPU time (user and system) of this process and of the children it has waited for
// (a Spark harness run, once it ended), from getrusage.
func OwnCPU() (time.Duration, bool) {
	var self, children syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &self) != nil || syscall.Getrusage(syscall.RUSAGE_CHILDREN, &children) != nil {
		return 0, false
	}
	return time.Duration(self.Utime.Nano() + self.Stime.Nano() + children.Utime.Nano() + children.Stime.Nano()), true
}
