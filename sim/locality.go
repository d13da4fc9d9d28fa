package sim

import (
	"tunesim/tuning"
)

// Delay scheduling, as Spark 3.1+ does it on a cluster (TaskSetManager.getAllowedLocalityLevel,
// TaskSchedulerImpl.resourceOffers): a task that reads a cached block prefers the executor that
// stored it (PROCESS_LOCAL), as the block's location was when its stage was submitted. Its TaskSet
// declines a free slot elsewhere until spark.locality.wait has passed since the TaskSet's timer
// last started; then it takes a slot on the block's host (NODE_LOCAL), and after as long again any
// slot (ANY). Tasks without a preference (uncached data, a block not yet stored, a reduce stage)
// take any slot at once. The timer starts with the stage and starts again whenever an offer round
// launches one of its tasks at a preferred executor or host without it declining any free slot.
//
// Simplifications: only the tuner's cached splits have locations (a fit's own caches, which an
// estimator's later jobs read, are not tracked); a declined TaskSet is offered again exactly when
// its wait runs out (Spark notices at its next offer: a task's end or the 1 s revive timer); a
// round is every offer the simulator makes, one slot at a time to the first TaskSet in policy order.

// Locality levels, in Spark's order (NO_PREF launches are marked levelNoPref and reset nothing).
const (
	levelProcess int8 = iota
	levelNode
	levelAny
	levelNoPref
)

// locality is the simulator's delay scheduling state.
type locality struct {
	slotsPerExec int32
	execHost     []int32
	// execFree is each executor's free slots, ascending; nFree counts them all.
	execFree [][]int32
	nFree    int
	// block is, per split and partition, the executor that stored the cached block (-1: none).
	block [][]int32
	// excluded marks the fits whose TaskSet declined every free slot in this round.
	excluded []bool
	round    []int32
}

// localityState is one fit's current stage's delay scheduling.
type localityState struct {
	// The stage's partitions not launched yet, in order: those without a preference, and those
	// preferring each executor (indexed by executor; prefExecs lists the executors preferred),
	// fixed when the stage was submitted; nPref counts the latter.
	noPref    []int32
	byExec    [][]int32
	prefExecs []int32
	nPref     int
	waitStart int64
	level     int8
	// inRound, roundReject and roundLevel are the current round's: the TaskSet took part,
	// declined a free slot, and the lowest level it launched at (-1: none).
	inRound     bool
	roundReject bool
	roundLevel  int8
	// timerAt is when an offer event for its wait's end is queued (0: none).
	timerAt int64
}

func newLocality(p *tuning.Plan, executors, slotsPerExec int, execHost []int32) *locality {
	l := &locality{slotsPerExec: int32(slotsPerExec), execHost: execHost, excluded: make([]bool, len(p.Fits))}
	for e := 0; e < executors; e++ {
		free := make([]int32, slotsPerExec)
		for k := range free {
			free[k] = int32(e*slotsPerExec + k)
		}
		l.execFree = append(l.execFree, free)
		l.nFree += slotsPerExec
	}
	for _, sp := range p.Splits {
		b := make([]int32, len(sp.Rows))
		for i := range b {
			b[i] = -1
		}
		l.block = append(l.block, b)
	}
	return l
}

// free returns slot to its executor's free slots.
func (l *locality) free(slot int32) {
	e := slot / l.slotsPerExec
	fs := l.execFree[e]
	i := len(fs)
	for i > 0 && fs[i-1] > slot {
		i--
	}
	fs = append(fs, 0)
	copy(fs[i+1:], fs[i:])
	fs[i] = slot
	l.execFree[e] = fs
	l.nFree++
}

// take removes slot from the free slots.
func (l *locality) take(slot int32) {
	e := slot / l.slotsPerExec
	fs := l.execFree[e]
	for i, v := range fs {
		if v == slot {
			l.execFree[e] = append(fs[:i], fs[i+1:]...)
			l.nFree--
			return
		}
	}
}

// lowest is the lowest free slot (-1: none).
func (l *locality) lowest() int32 {
	for _, fs := range l.execFree {
		if len(fs) > 0 {
			return fs[0]
		}
	}
	return -1
}

// onHost is the lowest free slot on executor e's host (-1: none).
func (l *locality) onHost(e int32) int32 {
	h := l.execHost[e]
	for x, fs := range l.execFree {
		if l.execHost[x] == h && len(fs) > 0 {
			return fs[0]
		}
	}
	return -1
}

// ready starts delay scheduling for a stage of the fit: its tasks, the executor each prefers,
// and the timer.
func (s *sim) readyLocal(fi int32, st *tuning.Stage, split int) {
	ls := &s.fits[fi].loc
	if ls.byExec == nil {
		ls.byExec = make([][]int32, len(s.loc.execFree))
	}
	for _, e := range ls.prefExecs {
		ls.byExec[e] = ls.byExec[e][:0]
	}
	ls.noPref, ls.prefExecs, ls.nPref = ls.noPref[:0], ls.prefExecs[:0], 0
	cached := st.ReadsSplit && s.p.Splits[split].Cached
	for p := 0; p < st.Tasks; p++ {
		e := int32(-1)
		if cached {
			e = s.loc.block[split][p]
		}
		if e < 0 {
			ls.noPref = append(ls.noPref, int32(p))
			continue
		}
		if len(ls.byExec[e]) == 0 {
			ls.prefExecs = append(ls.prefExecs, e)
		}
		ls.byExec[e] = append(ls.byExec[e], int32(p))
		ls.nPref++
	}
	ls.waitStart, ls.level = s.now, levelProcess
}

