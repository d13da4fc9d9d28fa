package plots

import (
	"fmt"
	"image/color"
	"math"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"tunesim/trace"
)

// Sweep draws a sweep's results: speedup against parallelism (median, with the p10-p90 band when
// a value has more than one run), the ideal y = x line and the recommended parallelism marked;
// below it, the idle core-seconds. Without a parallelism-1 run (speedups all 0) the upper panel
// shows the makespan instead. The format follows path's extension; the file is written atomically.
func Sweep(title string, results []trace.Result, recommended int, path string, o Options) error {
	return SweepWithCeiling(title, results, recommended, trace.RecommendRule, 0, path, o)
}

// SweepWithCeiling is Sweep with the rule that recommended (its words under the title) and the
// most any parallelism can give on the host drawn across the speedup panel (ceiling > 0):
// whatif's rule and CPU ceiling, when the serial run already kept the cores busy.
func SweepWithCeiling(title string, results []trace.Result, recommended int, rule string, ceiling float64, path string, o Options) error {
	if err := CheckPath(path); err != nil {
		return fmt.Errorf("sweep plot: %w", err)
	}
	if len(results) == 0 {
		return fmt.Errorf("sweep plot %s: no results to draw", path)
	}
	o, err := o.resolve(chartWidth, chartHeight)
	if err != nil {
		return fmt.Errorf("sweep plot: %w", err)
	}
	rs := append([]trace.Result(nil), results...)
	sort.Slice(rs, func(i, j int) bool { return rs[i].Parallelism < rs[j].Parallelism })
	top, bottom, sub, err := sweepPlots(rs, recommended, rule)
	if err != nil {
		return fmt.Errorf("sweep plot %s: %w", path, err)
	}
	if ceiling > 0 && rs[0].Speedup.P50 > 0 {
		if err := addCeiling(top, rs, ceiling); err != nil {
			return fmt.Errorf("sweep plot %s: %w", path, err)
		}
	}
	err = render(path, o, func(c draw.Canvas) {
		stacked(chartHeader(c, title, sub), top, bottom)
	})
	if err != nil {
		return fmt.Errorf("sweep plot: %w", err)
	}
	return nil
}

