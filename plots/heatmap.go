package plots

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Grid is a sweep of one scenario field crossed with parallelism, for Heatmap.
type Grid struct {
	// Field is the varied field's JSON path (the y axis), e.g. "cluster.executors".
	Field string
	// Values are the field's values (rows, drawn bottom to top) and Parallelisms the columns.
	Values       []float64
	Parallelisms []int
	// Makespan (seconds) and CoreSeconds (slots x makespan) are indexed [value][parallelism].
	Makespan, CoreSeconds [][]float64
	// Fastest and Cheapest are the [value, parallelism] indices of the cells to frame: the
	// smallest makespan and the fewest core-seconds within 5% of it.
	Fastest, Cheapest [2]int
}

// check says whether g is a complete grid.
func (g Grid) check() error {
	if len(g.Values) == 0 || len(g.Parallelisms) == 0 {
		return errors.New("an empty grid")
	}
	for _, z := range [][][]float64{g.Makespan, g.CoreSeconds} {
		if len(z) != len(g.Values) {
			return fmt.Errorf("%d rows of figures for %d values", len(z), len(g.Values))
		}
		for _, row := range z {
			if len(row) != len(g.Parallelisms) {
				return fmt.Errorf("a row of %d figures for %d parallelisms", len(row), len(g.Parallelisms))
			}
		}
	}
	for _, ix := range [][2]int{g.Fastest, g.Cheapest} {
		if ix[0] < 0 || ix[0] >= len(g.Values) || ix[1] < 0 || ix[1] >= len(g.Parallelisms) {
			return fmt.Errorf("marked cell %v outside the grid", ix)
		}
	}
	return nil
}

// Colours of the heatmap's marks.
var (
	fastestRed    = markRed
	cheapestGreen = color.RGBA{0x1B, 0x9E, 0x77, 0xFF}
)

// ylGnBu is ColorBrewer's sequential YlGnBu (9 classes): light for little, dark blue for much.
var ylGnBu = []color.Color{
	color.RGBA{0xFF, 0xFF, 0xD9, 0xFF}, color.RGBA{0xED, 0xF8, 0xB1, 0xFF}, color.RGBA{0xC7, 0xE9, 0xB4, 0xFF},
	color.RGBA{0x7F, 0xCD, 0xBB, 0xFF}, color.RGBA{0x41, 0xB6, 0xC4, 0xFF}, color.RGBA{0x1D, 0x91, 0xC0, 0xFF},
	color.RGBA{0x22, 0x5E, 0xA8, 0xFF}, color.RGBA{0x25, 0x34, 0x94, 0xFF}, color.RGBA{0x08, 0x1D, 0x58, 0xFF},
}

// Heatmap draws a sweep of a field crossed with parallelism as two heatmaps, one above the
// other: the makespan, and the core-seconds paid (slots x makespan), each with its colour scale,
// every cell labelled when it has room, the fastest cell framed in red and the cheapest within 5%
// of it in green. The format follows path's extension; the file is written atomically.
func Heatmap(title string, g Grid, path string, o Options) error {
	if err := CheckPath(path); err != nil {
		return fmt.Errorf("heatmap: %w", err)
	}
	if err := g.check(); err != nil {
		return fmt.Errorf("heatmap %s: %w", path, err)
	}
	o, err := o.resolve(chartWidth, heatmapHeight(len(g.Values)))
	if err != nil {
		return fmt.Errorf("heatmap: %w", err)
	}
	type panel struct {
		heat, bar *plot.Plot
	}
	var panels []panel
	for _, p := range []struct {
		z     [][]float64
		title string
	}{
		{g.Makespan, "makespan (s)"},
		{g.CoreSeconds, "core-seconds paid (slots × makespan)"},
	} {
		heat, bar, err := heatPanel(g, p.z, p.title)
		if err != nil {
			return fmt.Errorf("heatmap %s: %w", path, err)
		}
		panels = append(panels, panel{heat, bar})
	}
	cell := func(ix [2]int) string {
		return fmt.Sprintf("%s %s at parallelism %d (%s, %s core-s)", g.Field, strconv.FormatFloat(g.Values[ix[0]], 'g', -1, 64),
			g.Parallelisms[ix[1]], seconds(g.Makespan[ix[0]][ix[1]]), cellLabel(g.CoreSeconds[ix[0]][ix[1]]))
	}
	sub := "red frame: fastest, " + cell(g.Fastest)
	if g.Cheapest == g.Fastest {
		sub += ", also the cheapest within 5% of it (green frame)"
	} else {
		sub += "  ·  green frame: cheapest within 5% of it, " + cell(g.Cheapest)
	}
	err = render(path, o, func(c draw.Canvas) {
		c = chartHeader(c, title, sub)
		rows := draw.Tiles{Rows: len(panels), Cols: 1, PadY: px(18)}
		barW := px(110)
		for i, p := range panels {
			tile := rows.At(c, 0, i)
			left := draw.Crop(tile, 0, -barW, 0, 0)
			right := draw.Crop(tile, tile.Max.X-tile.Min.X-barW+px(16), 0, 0, 0)
			p.heat.Draw(left)
			// The scale spans the data area's height: the heatmap's axis and title take the rest.
			dc := p.heat.DataCanvas(left)
			p.bar.Draw(draw.Crop(right, 0, 0, dc.Min.Y-left.Min.Y, dc.Max.Y-left.Max.Y))
		}
	})
	if err != nil {
		return fmt.Errorf("heatmap: %w", err)
	}
	return nil
}

