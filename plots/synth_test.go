package plots

import (
	"math/rand/v2"
	"time"

	"tunesim/trace"
)

// synthTrace builds a trace by hand: executors x slotsPer slots each running tasks back to back
// with random gaps, and threads tuner threads running fits (with a driver step at each fit's end),
// about n spans in all. Param maps run in blocks so neighbouring tasks often share a colour.
func synthTrace(executors, slotsPer, threads, n int, seed uint64) *trace.Trace {
	r := rand.New(rand.NewPCG(seed, 1))
	t := &trace.Trace{Source: "sim", Scenario: "synthetic", Parallelism: threads}
	for e := 0; e < executors; e++ {
		t.Executors = append(t.Executors, trace.Executor{ID: e, Slots: slotsPer})
	}
	maps := 16
	for i := 0; i < maps; i++ {
		t.ParamMaps = append(t.ParamMaps, "map "+string(rune('A'+i)))
	}
	slots := executors * slotsPer
	fitsPerThread := max(1, n/20/max(threads, 1))
	taskSpans := n - threads*fitsPerThread*2
	perSlot := max(1, taskSpans/slots)
	end := time.Duration(0)
	for s := 0; s < slots; s++ {
		at := time.Duration(r.IntN(1000)) * time.Microsecond
		for k := 0; k < perSlot; k++ {
			d := time.Duration(200+r.IntN(1800)) * time.Microsecond
			pm := (k / 7) % maps
			t.Add(trace.Span{Kind: trace.KindTask, Fit: pm, ParamMap: pm, Fold: 0, Job: k, Stage: k, Partition: s,
				Executor: s / slotsPer, Slot: s % slotsPer, Start: at, End: at + d})
			at += d + time.Duration(r.IntN(300))*time.Microsecond
		}
		end = max(end, at)
	}
	fit := 0
	for th := 0; th < threads; th++ {
		step := end / time.Duration(fitsPerThread)
		for k := 0; k < fitsPerThread; k++ {
			a, b := time.Duration(k)*step, time.Duration(k+1)*step-step/10
			pm := fit % maps
			t.Add(trace.Span{Kind: trace.KindFit, Name: "fit", Fit: fit, ParamMap: pm, Fold: 0, Job: trace.None, Stage: trace.None,
				Partition: trace.None, Executor: trace.None, Slot: th, Start: a, End: b})
			t.Add(trace.Span{Kind: trace.KindDriver, Name: "solve", Fit: fit, ParamMap: pm, Fold: 0, Job: trace.None, Stage: trace.None,
				Partition: trace.None, Executor: trace.None, Slot: th, Start: b - step/8, End: b})
			fit++
		}
	}
	t.Fits = fit
	return t
}

// handTrace is a small trace written out by hand: 2 tuner threads, 4 slots of which slot 3 never
// runs a task, two folds and a refit. Fit and driver spans carry no thread (Slot is None), so the
// timeline packs them.
func handTrace() *trace.Trace {
	ms := time.Millisecond
	t := &trace.Trace{Source: "real", Scenario: "hand", Parallelism: 2, Fits: 5,
		ParamMaps: []string{"k=1", "k=2"}, Executors: []trace.Executor{{ID: 0, Slots: 4}}}
	fit := func(f, pm, fold int, a, b time.Duration) {
		t.Add(trace.Span{Kind: trace.KindFit, Name: "fit", Fit: f, ParamMap: pm, Fold: fold, Job: trace.None, Stage: trace.None,
			Partition: trace.None, Executor: trace.None, Slot: trace.None, Start: a * ms, End: b * ms})
		t.Add(trace.Span{Kind: trace.KindDriver, Name: "solve", Fit: f, ParamMap: pm, Fold: fold, Job: trace.None, Stage: trace.None,
			Partition: trace.None, Executor: trace.None, Slot: trace.None, Start: (b - 10) * ms, End: b * ms})
	}
	task := func(f, pm, fold, slot int, a, b time.Duration) {
		t.Add(trace.Span{Kind: trace.KindTask, Name: "agg", Fit: f, ParamMap: pm, Fold: fold, Job: f, Stage: f, Partition: slot,
			Executor: 0, Slot: slot, Start: a * ms, End: b * ms})
	}
	// Fold 0: param maps 0 and 1 at once, each on two slots.
	fit(0, 0, 0, 0, 100)
	fit(1, 1, 0, 0, 100)
	task(0, 0, 0, 0, 0, 90)
	task(0, 0, 0, 1, 0, 90)
	task(1, 1, 0, 2, 0, 90)
	// Fold 1.
	fit(2, 0, 1, 100, 200)
	fit(3, 1, 1, 100, 200)
	task(2, 0, 1, 0, 100, 190)
	task(3, 1, 1, 1, 100, 190)
	task(3, 1, 1, 2, 100, 190)
	// Refit of param map 1, alone, with slot 0 idle.
	fit(4, 1, trace.None, 200, 300)
	task(4, 1, trace.None, 1, 200, 290)
	task(4, 1, trace.None, 2, 200, 290)
	return t
}
