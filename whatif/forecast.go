package whatif

import (
	"fmt"
	"sort"
	"time"

	"tunesim/scenarios"
	"tunesim/sim"
	"tunesim/sparklog"
	"tunesim/trace"
)

// A running fit is stalled when it has run StallFactor times as long as it is expected to, and at
// least StallMinExcess longer. Fits of one param map repeat within tens of percent across folds
// (a fresh JVM's first round runs up to about 2x its later ones: see JVMFresh), and param maps
// differ by a few times where no fit of the same map has finished yet; 3x is past both, and the
// floor keeps fits of a second or less from being called stalled by a pause of the driver.
const (
	StallFactor    = 3.0
	StallMinExcess = 10 * time.Second
)

// RunningFit is a fit in progress: how long it has run and how long it is expected to take.
type RunningFit struct {
	Fold     int     `json:"fold"`
	ParamMap int     `json:"param_map"`
	Refit    bool    `json:"refit,omitempty"`
	ElapsedS float64 `json:"elapsed_s"`
	// ExpectedS is what its param map's finished fits took (their median), else the median
	// finished fit; 0 when no fit has finished.
	ExpectedS float64 `json:"expected_s"`
	Basis     string  `json:"basis,omitempty"`
	// Stalled says it ran StallFactor times its expected time and StallMinExcess more.
	Stalled bool `json:"stalled"`
}

// Left is the predicted time the tuning has left if its fits not yet begun run at Parallelism.
type Left struct {
	Parallelism int     `json:"parallelism"`
	RemainingS  float64 `json:"remaining_s"`
}

// Forecast is what a tuning in progress has left once its running fits end: the fits not yet
// begun, replayed at each parallelism. Status adds the running fits at a given time.
type Forecast struct {
	l  *Live
	ps []int
	// pending is the replay of the fits not yet begun at each of ps and then at the run's own
	// parallelism; nil when it cannot be predicted yet (why says why).
	pending []time.Duration
	why     string
}

// Status is a tuning in progress at one time: its running fits and its time left.
type Status struct {
	Running []RunningFit `json:"running"`
	// Left is per parallelism asked for; nil when it cannot be predicted yet (Why says why).
	Left []Left `json:"left,omitempty"`
	// LeftAtRun is the time left at the run's own parallelism (Live.Parallelism), for its ETA;
	// -1 when not known.
	LeftAtRun   time.Duration `json:"-"`
	Recommended int           `json:"recommended_parallelism,omitempty"`
	Why         string        `json:"why,omitempty"`
}

// trained is the fit up to the end of its last estimator job: what a refit, which evaluates
// nothing, repeats of it.
func trained(f *Fit) Fit {
	k := len(f.Roles)
	for k > 1 && f.Roles[k-1] != RoleEstimator {
		k--
	}
	c := *f
	c.Jobs, c.Roles = f.Jobs[:k], f.Roles[:k]
	c.End = lastEnd(c.Jobs)
	return c
}

// expect is what a fit of param map m (the refit: any, without its evaluation) is expected to take, on what basis, and
// the finished fit that stands for it (nil when no fit has finished).
func (l *Live) expect(m int, refit bool) (time.Duration, string, *Fit) {
	var same, all []*Fit
	for i := range l.Done {
		f := &l.Done[i]
		if f.Refit {
			continue
		}
		all = append(all, f)
		if !refit && f.ParamMap == m {
			same = append(same, f)
		}
	}
	pick, basis := all, fmt.Sprintf("the median of the %d finished fits (none of its param map yet)", len(all))
	if refit {
		basis = fmt.Sprintf("the median of the %d finished fits", len(all))
	}
	if len(same) > 0 {
		pick, basis = same, fmt.Sprintf("its param map's %d finished fits", len(same))
	}
	if len(pick) == 0 {
		return 0, "", nil
	}
	dur := func(f *Fit) time.Duration { return f.End - f.Start }
	if refit {
		dur = func(f *Fit) time.Duration { return trained(f).End - f.Start }
	}
	byDur := append([]*Fit(nil), pick...)
	sort.SliceStable(byDur, func(a, b int) bool { return dur(byDur[a]) < dur(byDur[b]) })
	ds := make([]time.Duration, len(pick))
	for i, f := range byDur {
		ds[i] = dur(f)
	}
	src := byDur[len(byDur)/2]
	if len(same) > 0 {
		src = same[len(same)-1] // the latest: the JVM is warmest
	}
	return median(ds), basis, src
}

// Forecast predicts what the tuning has left after its running fits at each parallelism ps: the
// fits not yet begun, each stood in for by its param map's latest finished fit (else the median
// finished fit; the refit too), replayed by Predict's model at that parallelism.
func (l *Live) Forecast(ps []int, o Options, co CPUOptions) (*Forecast, error) {
	fc := &Forecast{l: l, ps: ps}
	switch {
	case l.RefitDone:
		fc.pending = make([]time.Duration, len(ps)+1)
		return fc, nil
	case l.Total() == 0:
		fc.why = "the tuning's folds and param maps are not known yet"
		return fc, nil
	}
	if _, _, src := l.expect(0, true); src == nil {
		fc.why = "no fit has finished yet"
		return fc, nil
	}
	t, pending, refitPending := l.completed()
	pr, err := t.Predict(o, co)
	if err != nil {
		return nil, err
	}
	var rounds [][]int
	for _, r := range pr.Plan.Rounds {
		var keep []int
		for _, i := range r {
			if pending[i] {
				keep = append(keep, i)
			}
		}
		if len(keep) > 0 {
			rounds = append(rounds, keep)
		}
	}
	refit := t.Refit()
	for _, p := range append(append([]int(nil), ps...), l.Parallelism) {
		var left time.Duration
		switch {
		case len(rounds) > 0:
			sub := *pr.Plan
			sub.Rounds = rounds
			m, err := sim.Run(sub.WithParallelism(p), pr.Model, sim.Options{})
			if err != nil {
				return nil, err
			}
			left = m.Makespan
		case refitPending:
			left = refit.End - refit.Start
		}
		fc.pending = append(fc.pending, left)
	}
	return fc, nil
}