// heatmapHeight is the default height in pixels for n rows: room for each row's label.
func heatmapHeight(n int) int {
	return min(MaxSize, chartHeadPx+2*(110+max(220, 20*n)))
}

// heatPanel is one heatmap of z over g's cells and its colour scale.
func heatPanel(g Grid, z [][]float64, title string) (heat, bar *plot.Plot, err error) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, row := range z {
		for _, v := range row {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	if hi <= lo {
		hi = lo + math.Max(math.Abs(lo)*1e-3, 1e-9)
	}
	cm := &sequential{stops: ylGnBu}
	cm.SetMin(lo)
	cm.SetMax(hi)
	heat = newPlot()
	heat.Title.Text = title
	heat.Title.TextStyle.Font = face(10, true).Font
	heat.X.Label.Text = "parallelism (tuner threads)"
	heat.Y.Label.Text = g.Field
	xl := make([]string, len(g.Parallelisms))
	for i, p := range g.Parallelisms {
		xl[i] = strconv.Itoa(p)
	}
	yl := make([]string, len(g.Values))
	for i, v := range g.Values {
		yl[i] = strconv.FormatFloat(v, 'g', -1, 64)
	}
	heat.X.Tick.Marker, heat.Y.Tick.Marker = indexTicks(xl), indexTicks(yl)
	heat.X.Min, heat.X.Max = -0.5, float64(len(xl))-0.5
	heat.Y.Min, heat.Y.Max = -0.5, float64(len(yl))-0.5
	heat.Add(cells{z: z, cm: cm, marks: []cellMark{{g.Cheapest, cheapestGreen, 0}, {g.Fastest, fastestRed, px(3)}}})

	bar = newPlot()
	bar.HideX()
	bar.Y.Tick.Marker = niceTicks{}
	bar.Y.Padding = 0
	bar.Add(&plotter.ColorBar{ColorMap: cm, Vertical: true, Colors: 64})
	return heat, bar, nil
}

// cellMark frames one cell in a colour, inset by some length (two marks on one cell nest).
type cellMark struct {
	cell  [2]int
	col   color.Color
	inset vg.Length
}

// cells draws z[row][col] as coloured unit squares centred on (col, row), labelled when they have
// room, with their marks framed.
type cells struct {
	z     [][]float64
	cm    *sequential
	marks []cellMark
}

// Plot implements plot.Plotter.
func (h cells) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	sty := textStyle(8, false, ink)
	box := func(r, col int) (x0, y0, x1, y1 vg.Length) {
		return trX(float64(col) - 0.5), trY(float64(r) - 0.5), trX(float64(col) + 0.5), trY(float64(r) + 0.5)
	}
	for r, row := range h.z {
		for col, v := range row {
			fill, _ := h.cm.At(v) // sequential: never an error
			x0, y0, x1, y1 := box(r, col)
			fillRect(c, fill, x0, y0, x1, y1)
			label := cellLabel(v)
			if w := sty.Width(label); w+px(4) <= x1-x0 && y1-y0 >= px(12) {
				ts := sty
				ts.Color = ink
				if luminance(fill) < 0.45 {
					ts.Color = background
				}
				ts.XAlign, ts.YAlign = draw.XCenter, draw.YCenter
				c.FillText(ts, vg.Point{X: (x0 + x1) / 2, Y: (y0 + y1) / 2}, label)
			}
		}
	}
	for _, m := range h.marks {
		x0, y0, x1, y1 := box(m.cell[0], m.cell[1])
		w := px(2.5)
		in := m.inset + w/2
		c.StrokeLines(draw.LineStyle{Color: m.col, Width: w}, []vg.Point{
			{X: x0 + in, Y: y0 + in}, {X: x1 - in, Y: y0 + in}, {X: x1 - in, Y: y1 - in}, {X: x0 + in, Y: y1 - in}, {X: x0 + in, Y: y0 + in},
		})
	}
}

