package plots

import (
	"fmt"
	"math"
	"strconv"

	"gonum.org/v1/plot"
)

// niceTicks labels an axis every 1, 2 or 5 times a power of ten, choosing the step that gives
// closest to seven labels, with as many decimals as the step needs, and four minor ticks between.
type niceTicks struct{}

// Ticks implements plot.Ticker.
func (niceTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) {
		return []plot.Tick{{Value: lo, Label: strconv.FormatFloat(lo, 'g', 4, 64)}}
	}
	count := func(step float64) int { return int(math.Floor(hi/step+1e-9) - math.Ceil(lo/step-1e-9) + 1) }
	mag := math.Pow(10, math.Floor(math.Log10((hi-lo)/7)))
	step, best := mag, math.MaxInt
	for _, m := range []float64{0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50} {
		if d := abs(count(m*mag) - 7); d < best {
			step, best = m*mag, d
		}
	}
	prec := max(0, -int(math.Floor(math.Log10(step)+1e-9)))
	var ts []plot.Tick
	for i := math.Ceil(lo/step - 1e-9); i*step <= hi+step*1e-9; i++ {
		v := i * step
		if v == 0 {
			v = 0 // not -0
		}
		ts = append(ts, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', prec, 64)})
		for k := 1; k < 5; k++ {
			if m := v + float64(k)*step/5; m <= hi {
				ts = append(ts, plot.Tick{Value: m})
			}
		}
	}
	return ts
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// integerTicks labels every integer from lo to hi when there are few, else the whole numbers
// among niceTicks'.
type integerTicks struct{}

// Ticks implements plot.Ticker.
func (integerTicks) Ticks(lo, hi float64) []plot.Tick {
	a, b := math.Ceil(lo), math.Floor(hi)
	var ts []plot.Tick
	if b-a > 24 {
		for _, t := range (niceTicks{}).Ticks(lo, hi) {
			if t.Value == math.Trunc(t.Value) {
				ts = append(ts, t)
			}
		}
		return ts
	}
	for v := a; v <= b; v++ {
		ts = append(ts, plot.Tick{Value: v, Label: fmt.Sprint(v)})
	}
	return ts
}

// logTicks are plot.LogTicks labelled with their powers of ten as short numbers (1e-05, 0.001,
// 10), where plot.LogTicks prints the floating-point error of 10^k (9.999999999999999e-05).
type logTicks struct{}

// Ticks implements plot.Ticker.
func (logTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks := plot.LogTicks{Prec: -1}.Ticks(lo, hi)
	for i := range ticks {
		if ticks[i].Label != "" {
			ticks[i].Label = strconv.FormatFloat(ticks[i].Value, 'g', 3, 64)
		}
	}
	return ticks
}
