package plots

import (
	"errors"

	xfont "golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/vgimg"
)

// pngCanvas draws text with kerning scaled to the font's size.
//
// vgimg draws a string through golang.org/x/image/font/opentype, whose Face.Kern returns a kerning
// pair's value in font units read as 1/64 pixels whatever the size (golang/go#46727): Liberation
// Sans kerns "11" by -152 of 2048 units, which at 9 points and 96 dpi is -0.9 pixels but is drawn
// as -2.4, so the two ones touch ("#11", an axis's 11), while every layout (font.Face.Width) counts
// the right -0.9. pngCanvas cuts a string where a pair kerns and draws each piece at the position
// font.Face.Width gives it, so the picture and the layout agree. SVG and PDF are not affected:
// their viewers kern by themselves.
type pngCanvas struct{ vgimg.PngCanvas }

// FillString implements vg.Canvas.
func (c pngCanvas) FillString(f font.Face, pt vg.Point, s string) {
	for _, p := range kernedPieces(f, s) {
		c.PngCanvas.FillString(f, vg.Point{X: pt.X + p.x, Y: pt.Y}, p.text)
	}
}

// piece is a run of a string with no kerning pair inside, and where it starts.
type piece struct {
	text string
	x    vg.Length
}

// kernedPieces cuts s before every glyph that kerns with the one before it, and places each piece
// as font.Face.Width lays the string out (kerning and advances at the face's size, unhinted).
func kernedPieces(f font.Face, s string) []piece {
	if f.Face == nil {
		return []piece{{text: s}}
	}
	var (
		buf      sfnt.Buffer
		ppem     = fixed.Int26_6(f.Face.UnitsPerEm())
		scale    = f.Font.Size / vg.Length(ppem)
		x        fixed.Int26_6 // in font units, as font.Face.Width sums them
		start    int
		startX   fixed.Int26_6
		prev     sfnt.GlyphIndex
		out      []piece
		hasPrev  bool
		unhinted = xfont.HintingNone
	)
	for i, r := range s {
		idx, err := f.Face.GlyphIndex(&buf, r)
		if err != nil {
			return []piece{{text: s}}
		}
		if hasPrev {
			k, err := f.Face.Kern(&buf, prev, idx, ppem, unhinted)
			if err != nil && !errors.Is(err, sfnt.ErrNotFound) {
				return []piece{{text: s}}
			}
			if err == nil && k != 0 {
				out = append(out, piece{text: s[start:i], x: vg.Length(startX) * scale})
				x += k
				start, startX = i, x
			}
		}
		adv, err := f.Face.GlyphAdvance(&buf, idx, ppem, unhinted)
		if err != nil {
			return []piece{{text: s}}
		}
		x += adv
		prev, hasPrev = idx, true
	}
	return append(out, piece{text: s[start:], x: vg.Length(startX) * scale})
}
