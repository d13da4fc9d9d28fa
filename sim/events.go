package sim

// eventKind says what an event does when it fires.
type eventKind uint8

const (
	evHostDone eventKind = iota // a host's next thread completion (stale unless its version matches)
	evOffer                     // a TaskSet's locality wait ran out: offer free slots again (host is the fit)
)

// event is one entry of the event queue. Events at the same time fire in the order they were
// scheduled (seq), so a run is deterministic.
type event struct {
	at   int64
	seq  uint64
	kind eventKind
	// host is the host of an evHostDone, the fit of an evOffer.
	host int32
	ver  uint64
}

// eventQueue is a binary min-heap of events ordered by (at, seq), written out by hand so that the
// loop allocates nothing per event and needs no interface calls.
type eventQueue struct {
	h   []event
	seq uint64
}

func (q *eventQueue) len() int { return len(q.h) }

func (q *eventQueue) less(i, j int) bool {
	a, b := &q.h[i], &q.h[j]
	return a.at < b.at || (a.at == b.at && a.seq < b.seq)
}

// push schedules e, stamping its sequence number.
func (q *eventQueue) push(e event) {
	q.seq++
	e.seq = q.seq
	q.h = append(q.h, e)
	i := len(q.h) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !q.less(i, p) {
			break
		}
		q.h[i], q.h[p] = q.h[p], q.h[i]
		i = p
	}
}

// pop removes and returns the earliest event.
func (q *eventQueue) pop() event {
	top := q.h[0]
	n := len(q.h) - 1
	q.h[0] = q.h[n]
	q.h = q.h[:n]
	i := 0
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		m := l
		if r := l + 1; r < n && q.less(r, l) {
			m = r
		}
		if !q.less(m, i) {
			break
		}
		q.h[i], q.h[m] = q.h[m], q.h[i]
		i = m
	}
	return top
}
