package plots

import (
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg/draw"
)

// ValidationRow is one parallelism of a validation: the simulated and the real makespans (in
// seconds) and speedups. A speedup of 0 means unknown.
type ValidationRow struct {
	Parallelism                   int
	SimulatedS, RealS             float64
	SimulatedSpeedup, RealSpeedup float64
}

// Validation draws simulated against real runs: makespans against parallelism in the upper
// panel and speedups in the lower one, overlaid, each point labelled with the simulation's error
// relative to the real run. The format follows path's extension; the file is written atomically.
func Validation(title string, rows []ValidationRow, path string, o Options) error {
	if err := CheckPath(path); err != nil {
		return fmt.Errorf("validation plot: %w", err)
	}
	if len(rows) == 0 {
		return fmt.Errorf("validation plot %s: no rows to draw", path)
	}
	o, err := o.resolve(chartWidth, chartHeight)
	if err != nil {
		return fmt.Errorf("validation plot: %w", err)
	}
	rs := append([]ValidationRow(nil), rows...)
	sort.Slice(rs, func(i, j int) bool { return rs[i].Parallelism < rs[j].Parallelism })
	top, err := validationPanel(rs, "makespan (s)", func(r ValidationRow) (float64, float64) { return r.SimulatedS, r.RealS })
	if err != nil {
		return fmt.Errorf("validation plot %s: %w", path, err)
	}
	bottom, err := validationPanel(rs, "speedup over parallelism 1 (×)", func(r ValidationRow) (float64, float64) { return r.SimulatedSpeedup, r.RealSpeedup })
	if err != nil {
		return fmt.Errorf("validation plot %s: %w", path, err)
	}
	top.X.Label.Text = ""
	sub := "each label: the simulation's error, (simulated − real) / real"
	err = render(path, o, func(c draw.Canvas) { stacked(chartHeader(c, title, sub), top, bottom) })
	if err != nil {
		return fmt.Errorf("validation plot: %w", err)
	}
	return nil
}

// validationPanel overlays one figure, simulated and real, with the error at each point. Rows
// where either value is not positive are left out of that panel.
func validationPanel(rs []ValidationRow, yLabel string, get func(ValidationRow) (sim, real float64)) (*plot.Plot, error) {
	p := newPlot()
	p.X.Label.Text = "parallelism (tuner threads)"
	p.Y.Label.Text = yLabel
	p.X.Tick.Marker = integerTicks{}
	var sim, real plotter.XYs
	var errs plotter.XYLabels
	for _, r := range rs {
		s, re := get(r)
		if s <= 0 || re <= 0 {
			continue
		}
		x := float64(r.Parallelism)
		sim, real = append(sim, plotter.XY{X: x, Y: s}), append(real, plotter.XY{X: x, Y: re})
		errs.XYs = append(errs.XYs, plotter.XY{X: x, Y: math.Max(s, re)})
		errs.Labels = append(errs.Labels, pct(relErr(s, re)))
	}
	p.X.Min, p.X.Max = float64(rs[0].Parallelism)-0.5, float64(rs[len(rs)-1].Parallelism)+0.5
	p.Y.Min = 0
	if len(sim) == 0 {
		p.Y.Max = 1
		p.Add(note{"no values to compare"})
		return p, nil
	}
	rl, rp, err := line(real, realOrange, false, draw.CircleGlyph{})
	if err != nil {
		return nil, err
	}
	sl, sp, err := line(sim, simBlue, true, draw.SquareGlyph{})
	if err != nil {
		return nil, err
	}
	p.Add(rl, rp, sl, sp)
	p.Legend.Add("real", rl, rp)
	p.Legend.Add("simulated", sl, sp)
	labels, err := plotter.NewLabels(errs)
	if err != nil {
		return nil, err
	}
	for i := range labels.TextStyle {
		labels.TextStyle[i] = textStyle(8.5, true, softInk)
		labels.TextStyle[i].XAlign = draw.XCenter
	}
	labels.Offset.Y = px(8)
	p.Add(labels)
	p.Y.Max *= 1.15
	p.Legend.Left = false
	p.Legend.XOffs = -px(8)
	return p, nil
}

// note writes a line of text in the middle of a plot's data area.
type note struct{ text string }

// Plot implements plot.Plotter.
func (n note) Plot(c draw.Canvas, _ *plot.Plot) {
	sty := textStyle(10, false, softInk)
	sty.XAlign, sty.YAlign = draw.XCenter, draw.YCenter
	c.FillText(sty, c.Center(), n.text)
}
