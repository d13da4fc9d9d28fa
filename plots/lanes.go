package plots

import (
	"fmt"
	"math"
	"sort"
	"time"

	"tunesim/trace"
)

// bar is one span as the timeline draws it: seconds since the run's start, its param map, and
// how the attempt ended (see barColor).
type bar struct {
	start, end  float64
	paramMap    int
	fit         int
	outcome     trace.Outcome
	speculative bool
}

// lane is one row of the timeline: a tuner thread or an executor slot. absent are the times
// (seconds since the run's start) an executor slot's executor was not there: before it was
// added, after it was removed.
type lane struct {
	executor, slot int
	label          string
	absent         [][2]float64
}

// mark is a time the timeline labels with a vertical line (a fold boundary or the refit).
type mark struct {
	at    float64
	label string
	line  bool
}

// timeline is what the picture of a trace shows, worked out from its spans and nothing else.
type timeline struct {
	t        *trace.Trace
	metrics  trace.Metrics
	origin   time.Duration
	duration float64 // seconds shown
	// threads are the tuner threads; fits and drivers hold their bars, one slice per thread.
	threads       []lane
	fits, drivers [][]bar
	// slots are the executor slots; tasks holds their bars, one slice per slot.
	slots []lane
	tasks [][]bar
	// paramMaps are the param maps the spans use, ascending.
	paramMaps []int
	// refit is the refit's fit index (-1 when the trace has none) and refitMap its param map.
	refit, refitMap int
	marks           []mark
	nTasks          int
	// outcomes counts the task bars of each outcome that did not count, and speculative the
	// speculative ones; absent says some executor came or went during the run. The legend
	// explains each only when the picture has it.
	outcomes    map[trace.Outcome]int
	speculative int
	absent      bool
}

// newTimeline sorts a trace's spans into lanes.
func newTimeline(t *trace.Trace) (*timeline, error) {
	if len(t.Spans) == 0 {
		return nil, fmt.Errorf("the trace has no spans to draw")
	}
	tl := &timeline{t: t, metrics: t.Metrics(), refit: trace.None, refitMap: trace.None, outcomes: map[trace.Outcome]int{}}
	tl.origin = time.Duration(math.MaxInt64)
	for _, s := range t.Spans {
		tl.origin = min(tl.origin, s.Start)
	}
	tl.duration = tl.metrics.Makespan.Seconds()
	tl.findRefit()
	tl.placeSlots()
	tl.placeThreads()
	tl.findFolds()
	used := map[int]bool{}
	for _, s := range t.Spans {
		if (s.Kind == trace.KindTask || s.Kind == trace.KindFit || s.Kind == trace.KindDriver) && s.ParamMap >= 0 {
			used[s.ParamMap] = true
		}
	}
	for pm := range used {
		tl.paramMaps = append(tl.paramMaps, pm)
	}
	sort.Ints(tl.paramMaps)
	return tl, nil
}

func (tl *timeline) bar(s trace.Span) bar {
	return bar{start: (s.Start - tl.origin).Seconds(), end: (s.End - tl.origin).Seconds(), paramMap: s.ParamMap, fit: s.Fit,
		outcome: s.Outcome, speculative: s.Speculative}
}

// findRefit finds the final refit: a fit span named "refit", or the last fit outside every fold.
func (tl *timeline) findRefit() {
	last := tl.t.Fits - 1
	for _, s := range tl.t.Spans {
		if s.Kind == trace.KindFit && s.Name == "refit" {
			last = s.Fit
			break
		}
	}
	if last < 0 {
		return
	}
	start := time.Duration(math.MaxInt64)
	for _, s := range tl.t.Spans {
		isRefit := (s.Fit == last && s.Fold == trace.None) || (s.Kind == trace.KindFit && s.Name == "refit")
		if !isRefit || (s.Kind != trace.KindFit && s.Kind != trace.KindTask && s.Kind != trace.KindDriver) {
			continue
		}
		tl.refit, tl.refitMap = last, s.ParamMap
		start = min(start, s.Start)
	}
	if tl.refit != trace.None {
		tl.marks = append(tl.marks, mark{at: (start - tl.origin).Seconds(), label: "refit", line: true})
	}
}

// placeSlots makes one lane per executor slot (declared or used) and puts each task on its lane.
func (tl *timeline) placeSlots() {
	type key struct{ e, s int }
	seen := map[key]bool{}
	var keys []key
	add := func(k key) {
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	for _, e := range tl.t.Executors {
		for s := 0; s < e.Slots; s++ {
			add(key{e.ID, s})
		}
	}
	for _, s := range tl.t.Spans {
		if s.Kind == trace.KindTask {
			add(key{s.Executor, s.Slot})
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].e != keys[j].e {
			return keys[i].e < keys[j].e
		}
		return keys[i].s < keys[j].s
	})
	executors := map[int]bool{}
	for _, k := range keys {
		executors[k.e] = true
	}
	absent := tl.absences()
	index := map[key]int{}
	for i, k := range keys {
		index[k] = i
		l := lane{executor: k.e, slot: k.s, label: fmt.Sprintf("slot %d", k.s), absent: absent[k.e]}
		if len(executors) > 1 {
			l.label = fmt.Sprintf("exec %d slot %d", k.e, k.s)
		}
		tl.slots = append(tl.slots, l)
	}
	tl.tasks = make([][]bar, len(keys))
	for _, s := range tl.t.Spans {
		if s.Kind == trace.KindTask {
			i := index[key{s.Executor, s.Slot}]
			if s.End > s.Start {
				tl.tasks[i] = append(tl.tasks[i], tl.bar(s))
				if !s.Counted() {
					tl.outcomes[s.Outcome]++
				}
				if s.Speculative {
					tl.speculative++
				}
			}
			tl.nTasks++
		}
	}
	for _, bs := range tl.tasks {
		sortBars(bs)
	}
}

