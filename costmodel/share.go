package costmodel

import (
	"math"
	"sort"
	"strconv"
	"time"

	"tunesim/trace"
)

// background is the background CPU calibration counts: per job, worked off by threads threads.
type background struct {
	perJob  float64
	threads int
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
// gives them.
func cpuWork(t *trace.Trace, bg background) spanWork {
	work := make(spanWork, len(t.Spans))
	hosts := map[string][]int{}
	cores := map[string]int{}
	// The driver's host: the executors' host it shared (AttrDriverHost), else a host of its own
	// on a cluster, else (local mode) the one host.
	driverHost := t.Attrs[AttrDriverHost]
	local := len(t.Executors) <= 1 && driverHost == "" && !ClusterRun(t)
	if driverHost == "" {
		driverHost = "driver"
	}
	hostOf := func(s trace.Span) string {
		if local {
			return "local"
		}
		if s.Kind == trace.KindDriver {
			return driverHost
		}
		for _, e := range t.Executors {
			if e.ID == s.Executor && e.Host != "" {
				return e.Host
			}
		}
		return "executor " + strconv.Itoa(s.Executor)
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
			h := e.Host
			if h == "" {
				h = "executor " + strconv.Itoa(e.ID)
			}
			cores[h] = e.HostCores
		}
	}
	bgStarts := map[string][]time.Duration{}
	for i, s := range t.Spans {
		work[i] = s.Duration().Seconds()
		switch {
		case s.Kind == trace.KindDriver && s.Name == trace.SpanJobResult:
			// the gap after a job, which calibration adds as its own span
		case s.Kind == trace.KindTask || s.Kind == trace.KindDriver:
			h := hostOf(s)
			hosts[h] = append(hosts[h], i)
		case s.Kind == trace.KindJob && bg.perJob > 0:
			bgStarts[driverHost] = append(bgStarts[driverHost], s.Start)
		}
	}
	disc := SchedulingOf(t)
	for h, idx := range hosts {
		c := cores[h]
		switch {
		case c <= 0:
		case disc.Queued():
			queueOut(t.Spans, idx, c, bgStarts[h], bg, disc.Quantum(), work)
		default:
			shareOut(t.Spans, idx, c, bgStarts[h], bg, work)
		}
	}
	return work
}

// shareOut sets work for the spans idx of one host with c cores, where bgWork seconds of background
// work join the backlog of the host's background thread at each of bgStarts.
func shareOut(spans []trace.Span, idx []int, c int, bgStarts []time.Duration, bg background, work spanWork) {
	k := max(bg.threads, 1)
	bgWork := bg.perJob / float64(k) // each background thread's share of a job's background
	type edge struct {
		at time.Duration
		d  int
		bg bool
	}
	edges := make([]edge, 0, 2*len(idx)+len(bgStarts))
	for _, i := range idx {
		if spans[i].End > spans[i].Start {
			edges = append(edges, edge{spans[i].Start, +1, false}, edge{spans[i].End, -1, false})
		}
	}
	for _, at := range bgStarts {
		edges = append(edges, edge{at, 0, true})
	}
	sort.SliceStable(edges, func(a, b int) bool { return edges[a].at < edges[b].at })
	// times[k] and cum[k]: the integral of each thread's share of a core up to times[k].
	times := []time.Duration{}
	cum := []float64{}
	n, acc := 0, 0.0
	backlog := 0.0 // each background thread's work not done yet (they work in step)
	running := func() int {
		if backlog > 1e-12 {
			return k
		}
		return 0
	}
	share := func() float64 {
		if m := n + running(); m > c {
			return float64(c) / float64(m)
		}
		return 1
	}
	// advance moves from the last recorded time to at, finishing background threads on the way.
	advance := func(at time.Duration) {
		for len(times) > 0 && times[len(times)-1] < at {
			now := times[len(times)-1]
			sh := share()
			dt := (at - now).Seconds()
			if running() > 0 && backlog < sh*dt {
				dt = backlog / sh
			}
			step := time.Duration(math.Ceil(dt * 1e9))
			if now+step > at || step <= 0 {
				step = at - now
			}
			acc += sh * step.Seconds()
			if running() > 0 {
				backlog = math.Max(0, backlog-sh*step.Seconds())
			}
			times = append(times, now+step)
			cum = append(cum, acc)
		}
	}
	for k := 0; k < len(edges); {
		at := edges[k].at
		if len(times) == 0 {
			times, cum = append(times, at), append(cum, 0)
		}
		advance(at)
		for k < len(edges) && edges[k].at == at {
			if edges[k].bg {
				backlog += bgWork
			}
			n += edges[k].d
			k++
		}
	}
	at := func(t time.Duration) float64 {
		k := sort.Search(len(times), func(k int) bool { return times[k] >= t })
		return cum[k] // every span's ends are recorded times
	}
	for _, i := range idx {
		if spans[i].End > spans[i].Start {
			work[i] = at(spans[i].End) - at(spans[i].Start)
		}
	}
}
