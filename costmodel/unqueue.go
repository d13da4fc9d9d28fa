package costmodel

import (
	"sort"
	"time"

	"tunesim/trace"
)

// queueOut sets work for the spans idx of one host with c cores whose threads queued for them
// under DisciplineGo with quantum q, where bgWork seconds of background work join the backlog of
// each background thread at each of bgStarts. It replays the discipline over the spans' measured
// starts and ends: a span starts when its thread first got a core (as a real run stamps it, and a
// simulation under the discipline does), so a start takes a core freed at that instant, or else
// the core of the running thread that has run longest since it last got one (its quantum ran
// out); a thread that has used its quantum while others wait goes to the back of the queue; freed
// cores go to waiting background threads, then to the queue in order. A span's work is the time
// its thread held a core. On a trace the discipline made (a simulation's) this is exact; on a
// real run's it is the discipline's account of who ran when, and a thread that ended while the
// replay had it waiting keeps what it had run.
func queueOut(spans []trace.Span, idx []int, c int, bgStarts []time.Duration, bg background, q time.Duration, work spanWork) {
	type edge struct {
		at   time.Duration
		kind int // 0 end, 1 background arrival, 2 start: the order of edges at one instant
		i    int
	}
	var edges []edge
	for _, i := range idx {
		if spans[i].End > spans[i].Start {
			edges = append(edges, edge{spans[i].Start, 2, i}, edge{spans[i].End, 0, i})
		}
	}
	k := max(bg.threads, 1)
	bgWork := time.Duration(bg.perJob / float64(k) * 1e9)
	if bgWork > 0 {
		for _, at := range bgStarts {
			edges = append(edges, edge{at, 1, -1})
		}
	}
	sort.SliceStable(edges, func(a, b int) bool {
		if edges[a].at != edges[b].at {
			return edges[a].at < edges[b].at
		}
		return edges[a].kind < edges[b].kind
	})
	r := replay{cores: c, quantum: q, ran: map[int]time.Duration{}, backlog: make([]time.Duration, k), bgActive: make([]bool, k)}
	for e := 0; e < len(edges); {
		r.advanceTo(edges[e].at)
		now := edges[e].at
		starts := 0
		for f := e; f < len(edges) && edges[f].at == now; f++ {
			if edges[f].kind == 2 {
				starts++
			}
		}
		for ; e < len(edges) && edges[e].at == now; e++ {
			switch ed := edges[e]; ed.kind {
			case 0:
				r.remove(ed.i)
			case 1:
				r.arrive(bgWork)
			case 2:
				if starts > 0 {
					r.expire(starts) // before the instant's first start: who gave up a core
					starts = 0
				}
				r.start(ed.i)
			}
		}
		r.expire(0)
		r.fill()
	}
	for _, i := range idx {
		if spans[i].End > spans[i].Start {
			work[i] = r.ran[i].Seconds()
		}
	}
}

// replayThread is a thread of the replay: a span's (span >= 0) or background thread bg's, with
// the background work it has left.
type replayThread struct {
	span, bg    int
	slice, left time.Duration
}

// replay is the state of queueOut's replay of DisciplineGo on one host.
type replay struct {
	cores   int
	quantum time.Duration
	now     time.Duration
	running []replayThread
	// waiting are threads that have run and wait for a core again; bgWaiting background threads
	// that wait for their first core, which they take first.
	waiting, bgWaiting []replayThread
	ran                map[int]time.Duration // per span, the time it held a core
	backlog            []time.Duration       // per background thread, work not yet started
	bgActive           []bool                // per background thread, running or waiting
}

func (r *replay) queued() int { return len(r.waiting) + len(r.bgWaiting) }

// advanceTo runs the threads up to time t, handling the background threads' ends and the quanta
// that run out on the way; cores freed at t itself are left for the caller to give out.
func (r *replay) advanceTo(t time.Duration) {
	for r.now < t {
		step := t - r.now
		for _, th := range r.running {
			if th.span < 0 {
				step = min(step, th.left)
			}
			if r.queued() > 0 {
				step = min(step, r.quantum-th.slice%r.quantum)
			}
		}
		for i := range r.running {
			th := &r.running[i]
			th.slice += step
			if th.span >= 0 {
				r.ran[th.span] += step
			} else {
				th.left -= step
			}
		}
		r.now += step
		kept := r.running[:0]
		for _, th := range r.running {
			if th.span < 0 && th.left <= 0 {
				r.bgActive[th.bg] = false
				r.startBackground(th.bg)
				continue
			}
			kept = append(kept, th)
		}
		r.running = kept
		r.expire(0)
		if r.now < t {
			r.fill() // at t itself, threads that start then take freed cores first
		}
	}
}

// expire sends to the back of the queue every running thread whose quantum runs out now (it has
// run a whole number of quanta since it got its core) while others wait, or while starts more
// threads than there are free cores start now.
func (r *replay) expire(starts int) {
	if r.queued()+max(starts-(r.cores-len(r.running)), 0) == 0 {
		return
	}
	kept := r.running[:0]
	for _, th := range r.running {
		if th.slice > 0 && th.slice%r.quantum == 0 {
			th.slice = 0
			r.waiting = append(r.waiting, th)
			continue
		}
		kept = append(kept, th)
	}
	r.running = kept
}

// start gives span i's thread a core: a free one, else the one of the thread that has run
// longest since it got it, which goes to the back of the queue.
func (r *replay) start(i int) {
	if len(r.running) >= r.cores {
		longest := 0
		for j, th := range r.running {
			if th.slice > r.running[longest].slice {
				longest = j
			}
		}
		th := r.running[longest]
		th.slice = 0
		r.waiting = append(r.waiting, th)
		r.running = append(r.running[:longest], r.running[longest+1:]...)
	}
	r.running = append(r.running, replayThread{span: i, bg: -1})
}

// remove ends span i's thread, running or (on a real trace) still waiting.
func (r *replay) remove(i int) {
	for _, q := range []*[]replayThread{&r.running, &r.waiting} {
		for j, th := range *q {
			if th.span == i {
				*q = append((*q)[:j], (*q)[j+1:]...)
				return
			}
		}
	}
}

// arrive adds a job's background work to every background thread's backlog.
func (r *replay) arrive(each time.Duration) {
	for b := range r.backlog {
		r.backlog[b] += each
		r.startBackground(b)
	}
}

// startBackground queues background thread b with its backlog unless it is active.
func (r *replay) startBackground(b int) {
	if r.bgActive[b] || r.backlog[b] <= 0 {
		return
	}
	r.bgActive[b] = true
	r.bgWaiting = append(r.bgWaiting, replayThread{span: -1, bg: b, left: r.backlog[b]})
	r.backlog[b] = 0
}

// fill gives free cores to waiting background threads, then to the queue in order.
func (r *replay) fill() {
	for len(r.running) < r.cores && r.queued() > 0 {
		if len(r.bgWaiting) > 0 {
			r.running = append(r.running, r.bgWaiting[0])
			r.bgWaiting = r.bgWaiting[1:]
			continue
		}
		r.running = append(r.running, r.waiting[0])
		r.waiting = r.waiting[1:]
	}
}
