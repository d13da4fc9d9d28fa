package plots

import (
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg/draw"

	"tunesim/trace"
)

// CalibrationPoint is one measured operation and what the cost model predicts for it, in seconds.
type CalibrationPoint struct {
	Op                  string
	Measured, Predicted float64
}

// wideRange is the ratio of largest to smallest value above which calibration axes are
// logarithmic.
const wideRange = 30

// Calibration draws predicted against measured durations, a colour and glyph per operation with
// a legend (its count and median error), and the y = x line; the axes are logarithmic when the
// values span more than a factor of 30 and are all positive. The format follows path's
// extension; the file is written atomically.
func Calibration(title string, points []CalibrationPoint, path string, o Options) error {
	if err := CheckPath(path); err != nil {
		return fmt.Errorf("calibration plot: %w", err)
	}
	if len(points) == 0 {
		return fmt.Errorf("calibration plot %s: no points to draw", path)
	}
	o, err := o.resolve(chartWidth, chartHeight)
	if err != nil {
		return fmt.Errorf("calibration plot: %w", err)
	}
	p, logAxes, err := calibrationPlot(points)
	if err != nil {
		return fmt.Errorf("calibration plot %s: %w", path, err)
	}
	sub := fmt.Sprintf("%d measurements  ·  points above the line: the model predicts too long; below: too short", len(points))
	if logAxes {
		sub += "  ·  log axes"
	}
	err = render(path, o, func(c draw.Canvas) { p.Draw(chartHeader(c, title, sub)) })
	if err != nil {
		return fmt.Errorf("calibration plot: %w", err)
	}
	return nil
}

func calibrationPlot(points []CalibrationPoint) (*plot.Plot, bool, error) {
	byOp := map[string][]CalibrationPoint{}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, pt := range points {
		if math.IsNaN(pt.Measured) || math.IsNaN(pt.Predicted) || math.IsInf(pt.Measured, 0) || math.IsInf(pt.Predicted, 0) {
			return nil, false, fmt.Errorf("op %q: measured %v, predicted %v: not a number of seconds", pt.Op, pt.Measured, pt.Predicted)
		}
		byOp[pt.Op] = append(byOp[pt.Op], pt)
		lo = math.Min(lo, math.Min(pt.Measured, pt.Predicted))
		hi = math.Max(hi, math.Max(pt.Measured, pt.Predicted))
	}
	ops := make([]string, 0, len(byOp))
	for op := range byOp {
		ops = append(ops, op)
	}
	sort.Strings(ops)
	logAxes := lo > 0 && hi/lo > wideRange
	p := newPlot()
	p.X.Label.Text = "measured (s)"
	p.Y.Label.Text = "predicted by the cost model (s)"
	if logAxes {
		for _, a := range []*plot.Axis{&p.X, &p.Y} {
			a.Scale = plot.LogScale{}
			a.Tick.Marker = logTicks{}
		}
		lo, hi = lo/1.5, hi*1.5
	} else {
		lo, hi = math.Min(0, lo), hi*1.08
		if hi <= lo {
			hi = lo + 1
		}
	}
	ideal, err := identity(lo, hi)
	if err != nil {
		return nil, false, err
	}
	p.Add(ideal)
	p.Legend.Add("y = x (perfect prediction)", ideal)
	glyphs := []draw.GlyphDrawer{draw.CircleGlyph{}, draw.SquareGlyph{}, draw.TriangleGlyph{}, draw.PyramidGlyph{}, draw.CrossGlyph{}, draw.PlusGlyph{}}
	for i, op := range ops {
		pts := byOp[op]
		xys := make(plotter.XYs, len(pts))
		errs := make([]float64, len(pts))
		for k, pt := range pts {
			xys[k] = plotter.XY{X: pt.Measured, Y: pt.Predicted}
			errs[k] = relErr(pt.Predicted, pt.Measured)
		}
		s, err := plotter.NewScatter(xys)
		if err != nil {
			return nil, false, fmt.Errorf("op %q: %w", op, err)
		}
		s.Color = Dark2[i%len(Dark2)]
		s.Shape = glyphs[(i/len(Dark2))%len(glyphs)]
		s.Radius = px(4)
		p.Add(s)
		sort.Float64s(errs)
		p.Legend.Add(fmt.Sprintf("%s  (n=%d, median error %s)", op, len(pts), pct(trace.Quantile(errs, 0.5))), s)
	}
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = lo, hi, lo, hi
	return p, logAxes, nil
}
