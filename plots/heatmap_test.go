package plots

import (
	"errors"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// testGrid is a 3 x 4 grid whose makespan falls with parallelism and core-seconds grow with the
// value, with the fastest and cheapest cells apart.
func testGrid() Grid {
	g := Grid{Field: "cluster.executors", Values: []float64{2, 4, 8}, Parallelisms: []int{1, 2, 4, 11}}
	for _, v := range g.Values {
		var mk, cs []float64
		for _, p := range g.Parallelisms {
			m := 10 / float64(p) / (1 + v/16)
			mk, cs = append(mk, m), append(cs, m*v)
		}
		g.Makespan, g.CoreSeconds = append(g.Makespan, mk), append(g.CoreSeconds, cs)
	}
	g.Fastest, g.Cheapest = [2]int{2, 3}, [2]int{0, 3}
	return g
}

func TestHeatmap(t *testing.T) {
	dir := t.TempDir()
	// Small pictures keep the test quick under -race; PDF goes through the same render as the
	// other charts (TestTimelinePDF).
	size := Options{Width: 640, Height: 480}
	for _, ext := range []string{".png", ".svg"} {
		path := filepath.Join(dir, "heat"+ext)
		if err := Heatmap("test: cluster.executors x parallelism", testGrid(), path, size); err != nil {
			t.Fatalf("%s: %v", ext, err)
		}
		if st, err := os.Stat(path); err != nil || st.Size() == 0 {
			t.Fatalf("%s: nothing written (%v)", ext, err)
		}
	}
	f, err := os.Open(filepath.Join(dir, "heat.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != size.Width || b.Dy() != size.Height {
		t.Errorf("picture %dx%d, want %dx%d", b.Dx(), b.Dy(), size.Width, size.Height)
	}
	// Both frames are drawn (in each panel): count pixels of exactly their colours.
	count := map[color.RGBA]int{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
			if c == fastestRed || c == cheapestGreen {
				count[c]++
			}
		}
	}
	for name, c := range map[string]color.RGBA{"fastest": fastestRed, "cheapest": cheapestGreen} {
		if count[c] < 100 {
			t.Errorf("%s frame: %d pixels of its colour, want a frame in each panel", name, count[c])
		}
	}
}

func TestHeatmapErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		edit func(*Grid)
		path string
		want string
	}{
		{"bad extension", nil, "heat.gif", "not a picture format"},
		{"no values", func(g *Grid) { g.Values = nil }, "heat.png", "empty grid"},
		{"short row", func(g *Grid) { g.Makespan[1] = g.Makespan[1][:2] }, "heat.png", "a row of 2 figures for 4 parallelisms"},
		{"missing row", func(g *Grid) { g.CoreSeconds = g.CoreSeconds[:1] }, "heat.png", "1 rows of figures for 3 values"},
		{"mark outside", func(g *Grid) { g.Cheapest = [2]int{3, 0} }, "heat.png", "outside the grid"},
	} {
		g := testGrid()
		if tc.edit != nil {
			tc.edit(&g)
		}
		err := Heatmap("t", g, filepath.Join(dir, tc.path), Options{})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error saying %q", tc.name, err, tc.want)
		}
	}
	if err := Heatmap("t", testGrid(), filepath.Join(dir, "h.png"), Options{Width: 5}); !errors.Is(err, ErrOptions) {
		t.Errorf("width 5: %v, want ErrOptions", err)
	}
}

func TestSequentialScale(t *testing.T) {
	s := &sequential{stops: ylGnBu}
	s.SetMin(2)
	s.SetMax(10)
	at := func(v float64) color.RGBA {
		c, err := s.At(v)
		if err != nil {
			t.Fatal(err)
		}
		return c.(color.RGBA)
	}
	first, last := color.RGBAModel.Convert(ylGnBu[0]).(color.RGBA), color.RGBAModel.Convert(ylGnBu[len(ylGnBu)-1]).(color.RGBA)
	if at(2) != first || at(10) != last || at(-5) != first || at(99) != last {
		t.Errorf("ends %v %v, outside %v %v; want %v and %v", at(2), at(10), at(-5), at(99), first, last)
	}
	// Light for little, dark for much: luminance falls all the way.
	prev := 2.0
	for v := 2.0; v <= 10; v += 0.25 {
		l := luminance(at(v))
		if l > prev+1e-9 {
			t.Errorf("luminance rises at %v: %v after %v", v, l, prev)
		}
		prev = l
	}
	if p := s.Palette(5).Colors(); len(p) != 5 || p[0] != color.Color(first) || p[4] != color.Color(last) {
		t.Errorf("Palette(5) = %v, want 5 colours from %v to %v", p, first, last)
	}
}

func TestIndexTicks(t *testing.T) {
	labels := make(indexTicks, 50)
	for i := range labels {
		labels[i] = string(rune('a' + i%26))
	}
	ts := labels.Ticks(-0.5, 49.5)
	if len(ts) != 50 {
		t.Fatalf("%d ticks, want one per position", len(ts))
	}
	shown := 0
	for i, tk := range ts {
		if tk.Value != float64(i) {
			t.Errorf("tick %d at %v", i, tk.Value)
		}
		if tk.Label != "" {
			shown++
			if tk.Label != labels[i] {
				t.Errorf("tick %d labelled %q, want %q", i, tk.Label, labels[i])
			}
		}
	}
	if shown > 25 || shown < 12 {
		t.Errorf("%d of 50 labels shown, want every second or third", shown)
	}
	if got := (indexTicks{"1", "2", "11"}).Ticks(-0.5, 2.5); len(got) != 3 || got[2].Label != "11" {
		t.Errorf("3 labels: %v", got)
	}
}