// Status is the tuning at log time now: each running fit against what it is expected to take,
// and the time left at each parallelism, the running fits' expected rest (the longest) first.
func (fc *Forecast) Status(now time.Duration) Status {
	st := Status{Running: []RunningFit{}, LeftAtRun: -1, Why: fc.why}
	var runningLeft time.Duration
	for _, f := range fc.l.Running {
		exp, basis, _ := fc.l.expect(f.ParamMap, f.Refit)
		el := max(now-f.Start, 0)
		rf := RunningFit{Fold: f.Fold, ParamMap: f.ParamMap, Refit: f.Refit, ElapsedS: el.Seconds(), ExpectedS: exp.Seconds(), Basis: basis}
		if exp > 0 {
			rf.Stalled = float64(el) > StallFactor*float64(exp) && el-exp >= StallMinExcess
			runningLeft = max(runningLeft, exp-el)
		}
		st.Running = append(st.Running, rf)
	}
	if fc.pending == nil {
		return st
	}
	var results []trace.Result
	for k, p := range fc.ps {
		left := runningLeft + fc.pending[k]
		st.Left = append(st.Left, Left{Parallelism: p, RemainingS: left.Seconds()})
		results = append(results, trace.Result{Parallelism: p, Runs: 1, Makespan: trace.NewSpread([]float64{left.Seconds()})})
	}
	st.LeftAtRun = runningLeft + fc.pending[len(fc.ps)]
	st.Recommended = Recommend(results, fc.l.ParamMaps)
	return st
}

// completed is the whole tuning as a serial run: the fits done, and for each fit running or not
// yet begun a copy of the finished fit that stands for it (see expect); pending are the indices
// of the fits not yet begun, and refitPending says the refit has not begun.
func (l *Live) completed() (*Tuning, map[int]bool, bool) {
	done := map[[2]int]*Fit{}
	running := map[[2]int]bool{}
	for i := range l.Done {
		if f := &l.Done[i]; !f.Refit {
			done[[2]int{f.Fold, f.ParamMap}] = f
		}
	}
	refitRunning := false
	for _, f := range l.Running {
		running[[2]int{f.Fold, f.ParamMap}] = true
		refitRunning = refitRunning || f.Refit
	}
	var fits []Fit
	pending := map[int]bool{}
	var wall time.Duration
	for fold := 0; fold < l.Folds; fold++ {
		for m := 0; m < l.ParamMaps; m++ {
			f, ok := done[[2]int{fold, m}]
			if !ok {
				_, _, src := l.expect(m, false)
				if !running[[2]int{fold, m}] {
					pending[len(fits)] = true
				}
				c := *src
				c.Fold, c.ParamMap = fold, m
				f = &c
			}
			fits = append(fits, *f)
			wall += f.End - f.Start
		}
	}
	_, _, src := l.expect(0, true)
	start := fits[0].Start
	// The refit runs after the rest: its jobs are moved there, so the tuning's span is the serial
	// run's whole time.
	r := shiftFit(trained(src), start+wall-src.Start)
	r.Refit, r.Fold, r.ParamMap, r.Tail = true, trace.None, 0, 0
	fits = append(fits, r)
	kind := l.Kind
	if kind == "" {
		kind = scenarios.TrainValidationSplit
		if l.Folds > 1 {
			kind = scenarios.CrossValidator
		}
	}
	app := *l.app
	app.Start, app.End = start, r.End
	return &Tuning{App: &app, Info: l.info, Kind: kind, Folds: l.Folds, ParamMaps: l.ParamMaps, Fits: fits}, pending, !refitRunning
}

// shiftFit is a copy of the fit with its jobs, stages and tasks d later.
func shiftFit(f Fit, d time.Duration) Fit {
	f.Start, f.End = f.Start+d, f.End+d
	jobs := make([]*sparklog.Job, len(f.Jobs))
	for i, j := range f.Jobs {
		c := *j
		c.Submit, c.End = c.Submit+d, c.End+d
		c.Stages = make([]*sparklog.Stage, len(j.Stages))
		for k, st := range j.Stages {
			s := *st
			s.Submit, s.End = s.Submit+d, s.End+d
			s.Tasks = append([]sparklog.Task(nil), st.Tasks...)
			for x := range s.Tasks {
				s.Tasks[x].Launch += d
				s.Tasks[x].Finish += d
			}
			c.Stages[k] = &s
		}
		jobs[i] = &c
	}
	f.Jobs = jobs
	f.Roles = append([]Role(nil), f.Roles...)
	return f
}
