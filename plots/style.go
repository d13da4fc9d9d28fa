package plots

import (
	"image/color"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Set3 is ColorBrewer's 12-class qualitative Set3 palette, the colours of Spark UI's event
// timeline.
var Set3 = [12]color.RGBA{
	{0x8D, 0xD3, 0xC7, 0xFF}, {0xFF, 0xFF, 0xB3, 0xFF}, {0xBE, 0xBA, 0xDA, 0xFF}, {0xFB, 0x80, 0x72, 0xFF},
	{0x80, 0xB1, 0xD3, 0xFF}, {0xFD, 0xB4, 0x62, 0xFF}, {0xB3, 0xDE, 0x69, 0xFF}, {0xFC, 0xCD, 0xE5, 0xFF},
	{0xD9, 0xD9, 0xD9, 0xFF}, {0xBC, 0x80, 0xBD, 0xFF}, {0xCC, 0xEB, 0xC5, 0xFF}, {0xFF, 0xED, 0x6F, 0xFF},
}

// Dark2 is ColorBrewer's 8-class qualitative Dark2 palette, for points and lines on white.
var Dark2 = [8]color.RGBA{
	{0x1B, 0x9E, 0x77, 0xFF}, {0xD9, 0x5F, 0x02, 0xFF}, {0x75, 0x70, 0xB3, 0xFF}, {0xE7, 0x29, 0x8A, 0xFF},
	{0x66, 0xA6, 0x1E, 0xFF}, {0xE6, 0xAB, 0x02, 0xFF}, {0xA6, 0x76, 0x1D, 0xFF}, {0x66, 0x66, 0x66, 0xFF},
}

// shadeCycles is how many shades of Set3 tell param maps apart before colours repeat.
const shadeCycles = 3

// ParamMapColor is the colour of param map i: Set3 for the first 12, then darker shades of it
// (36 distinct colours in all, repeating after). A negative i (no param map) is a neutral grey
// outside Set3.
func ParamMapColor(i int) color.RGBA {
	if i < 0 {
		return color.RGBA{0xB0, 0xB0, 0xB0, 0xFF}
	}
	c := Set3[i%len(Set3)]
	return scale(c, 1-0.2*float64((i/len(Set3))%shadeCycles))
}

// scale multiplies a colour's channels by f (darker below 1).
func scale(c color.RGBA, f float64) color.RGBA {
	m := func(v uint8) uint8 { return uint8(float64(v)*f + 0.5) }
	return color.RGBA{m(c.R), m(c.G), m(c.B), c.A}
}

var (
	background = color.RGBA{0xFF, 0xFF, 0xFF, 0xFF}
	ink        = color.RGBA{0x22, 0x22, 0x22, 0xFF}
	softInk    = color.RGBA{0x66, 0x66, 0x66, 0xFF}
	rule       = color.RGBA{0xE4, 0xE4, 0xE4, 0xFF}
	markRed    = color.RGBA{0xC0, 0x1C, 0x28, 0xFF}
)

// face is a Liberation Sans face (embedded by gonum/plot) of the given size in points.
func face(size vg.Length, bold bool) font.Face {
	f := font.Font{Typeface: "Liberation", Variant: "Sans"}
	if bold {
		f.Weight = xfont.WeightBold
	}
	return font.DefaultCache.Lookup(f, size)
}

// textStyle is a text style in Liberation Sans.
func textStyle(size vg.Length, bold bool, c color.Color) text.Style {
	return text.Style{Color: c, Font: face(size, bold).Font, Handler: plot.DefaultTextHandler}
}

// newPlot is a gonum plot with tunesim's fonts.
func newPlot() *plot.Plot {
	p := plot.New()
	small := face(9, false).Font
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = face(10, false).Font
		a.Tick.Label.Font = small
		a.Color, a.Tick.Color = softInk, softInk
		a.Tick.Label.Color = ink
		a.Tick.Marker = niceTicks{}
	}
	p.Title.TextStyle.Font = face(12, true).Font
	p.Legend.TextStyle.Font = small
	p.Legend.Top, p.Legend.Left = true, true
	p.Legend.XOffs, p.Legend.YOffs = px(6), -px(4)
	p.Legend.Padding = px(3)
	p.Legend.ThumbnailWidth = px(26)
	return p
}

// write draws one string.
func write(c draw.Canvas, sty text.Style, x, y vg.Length, s string) {
	c.FillText(sty, vg.Point{X: x, Y: y}, s)
}

// fillRect fills the rectangle [x0,x1]x[y0,y1] with col.
func fillRect(c draw.Canvas, col color.Color, x0, y0, x1, y1 vg.Length) {
	c.SetColor(col)
	c.Fill(rectPath(x0, y0, x1, y1))
}

func rectPath(x0, y0, x1, y1 vg.Length) vg.Path {
	var p vg.Path
	p.Move(vg.Point{X: x0, Y: y0})
	p.Line(vg.Point{X: x1, Y: y0})
	p.Line(vg.Point{X: x1, Y: y1})
	p.Line(vg.Point{X: x0, Y: y1})
	p.Close()
	return p
}
