package whatif

import (
	"fmt"
	"sort"
	"time"

	"tunesim/scenarios"
	"tunesim/sparklog"
	"tunesim/trace"
)

// DefaultCVFolds is CrossValidator's numFolds when nothing says otherwise (Spark's default): a
// tuning in progress has not yet shown all its folds.
const DefaultCVFolds = 3

// Live is a tuning in progress as the log so far shows it: the fits done and running, and what
// its structure is known to be. A fit is done when it has evaluated and its jobs have ended (in
// a serial run, once another job began after them: the next fit's first).
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
	parallel := len(groups) > 1
	for _, g := range groups {
		fs := splitFits(g.jobs, g.roles)
		for k := range fs {
			f := &fs[k]
			f.Start = f.Jobs[0].Submit
			if k > 0 && !parallel {
				f.Start = lastEnd(fs[k-1].Jobs)
			}
			f.End = lastEnd(f.Jobs)
		}
		fits = append(fits, fs...)
	}
	if parallel {
		setups(fits, jobs)
	}
	firstSetup(fits, jobs[:first], l.app.Start)
	ordered := fits
	sort.SliceStable(ordered, func(a, b int) bool { return ordered[a].Jobs[0].Submit < ordered[b].Jobs[0].Submit })
	run := make([]bool, len(ordered))
	for k := range ordered {
		run[k] = !finished(&ordered[k], l.app.Jobs, !parallel)
	}
	assumed := l.shape(ordered, h)
	if assumed && l.ParamMaps > 0 {
		for len(ordered) > l.Folds*l.ParamMaps+1 {
			l.Folds++ // more fits than the folds taken allow: more folds
		}
	}
	for k := range ordered {
		f := ordered[k]
		n := l.Folds * l.ParamMaps
		if n > 0 && k >= n {
			// The refit; what follows it is the user's work after the tuning. With the folds
			// taken, not known, an evaluated fit after them may be the next fold's: the tuning
			// is over only when the application ends.
			f.Refit, f.Fold, f.ParamMap = true, trace.None, 0
			if k == len(ordered)-1 && (assumed || !evaluated(&f)) {
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

// setups starts each fit of a run with fits at once (or tagged) when the last job before its first
// ended: in a serial run, the fit before it.
func setups(fits []Fit, jobs []*sparklog.Job) {
	for i := range fits {
		f := &fits[i]
		sub := f.Jobs[0].Submit
		from := time.Duration(-1)
		for _, j := range jobs {
			if j.End != 0 && j.End <= sub {
				from = max(from, j.End)
			}
		}
		if from >= 0 {
			f.Start = from
		}
	}
}

// firstSetup starts the first fit where Find's times would: after the last job before the tuning
// (or the application's start), the gap no longer than the longest setup of the other fits (none
// while it is the only one).
func firstSetup(fits []Fit, before []*sparklog.Job, appStart time.Duration) {
	if len(fits) == 0 {
		return
	}
	first := 0
	var longest time.Duration
	for i := range fits {
		if fits[i].Jobs[0].Submit < fits[first].Jobs[0].Submit {
			first = i
		}
	}
	for i := range fits {
		if i != first {
			longest = max(longest, fits[i].Jobs[0].Submit-fits[i].Start)
		}
	}
	from := appStart
	if len(before) > 0 {
		from = max(from, lastEnd(before))
	}
	f := &fits[first]
	f.Start = f.Jobs[0].Submit - min(max(f.Jobs[0].Submit-from, 0), longest)
}

// finished says a fit is done: it evaluated (the refit need not), its jobs have ended, and, in a
// serial run, a job not its own was submitted after them (the next fit's first: an evaluator may
// run several jobs). With fits at once that is not waited for, but for the refit: the last fits
// of a round end with nothing after them while a sibling still runs.
func finished(f *Fit, jobs []*sparklog.Job, serial bool) bool {
	own := map[*sparklog.Job]bool{}
	for _, j := range f.Jobs {
		if j.End == 0 {
			return false
		}
		own[j] = true
	}
	if !f.Refit && !evaluated(f) {
		return false
	}
	if !serial && !f.Refit {
		return true
	}
	end := lastEnd(f.Jobs)
	for _, j := range jobs {
		if !own[j] && j.Submit >= end {
			return true
		}
	}
	return false
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
// and where the fits so far change their persisted training split (a CrossValidator's next fold);
// it says whether the folds were taken (Spark's default) rather than known.
func (l *Live) shape(fits []Fit, h Hints) (assumed bool) {
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
		l.Folds, assumed = DefaultCVFolds, true
		l.Notes = append(l.Notes, fmt.Sprintf("numFolds taken as %d (Spark's default; more when more fits come), so the tuning is taken to end with the application: pass --folds K", DefaultCVFolds))
	}
	switch {
	case h.ParamMaps > 0:
		l.ParamMaps = h.ParamMaps
	case firstRun > 0:
		l.ParamMaps = firstRun
	default:
		l.Notes = append(l.Notes, "the number of param maps is not known until the second fold begins (a TrainValidationSplit's until its refit): pass --param-maps N to predict the time left")
	}
	return assumed
}

// fromTags finds the fits so far by tunesim's job properties.
func (l *Live) fromTags(h Hints) error {
	byFit := map[int]*Fit{}
	var order []int
	for _, j := range l.app.Jobs {
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
	all := make([]Fit, len(order))
	for k, fi := range order {
		all[k] = *byFit[fi]
	}
	setups(all, l.app.Jobs)
	var before []*sparklog.Job
	for _, j := range l.app.Jobs {
		if len(all) > 0 && j.Submit < all[0].Jobs[0].Submit {
			before = append(before, j)
		}
	}
	firstSetup(all, before, l.app.Start)
	serial := mostAtOnce(all) <= 1
	folds, maps, maps0 := 0, 0, 0 // maps0: the param maps of the first fold
	for _, f := range all {
		if f.Fold < 0 {
			f.Refit, f.Fold = true, trace.None
		} else {
			folds, maps = max(folds, f.Fold+1), max(maps, f.ParamMap+1)
			if f.Fold == 0 {
				maps0 = max(maps0, f.ParamMap+1)
			}
		}
		if finished(&f, l.app.Jobs, serial) {
			f.End = lastEnd(f.Jobs)
			l.Done = append(l.Done, f)
			l.RefitDone = l.RefitDone || f.Refit
		} else {
			f.End = 0
			l.Running = append(l.Running, f)
		}
	}
	t := &Tuning{App: l.app, Info: l.info, Fits: append(append([]Fit(nil), l.Done...), l.Running...)}
	l.Kind, _ = t.kindFromNames()
	if l.Kind == "" && folds > 1 {
		l.Kind = scenarios.CrossValidator
	}
	// The shape is known once the refit began; the param maps once the second fold began.
	refitSeen := len(t.Fits) > 0 && (l.RefitDone || t.Fits[len(t.Fits)-1].Refit)
	for _, f := range l.Running {
		refitSeen = refitSeen || f.Refit
	}
	switch {
	case h.ParamMaps > 0:
		l.ParamMaps = h.ParamMaps
	case refitSeen:
		l.ParamMaps = maps
	case folds > 1:
		l.ParamMaps = maps0
	default:
		l.Notes = append(l.Notes, "the number of param maps is not known until the second fold begins (a TrainValidationSplit's until its refit): pass --param-maps N to predict the time left")
	}
	switch {
	case h.Folds > 0:
		l.Folds = h.Folds
	case refitSeen:
		l.Folds = folds
	case l.Kind == scenarios.TrainValidationSplit:
		l.Folds = 1
	case l.Kind == scenarios.CrossValidator:
		l.Folds = max(DefaultCVFolds, folds)
		l.Notes = append(l.Notes, fmt.Sprintf("numFolds taken as %d (Spark's default, or the folds seen): pass --folds K", l.Folds))
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
		for _, j := range f.Jobs {
			if j.End == 0 {
				end = time.Duration(1<<62 - 1) // still running
			}
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
