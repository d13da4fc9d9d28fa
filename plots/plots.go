// Package plots draws tunesim's pictures with gonum.org/v1/plot: a Spark-UI-like timeline of any
// trace.Trace, the speedup and idle-core curves of a sweep, simulated against real makespans, and
// predicted against measured operation durations.
//
// Every function takes the output path, whose extension chooses the format (.png, .svg or .pdf),
// and writes the file atomically. Text uses the fonts gonum/plot embeds (Liberation), so no system
// font is needed. Figures such as makespan and utilization come from package trace; plots only
// draws them.
package plots

import (
	"errors"
	"fmt"
	xfont "golang.org/x/image/font"
	"io"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"

	"tunesim/atomicfile"
)

// Options set the size of a picture in pixels (for SVG and PDF, pixels at 96 per inch). Zero
// takes the picture's default, which is at least 1000 pixels wide.
type Options struct {
	Width, Height int
}

// The sizes a picture may have, in pixels.
const (
	MinSize = 200
	MaxSize = 20000
)

// ErrOptions is wrapped by every error about a bad path extension or size, so callers can tell
// a bad request from a failure to write.
var ErrOptions = errors.New("bad picture options")

// Formats are the file extensions the pictures can be written as.
var Formats = []string{".png", ".svg", ".pdf"}

// CheckPath says whether path's extension names a format the pictures can be written as.
func CheckPath(path string) error {
	ext := strings.ToLower(filepath.Ext(path))
	for _, f := range Formats {
		if ext == f {
			return nil
		}
	}
	return fmt.Errorf("%w: %s: the extension %q is not a picture format; allowed: %s", ErrOptions, path, ext, strings.Join(Formats, ", "))
}

// CheckSize says whether n pixels is an allowed width or height (0 meaning the default).
func CheckSize(n int) error {
	if n != 0 && (n < MinSize || n > MaxSize) {
		return fmt.Errorf("%w: %d pixels: allowed are 0 (the default) or %d to %d", ErrOptions, n, MinSize, MaxSize)
	}
	return nil
}

// resolve checks o and fills in the defaults.
func (o Options) resolve(width, height int) (Options, error) {
	if err := CheckSize(o.Width); err != nil {
		return o, fmt.Errorf("width: %w", err)
	}
	if err := CheckSize(o.Height); err != nil {
		return o, fmt.Errorf("height: %w", err)
	}
	if o.Width == 0 {
		o.Width = width
	}
	if o.Height == 0 {
		o.Height = height
	}
	return o, nil
}

// dpi is the resolution at which Options' pixels are laid out.
const dpi = 96

// px converts pixels to vg lengths.
func px(n float64) vg.Length { return vg.Length(n) * vg.Inch / dpi }

// toPx converts a vg length to pixels.
func toPx(l vg.Length) float64 { return float64(l / vg.Inch * dpi) }

// render draws a picture of o's size with fill and writes it to path atomically, in the format
// its extension names.
func render(path string, o Options, fill func(c draw.Canvas)) error {
	if err := CheckPath(path); err != nil {
		return err
	}
	w, h := px(float64(o.Width)), px(float64(o.Height))
	var c vg.CanvasWriterTo
	switch strings.ToLower(filepath.Ext(path)) {
	case ".png":
		c = pngCanvas{vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(dpi))}}
	case ".svg":
		c = vgsvg.New(w, h)
	case ".pdf":
		p := vgpdf.New(w, h)
		p.EmbedFonts(true)
		c = pdfCanvas{p}
	}
	dc := draw.New(c)
	dc.SetColor(background)
	dc.Fill(dc.Rectangle.Path())
	fill(dc)
	return atomicfile.Write(path, func(w io.Writer) error {
		_, err := c.WriteTo(w)
		return err
	})
}

// pdfCanvas works around vgpdf registering every embedded font without its style, so that bold
// text fails to render ("undefined font"): it writes bold text in the regular face.
type pdfCanvas struct{ *vgpdf.Canvas }

// FillString implements vg.Canvas.
func (c pdfCanvas) FillString(f font.Face, pt vg.Point, s string) {
	if f.Font.Weight != xfont.WeightNormal {
		f = face(f.Font.Size, false)
	}
	c.Canvas.FillString(f, pt, s)
}
