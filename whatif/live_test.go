package whatif

import (
	"math"
	"testing"
	"time"

	"tunesim/sparklog"
)

// cut is the application as its log stood at time at: the jobs submitted by then, those still
// running without an end, their stages and tasks up to then.
func cut(app *sparklog.App, at time.Duration) *sparklog.App {
	c := *app
	c.Jobs = nil
	c.End = 0
	for _, j := range app.Jobs {
		if j.Submit > at {
			continue
		}
		jc := *j
		if jc.End > at {
			jc.End, jc.Succeeded = 0, false
		}
		jc.Stages = nil
		for _, st := range j.Stages {
			if st.Submit > at {
				continue
			}
			sc := *st
			if sc.End > at {
				sc.End = 0
			}
			sc.Tasks = nil
			for _, tk := range st.Tasks {
				if tk.Finish <= at {
					sc.Tasks = append(sc.Tasks, tk)
				}
			}
			jc.Stages = append(jc.Stages, &sc)
			c.End = max(c.End, sc.Submit)
		}
		c.End = max(c.End, jc.Submit, jc.End)
		c.Jobs = append(c.Jobs, &jc)
	}
	return &c
}

// FindLive on a real serial log cut at every job's end agrees with Find on the whole log: the fits
// it calls done are the whole log's first fits (fold, param map, end), one fit runs, and the done
// count never falls; with the shape given (or, for a CrossValidator, once its second fold begins)
// the time left at parallelism 1 is predicted once a round is done, and on the log made for
// timing it is the whole log's within 25%.
func TestFindLiveAgreesWithTheWholeLog(t *testing.T) {
	for _, c := range []struct {
		log string
		h   Hints
		// timed: a log made for timing (the java-* and py* fixtures were made on a loaded machine
		// and are for finding the tuning only: testdata/README.md)
		timed bool
	}{
		{log: "testdata/lr-text-serial", timed: true},
		{log: "testdata/java-cv-serial"},
		{log: "testdata/py40-tvs-serial", h: Hints{ParamMaps: 4}},
		{log: "testdata/java-tvs-serial", h: Hints{ParamMaps: 4}},
	} {
		t.Run(c.log, func(t *testing.T) {
			app, info, err := sparklog.ReadApp(c.log)
			if err != nil {
				t.Fatal(err)
			}
			whole, err := Find(app, info, Hints{})
			if err != nil {
				t.Fatal(err)
			}
			prevDone := 0
			checked := 0
			for _, f := range whole.Fits {
				for _, j := range f.Jobs {
					at := j.End
					part := cut(app, at)
					live, err := FindLive(part, info, c.h, false)
					if err != nil {
						t.Fatalf("at %v: %v", at, err)
					}
					if len(live.Done) < prevDone {
						t.Fatalf("at %v: %d fits done, %d before", at, len(live.Done), prevDone)
					}
					prevDone = len(live.Done)
					if len(live.Running) != 1 {
						t.Fatalf("at %v: %d fits running, want 1 (a serial run)", at, len(live.Running))
					}
					for i, d := range live.Done {
						w := whole.Fits[i]
						if d.Refit || d.Fold != w.Fold || d.ParamMap != w.ParamMap || d.End != lastEnd(w.Jobs) {
							t.Fatalf("at %v: done fit %d is fold %d map %d ending %v; the whole log's: fold %d map %d ending %v",
								at, i, d.Fold, d.ParamMap, d.End, w.Fold, w.ParamMap, lastEnd(w.Jobs))
						}
					}
					if live.Total() != 0 && live.Total() != len(whole.Fits) {
						t.Fatalf("at %v: %d fits in all, the whole log has %d", at, live.Total(), len(whole.Fits))
					}
					if live.Total() == 0 || len(live.Done) < whole.ParamMaps {
						continue
					}
					fc, err := live.Forecast([]int{1, 2}, Options{}, CPUOptions{})
					if err != nil {
						t.Fatalf("at %v: %v", at, err)
					}
					st := fc.Status(at)
					if len(st.Left) != 2 || st.LeftAtRun < 0 {
						t.Fatalf("at %v: left %v (%s)", at, st.Left, st.Why)
					}
					want := (whole.End() - at).Seconds()
					if got := st.Left[0].RemainingS; c.timed && math.Abs(got-want) > 0.25*want+1 {
						t.Errorf("at %v (%d fits done): %.1f s left predicted at parallelism 1, the log took %.1f s", at, len(live.Done), got, want)
					}
					if st.LeftAtRun.Seconds() != st.Left[0].RemainingS {
						t.Errorf("at %v: left at the run's parallelism 1 %v, at parallelism 1 %.3f s", at, st.LeftAtRun, st.Left[0].RemainingS)
					}
					checked++
				}
			}
			if checked == 0 {
				t.Fatal("no forecast checked")
			}
			done, err := FindLive(app, info, Hints{}, true)
			if err != nil || !done.RefitDone || len(done.Done) != len(whole.Fits) {
				t.Fatalf("the ended application: %v, refit done %v, %d fits", err, done != nil && done.RefitDone, len(done.Done))
			}
		})
	}
}

