package costmodel

import (
	"math"
	"sort"
	"strconv"
	"time"

	"tunesim/cpushare"
	"tunesim/scenarios"
	"tunesim/trace"
)

// background is the background CPU calibration counts: per job, worked off by threads threads in
// the driver's JVM, and execPerJob per job in each executor's JVM of its own, worked off by
// execThreads threads there.
type background struct {
	perJob  float64
	threads int

	execPerJob  float64
	execThreads int
}

// bgSource is one JVM's background on a host: k threads in pool, each taking each seconds of
// work onto its backlog at every one of starts (the jobs' submissions).
type bgSource struct {
	pool   int
	k      int
	each   float64
	starts []time.Duration
}

// hostSpans is one host's spans by process pool (one pool unless the host shared its cores
// among processes: see scenarios.Host's cpu_share) and its JVMs' background.
type hostSpans struct {
	names map[string]int
	pools [][]int
	bgs   []bgSource
}

func (h *hostSpans) pool(name string) int {
	p, ok := h.names[name]
	if !ok {
		p = len(h.pools)
		h.names[name] = p
		h.pools = append(h.pools, nil)
	}
	return p
}

// cpuWork undoes the host's scheduling: for every task and driver span it is the work, in seconds
// on one idle core, that the span did. Under processor sharing (the default, SchedulingOf the
// trace), while n threads ran on a host of c cores each got min(1, c/n) of a core (shareOut);
// under Go's scheduler (DisciplineGo: a real run's trace) at most c ran at once while the others
// waited (queueOut). A host runs its executor's tasks and, in local mode (one executor), the
// driver's spans too. Hosts of unknown size are taken as never shared. Other spans get their
// duration; a driver's job_result span is left out (calibration counts the gap it fills as a span
// of its own). With background > 0, every job adds that much CPU (Overheads.JobBackground) to a
// backlog on the driver's host that background threads work off, taking cores as the simulator
// gives them; and bg.execPerJob (Overheads.ExecutorBackground) to each executor JVM's own. When
// the trace says its JVMs were CPU groups of their own (trace.AttrCPUShare "processes"), a
// host's cores were shared among its JVMs first, then among each one's threads.
func cpuWork(t *trace.Trace, bg background) spanWork {
	work := make(spanWork, len(t.Spans))
	hosts := map[string]*hostSpans{}
	cores := map[string]int{}
	// The driver's host: the executors' host it shared (AttrDriverHost), else a host of its own
	// on a cluster, else (local mode) the one host.
	driverHost := t.Attrs[AttrDriverHost]
	local := len(t.Executors) <= 1 && driverHost == "" && !ClusterRun(t)
	if driverHost == "" {
		driverHost = "driver"
	}
	execHost := func(id int) string {
		for _, e := range t.Executors {
			if e.ID == id && e.Host != "" {
				return e.Host
			}
		}
		return "executor " + strconv.Itoa(id)
	}
	hostOf := func(s trace.Span) string {
		if local {
			return "local"
		}
		if s.Kind == trace.KindDriver {
			return driverHost
		}
		return execHost(s.Executor)
	}
	disc := SchedulingOf(t)
	byProcess := !local && !disc.Queued() && t.Attrs[trace.AttrCPUShare] == scenarios.CPUShareProcesses
	// poolOf names the JVM whose pool a span (or a JVM's background) is in on its host.
	poolOf := func(driver bool, exec int) string {
		switch {
		case !byProcess:
			return ""
		case driver:
			return "driver"
		}
		return "executor " + strconv.Itoa(exec)
	}
	onHost := func(h string) *hostSpans {
		hs := hosts[h]
		if hs == nil {
			hs = &hostSpans{names: map[string]int{}}
			hosts[h] = hs
		}
		return hs
	}
	if local {
		driverHost = "local"
		if len(t.Executors) == 1 && t.Executors[0].HostCores > 0 {
			cores["local"] = t.Executors[0].HostCores
		} else {
			cores["local"] = t.DriverCores
		}
	} else {
		cores[driverHost] = t.DriverCores // an executors' host's own cores replace it below
		for _, e := range t.Executors {
			cores[execHost(e.ID)] = e.HostCores
		}
	}
	var jobStarts []time.Duration
	for i, s := range t.Spans {
		work[i] = s.Duration().Seconds()
		switch {
		case s.Kind == trace.KindDriver && s.Name == trace.SpanJobResult:
			// the gap after a job, which calibration adds as its own span
		case s.Kind == trace.KindTask || s.Kind == trace.KindDriver:
			hs := onHost(hostOf(s))
			p := hs.pool(poolOf(s.Kind == trace.KindDriver, s.Executor))
			hs.pools[p] = append(hs.pools[p], i)
		case s.Kind == trace.KindJob && (bg.perJob > 0 || bg.execPerJob > 0):
			jobStarts = append(jobStarts, s.Start)
		}
	}
	if bg.perJob > 0 {
		hs := onHost(driverHost)
		k := max(bg.threads, 1)
		hs.bgs = append(hs.bgs, bgSource{pool: hs.pool(poolOf(true, 0)), k: k, each: bg.perJob / float64(k), starts: jobStarts})
	}
	if bg.execPerJob > 0 && !local {
		k := max(bg.execThreads, 1)
		for _, e := range t.Executors {
			hs := onHost(execHost(e.ID))
			hs.bgs = append(hs.bgs, bgSource{pool: hs.pool(poolOf(false, e.ID)), k: k, each: bg.execPerJob / float64(k), starts: jobStarts})
		}
	}
	for h, hs := range hosts {
		c := cores[h]
		switch {
		case c <= 0 || len(hs.pools) == 0:
		case disc.Queued():
			var starts []time.Duration
			if bg.perJob > 0 && h == driverHost {
				starts = jobStarts
			}
			queueOut(t.Spans, hs.pools[0], c, starts, bg, disc.Quantum(), work)
		default:
			shareOut(t.Spans, hs.pools, c, hs.bgs, work)
		}
	}
	return work
}

