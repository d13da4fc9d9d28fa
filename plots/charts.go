package plots

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Sizes of the charts, in pixels.
const (
	chartWidth  = 1000
	chartHeight = 760
	chartHeadPx = 48
)

// Colours of the charts' series.
var (
	simBlue    = color.RGBA{0x1F, 0x78, 0xB4, 0xFF}
	realOrange = color.RGBA{0xE6, 0x6A, 0x02, 0xFF}
	bandBlue   = color.RGBA{0xA6, 0xCE, 0xE3, 0xFF}
	bandOrange = color.RGBA{0xFD, 0xD0, 0xA2, 0xFF}
	idealGrey  = color.RGBA{0x88, 0x88, 0x88, 0xFF}
)

// chartHeader writes a chart's title and a smaller line under it at the top of c, and returns
// the canvas below them.
func chartHeader(c draw.Canvas, title, sub string) draw.Canvas {
	y := c.Max.Y - px(22)
	write(c, textStyle(13, true, ink), c.Min.X+px(12), y, title)
	if sub != "" {
		write(c, textStyle(9.5, false, softInk), c.Min.X+px(12), y-px(17), sub)
	}
	return draw.Crop(c, px(4), -px(14), px(4), -px(chartHeadPx))
}

// stacked draws plots one above the other with their data areas aligned.
func stacked(c draw.Canvas, ps ...*plot.Plot) {
	rows := make([][]*plot.Plot, len(ps))
	for i, p := range ps {
		rows[i] = []*plot.Plot{p}
	}
	cs := plot.Align(rows, draw.Tiles{Rows: len(ps), Cols: 1, PadY: px(14)}, c)
	for i, p := range ps {
		p.Draw(cs[i][0])
	}
}

// line is a series drawn as a line through points.
func line(xys plotter.XYs, col color.Color, dashed bool, glyph draw.GlyphDrawer) (*plotter.Line, *plotter.Scatter, error) {
	l, s, err := plotter.NewLinePoints(xys)
	if err != nil {
		return nil, nil, err
	}
	l.Color, l.Width = col, px(2)
	if dashed {
		l.Dashes = []vg.Length{px(6), px(4)}
	}
	s.Color, s.Radius, s.Shape = col, px(3.5), glyph
	return l, s, nil
}

// band is the area between lo and hi over xs.
func band(xs, lo, hi []float64, col color.Color) (*plotter.Polygon, error) {
	pts := make(plotter.XYs, 0, 2*len(xs))
	for i := range xs {
		pts = append(pts, plotter.XY{X: xs[i], Y: hi[i]})
	}
	for i := len(xs) - 1; i >= 0; i-- {
		pts = append(pts, plotter.XY{X: xs[i], Y: lo[i]})
	}
	p, err := plotter.NewPolygon(pts)
	if err != nil {
		return nil, err
	}
	p.Color = col
	p.LineStyle.Width = 0
	return p, nil
}

// identity is the y = x line from lo to hi.
func identity(lo, hi float64) (*plotter.Line, error) {
	l, err := plotter.NewLine(plotter.XYs{{X: lo, Y: lo}, {X: hi, Y: hi}})
	if err != nil {
		return nil, err
	}
	l.Color, l.Width, l.Dashes = idealGrey, px(1.2), []vg.Length{px(4), px(4)}
	return l, nil
}

// vline is a vertical line at x across a plot, with a label near its top.
type vline struct {
	x     float64
	label string
	col   color.Color
}

// Plot implements plot.Plotter.
func (v vline) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	x := trX(v.x)
	c.StrokeLine2(draw.LineStyle{Color: v.col, Width: px(1.4), Dashes: []vg.Length{px(5), px(3)}}, x, c.Min.Y, x, c.Max.Y)
	if v.label != "" {
		sty := textStyle(9, true, v.col)
		w := sty.Width(v.label)
		lx := x + px(4)
		if lx+w > c.Max.X {
			lx = x - px(4) - w
		}
		y := c.Max.Y - px(14)
		fillRect(c, background, lx-px(2), y-px(3), lx+w+px(2), y+sty.FontExtents().Ascent+px(2))
		write(c, sty, lx, y, v.label)
	}
}

// pct formats a relative error as a signed percentage.
func pct(e float64) string {
	if math.IsNaN(e) || math.IsInf(e, 0) {
		return "n/a"
	}
	if math.Abs(e) < 0.005 {
		return "0%"
	}
	return fmt.Sprintf("%+.0f%%", 100*e)
}

// relErr is (got - want) / want, NaN when want is 0.
func relErr(got, want float64) float64 {
	if want == 0 {
		return math.NaN()
	}
	return (got - want) / want
}
