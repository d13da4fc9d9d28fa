//go:build !unix

package hostload

import (
	"runtime"
	"time"
)

const goos = runtime.GOOS

// OwnCPU is unknown where there is no getrusage.
func OwnCPU() (time.Duration, bool) { return 0, false }
