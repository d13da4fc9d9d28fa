package hostload

import (
	"math"
	"runtime"
	"time"
)

// referenceReps is how many times Reference runs the kernel; it keeps the fastest.
const referenceReps = 5

// Reference times the reference kernel: the fastest of referenceReps repetitions of kernel, a fixed
// piece of integer and floating-point work of about a millisecond. Each repetition is timed on
// its thread's CPU clock where there is one (Linux), else on the wall clock, so the time a
// repetition waits while other threads have its core does not count (other processes' use of the
// cores is measured from /proc); what remains is how fast the host executes when it runs us, which
// changes when a virtual machine is moved, throttled or shares its caches with a busy neighbour.
func Reference() time.Duration {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	best := time.Duration(math.MaxInt64)
	for range referenceReps {
		c0, cpuOK := threadCPU()
		t0 := time.Now()
		runtime.KeepAlive(kernel()) // the checksum is used, so the work cannot be dropped
		d := time.Since(t0)
		if c1, ok := threadCPU(); cpuOK && ok {
			d = c1 - c0
		}
		if d < best {
			best = d
		}
	}
	return best
}

// kernel is one repetition of the reference work: xorshift-filled table mixed by multiplications
// (integer ALU and L1 cache), then a logistic-map recurrence (dependent floating-point
// multiplications). It is deterministic and returns a checksum of its results.
func kernel() uint64 {
	var table [1024]uint64
	x := uint64(0x9E3779B97F4A7C15)
	for i := range table {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		table[i] = x
	}
	var sum uint64
	for r := range uint64(240) {
		for i := range table {
			v := table[i]*0xff51afd7ed558ccd + r
			table[(uint64(i)*7+r)&1023] ^= v >> 29
			sum += v
		}
	}
	f := 0.5
	for range 200000 {
		f = 3.7 * f * (1 - f)
	}
	return sum ^ math.Float64bits(f)
}
