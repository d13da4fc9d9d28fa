package whatif

import (
	"fmt"
	"sort"
	"strconv"
	"time"

	"tunesim/scenarios"
	"tunesim/sparklog"
	"tunesim/trace"
)

// DefaultCVFolds is CrossValidator's numFolds when nothing says otherwise (Spark's default): a
// tuning in progress has not yet shown all its folds.
const DefaultCVFolds = 3

// Live is a tuning in progress as the log so far shows it: the fits done and running, and what
// its structure is known to be. A fit is done when the fit after it on the same thread began (or,
// tagged, when its jobs have ended and it has evaluated); the last fit of each thread is running.
type Live struct {
	// Kind is scenarios.CrossValidator or scenarios.TrainValidationSplit ("" not known yet).
	Kind string
	// Folds and ParamMaps are the tuning's shape; 0 when not known yet.
	Folds, ParamMaps int
	// Done are the finished fits in the order they ran, the refit last once it is done; Running
	// the fits begun and not finished (their End is 0).
	Done, Running []Fit
	// RefitDone says the tuning is over.
	RefitDone bool
	// Parallelism is the most fits the log shows running at once (1 for a serial run).
	Parallelism int
	// Notes say what was assumed.
	Notes []string
	// Complete is the tuning found in the whole log, once the application ended.
	Complete *Tuning
	app      *sparklog.App
	info     *sparklog.Info
}

// FindLive reads the tuning in progress from the application so far (sparklog.Follower.App);
// ended says the application has ended, and then the tuning is found as Find finds it.
func FindLive(app *sparklog.App, info *sparklog.Info, h Hints, ended bool) (*Live, error) {
	l := &Live{app: app, info: info, Parallelism: 1}
	if ended {
		t, err := Find(app, info, h)
		if err != nil {
			return nil, err
		}
		l.Complete, l.Kind, l.Folds, l.ParamMaps, l.RefitDone = t, t.Kind, t.Folds, t.ParamMaps, true
		l.Done = t.Fits
		return l, nil
	}
	var err error
	if tagged(app) {
		err = l.fromTags(h)
	} else {
		err = l.fromStructure(h)
	}
	if err != nil {
		return nil, err
	}
	l.Parallelism = max(l.Parallelism, mostAtOnce(append(append([]Fit(nil), l.Done...), l.Running...)))
	return l, nil
}

// fromStructure finds the fits of an untagged log so far by the roles of its jobs.
func (l *Live) fromStructure(h Hints) error {
	jobs := l.app.Jobs
	roles := make([]Role, len(jobs))
	first := -1
	for i, j := range jobs {
		roles[i] = RoleOf(j)
		if first < 0 && roles[i] == RoleEstimator {
			first = i
		}
	}
	if first < 0 {
		return nil // no fit yet
	}
	t := &Tuning{App: l.app, Info: l.info}
	groups := []group{{jobs: jobs[first:], roles: roles[first:]}}
	if err := t.checkSerial(jobs[first:], roles[first:]); err != nil {
		gs, _ := threadGroups(jobs[first:], roles[first:])
		if gs == nil {
			return err
		}
		groups = gs
	}
	var fits []Fit
	var running []int // per group, its last fit's index in fits
	for _, g := range groups {
		fs := splitFits(g.jobs, g.roles)
		for k := range fs {
			f := &fs[k]
			f.Start = f.Jobs[0].Submit
			if k > 0 {
				f.Start = lastEnd(fs[k-1].Jobs)
			}
			f.End = lastEnd(f.Jobs)
		}
		fits = append(fits, fs...)
		running = append(running, len(fits)-1)
	}
	isRunning := map[int]bool{}
	for _, i := range running {
		isRunning[i] = true
	}
	// The fits in order of start, each marked running or not.
	idx := make([]int, len(fits))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return fits[idx[a]].Jobs[0].Submit < fits[idx[b]].Jobs[0].Submit })
	ordered := make([]Fit, len(fits))
	run := make([]bool, len(fits))
	for k, i := range idx {
		ordered[k], run[k] = fits[i], isRunning[i]
	}
	l.shape(ordered, h)
	for k := range ordered {
		f := ordered[k]
		n := l.Folds * l.ParamMaps
		if n > 0 && k >= n {
			// The refit; what follows it is the user's work after the tuning.
			f.Refit, f.Fold, f.ParamMap = true, trace.None, 0
			if run[k] && k == len(ordered)-1 && !evaluated(&f) {
				f.End = 0
				l.Running = append(l.Running, f)
				return nil
			}
			l.Done, l.RefitDone = append(l.Done, f), true
			return nil
		}
		f.Fold, f.ParamMap = 0, k
		if l.ParamMaps > 0 {
			f.Fold, f.ParamMap = k/l.ParamMaps, k%l.ParamMaps
		}
		if run[k] {
			f.End = 0
			l.Running = append(l.Running, f)
		} else {
			l.Done = append(l.Done, f)
		}
	}
	return nil
}

// evaluated says a fit ran an evaluator's job.
func evaluated(f *Fit) bool {
	for _, r := range f.Roles {
		if r == RoleEvaluator {
			return true
		}
	}
	return false
}

