package sim

import (
	"math"

	"tunesim/cpushare"
)

// host is a machine whose physical cores its running threads (tasks, driver work, the
// DAGScheduler loop) share: with n threads on c cores each progresses at min(1, c/n) of full speed
// (processor sharing). Progress is kept as virtual work v, which advances at that rate, so a thread
// of work w started at virtual time v0 ends when v reaches v0 + w, however often n changes between.
//
// A host whose OS shares its cores among processes first (a scenario host's cpu_share
// "processes": Linux's autogroup with a session per JVM, or a container per JVM of equal CPU
// weight) has a pool of threads per process — the driver's JVM, each executor's — and divides its
// cores equally among the pools that have threads running, none getting more than a core per
// thread (what one cannot use goes to the others), then each pool's share among its threads
// alike (cpushare.Rates, the rule calibration undoes too). Each pool keeps its own virtual work.
type host struct {
	cores int
	pools []pool // one, or one per process on a host that shares among processes
	last  int64  // the real time the pools' v were last brought up to
	ver   uint64 // version of the pending completion event; older ones are stale
	// pending says a completion event of version ver is queued, at pendingAt.
	pending   bool
	pendingAt int64
	seq       uint64
	// stale says a thread came or went since the pools' rates were computed.
	stale bool
	// threads, rate and order are scratch for cpushare.Rates: each pool's threads and rate, the
	// pools with threads by thread count.
	threads []int
	rate    []float64
	order   []int
	// queue, when set, replaces processor sharing: the host's threads queue for its cores
	// (costmodel.DisciplineGo; see runQueue).
	queue *runQueue
}

// pool is the running threads of one process (or of the whole host): their virtual work done
// per thread, their speed as a fraction of one core, and the threads.
type pool struct {
	v    float64
	rate float64
	run  []hostThread // min-heap by (finish, seq)
}

// hostThread is a running thread: its id in the simulator's thread table and when it finishes in
// virtual work.
type hostThread struct {
	finish float64
	seq    uint64
	id     int32
}

// newHost is a host of cores CPUs with pools process pools (1: its threads share alike).
func newHost(cores, pools int) host {
	n := max(pools, 1)
	return host{cores: cores, pools: make([]pool, n), threads: make([]int, n), rate: make([]float64, n)}
}

// rates brings each pool's rate up to date with its threads.
func (h *host) rates() {
	if !h.stale {
		return
	}
	h.stale = false
	for i := range h.pools {
		h.threads[i] = len(h.pools[i].run)
	}
	h.order = cpushare.Rates(h.cores, h.threads, h.rate, h.order)
	for i := range h.pools {
		h.pools[i].rate = h.rate[i]
	}
}

// advance brings virtual time up to real time t.
func (h *host) advance(t int64) {
	if h.queue != nil {
		h.queue.advance(t)
		h.last = t
		return
	}
	if t > h.last {
		h.rates()
		for i := range h.pools {
			if p := &h.pools[i]; len(p.run) > 0 {
				p.v += float64(t-h.last) * p.rate
			}
		}
	}
	h.last = t
}

// add starts thread id with work ns at time t (after advance(t)) in pool g (ignored on a host of
// one pool).
func (h *host) add(id int32, work int64, g int32) {
	if h.queue != nil {
		h.queue.add(id, work)
		return
	}
	if len(h.pools) == 1 {
		g = 0
	}
	p := &h.pools[g]
	h.seq++
	p.push(hostThread{finish: p.v + float64(work), seq: h.seq, id: id})
	h.stale = true
}

// next is the real time the first running thread will finish, from now (h.last) at the current
// rates; ok is false when nothing runs.
func (h *host) next() (at int64, ok bool) {
	if h.queue != nil {
		return h.queue.next()
	}
	h.rates()
	for i := range h.pools {
		p := &h.pools[i]
		if len(p.run) == 0 {
			continue
		}
		t := h.last
		if left := p.run[0].finish - p.v; left > 0 {
			t = h.last + int64(math.Ceil(left/p.rate-1e-9))
		}
		if !ok || t < at {
			at, ok = t, true
		}
	}
	return at, ok
}

// popDone removes and returns a thread that has finished by now, if any.
func (h *host) popDone() (int32, bool) {
	if h.queue != nil {
		return h.queue.popDone()
	}
	for i := range h.pools {
		if p := &h.pools[i]; len(p.run) > 0 && p.run[0].finish <= p.v+0.5 {
			h.stale = true
			return p.pop(), true
		}
	}
	return 0, false
}

func (p *pool) less(i, j int) bool {
	a, b := &p.run[i], &p.run[j]
	return a.finish < b.finish || (a.finish == b.finish && a.seq < b.seq)
}

func (p *pool) push(t hostThread) {
	p.run = append(p.run, t)
	i := len(p.run) - 1
	for i > 0 {
		q := (i - 1) / 2
		if !p.less(i, q) {
			break
		}
		p.run[i], p.run[q] = p.run[q], p.run[i]
		i = q
	}
}

// pop removes the first thread to finish and returns its id.
func (p *pool) pop() int32 {
	id := p.run[0].id
	n := len(p.run) - 1
	p.run[0] = p.run[n]
	p.run = p.run[:n]
	i := 0
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		m := l
		if r := l + 1; r < n && p.less(r, l) {
			m = r
		}
		if !p.less(m, i) {
			break
		}
		p.run[i], p.run[m] = p.run[m], p.run[i]
		i = m
	}
	return id
}

// left is the virtual work running thread id has still to do on h (0 when it runs no longer),
// h brought up to date first.
func (h *host) left(id int32) float64 {
	for i := range h.pools {
		p := &h.pools[i]
		for _, t := range p.run {
			if t.id == id {
				return max(t.finish-p.v, 0)
			}
		}
	}
	return 0
}
