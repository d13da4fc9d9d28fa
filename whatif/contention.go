package whatif

import (
	"math"
	"sort"
	"time"

	"tunesim/sparklog"
)

// Contention is how a host's cores were shared while the log's tasks ran, inferred from Spark's
// task metrics: a task that held its slot for d and used c of executor CPU got c/(d - Latency) of
// a core. Under processor sharing (Linux's CFS), m tasks and Threads other runnable threads on C
// cores each get min(1, C/(m+Threads)) of a core, so a task's slot time is
//
//	d = Latency + c * max(1, (m + Threads) / C)
//
// with m the mean number of the host's tasks running over the task's life. Threads and Latency are
// fitted to all the host's tasks by least squares: Threads counts the runnable threads the log does
// not show (a JVM's JIT compilers, garbage collector, query planning, the driver), Latency the
// time a task holds its slot off the CPU for reasons other than cores (launch, result handoff).
type Contention struct {
	// Threads is the mean number of runnable threads beside the tasks while they ran.
	Threads float64
	// Latency is a task's time in its slot neither on the CPU nor waiting for a core.
	Latency time.Duration
	// Tasks is the number of tasks the fit used (those with CPU metrics).
	Tasks int
	// Alone and Shared are the tasks' CPU over slot time when they ran alone on the host (m < 1.5)
	// and beside others: evidence that the ratio moves with the tasks, or does not.
	Alone, Shared float64
}

// taskObs is one task as the contention fit sees it, in seconds.
type taskObs struct {
	cpu, slot, m float64
}

// minContentionTasks is the fewest tasks with CPU metrics a contention fit needs.
const minContentionTasks = 10

// observeTasks is every counted task with CPU metrics of the fits, grouped by the host it ran
// on (hostOf: an executor id to a host's name), each with the mean number of the host's tasks
// that ran over its life.
func observeTasks(fits []Fit, hostOf func(exec int) string) map[string][]taskObs {
	byHost := map[string][]sparklog.Task{}
	for _, f := range fits {
		for _, j := range f.Jobs {
			for _, st := range j.Stages {
				for _, tk := range countedTasks(st) {
					h := hostOf(tk.Executor)
					byHost[h] = append(byHost[h], tk)
				}
			}
		}
	}
	out := map[string][]taskObs{}
	for h, ts := range byHost {
		area := concurrencyArea(ts)
		for _, tk := range ts {
			d := tk.Duration()
			if tk.CPU <= 0 || d <= 0 {
				continue
			}
			m := (area(tk.Finish) - area(tk.Launch)) / d.Seconds()
			out[h] = append(out[h], taskObs{cpu: tk.CPU.Seconds(), slot: d.Seconds(), m: max(m, 1)})
		}
	}
	return out
}

// concurrencyArea is the integral over time of the number of tasks running (task-seconds), as a
// function of the time up to which it is taken.
func concurrencyArea(ts []sparklog.Task) func(time.Duration) float64 {
	type edge struct {
		at time.Duration
		d  int
	}
	edges := make([]edge, 0, 2*len(ts))
	for _, tk := range ts {
		edges = append(edges, edge{tk.Launch, 1}, edge{tk.Finish, -1})
	}
	sort.Slice(edges, func(a, b int) bool { return edges[a].at < edges[b].at })
	at := make([]time.Duration, len(edges))
	cum := make([]float64, len(edges)) // area up to at[i]
	n := make([]int, len(edges))       // tasks running just after at[i]
	running, area := 0, 0.0
	for i, e := range edges {
		if i > 0 {
			area += float64(running) * (e.at - edges[i-1].at).Seconds()
		}
		running += e.d
		at[i], cum[i], n[i] = e.at, area, running
	}
	return func(t time.Duration) float64 {
		i := sort.Search(len(at), func(i int) bool { return at[i] > t }) - 1
		if i < 0 {
			return 0
		}
		return cum[i] + float64(n[i])*(t-at[i]).Seconds()
	}
}

// maxThreadsPerCore bounds the runnable threads a contention fit looks for beside the tasks: a
// host loaded by other work to 16 runnable threads a core is past telling apart.
const maxThreadsPerCore = 16

// fitContention fits Threads and Latency to a host's tasks (see Contention): Threads on a grid of
// tenths, then of two-hundredths around the best, Latency, for each, the least-squares intercept
// (not below zero).
func fitContention(obs []taskObs, cores int) Contention {
	c := Contention{Tasks: len(obs)}
	if len(obs) < minContentionTasks || cores <= 0 {
		return c
	}
	var aloneCPU, aloneSlot, sharedCPU, sharedSlot float64
	for _, o := range obs {
		if o.m < 1.5 {
			aloneCPU, aloneSlot = aloneCPU+o.cpu, aloneSlot+o.slot
		} else {
			sharedCPU, sharedSlot = sharedCPU+o.cpu, sharedSlot+o.slot
		}
	}
	if aloneSlot > 0 {
		c.Alone = aloneCPU / aloneSlot
	}
	if sharedSlot > 0 {
		c.Shared = sharedCPU / sharedSlot
	}
	C := float64(cores)
	residual := func(b float64) (lat, sse float64) {
		for _, o := range obs {
			lat += o.slot - o.cpu*max(1, (o.m+b)/C)
		}
		lat = max(lat/float64(len(obs)), 0)
		for _, o := range obs {
			r := o.slot - lat - o.cpu*max(1, (o.m+b)/C)
			sse += r * r
		}
		return lat, sse
	}
	// A coarse grid over up to maxThreadsPerCore threads a core, then a fine one around its best.
	best, bestLat, bestSSE := 0.0, 0.0, math.Inf(1)
	try := func(b float64) {
		if lat, sse := residual(b); sse < bestSSE {
			best, bestLat, bestSSE = b, lat, sse
		}
	}
	hi := maxThreadsPerCore * C
	for b := 0.0; b <= hi; b += 0.1 {
		try(b)
	}
	for b, top := max(best-0.1, 0), min(best+0.1, hi); b <= top; b += 0.005 {
		try(b)
	}
	c.Threads, c.Latency = best, time.Duration(bestLat*float64(time.Second))
	return c
}

// Share is the share of a core a thread gets beside n other runnable threads of this host.
func (c Contention) share(cores int, n float64) float64 {
	return min(1, float64(cores)/(n+c.Threads))
}