// shareOut sets work for the spans of one host with c cores, by process pool (pools: each one's
// span indices), where each background source's threads take its work onto their backlogs at
// its starts. While they run, a pool's threads are its spans open and its sources' threads with
// work left; the cores are divided equally among the pools with threads, none getting more than
// a core per thread (what one cannot use goes to the others), and each pool's part among its
// threads alike: cpushare.Rates, the simulator's sharing (sim's host), integrated over each span.
func shareOut(spans []trace.Span, pools [][]int, c int, bgs []bgSource, work spanWork) {
	type edge struct {
		at   time.Duration
		pool int
		d    int
		bg   int // 1 + the background source arriving, 0 for a span's edge
	}
	var edges []edge
	for p, idx := range pools {
		for _, i := range idx {
			if spans[i].End > spans[i].Start {
				edges = append(edges, edge{spans[i].Start, p, +1, 0}, edge{spans[i].End, p, -1, 0})
			}
		}
	}
	for b, src := range bgs {
		for _, at := range src.starts {
			edges = append(edges, edge{at, src.pool, 0, b + 1})
		}
	}
	sort.SliceStable(edges, func(a, b int) bool { return edges[a].at < edges[b].at })
	// times[k] and cum[p][k]: the integral of each thread of pool p's share of a core up to times[k].
	times := []time.Duration{}
	cum := make([][]float64, len(pools))
	acc := make([]float64, len(pools))
	n := make([]int, len(pools))
	backlog := make([]float64, len(bgs)) // each source's threads' work not done yet (they work in step)
	rate := make([]float64, len(pools))
	var order []int
	m := make([]int, len(pools)) // each pool's threads
	shares := func() {
		copy(m, n)
		for b, src := range bgs {
			if backlog[b] > 1e-12 {
				m[src.pool] += src.k
			}
		}
		order = cpushare.Rates(c, m, rate, order)
	}
	record := func(at time.Duration) {
		times = append(times, at)
		for p := range pools {
			cum[p] = append(cum[p], acc[p])
		}
	}
	// advance moves from the last recorded time to at, finishing background threads on the way.
	advance := func(at time.Duration) {
		for len(times) > 0 && times[len(times)-1] < at {
			now := times[len(times)-1]
			shares()
			dt := (at - now).Seconds()
			for b, src := range bgs {
				if sh := rate[src.pool]; backlog[b] > 1e-12 && backlog[b] < sh*dt {
					dt = backlog[b] / sh
				}
			}
			step := time.Duration(math.Ceil(dt * 1e9))
			if now+step > at || step <= 0 {
				step = at - now
			}
			for p := range pools {
				acc[p] += rate[p] * step.Seconds()
			}
			for b, src := range bgs {
				if backlog[b] > 1e-12 {
					backlog[b] = math.Max(0, backlog[b]-rate[src.pool]*step.Seconds())
				}
			}
			record(now + step)
		}
	}
	for k := 0; k < len(edges); {
		at := edges[k].at
		if len(times) == 0 {
			record(at)
		}
		advance(at)
		for k < len(edges) && edges[k].at == at {
			if b := edges[k].bg; b > 0 {
				backlog[b-1] += bgs[b-1].each
			}
			n[edges[k].pool] += edges[k].d
			k++
		}
	}
	at := func(p int, t time.Duration) float64 {
		k := sort.Search(len(times), func(k int) bool { return times[k] >= t })
		return cum[p][k] // every span's ends are recorded times
	}
	for p, idx := range pools {
		for _, i := range idx {
			if spans[i].End > spans[i].Start {
				work[i] = at(p, spans[i].End) - at(p, spans[i].Start)
			}
		}
	}
}
