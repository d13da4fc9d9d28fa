package costmodel

import (
	"sort"
	"strconv"
	"time"

	"tunesim/trace"
)

// cpuWork undoes processor sharing: for every task and driver span it is the work, in seconds on
// one idle core, that the span did, given that while n threads ran on a host of c cores each got
// min(1, c/n) of a core. A host runs its executor's tasks and, in local mode (one executor), the
// driver's spans too. Hosts of unknown size are taken as never shared. Other spans get their
// duration.
func cpuWork(t *trace.Trace) spanWork {
	work := make(spanWork, len(t.Spans))
	hosts := map[string][]int{}
	cores := map[string]int{}
	local := len(t.Executors) <= 1
	hostOf := func(s trace.Span) string {
		if local {
			return "local"
		}
		if s.Kind == trace.KindDriver {
			return "driver"
		}
		for _, e := range t.Executors {
			if e.ID == s.Executor && e.Host != "" {
				return e.Host
			}
		}
		return "executor " + strconv.Itoa(s.Executor)
	}
	if local {
		if len(t.Executors) == 1 && t.Executors[0].HostCores > 0 {
			cores["local"] = t.Executors[0].HostCores
		} else {
			cores["local"] = t.DriverCores
		}
	} else {
		cores["driver"] = t.DriverCores
		for _, e := range t.Executors {
			h := e.Host
			if h == "" {
				h = "executor " + strconv.Itoa(e.ID)
			}
			cores[h] = e.HostCores
		}
	}
	for i, s := range t.Spans {
		work[i] = s.Duration().Seconds()
		if s.Kind == trace.KindTask || s.Kind == trace.KindDriver {
			h := hostOf(s)
			hosts[h] = append(hosts[h], i)
		}
	}
	for h, idx := range hosts {
		if c := cores[h]; c > 0 {
			shareOut(t.Spans, idx, c, work)
		}
	}
	return work
}

// shareOut sets work for the spans idx of one host with c cores.
func shareOut(spans []trace.Span, idx []int, c int, work spanWork) {
	type edge struct {
		at time.Duration
		d  int
	}
	edges := make([]edge, 0, 2*len(idx))
	for _, i := range idx {
		if spans[i].End > spans[i].Start {
			edges = append(edges, edge{spans[i].Start, +1}, edge{spans[i].End, -1})
		}
	}
	sort.Slice(edges, func(a, b int) bool { return edges[a].at < edges[b].at })
	// times[k] and cum[k]: the integral of each thread's share of a core up to times[k].
	var times []time.Duration
	var cum []float64
	n, acc := 0, 0.0
	for k := 0; k < len(edges); {
		at := edges[k].at
		if len(times) > 0 {
			share := 1.0
			if n > c {
				share = float64(c) / float64(n)
			}
			acc += share * (at - times[len(times)-1]).Seconds()
		}
		for k < len(edges) && edges[k].at == at {
			n += edges[k].d
			k++
		}
		times = append(times, at)
		cum = append(cum, acc)
	}
	at := func(t time.Duration) float64 {
		k := sort.Search(len(times), func(k int) bool { return times[k] >= t })
		return cum[k] // every span's ends are edges
	}
	for _, i := range idx {
		if spans[i].End > spans[i].Start {
			work[i] = at(spans[i].End) - at(spans[i].Start)
		}
	}
}
