package sim

import "math"

// host is a machine whose physical cores its running threads (tasks, driver work, the
// DAGScheduler loop) share: with n threads on c cores each progresses at min(1, c/n) of full speed
// (processor sharing). Progress is kept as virtual work v, which advances at that rate, so a thread
// of work w started at virtual time v0 ends when v reaches v0 + w, however often n changes between.
type host struct {
	cores int
	v     float64 // virtual work done per thread since the start, in ns
	last  int64   // the real time v was last brought up to
	ver   uint64  // version of the pending completion event; older ones are stale
	// pending says a completion event of version ver is queued, at pendingAt.
	pending   bool
	pendingAt int64
	seq       uint64
	run       []hostThread // min-heap by (finish, seq)
	// queue, when set, replaces processor sharing: the host's threads queue for its cores
	// (costmodel.DisciplineGo; see runQueue).
	queue *runQueue
}

// hostThread is a running thread: its id in the simulator's thread table and when it finishes in
// virtual work.
type hostThread struct {
	finish float64
	seq    uint64
	id     int32
}

// rate is each thread's speed as a fraction of one core.
func (h *host) rate() float64 {
	if n := len(h.run); n > h.cores {
		return float64(h.cores) / float64(n)
	}
	return 1
}

// advance brings virtual time up to real time t.
func (h *host) advance(t int64) {
	if h.queue != nil {
		h.queue.advance(t)
		h.last = t
		return
	}
	if len(h.run) > 0 && t > h.last {
		h.v += float64(t-h.last) * h.rate()
	}
	h.last = t
}

// add starts thread id with work ns at time t (after advance(t)).
func (h *host) add(id int32, work int64) {
	if h.queue != nil {
		h.queue.add(id, work)
		return
	}
	h.seq++
	h.run = append(h.run, hostThread{finish: h.v + float64(work), seq: h.seq, id: id})
	i := len(h.run) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !h.less(i, p) {
			break
		}
		h.run[i], h.run[p] = h.run[p], h.run[i]
		i = p
	}
}

func (h *host) less(i, j int) bool {
	a, b := &h.run[i], &h.run[j]
	return a.finish < b.finish || (a.finish == b.finish && a.seq < b.seq)
}

// next is the real time the first running thread will finish, from now (h.last) at the current
// rate; ok is false when nothing runs.
func (h *host) next() (at int64, ok bool) {
	if h.queue != nil {
		return h.queue.next()
	}
	if len(h.run) == 0 {
		return 0, false
	}
	left := h.run[0].finish - h.v
	if left <= 0 {
		return h.last, true
	}
	return h.last + int64(math.Ceil(left/h.rate()-1e-9)), true
}

// popDone removes and returns a thread that has finished by now, if any.
func (h *host) popDone() (int32, bool) {
	if h.queue != nil {
		return h.queue.popDone()
	}
	if len(h.run) == 0 || h.run[0].finish > h.v+0.5 {
		return 0, false
	}
	id := h.run[0].id
	n := len(h.run) - 1
	h.run[0] = h.run[n]
	h.run = h.run[:n]
	i := 0
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		m := l
		if r := l + 1; r < n && h.less(r, l) {
			m = r
		}
		if !h.less(m, i) {
			break
		}
		h.run[i], h.run[m] = h.run[m], h.run[i]
		i = m
	}
	return id, true
}