// pending counts the stage's tasks not launched yet.
func (ls *localityState) pending() int { return len(ls.noPref) + ls.nPref }

// take removes the first pending task preferring executor e (-1: the first without a
// preference) and returns its partition.
func (ls *localityState) take(e int32) int32 {
	if e < 0 {
		p := ls.noPref[0]
		ls.noPref = ls.noPref[1:]
		return p
	}
	p := ls.byExec[e][0]
	ls.byExec[e] = ls.byExec[e][1:]
	ls.nPref--
	return p
}

// allowed is the most distant level the TaskSet may launch at now, moving its level on as the
// waits pass (getAllowedLocalityLevel): a level with no task preferring it is skipped at once.
func (ls *localityState) allowed(now, wait int64) int8 {
	hasPref := ls.nPref > 0
	for ls.level < levelAny {
		switch {
		case !hasPref:
			ls.waitStart = now
		case now-ls.waitStart >= wait:
			ls.waitStart += wait
		default:
			return ls.level
		}
		ls.level++
	}
	return ls.level
}

// place chooses a pending task of the fit's TaskSet and a free slot for it: the lowest task on
// an executor it prefers with a free slot, else the first without a preference on the lowest free
// slot, else, as far as the waits allow, the lowest on its block's host or anywhere. from is the
// executor the task prefers (-1: none); ok is false when the TaskSet declines every free slot.
func (s *sim) place(fi int32) (from, slot int32, level int8, ok bool) {
	l, ls := s.loc, &s.fits[fi].loc
	// lowestWhere is the executor whose first preferring task has the lowest partition among
	// those where slotOf finds a slot, and that slot.
	lowestWhere := func(slotOf func(e int32) int32) (int32, int32) {
		best, bestSlot := int32(-1), int32(-1)
		for _, e := range ls.prefExecs {
			if len(ls.byExec[e]) == 0 || (best >= 0 && ls.byExec[e][0] > ls.byExec[best][0]) {
				continue
			}
			if slot := slotOf(e); slot >= 0 {
				best, bestSlot = e, slot
			}
		}
		return best, bestSlot
	}
	free := func(e int32) int32 {
		if len(l.execFree[e]) > 0 {
			return l.execFree[e][0]
		}
		return -1
	}
	if e, slot := lowestWhere(free); e >= 0 {
		return e, slot, levelProcess, true
	}
	if len(ls.noPref) > 0 {
		return -1, l.lowest(), levelNoPref, true
	}
	allowed := ls.allowed(s.now, int64(s.cl.LocalityWait))
	if allowed >= levelNode {
		if e, slot := lowestWhere(l.onHost); e >= 0 {
			return e, slot, levelNode, true
		}
	}
	if allowed >= levelAny {
		lowest := l.lowest()
		e, _ := lowestWhere(func(int32) int32 { return lowest })
		return e, lowest, levelAny, true
	}
	return 0, 0, 0, false
}

// offerLocal gives free slots to TaskSets in the policy's order, one task at a time, each on a
// slot delay scheduling lets it take; a TaskSet that declines every free slot waits for its
// locality wait to run out (an offer is queued for then).
func (s *sim) offerLocal() {
	l := s.loc
	round := l.round[:0]
	for l.nFree > 0 {
		best := -1
		var bestTS tuning.TaskSet
		for i, fi := range s.active {
			if l.excluded[fi] {
				continue
			}
			if ts := s.taskSet(fi); best < 0 || s.policy.Before(ts, bestTS) {
				best, bestTS = i, ts
			}
		}
		if best < 0 {
			break
		}
		fi := s.active[best]
		ls := &s.fits[fi].loc
		if !ls.inRound {
			ls.inRound, ls.roundReject, ls.roundLevel = true, false, -1
			round = append(round, fi)
		}
		from, slot, level, ok := s.place(fi)
		if !ok {
			l.excluded[fi] = true
			ls.roundReject = true
			s.localityTimer(fi)
			continue
		}
		part := ls.take(from)
		if ls.pending() == 0 {
			s.active = append(s.active[:best], s.active[best+1:]...)
		}
		if level < levelAny && (ls.roundLevel < 0 || level < ls.roundLevel) {
			ls.roundLevel = level
		}
		l.take(slot)
		s.fits[fi].pending++
		s.launch(fi, part, slot)
	}
	for _, fi := range round {
		ls := &s.fits[fi].loc
		l.excluded[fi], ls.inRound = false, false
		if !ls.roundReject && ls.roundLevel >= 0 {
			ls.waitStart, ls.level = s.now, ls.roundLevel // resetDelayScheduleTimer
		}
	}
	l.round = round
}

// localityTimer queues an offer for when the fit's TaskSet's current locality wait runs out.
func (s *sim) localityTimer(fi int32) {
	ls := &s.fits[fi].loc
	if ls.level >= levelAny {
		return
	}
	at := ls.waitStart + int64(s.cl.LocalityWait)
	if at <= s.now || ls.timerAt == at {
		return
	}
	ls.timerAt = at
	s.events.push(event{at: at, kind: evOffer, host: fi})
}
