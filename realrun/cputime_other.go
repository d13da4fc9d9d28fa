//go:build !unix

package realrun

import "time"

// processCPU is unknown (0) where getrusage is not available.
func processCPU() time.Duration { return 0 }