// A running fit is stalled past StallFactor times its param map's finished fits and
// StallMinExcess more, and not before.
func TestStallAfterFactorAndExcess(t *testing.T) {
	app, info, err := sparklog.ReadApp("testdata/lr-text-serial")
	if err != nil {
		t.Fatal(err)
	}
	whole, err := Find(app, info, Hints{})
	if err != nil {
		t.Fatal(err)
	}
	// Cut after the second fold's first job: its fit, of param map 0, ran once in fold 0.
	second := whole.Fits[whole.ParamMaps]
	at := second.Jobs[0].End
	live, err := FindLive(cut(app, at), info, Hints{}, false)
	if err != nil {
		t.Fatal(err)
	}
	fc, err := live.Forecast([]int{1}, Options{}, CPUOptions{})
	if err != nil {
		t.Fatal(err)
	}
	r := live.Running[0]
	exp := live.Done[0].End - live.Done[0].Start
	limit := max(time.Duration(StallFactor*float64(exp)), exp+StallMinExcess)
	for _, c := range []struct {
		elapsed time.Duration
		stalled bool
	}{
		{0, false}, {exp, false}, {limit - time.Millisecond, false}, {limit + time.Millisecond, true},
	} {
		st := fc.Status(r.Start + c.elapsed)
		if got := st.Running[0]; got.Stalled != c.stalled || got.Fold != 1 || got.ParamMap != 0 {
			t.Errorf("after %v (expected %v): fold %d map %d stalled %v, want fold 1 map 0 stalled %v (%s)", c.elapsed, exp, got.Fold, got.ParamMap, got.Stalled, c.stalled, got.Basis)
		}
	}
}

// tag sets tunesim's fit properties on the jobs of the tuning found in app, as tunesim.tag_fits
// would have.
func tag(t *testing.T, app *sparklog.App) {
	t.Helper()
	whole, err := Find(app, syntheticInfo(), Hints{})
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range whole.Fits {
		fold := f.Fold
		if f.Refit {
			fold = -1
		}
		for _, j := range f.Jobs {
			j.Props[sparklog.PropFit] = sparklog.FormatTag(i)
			j.Props[sparklog.PropFold] = sparklog.FormatTag(fold)
			j.Props[sparklog.PropParamMap] = sparklog.FormatTag(f.ParamMap)
		}
	}
}

// On synthetic logs cut at every job's end — serial, tagged, and two fits at a time in job
// groups — the fits done are the whole log's, the fits running are one per tuner thread, and
// with the hidden CPU left out the serial time left is the closed form: every fit takes 450 ms
// (three jobs of 50 ms driver time and a 100 ms task), the refit its two estimator jobs' 300 ms,
// so the rest of the running fit, 450 ms per fit not begun and 300 ms for the refit.
func TestLiveOnSyntheticLogs(t *testing.T) {
	const fit, refit = 450 * time.Millisecond, 300 * time.Millisecond
	for _, c := range []struct {
		name     string
		parallel bool
		tagged   bool
		threads  int
	}{
		{name: "serial", threads: 1},
		{name: "tagged", tagged: true, threads: 1},
		{name: "job groups", parallel: true, threads: 4}, // a round's 4 fits at once
	} {
		t.Run(c.name, func(t *testing.T) {
			app := synthetic(3, 4, c.parallel)
			if c.tagged {
				tag(t, app)
			}
			whole, err := Find(app, syntheticInfo(), Hints{})
			if err != nil {
				t.Fatal(err)
			}
			n := len(whole.Fits)
			for _, j := range app.Jobs[1:] {
				at := j.End
				live, err := FindLive(cut(app, at), syntheticInfo(), Hints{}, false)
				if err != nil {
					t.Fatalf("at %v: %v", at, err)
				}
				if (!c.parallel && len(live.Running) == 0) || len(live.Running) > c.threads { // fits at once: none between rounds
					t.Fatalf("at %v: %d fits running on %d threads", at, len(live.Running), c.threads)
				}
				for _, d := range live.Done {
					found := false
					for _, w := range whole.Fits {
						found = found || (w.Fold == d.Fold && w.ParamMap == d.ParamMap && w.Refit == d.Refit && lastEnd(w.Jobs) == d.End)
					}
					if !found {
						t.Fatalf("at %v: done fit fold %d map %d refit %v ending %v is none of the whole log's", at, d.Fold, d.ParamMap, d.Refit, d.End)
					}
				}
				if c.parallel || live.Total() == 0 || len(live.Done) == 0 {
					continue
				}
				if live.Total() != n || live.Parallelism != 1 {
					t.Fatalf("at %v: %d fits in all at parallelism %d; want %d at 1", at, live.Total(), live.Parallelism, n)
				}
				fc, err := live.Forecast([]int{1}, Options{}, CPUOptions{Ignore: true})
				if err != nil {
					t.Fatal(err)
				}
				r := live.Running[0]
				want := max(fit-(at-r.Start), 0)
				if r.Refit {
					want = max(refit-(at-r.Start), 0)
				} else {
					want += time.Duration(n-2-len(live.Done))*fit + refit
				}
				if got := fc.Status(at).LeftAtRun; got != want {
					t.Errorf("at %v (%d done, running fold %d map %d refit %v from %v): %v left, want %v", at, len(live.Done), r.Fold, r.ParamMap, r.Refit, r.Start, got, want)
				}
			}
			end, err := FindLive(app, syntheticInfo(), Hints{}, true)
			if err != nil || len(end.Done) != n || !end.RefitDone {
				t.Fatalf("at the end: %v", err)
			}
		})
	}
}

