package hostload

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"
)

// ProcStat is what the probe needs of /proc/PID/stat: the process, its parent, the CPU time it
// used (user and system, in clock ticks) and when it started (ticks after boot; with the pid, it
// tells a process from a later one that got the same pid).
type ProcStat struct {
	PID, PPID int
	CPU       uint64
	Start     uint64
}

// ParseProcStat reads one /proc/PID/stat. The command name in parentheses may hold spaces and
// parentheses itself; the fields are counted from the last ')'.
func ParseProcStat(b []byte) (ProcStat, error) {
	var p ProcStat
	open, closing := bytes.IndexByte(b, '('), bytes.LastIndexByte(b, ')')
	if open < 1 || closing < open {
		return p, fmt.Errorf("no \"PID (comm)\" at the start of %.40q", b)
	}
	pid, err := strconv.Atoi(string(bytes.TrimSpace(b[:open])))
	if err != nil || pid < 1 {
		return p, fmt.Errorf("pid %q: want a whole number from 1", bytes.TrimSpace(b[:open]))
	}
	// After the name: state(3) ppid(4) ... utime(14) stime(15) ... starttime(22).
	f := bytes.Fields(b[closing+1:])
	if len(f) < 20 {
		return p, fmt.Errorf("%d fields after the command name; want at least 20 (up to starttime)", len(f))
	}
	num := func(i int, name string) (uint64, error) {
		v, err := strconv.ParseUint(string(f[i]), 10, 64)
		if err != nil || v > maxTicks {
			return 0, fmt.Errorf("field %d (%s) %q: want a whole number up to 2^48", i+3, name, f[i])
		}
		return v, nil
	}
	ppid, err := num(1, "ppid")
	if err != nil {
		return p, err
	}
	utime, err := num(11, "utime")
	if err != nil {
		return p, err
	}
	stime, err := num(12, "stime")
	if err != nil {
		return p, err
	}
	start, err := num(19, "starttime")
	if err != nil {
		return p, err
	}
	return ProcStat{PID: pid, PPID: int(ppid), CPU: utime + stime, Start: start}, nil
}

// followInterval is how often the descendants' CPU time is read during a run. A process that
// ends between two readings loses what it used since the last one (a Spark JVM's shutdown).
const followInterval = 200 * time.Millisecond

// procKey tells processes apart across pid reuse.
type procKey struct {
	pid   int
	start uint64
}

// followed is what the follower saw of one descendant: its CPU ticks when first and last seen,
// and whether it was this process's own child (whose time getrusage counts once it is waited for).
type followed struct {
	first, last uint64
	child       bool
}

// follower reads the CPU time of this process's descendants during a window, from /proc, for
// the ones getrusage does not count: processes this process does not wait for itself, such as
// the JVM a Spark harness's Python starts and leaves to die on its own.
type follower struct {
	root string
	self int
	// adopt accepts other processes as the run's own by their command line (nil: none);
	// rejected counts the scans that refused each process: one refused twice is settled (once
	// may have been between its fork and its exec) and is not read again.
	adopt    func(cmdline []byte) bool
	rejected map[procKey]int
	mu       sync.Mutex
	seen     map[procKey]*followed
	// started says the first scan is over: processes found later started within the window.
	started bool
	stop    chan struct{}
	done    chan struct{}
}

// follow starts following the descendants of process self in the proc file system at root, and
// the processes adopt accepts (adopt may be nil).
func follow(root string, self int, adopt func(cmdline []byte) bool) *follower {
	f := &follower{root: root, self: self, adopt: adopt, rejected: map[procKey]int{}, seen: map[procKey]*followed{},
		stop: make(chan struct{}), done: make(chan struct{})}
	f.scan()
	f.started = true
	go func() {
		defer close(f.done)
		t := time.NewTicker(followInterval)
		defer t.Stop()
		for {
			select {
			case <-f.stop:
				return
			case <-t.C:
				f.scan()
			}
		}
	}()
	return f
}

// scan reads every process's stat once and updates the descendants it finds, and those found
// before that have since been handed to another parent.
func (f *follower) scan() {
	entries, err := os.ReadDir(f.root)
	if err != nil {
		return
	}
	procs := map[int]ProcStat{}
	children := map[int][]int{}
	for _, e := range entries {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join(f.root, e.Name(), "stat"))
		if err != nil {
			continue // it ended
		}
		ps, err := ParseProcStat(b)
		if err != nil {
			continue
		}
		procs[ps.PID] = ps
		children[ps.PPID] = append(children[ps.PPID], ps.PID)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	update := func(ps ProcStat, child bool) {
		k := procKey{ps.PID, ps.Start}
		fl := f.seen[k]
		if fl == nil {
			fl = &followed{child: child}
			if !f.started {
				fl.first = ps.CPU // it was there before the window: count from now
			}
			f.seen[k] = fl
		}
		fl.last = max(fl.last, ps.CPU)
	}
	queue := children[f.self]
	for _, pid := range queue {
		update(procs[pid], true)
	}
	if f.adopt != nil {
		for pid, ps := range procs {
			k := procKey{ps.PID, ps.Start}
			if pid == f.self || f.seen[k] != nil || f.rejected[k] >= 2 {
				continue
			}
			cmd, err := os.ReadFile(filepath.Join(f.root, strconv.Itoa(pid), "cmdline"))
			if err != nil || !f.adopt(cmd) {
				f.rejected[k]++
				continue
			}
			update(ps, false)
			queue = append(queue, pid)
		}
	}
	for len(queue) > 0 {
		pid := queue[0]
		queue = queue[1:]
		for _, c := range children[pid] {
			update(procs[c], false)
			queue = append(queue, c)
		}
	}
	for k := range f.seen {
		if ps, ok := procs[k.pid]; ok && ps.Start == k.start {
			update(ps, false)
		}
	}
}

// end stops following and returns the CPU time the descendants that are not this process's own
// children used during the window.
func (f *follower) end() time.Duration {
	close(f.stop)
	<-f.done
	f.scan()
	f.mu.Lock()
	defer f.mu.Unlock()
	var n uint64
	for _, fl := range f.seen {
		if !fl.child {
			n += fl.last - fl.first
		}
	}
	return ticks(n)
}
