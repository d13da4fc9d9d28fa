package whatif

import (
	"time"

	"tunesim/costmodel"
	"tunesim/scenarios"
)

// warmUp is a fresh JVM's CrossValidator as warm work and the curve along which its JVM warmed:
// every fit but the first and the last round's runs as its param map's fit of the last round ran
// (the same work on a fold of the same size, compiled), and the curve says how much slower the
// work ran at each time of the serial run. The slowdown is read per fit (its logged time over its
// warm sibling's) and smoothed to fall with time (the compilers only add code); the first fit,
// which also loads and initialises the classes once, keeps its own time (first is the factor the
// curve gives it, which the model divides out). ok is false when the log is not of a fresh JVM's
// CrossValidator with two rounds or more, or shows no warm-up.
//
// Timing the slowdown by the run's clock, not by the fits done, is what makes it predict
// parallelism: the compilers work at their own pace, so fits run together early all run slow.
func (t *Tuning) warmUp() (w *Tuning, curve costmodel.WarmCurve, first float64, ok bool) {
	if t.Kind != scenarios.CrossValidator || len(t.roundDurations()) < 2 || t.JVM().Kind != JVMFresh {
		return nil, nil, 0, false
	}
	lastRound := t.lastRound()
	last := lastRound[0].Fold
	warm := map[int]*Fit{}
	for i := range lastRound {
		warm[lastRound[i].ParamMap] = &lastRound[i]
	}
	w = &Tuning{}
	*w = *t
	w.Fits = append([]Fit(nil), t.Fits...)
	t0 := t.Start()
	var ratio, weight []float64
	var until []time.Duration
	for i := range w.Fits {
		f := &w.Fits[i]
		sub, found := warm[f.ParamMap]
		if f.Refit || f.Fold == last || !found || sub.End <= sub.Start {
			continue
		}
		d, wd := f.End-f.Start, sub.End-sub.Start
		if i > 0 {
			ratio = append(ratio, max(d.Seconds()/wd.Seconds(), 1))
			weight = append(weight, wd.Seconds())
			until = append(until, f.End-t0)
			fold := f.Fold
			*f = *sub
			f.Fold = fold
		}
	}
	if len(ratio) == 0 {
		return nil, nil, 0, false
	}
	smooth := nonIncreasing(ratio, weight)
	for i, r := range smooth {
		if r > 1 {
			curve = append(curve, costmodel.WarmStep{Until: until[i], Factor: r})
		}
	}
	if len(curve) == 0 {
		return nil, nil, 0, false
	}
	return w, curve, curve.At(0), true
}

// nonIncreasing is the weighted least-squares fit of y by a non-increasing sequence (pool adjacent
// violators).
func nonIncreasing(y, w []float64) []float64 {
	type block struct {
		sum, w float64
		n      int
	}
	var bs []block
	for i := range y {
		bs = append(bs, block{y[i] * w[i], w[i], 1})
		for len(bs) > 1 {
			a, b := bs[len(bs)-2], bs[len(bs)-1]
			if a.sum/a.w >= b.sum/b.w {
				break
			}
			bs = append(bs[:len(bs)-2], block{a.sum + b.sum, a.w + b.w, a.n + b.n})
		}
	}
	out := make([]float64, 0, len(y))
	for _, b := range bs {
		for range b.n {
			out = append(out, b.sum/b.w)
		}
	}
	return out
}