// The case: three fits at once (tagged), one of them hung inside its second job while its
// two siblings finished: it is the one running, and past 3x the siblings' time (and 10 s more) it
// is stalled, on the basis of the finished fits.
func TestHungFitAmongFinishedSiblings(t *testing.T) {
	app := synthetic(1, 3, true)
	tag(t, app)
	// Fit 1's second job never ends, and its evaluation never comes.
	var kept []*sparklog.Job
	seen := 0
	for _, j := range app.Jobs {
		if j.Props[sparklog.PropFit] == "1" {
			seen++
			if seen == 2 {
				j.End = 0
			}
			if seen > 2 {
				continue
			}
		}
		if j.Props[sparklog.PropFold] == "-1" {
			continue // no refit: the tuning waits for the hung fit
		}
		kept = append(kept, j)
	}
	app.Jobs = kept
	live, err := FindLive(app, syntheticInfo(), Hints{}, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(live.Done) != 2 || len(live.Running) != 1 || live.Running[0].Jobs[0].Props[sparklog.PropFit] != "1" || live.Parallelism != 3 {
		t.Fatalf("%d done, running %+v, parallelism %d; want 2 done, fit 1 running, 3 at once", len(live.Done), live.Running, live.Parallelism)
	}
	fc, err := live.Forecast([]int{1, 3}, Options{}, CPUOptions{Ignore: true})
	if err != nil {
		t.Fatal(err)
	}
	start := live.Running[0].Start
	// The median of the two siblings: their mean (one began 10 ms after the other).
	exp := (live.Done[0].End - live.Done[0].Start + live.Done[1].End - live.Done[1].Start) / 2
	for _, c := range []struct {
		after   time.Duration
		stalled bool
	}{{exp, false}, {exp + StallMinExcess - time.Millisecond, false}, {exp + StallMinExcess + time.Millisecond, true}, {5 * time.Minute, true}} {
		r := fc.Status(start + c.after).Running[0]
		if r.Stalled != c.stalled || r.ExpectedS != exp.Seconds() {
			t.Errorf("after %v: stalled %v expecting %.3f s (%s); want %v expecting %.3f s", c.after, r.Stalled, r.ExpectedS, r.Basis, c.stalled, exp.Seconds())
		}
	}
}

// A CrossValidator of 5 folds followed without --folds: its folds are taken as Spark's default 3
// and grow as more fits come, and the tuning is never called over before the application ends
// (the fit after the third fold's is the fourth fold's first, not the refit).
func TestFoldsTakenGrowAndNeverEndEarly(t *testing.T) {
	app := synthetic(5, 2, false)
	whole, err := Find(app, syntheticInfo(), Hints{})
	if err != nil {
		t.Fatal(err)
	}
	var last *Live
	for _, j := range app.Jobs[1:] {
		live, err := FindLive(cut(app, j.End), syntheticInfo(), Hints{}, false)
		if err != nil {
			t.Fatal(err)
		}
		if live.RefitDone {
			t.Fatalf("at %v: the tuning called over with %d fits done of %d", j.End, len(live.Done), len(whole.Fits))
		}
		if live.Folds > 0 && (live.Folds < 3 || live.Folds > whole.Folds) {
			t.Fatalf("at %v: %d folds; want 3 to %d", j.End, live.Folds, whole.Folds)
		}
		last = live
	}
	if last.Folds != whole.Folds || last.Total() != len(whole.Fits) {
		t.Errorf("at the refit's end: %d folds, %d fits; want %d and %d", last.Folds, last.Total(), whole.Folds, len(whole.Fits))
	}
}
