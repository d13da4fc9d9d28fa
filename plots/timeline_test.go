package plots

import (
	"encoding/xml"
	"errors"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tunesim/trace"
)

// decodePNG reads a PNG written by the package.
func decodePNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img
}

func rgb(c color.Color) color.RGBA {
	r, g, b, _ := c.RGBA()
	return color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), 0xFF}
}

// colourAt is the colour of the image at fraction (fx, fy) of the data area found by probe.
func countColour(img image.Image, want color.RGBA, x0, x1, y0, y1 int) int {
	n := 0
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			if rgb(img.At(x, y)) == want {
				n++
			}
		}
	}
	return n
}

func TestTimelineSize(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		o    Options
		w, h int
	}{
		{"default", Options{}, timelineWidth, 0},
		{"given", Options{Width: 1200, Height: 700}, 1200, 700},
		{"width only", Options{Width: 1000}, 1000, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+".png")
			if err := Timeline(handTrace(), path, tc.o); err != nil {
				t.Fatal(err)
			}
			b := decodePNG(t, path).Bounds()
			if b.Dx() != tc.w || (tc.h != 0 && b.Dy() != tc.h) || b.Dy() < minTimelinePx {
				t.Errorf("size %dx%d, want %dx%d (height at least %d)", b.Dx(), b.Dy(), tc.w, tc.h, minTimelinePx)
			}
		})
	}
}

// TestTimelineColours checks the picture against the hand trace, lane by lane: lane rows are found
// by looking for the colours the trace puts on them, never by pixel positions baked in.
func TestTimelineColours(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hand.png")
	tr := handTrace()
	if err := Timeline(tr, path, Options{Width: 1200, Height: 600}); err != nil {
		t.Fatal(err)
	}
	img := decodePNG(t, path)
	b := img.Bounds()
	c0, c1 := ParamMapColor(0), ParamMapColor(1)
	if c0 == c1 {
		t.Fatalf("param maps 0 and 1 share colour %v", c0)
	}
	// Rows of the image that hold each colour in the left half (the lanes; the legend is right).
	rowsWith := func(c color.RGBA) []int {
		var ys []int
		for y := 0; y < b.Dy(); y++ {
			if countColour(img, c, 0, b.Dx()/2, y, y+1) > 50 {
				ys = append(ys, y)
			}
		}
		return ys
	}
	r0, r1 := rowsWith(c0), rowsWith(c1)
	if len(r0) == 0 || len(r1) == 0 {
		t.Fatalf("Set3 colours of param maps 0 and 1 not found where tasks are: %d and %d rows", len(r0), len(r1))
	}
	// Slot 3 never runs a task: the rows below the last coloured row of the lanes down to the time
	// axis are background across the data area.
	last := max(r0[len(r0)-1], r1[len(r1)-1])
	lane := (r1[len(r1)-1] - r1[0]) // at least a lane tall
	if lane <= 0 {
		t.Fatal("no lane height")
	}
	empty := 0
	for y := last + 4; y < last+lane/4 && y < b.Dy(); y++ {
		for x := 100; x < b.Dx()/2; x++ {
			c := rgb(img.At(x, y))
			if c != background && c != rule && !isGrey(c) {
				t.Fatalf("pixel (%d,%d) below the last busy lane is %v, want background", x, y, c)
			}
			empty++
		}
	}
	if empty == 0 {
		t.Fatal("no pixels checked below the last busy lane")
	}
}

// isGrey says whether c is a neutral grey (grid lines, separators, axis).
func isGrey(c color.RGBA) bool { return c.R == c.G && c.G == c.B }

// TestTimelineLanes checks the lanes against the hand trace's facts.
func TestTimelineLanes(t *testing.T) {
	tl, err := newTimeline(handTrace())
	if err != nil {
		t.Fatal(err)
	}
	if len(tl.slots) != 4 || len(tl.threads) != 2 {
		t.Errorf("%d slot lanes and %d thread lanes, want 4 and 2", len(tl.slots), len(tl.threads))
	}
	if len(tl.tasks[3]) != 0 {
		t.Errorf("slot 3 has %d bars, want none", len(tl.tasks[3]))
	}
	if tl.refit != 4 || tl.refitMap != 1 {
		t.Errorf("refit is fit %d of param map %d, want fit 4 of param map 1", tl.refit, tl.refitMap)
	}
	var labels []string
	for _, m := range tl.marks {
		labels = append(labels, m.label)
	}
	if got := strings.Join(labels, ","); got != "refit,fold 1/2,fold 2/2" {
		t.Errorf("marks %q", got)
	}
	// Packing: no thread holds two fits at once, and every driver step lies inside its fit's
	// interval on the same thread.
	for th, fits := range tl.fits {
		for i := 1; i < len(fits); i++ {
			if fits[i].start < fits[i-1].end {
				t.Errorf("thread %d runs fits %d and %d at once", th, fits[i-1].fit, fits[i].fit)
			}
		}
		for _, d := range tl.drivers[th] {
			inside := false
			for _, f := range fits {
				inside = inside || (f.fit == d.fit && f.start <= d.start && d.end <= f.end)
			}
			if !inside {
				t.Errorf("driver step of fit %d on thread %d is outside that fit", d.fit, th)
			}
		}
	}
}

