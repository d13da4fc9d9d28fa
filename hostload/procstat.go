package hostload

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// userHZ is the rate of the clock ticks /proc/stat counts in: USER_HZ, 100 on every architecture
// Linux exposes to user space (sysconf(_SC_CLK_TCK) says so; Go has no sysconf without cgo).
const userHZ = 100

// CPUTimes is the host's CPU time over all its CPUs since boot, in clock ticks (1/userHZ s), by
// what the CPUs did, as the aggregate "cpu" line of /proc/stat counts it.
type CPUTimes struct {
	// Busy is time running anything: user, nice, system, irq and softirq (guest time is part of
	// user and nice).
	Busy uint64
	// Idle is idle and iowait time.
	Idle uint64
	// Steal is time the hypervisor gave this virtual machine's CPUs to someone else.
	Steal uint64
}

// maxTicks bounds each counter: 2^48 ticks are 89,000 CPU-years, and sums of a few stay far from
// overflowing.
const maxTicks = 1 << 48

// ticks is n clock ticks as a duration.
func ticks(n uint64) time.Duration { return time.Duration(n) * (time.Second / userHZ) }

// ParseStat reads /proc/stat: the aggregate "cpu" line's counters and the number of "cpuN" lines
// (the CPUs online). Kernels before 2.6.11 have no steal column; it then reads as 0.
func ParseStat(r io.Reader) (CPUTimes, int, error) {
	var c CPUTimes
	found, cpus := false, 0
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for line := 1; sc.Scan(); line++ {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 || !strings.HasPrefix(fields[0], "cpu") {
			continue
		}
		if fields[0] != "cpu" {
			if _, err := strconv.Atoi(fields[0][3:]); err == nil {
				cpus++
			}
			continue
		}
		if found {
			return c, 0, fmt.Errorf("line %d: a second aggregate \"cpu\" line", line)
		}
		found = true
		// user nice system idle iowait irq softirq steal guest guest_nice
		if len(fields) < 8 {
			return c, 0, fmt.Errorf("line %d: \"cpu\" has %d counters; want at least 7 (user nice system idle iowait irq softirq)", line, len(fields)-1)
		}
		var v [8]uint64
		for i := 0; i < 8 && i+1 < len(fields); i++ {
			n, err := strconv.ParseUint(fields[i+1], 10, 64)
			if err != nil || n > maxTicks {
				return c, 0, fmt.Errorf("line %d: counter %d %q: want a whole number of ticks up to 2^48", line, i+1, fields[i+1])
			}
			v[i] = n
		}
		c.Busy, c.Idle, c.Steal = v[0]+v[1]+v[2]+v[5]+v[6], v[3]+v[4], v[7]
	}
	if err := sc.Err(); err != nil {
		return c, 0, err
	}
	if !found {
		return c, 0, errors.New("no aggregate \"cpu\" line")
	}
	return c, cpus, nil
}

// ParseLoadavg reads the 1-minute load average, the first field of /proc/loadavg.
func ParseLoadavg(r io.Reader) (float64, error) {
	b, err := io.ReadAll(io.LimitReader(r, 4096))
	if err != nil {
		return 0, err
	}
	fields := strings.Fields(string(b))
	if len(fields) == 0 {
		return 0, errors.New("empty")
	}
	v, err := strconv.ParseFloat(fields[0], 64)
	if err != nil || v < 0 || v != v || v > 1e9 {
		return 0, fmt.Errorf("first field %q: want the 1-minute load average, a number from 0", fields[0])
	}
	return v, nil
}
