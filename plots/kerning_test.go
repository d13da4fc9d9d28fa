package plots

import (
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// TestKernedDigitsDoNotTouch renders "11" (Liberation Sans kerns the pair) and "1" in a PNG with
// the pictures' font at the sizes they use, and checks that the two ones stand apart and where
// the layout (font.Face.Width) puts them: the second one starts Width("11") - Width("1") after the
// first. Drawn through x/image's opentype kerning unscaled, the ones overlapped at 9 points.
func TestKernedDigitsDoNotTouch(t *testing.T) {
	for _, tc := range []struct {
		size vg.Length
		bold bool
		text string
	}{
		{9, false, "11"}, {9, false, "#11"}, {10, false, "11"}, {12, true, "11"}, {30, false, "11"},
	} {
		f := face(tc.size, tc.bold)
		one, pair := f.Width("1"), f.Width(tc.text)
		if pair >= f.Width(tc.text[:len(tc.text)-1])+one {
			t.Fatalf("%q at %v pt: the font does not kern the pair (width %v); the test needs a kerned pair", tc.text, tc.size, pair)
		}
		path := filepath.Join(t.TempDir(), "text.png")
		const x0 = 20
		err := render(path, Options{Width: MinSize, Height: MinSize}, func(c draw.Canvas) {
			write(c, textStyle(tc.size, tc.bold, ink), px(x0), px(100), tc.text)
		})
		if err != nil {
			t.Fatal(err)
		}
		runs := inkRuns(t, path)
		if len(runs) != len(tc.text) {
			t.Errorf("%q at %v pt: %d separate glyphs in the picture (ink columns %v), want %d", tc.text, tc.size, len(runs), runs, len(tc.text))
			continue
		}
		last, prev := runs[len(runs)-1], runs[len(runs)-2]
		got := float64(last[0] - prev[0])
		want := toPx(f.Width(tc.text[len(tc.text)-2:]) - one)
		if math.Abs(got-want) > 1 {
			t.Errorf("%q at %v pt: the last two glyphs start %.0f pixels apart, the layout says %.2f", tc.text, tc.size, got, want)
		}
	}
}

// inkRuns reads a PNG and returns the runs of columns [first, last] that hold any dark pixel.
func inkRuns(t *testing.T, path string) [][2]int {
	t.Helper()
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	img, err := png.Decode(fh)
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	var runs [][2]int
	in := false
	for x := b.Min.X; x < b.Max.X; x++ {
		if dark(img, x, b) {
			if !in {
				runs = append(runs, [2]int{x, x})
				in = true
			}
			runs[len(runs)-1][1] = x
		} else {
			in = false
		}
	}
	return runs
}

// dark says whether column x of img has a pixel darker than mid-grey.
func dark(img image.Image, x int, b image.Rectangle) bool {
	for y := b.Min.Y; y < b.Max.Y; y++ {
		r, g, bl, _ := img.At(x, y).RGBA()
		if (r+g+bl)/3 < 0x8000 {
			return true
		}
	}
	return false
}
