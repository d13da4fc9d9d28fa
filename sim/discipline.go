package sim

import "tunesim/costmodel"

// runQueue is a host whose threads do not share its cores but queue for them, as Go's runtime
// scheduler runs goroutines on GOMAXPROCS threads (costmodel.DisciplineGo): at most cores threads
// run, each at a full core; a core freed at some instant goes first to a thread that becomes
// runnable at that same instant (the goroutine the finishing one woke: Go's runnext), and
// otherwise, from the next instant on, to the waiting threads — those that have not run yet
// before those preempted, each in FIFO order. A running thread that has used a quantum while
// others wait goes to the back of the preempted queue. With a quantum longer than every thread,
// threads run to completion in waves of cores; as the quantum shrinks the discipline tends to
// processor sharing.
//
// Work is integer nanoseconds at one ns per ns, so a thread's end is exact.
type runQueue struct {
	cores   int
	quantum int64
	last    int64 // the time the running threads' progress was last brought up to
	running []queuedThread
	// fresh are threads that have not run yet, preempted those that have; both FIFO.
	fresh, preempted threadFIFO
	// done[doneHead:] are threads that have finished, for popDone, in the order they finished.
	done     []int32
	doneHead int
	// claimable is how many cores freed at last no thread has taken yet: a thread started at
	// last takes one (Go's runnext) before the queues do.
	claimable int
	// onRun, when set, is told when a thread that waited for a core first gets one.
	onRun func(id int32, at int64)
}

// queuedThread is a thread of a runQueue: its id in the simulator's thread table, its work left,
// and how long it has run since it last took a core.
type queuedThread struct {
	id    int32
	left  int64
	slice int64
}

// threadFIFO is a queue of threads.
type threadFIFO struct {
	q    []queuedThread
	head int
}

func (f *threadFIFO) len() int { return len(f.q) - f.head }

func (f *threadFIFO) push(t queuedThread) { f.q = append(f.q, t) }

func (f *threadFIFO) pop() queuedThread {
	t := f.q[f.head]
	f.head++
	if f.head > 64 && f.head*2 > len(f.q) {
		f.q = append(f.q[:0], f.q[f.head:]...)
		f.head = 0
	}
	return t
}

// newRunQueue is the runQueue of a host of cores under discipline d, or nil when d is processor
// sharing (the host then shares its cores).
func newRunQueue(cores int, d costmodel.HostScheduling) *runQueue {
	if !d.Queued() {
		return nil
	}
	return &runQueue{cores: cores, quantum: max(int64(d.Quantum()), 1)}
}

func (q *runQueue) waiting() int { return q.fresh.len() + q.preempted.len() }

// advance brings the threads' progress up to time t. Cores left free at the last instant go to
// the waiting threads first, as of that instant; then threads that have finished by t leave
// their cores (free for threads started at t), and threads that have used their quantum while
// others wait go to the back of the queue.
func (q *runQueue) advance(t int64) {
	if t > q.last {
		q.fill()
		q.claimable = 0
		dt := t - q.last
		for i := range q.running {
			q.running[i].left -= dt
			q.running[i].slice += dt
		}
		q.last = t
	}
	kept := q.running[:0]
	for _, th := range q.running {
		if th.left <= 0 {
			q.done = append(q.done, th.id)
			q.claimable++
			continue
		}
		kept = append(kept, th)
	}
	q.running = kept
	if q.waiting() == 0 {
		for i := range q.running {
			q.running[i].slice %= q.quantum // Go preempts anyway; nobody waits, so it goes on
		}
		return
	}
	kept = q.running[:0]
	for _, th := range q.running {
		if th.slice >= q.quantum {
			th.slice = 0
			q.preempted.push(th)
			q.claimable++
			continue
		}
		kept = append(kept, th)
	}
	q.running = kept
}

// fill gives free cores to waiting threads: those that have not run yet first.
func (q *runQueue) fill() {
	for len(q.running) < q.cores && q.waiting() > 0 {
		if q.fresh.len() > 0 {
			th := q.fresh.pop()
			q.running = append(q.running, th)
			if q.onRun != nil {
				q.onRun(th.id, q.last)
			}
		} else {
			q.running = append(q.running, q.preempted.pop())
		}
	}
}

// add starts thread id with work ns at the current time (after advance): on a core freed at this
// instant or otherwise free, else at the back of the threads that have not run yet.
func (q *runQueue) add(id int32, work int64) {
	th := queuedThread{id: id, left: work}
	if len(q.running) < q.cores && (q.claimable > 0 || q.waiting() == 0) {
		q.running = append(q.running, th)
		q.claimable = max(q.claimable-1, 0)
		return
	}
	q.fresh.push(th)
}

// next is the time of the host's next change: a thread finishing, a quantum running out while
// others wait, or waiting threads taking cores left free at this instant (one ns later, after
// every thread started at this instant has had its chance); ok is false when nothing runs or
// waits.
func (q *runQueue) next() (at int64, ok bool) {
	if q.doneHead < len(q.done) {
		return q.last, true
	}
	if q.waiting() > 0 && len(q.running) < q.cores {
		return q.last + 1, true
	}
	if len(q.running) == 0 {
		return 0, false
	}
	at = q.last + q.running[0].left
	for _, th := range q.running {
		at = min(at, q.last+th.left)
		if q.waiting() > 0 {
			at = min(at, q.last+q.quantum-th.slice)
		}
	}
	return max(at, q.last), true
}

// popDone removes and returns a thread that has finished, if any.
func (q *runQueue) popDone() (int32, bool) {
	if q.doneHead == len(q.done) {
		return 0, false
	}
	id := q.done[q.doneHead]
	q.doneHead++
	if q.doneHead == len(q.done) {
		q.done, q.doneHead = q.done[:0], 0
	}
	return id, true
}

// hostScheduling is the model's host scheduling discipline: processor sharing unless it says.
func hostScheduling(m costmodel.Model) costmodel.HostScheduling {
	if d, ok := m.(costmodel.Disciplined); ok {
		return d.HostScheduling()
	}
	return costmodel.HostScheduling{Discipline: costmodel.DisciplineSharing}
}

// firstRun moves the start of a thread that waited for a core to when it got one, as a real run's
// goroutine stamps its span's start once it runs; a task's span then starts there too, unless it
// had started earlier (it waited for a cached block, or for the driver to launch it).
func (s *sim) firstRun(id int32, at int64) {
	th := &s.threads[id]
	if th.kind == thTask && th.launched == th.start {
		th.launched = at
	}
	th.start = at
}
