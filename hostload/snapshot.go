package hostload

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"tunesim/trace"
)

// Snapshot is the host's counters at one instant.
type Snapshot struct {
	At time.Time
	// CPU holds /proc/stat's counters and CPUs its number of CPUs, unless CPUErr says why not.
	CPU    CPUTimes
	CPUs   int
	CPUErr error
	// Own is this process's CPU time and that of its children it waited for, when OwnOK.
	Own   time.Duration
	OwnOK bool
	// Load1 is the 1-minute load average, unless LoadErr says why not.
	Load1   float64
	LoadErr error
}

// Snapshot reads the host's counters now.
func (p *Probe) Snapshot() Snapshot {
	s := Snapshot{At: p.now()}
	s.Own, s.OwnOK = p.own()
	s.CPU, s.CPUs, s.CPUErr = readWith(filepath.Join(p.Root, "stat"), ParseStat)
	s.Load1, _, s.LoadErr = readWith(filepath.Join(p.Root, "loadavg"), func(r io.Reader) (float64, int, error) {
		v, err := ParseLoadavg(r)
		return v, 0, err
	})
	return s
}

// readWith opens path and parses it; errors name the file.
func readWith[T any](path string, parse func(r io.Reader) (T, int, error)) (T, int, error) {
	var zero T
	f, err := os.Open(path)
	if err != nil {
		return zero, 0, err
	}
	defer f.Close()
	v, n, err := parse(f)
	if err != nil {
		return zero, 0, fmt.Errorf("%s: %w", path, err)
	}
	return v, n, nil
}

// Usage is what the host did between two snapshots.
type Usage struct {
	Wall time.Duration
	// Cores is the number of CPUs (from /proc/stat, else the CPUs this process may use).
	Cores int
	// Own is the CPU time of this process and of the children it waited for; OwnOK says it is known.
	Own   time.Duration
	OwnOK bool
	// Host is the change of the host's counters, when CPUOK.
	Host  CPUTimes
	CPUOK bool
	// Load1 is the 1-minute load average at the end, when LoadOK.
	Load1  float64
	LoadOK bool
	// Unknown names the figures that could not be read, and why.
	Unknown []string
}

// Between is the usage from snapshot a to snapshot b.
func Between(a, b Snapshot) Usage {
	u := Usage{Wall: b.At.Sub(a.At), Cores: b.CPUs}
	if u.Cores == 0 {
		u.Cores = cores()
	}
	if a.OwnOK && b.OwnOK && b.Own >= a.Own {
		u.Own, u.OwnOK = b.Own-a.Own, true
	} else {
		u.Unknown = append(u.Unknown, "own CPU time: no getrusage on "+goos)
	}
	switch {
	case a.CPUErr != nil:
		u.Unknown = append(u.Unknown, fmt.Sprintf("others' CPU and steal: %v", a.CPUErr))
	case b.CPUErr != nil:
		u.Unknown = append(u.Unknown, fmt.Sprintf("others' CPU and steal: %v", b.CPUErr))
	case b.CPU.Busy < a.CPU.Busy || b.CPU.Idle < a.CPU.Idle || b.CPU.Steal < a.CPU.Steal:
		u.Unknown = append(u.Unknown, "others' CPU and steal: /proc/stat's counters went backwards")

	default:
		u.Host = CPUTimes{Busy: b.CPU.Busy - a.CPU.Busy, Idle: b.CPU.Idle - a.CPU.Idle, Steal: b.CPU.Steal - a.CPU.Steal}
		u.CPUOK = true
	}
	if b.LoadErr == nil {
		u.Load1, u.LoadOK = b.Load1, true
	} else {
		u.Unknown = append(u.Unknown, fmt.Sprintf("load average: %v", b.LoadErr))
	}
	return u
}

// atLeast is u with the host's shares unknown when its window is shorter than min.
func (u Usage) atLeast(min time.Duration) Usage {
	if u.CPUOK && u.Wall < min {
		u.CPUOK = false
		u.Unknown = append(u.Unknown, fmt.Sprintf("others' CPU and steal: %d ms are too short for /proc/stat's 10 ms ticks (%d ms at least)",
			u.Wall.Milliseconds(), min.Milliseconds()))
	}
	return u
}

// OwnPct is the CPU time the run's processes got, in percent of what the cores could have given
// over the wall time (wall x cores).
func (u Usage) OwnPct() float64 {
	could := u.Wall.Seconds() * float64(u.Cores)
	if !u.OwnOK || could <= 0 {
		return 0
	}
	return 100 * u.Own.Seconds() / could
}

// OthersPct is the CPU time other processes used (the host's busy time less our own, never
// negative), in percent of all the time the CPUs had.
func (u Usage) OthersPct() float64 {
	total := u.Host.Busy + u.Host.Idle + u.Host.Steal
	if !u.CPUOK || !u.OwnOK || total == 0 {
		return 0
	}
	others := ticks(u.Host.Busy) - u.Own
	if others < 0 {
		return 0
	}
	return 100 * others.Seconds() / ticks(total).Seconds()
}

// StealPct is the time stolen by the hypervisor, in percent of all the time the CPUs had.
func (u Usage) StealPct() float64 {
	total := u.Host.Busy + u.Host.Idle + u.Host.Steal
	if !u.CPUOK || total == 0 {
		return 0
	}
	return 100 * float64(u.Host.Steal) / float64(total)
}

// Figures is the usage as a trace records it, not yet judged (no reference readings, no verdict).
func (u Usage) Figures() *trace.Disturbance {
	return &trace.Disturbance{WallS: u.Wall.Seconds(), Cores: u.Cores, OwnCPUPct: u.OwnPct(), OthersCPUPct: u.OthersPct(),
		StealPct: u.StealPct(), Load1: u.Load1, Unknown: u.Unknown}
}