// TestPackingRandom checks interval packing on random traces: fits that overlap in time never
// share a thread, and the number of threads equals the largest number of fits at once.
func TestPackingRandom(t *testing.T) {
	for seed := uint64(0); seed < 200; seed++ {
		tr := synthTrace(1, 2, 1+int(seed%5), 300, seed)
		for i := range tr.Spans {
			if tr.Spans[i].Kind != trace.KindTask {
				tr.Spans[i].Slot = trace.None
			}
		}
		tl, err := newTimeline(tr)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(tl.threads), tr.MaxConcurrency(trace.KindFit); got != want {
			t.Fatalf("seed %d: %d threads for at most %d fits at once", seed, got, want)
		}
		for th, fits := range tl.fits {
			for i := 1; i < len(fits); i++ {
				if fits[i].start < fits[i-1].end {
					t.Fatalf("seed %d: thread %d runs two fits at once", seed, th)
				}
			}
		}
	}
}

func TestTimelineSVG(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hand.svg")
	if err := Timeline(handTrace(), path, Options{}); err != nil {
		t.Fatal(err)
	}
	wellFormedXML(t, path)
}

// wellFormedXML decodes every token of an XML file to the end.
func wellFormedXML(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d := xml.NewDecoder(f)
	sawSVG := false
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("%s is not well-formed XML: %v", path, err)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "svg" {
			sawSVG = true
		}
	}
	if !sawSVG {
		t.Fatalf("%s has no <svg> element", path)
	}
}

func TestTimelinePDF(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hand.pdf")
	if err := Timeline(handTrace(), path, Options{}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil || !strings.HasPrefix(string(b), "%PDF-") {
		t.Fatalf("not a PDF (%v): %q", err, b[:min(len(b), 8)])
	}
}

// TestTimelineLarge draws 10^5 spans on 500 lanes, and says on the picture what it aggregated.
func TestTimelineLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("large trace skipped in -short mode")
	}
	tr := synthTrace(50, 8, 100, 100000, 7)
	tl, err := newTimeline(tr)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(tl.threads) + len(tl.slots); n != 500 {
		t.Fatalf("%d lanes, want 500", n)
	}
	path := filepath.Join(t.TempDir(), "large.png")
	if err := Timeline(tr, path, Options{Height: 800}); err != nil {
		t.Fatal(err)
	}
	img := decodePNG(t, path)
	if img.Bounds().Dy() != 800 {
		t.Errorf("height %d, want 800", img.Bounds().Dy())
	}
	// With 800 pixels for 500 lanes the rows must be grouped, and the picture says so in red.
	l := tl.layoutRows(800-headerPx-markStripPx-xAxisPx, 1000)
	if l.group < 2 {
		t.Errorf("500 lanes in 800 pixels not grouped")
	}
	if countColour(img, markRed, 0, img.Bounds().Dx(), 0, headerPx) == 0 {
		t.Error("no note about aggregation in the header")
	}
}

func TestTimelineErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		tr   *trace.Trace
		path string
		o    Options
		want string
	}{
		{"nil trace", nil, "a.png", Options{}, "no trace"},
		{"no spans", &trace.Trace{Source: "sim"}, "a.png", Options{}, "no spans"},
		{"bad extension", handTrace(), "a.gif", Options{}, `".gif" is not a picture format`},
		{"width too small", handTrace(), "a.png", Options{Width: 10}, "width: bad picture options: 10 pixels"},
		{"negative height", handTrace(), "a.png", Options{Height: -5}, "height"},
		{"missing directory", handTrace(), "no/such/dir/a.png", Options{}, "no/such/dir"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Timeline(tc.tr, filepath.Join(dir, tc.path), tc.o)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func BenchmarkTimeline100k(b *testing.B) {
	tr := synthTrace(50, 8, 100, 100000, 7)
	path := filepath.Join(b.TempDir(), "large.png")
	for b.Loop() {
		if err := Timeline(tr, path, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