// cellLabel prints a cell's figure with three significant digits or fewer (0.363, 12.4, 1234).
func cellLabel(v float64) string {
	switch a := math.Abs(v); {
	case a >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case a >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	case a >= 1:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
	return strconv.FormatFloat(v, 'f', 3, 64)
}

// luminance is a colour's relative luminance (0 black to 1 white), for choosing text on it.
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	return (0.2126*float64(r) + 0.7152*float64(g) + 0.0722*float64(b)) / 0xFFFF
}

// indexTicks labels positions 0..n-1 with labels, every k-th when there are many.
type indexTicks []string

// Ticks implements plot.Ticker.
func (t indexTicks) Ticks(lo, hi float64) []plot.Tick {
	step := 1
	for len(t)/step > 24 {
		step++
	}
	var ts []plot.Tick
	for i, l := range t {
		if float64(i) < lo || float64(i) > hi {
			continue
		}
		if i%step != 0 {
			l = ""
		}
		ts = append(ts, plot.Tick{Value: float64(i), Label: l})
	}
	return ts
}

// sequential is a colour scale from Min to Max through evenly spaced colour stops, interpolated
// in RGB; values outside it take the nearest end. It implements palette.ColorMap for the colour
// bar.
type sequential struct {
	stops    []color.Color
	min, max float64
}

// At implements palette.ColorMap.
func (s *sequential) At(v float64) (color.Color, error) {
	t := 0.0
	if s.max > s.min {
		t = (v - s.min) / (s.max - s.min)
	}
	if math.IsNaN(t) {
		t = 0
	}
	t = math.Max(0, math.Min(1, t)) * float64(len(s.stops)-1)
	i := min(int(t), len(s.stops)-2)
	f := t - float64(i)
	a, b := color.RGBAModel.Convert(s.stops[i]).(color.RGBA), color.RGBAModel.Convert(s.stops[i+1]).(color.RGBA)
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x)*(1-f) + float64(y)*f)) }
	return color.RGBA{mix(a.R, b.R), mix(a.G, b.G), mix(a.B, b.B), 0xFF}, nil
}

// Max implements palette.ColorMap.
func (s *sequential) Max() float64 { return s.max }

// SetMax implements palette.ColorMap.
func (s *sequential) SetMax(v float64) { s.max = v }

// Min implements palette.ColorMap.
func (s *sequential) Min() float64 { return s.min }

// SetMin implements palette.ColorMap.
func (s *sequential) SetMin(v float64) { s.min = v }

// Alpha implements palette.ColorMap: the scale is opaque.
func (s *sequential) Alpha() float64 { return 1 }

// SetAlpha implements palette.ColorMap; the scale stays opaque.
func (s *sequential) SetAlpha(float64) {}

// Palette implements palette.ColorMap: n colours evenly spread from Min to Max.
func (s *sequential) Palette(n int) palette.Palette {
	cs := make([]color.Color, n)
	for i := range cs {
		v := s.min
		if n > 1 {
			v += (s.max - s.min) * float64(i) / float64(n-1)
		}
		cs[i], _ = s.At(v)
	}
	return colors(cs)
}

// colors is a fixed palette.Palette.
type colors []color.Color

// Colors implements palette.Palette.
func (c colors) Colors() []color.Color { return c }