// absences are, per executor that came or went during the run, the times it was not there.
func (tl *timeline) absences() map[int][][2]float64 {
	out := map[int][][2]float64{}
	for _, e := range tl.t.Executors {
		var gaps [][2]float64
		if a := (e.Added - tl.origin).Seconds(); e.Added > 0 && a > 0 {
			gaps = append(gaps, [2]float64{0, math.Min(a, tl.duration)})
		}
		if r := (e.Removed - tl.origin).Seconds(); e.Removed > 0 && r < tl.duration {
			gaps = append(gaps, [2]float64{math.Max(r, 0), tl.duration})
		}
		if len(gaps) > 0 {
			out[e.ID] = gaps
			tl.absent = true
		}
	}
	return out
}

// placeThreads puts each fit and driver span on a tuner thread: its Slot when the trace sets it,
// otherwise the thread its fit ran on, where fits without a thread are packed onto the fewest
// threads (each fit on the lowest thread free when it starts).
func (tl *timeline) placeThreads() {
	var fits, drivers []trace.Span
	for _, s := range tl.t.Spans {
		switch s.Kind {
		case trace.KindFit:
			fits = append(fits, s)
		case trace.KindDriver:
			drivers = append(drivers, s)
		}
	}
	// Threads the trace names get a lane each, in order; packed threads come after them.
	laneOf := map[int]int{}
	var named []int
	for _, s := range append(fits, drivers...) {
		if _, ok := laneOf[s.Slot]; !ok && s.Slot >= 0 {
			laneOf[s.Slot] = 0
			named = append(named, s.Slot)
		}
	}
	sort.Ints(named)
	for i, th := range named {
		laneOf[th] = i
	}
	n := len(named)
	fitThread := map[int]int{}
	var free []time.Duration // per packed thread, when it becomes free
	pack := func(ss []trace.Span) []int {
		order := make([]int, len(ss))
		for i := range order {
			order[i] = i
		}
		sort.SliceStable(order, func(a, b int) bool { return ss[order[a]].Start < ss[order[b]].Start })
		lanes := make([]int, len(ss))
		for _, i := range order {
			s := ss[i]
			if s.Slot >= 0 {
				lanes[i] = laneOf[s.Slot]
				continue
			}
			if th, ok := fitThread[s.Fit]; ok && s.Kind == trace.KindDriver && s.Fit != trace.None {
				lanes[i] = th
				continue
			}
			k := 0
			for k < len(free) && free[k] > s.Start {
				k++
			}
			if k == len(free) {
				free = append(free, 0)
			}
			free[k] = s.End
			lanes[i] = n + k
		}
		return lanes
	}
	fitLanes := pack(fits)
	for i, s := range fits {
		if s.Fit != trace.None {
			fitThread[s.Fit] = fitLanes[i]
		}
	}
	free = nil
	base := n
	for _, l := range fitLanes {
		base = max(base, l+1)
	}
	n = base
	driverLanes := pack(drivers)
	for _, l := range driverLanes {
		n = max(n, l+1)
	}
	tl.fits, tl.drivers = make([][]bar, n), make([][]bar, n)
	next := 0
	if len(named) > 0 {
		next = named[len(named)-1] + 1
	}
	for i := 0; i < n; i++ {
		th := next + i - len(named)
		if i < len(named) {
			th = named[i]
		}
		tl.threads = append(tl.threads, lane{executor: trace.None, slot: th, label: fmt.Sprintf("thread %d", th)})
	}
	// Spans of no length are placed (they may name a thread) but not drawn.
	for i, s := range fits {
		if s.End > s.Start {
			tl.fits[fitLanes[i]] = append(tl.fits[fitLanes[i]], tl.bar(s))
		}
	}
	for i, s := range drivers {
		if s.End > s.Start {
			tl.drivers[driverLanes[i]] = append(tl.drivers[driverLanes[i]], tl.bar(s))
		}
	}
	for i := range tl.threads {
		sortBars(tl.fits[i])
		sortBars(tl.drivers[i])
	}
}

// findFolds marks where each CrossValidator fold starts, when the trace has more than one.
func (tl *timeline) findFolds() {
	first := map[int]time.Duration{}
	for _, s := range tl.t.Spans {
		if s.Fold < 0 || (s.Kind != trace.KindFit && s.Kind != trace.KindTask && s.Kind != trace.KindDriver) {
			continue
		}
		if at, ok := first[s.Fold]; !ok || s.Start < at {
			first[s.Fold] = s.Start
		}
	}
	if len(first) < 2 {
		return
	}
	var folds []int
	for f := range first {
		folds = append(folds, f)
	}
	sort.Ints(folds)
	for i, f := range folds {
		tl.marks = append(tl.marks, mark{at: (first[f] - tl.origin).Seconds(), label: fmt.Sprintf("fold %d/%d", i+1, len(folds)), line: i > 0})
	}
}

func sortBars(bs []bar) {
	sort.Slice(bs, func(i, j int) bool { return bs[i].start < bs[j].start })
}