// shape settles the tuner's kind, folds and param maps from the hints, the names of the splits,
// and where the fits so far change their persisted training split (a CrossValidator's next fold).
func (l *Live) shape(fits []Fit, h Hints) {
	t := &Tuning{App: l.app, Info: l.info, Fits: fits}
	kind, _ := t.kindFromNames()
	// A fold's split is persisted data read by more than one fit (a fit's own cache is read by it
	// alone) and not by every fit so far (the data the tuning started from).
	count := map[int]int{}
	sets := make([]map[int]bool, len(fits))
	for i := range fits {
		sets[i] = persisted(&fits[i])
		for id := range sets[i] {
			count[id]++
		}
	}
	key := func(i int) string {
		var ids []int
		for id := range sets[i] {
			if count[id] >= 2 && count[id] < len(fits) {
				ids = append(ids, id)
			}
		}
		sort.Ints(ids)
		return fmt.Sprint(ids)
	}
	firstRun := 0 // the fits of the first round, once a second began
	for i := 1; i < len(fits); i++ {
		if len(sets[i]) > 0 && len(sets[i-1]) > 0 && key(i) != key(i-1) {
			firstRun = i
			break
		}
	}
	if kind == "" && (h.Folds > 1 || firstRun > 0) {
		kind = scenarios.CrossValidator
	}
	l.Kind = kind
	switch {
	case h.Folds > 0:
		l.Folds = h.Folds
	case kind == scenarios.TrainValidationSplit:
		l.Folds = 1
	case kind == scenarios.CrossValidator:
		l.Folds = DefaultCVFolds
		l.Notes = append(l.Notes, fmt.Sprintf("numFolds taken as %d (Spark's default): pass --folds K", DefaultCVFolds))
	}
	switch {
	case h.ParamMaps > 0:
		l.ParamMaps = h.ParamMaps
	case firstRun > 0:
		l.ParamMaps = firstRun
	default:
		l.Notes = append(l.Notes, "the number of param maps is not known until the second fold begins (a TrainValidationSplit's until its refit): pass --param-maps N to predict the time left")
	}
}

// fromTags finds the fits so far by tunesim's job properties.
func (l *Live) fromTags(h Hints) error {
	byFit := map[int]*Fit{}
	var order []int
	var last time.Duration // the latest submission of a job
	for _, j := range l.app.Jobs {
		last = max(last, j.Submit)
		fi, ok := sparklog.TagOf(j.Props, sparklog.PropFit)
		if !ok {
			if _, has := j.Props[sparklog.PropFit]; has {
				return fmt.Errorf("job %d: %s = %q: allowed is a fit index", j.ID, sparklog.PropFit, j.Props[sparklog.PropFit])
			}
			continue
		}
		f, seen := byFit[fi]
		if !seen {
			f = &Fit{Fold: propInt(j, sparklog.PropFold, 0), ParamMap: propInt(j, sparklog.PropParamMap, 0), Start: j.Submit}
			byFit[fi] = f
			order = append(order, fi)
		}
		f.Jobs, f.Roles = append(f.Jobs, j), append(f.Roles, RoleOf(j))
	}
	sort.Ints(order)
	folds, maps := 0, 0
	for _, fi := range order {
		f := *byFit[fi]
		open := false
		for _, j := range f.Jobs {
			open = open || j.End == 0
		}
		end := lastEnd(f.Jobs)
		later := false // a job of another fit, or untagged, began after this fit's jobs ended
		for _, j := range l.app.Jobs {
			if v, _ := sparklog.TagOf(j.Props, sparklog.PropFit); (v != fi || j.Props[sparklog.PropFit] == "") && j.Submit >= end {
				later = true
				break
			}
		}
		if f.Fold < 0 {
			f.Refit, f.Fold = true, trace.None
		} else {
			folds, maps = max(folds, f.Fold+1), max(maps, f.ParamMap+1)
		}
		if !open && later && (f.Refit || evaluated(&f)) {
			f.End = end
			l.Done = append(l.Done, f)
			l.RefitDone = l.RefitDone || f.Refit
		} else {
			l.Running = append(l.Running, f)
		}
	}
	l.Folds, l.ParamMaps = folds, maps
	if h.Folds > 0 {
		l.Folds = h.Folds
	}
	if h.ParamMaps > 0 {
		l.ParamMaps = h.ParamMaps
	}
	t := &Tuning{App: l.app, Info: l.info, Fits: append(append([]Fit(nil), l.Done...), l.Running...)}
	if k, _ := t.kindFromNames(); k != "" {
		l.Kind = k
	} else if l.Folds > 1 {
		l.Kind = scenarios.CrossValidator
	}
	if h.Folds == 0 && h.ParamMaps == 0 && !l.RefitDone {
		l.Notes = append(l.Notes, "folds and param maps are the most the tagged fits so far name: pass --folds K and --param-maps N to be sure")
	}
	return nil
}

// mostAtOnce is the most fits whose jobs ran at once.
func mostAtOnce(fits []Fit) int {
	type edge struct {
		at time.Duration
		d  int
	}
	var es []edge
	for _, f := range fits {
		if len(f.Jobs) == 0 {
			continue
		}
		end := lastEnd(f.Jobs)
		if f.End == 0 || end < f.Jobs[0].Submit {
			end = time.Duration(1<<62 - 1)
		}
		es = append(es, edge{f.Jobs[0].Submit, 1}, edge{end, -1})
	}
	sort.Slice(es, func(a, b int) bool {
		if es[a].at != es[b].at {
			return es[a].at < es[b].at
		}
		return es[a].d < es[b].d
	})
	most, n := 0, 0
	for _, e := range es {
		n += e.d
		most = max(most, n)
	}
	return max(most, 1)
}

// Total is the number of fits of the whole tuning, the refit included (0 when not known yet).
func (l *Live) Total() int {
	if l.Folds == 0 || l.ParamMaps == 0 {
		return 0
	}
	return l.Folds*l.ParamMaps + 1
}

// label names a fit as the output shows it.
func label(f *Fit) string {
	if f.Refit {
		return "refit"
	}
	return "fold " + strconv.Itoa(f.Fold) + " param map " + strconv.Itoa(f.ParamMap)
}