// sweepPlots builds the two panels of a sweep plot and the line under its title.
func sweepPlots(rs []trace.Result, recommended int, rule string) (top, bottom *plot.Plot, sub string, err error) {
	n := len(rs)
	xs := make([]float64, n)
	runs, speedKnown := 1, false
	for i, r := range rs {
		xs[i] = float64(r.Parallelism)
		runs = max(runs, r.Runs)
		speedKnown = speedKnown || r.Speedup.P50 > 0
	}
	spread := runs > 1
	pick := func(f func(trace.Result) trace.Spread) (p10, p50, p90 []float64) {
		for _, r := range rs {
			s := f(r)
			p10, p50, p90 = append(p10, s.P10), append(p50, s.P50), append(p90, s.P90)
		}
		return
	}
	panel := func(f func(trace.Result) trace.Spread, what, yLabel string, col, bandCol color.Color) (*plot.Plot, error) {
		p := newPlot()
		p.X.Label.Text = "parallelism (tuner threads)"
		p.Y.Label.Text = yLabel
		p.X.Tick.Marker = integerTicks{}
		lo, mid, hi := pick(f)
		if spread {
			b, err := band(xs, lo, hi, bandCol)
			if err != nil {
				return nil, err
			}
			p.Add(b)
			p.Legend.Add(fmt.Sprintf("p10–p90 over %d runs", runs), b)
		}
		pts := make(plotter.XYs, n)
		for i := range xs {
			pts[i] = plotter.XY{X: xs[i], Y: mid[i]}
		}
		l, s, err := line(pts, col, false, draw.CircleGlyph{})
		if err != nil {
			return nil, err
		}
		p.Add(l, s)
		label := what
		if spread {
			label = "median " + what
		}
		p.Legend.Add(label, l, s)
		p.Y.Min = 0
		p.Y.Max = math.Max(p.Y.Max*1.12, 1e-9)
		return p, nil
	}
	if speedKnown {
		top, err = panel(func(r trace.Result) trace.Spread { return r.Speedup }, "speedup", "speedup over parallelism 1 (×)", simBlue, bandBlue)
		if err != nil {
			return nil, nil, "", err
		}
		ideal, err := identity(math.Max(1, xs[0]), xs[n-1])
		if err != nil {
			return nil, nil, "", err
		}
		// The ideal line leaves through the top rather than squash the measured curve.
		yMax := top.Y.Max
		top.Add(ideal)
		top.Legend.Add("ideal (speedup = parallelism)", ideal)
		top.Y.Max = math.Min(top.Y.Max, math.Max(yMax*1.4, 1.5))
	} else {
		top, err = panel(func(r trace.Result) trace.Spread { return r.Makespan }, "makespan", "makespan (s)", simBlue, bandBlue)
		if err != nil {
			return nil, nil, "", err
		}
		sub = "no parallelism-1 run, so no speedup: makespan shown  ·  "
	}
	bottom, err = panel(func(r trace.Result) trace.Spread { return r.IdleCoreSeconds }, "idle core-seconds", "idle core-seconds", realOrange, bandOrange)
	if err != nil {
		return nil, nil, "", err
	}
	top.Legend.Top, top.Legend.Left = false, false
	top.Legend.XOffs, top.Legend.YOffs = -px(8), px(8)
	bottom.Legend.Left = false
	bottom.Legend.XOffs = -px(8)
	for _, p := range []*plot.Plot{top, bottom} {
		p.X.Min, p.X.Max = xs[0]-0.5, xs[n-1]+0.5
	}
	top.X.Label.Text = ""
	if recommended > 0 {
		label := fmt.Sprintf("recommended: %d", recommended)
		for i, r := range rs {
			if r.Parallelism == recommended {
				if speedKnown {
					label += fmt.Sprintf(" (%.2f× faster)", r.Speedup.P50)
				} else {
					label += fmt.Sprintf(" (%s)", seconds(r.Makespan.P50))
				}
				ring := plotter.XYs{{X: xs[i], Y: top.Y.Min}}
				ring[0].Y = r.Speedup.P50
				if !speedKnown {
					ring[0].Y = r.Makespan.P50
				}
				s, err := plotter.NewScatter(ring)
				if err != nil {
					return nil, nil, "", err
				}
				s.Color, s.Radius, s.Shape = markRed, px(8), draw.RingGlyph{}
				top.Add(s)
			}
		}
		top.Add(vline{x: float64(recommended), label: label, col: markRed})
		bottom.Add(vline{x: float64(recommended), col: markRed})
	}
	sub += rule
	if spread {
		sub += fmt.Sprintf("  ·  bands: p10–p90 over %d runs", runs)
	}
	return top, bottom, sub, nil
}

// addCeiling draws the CPU ceiling across the speedup panel, dashed, in the legend.
func addCeiling(top *plot.Plot, rs []trace.Result, ceiling float64) error {
	lo, hi := float64(rs[0].Parallelism), float64(rs[len(rs)-1].Parallelism)
	if hi == lo {
		lo, hi = lo-0.5, hi+0.5
	}
	l, err := plotter.NewLine(plotter.XYs{{X: lo, Y: ceiling}, {X: hi, Y: ceiling}})
	if err != nil {
		return err
	}
	l.Color, l.Width, l.Dashes = realOrange, px(1.5), []vg.Length{px(8), px(4)}
	top.Add(l)
	top.Legend.Add(fmt.Sprintf("CPU ceiling %.2f× (the cores the serial run left free)", ceiling), l)
	top.Y.Max = math.Max(top.Y.Max, ceiling*1.15)
	return nil
}
