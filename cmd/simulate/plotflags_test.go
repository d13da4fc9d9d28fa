package main

import (
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// pngSize decodes a PNG and returns its size.
func pngSize(t *testing.T, path string) (int, int) {
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
	return img.Bounds().Dx(), img.Bounds().Dy()
}

func TestPictures(t *testing.T) {
	dir := t.TempDir()
	tr := filepath.Join(dir, "t.json")
	if code, _, errs := simulate(t, "run", "--parallelism", "3", "--trace", tr, "--timeline", filepath.Join(dir, "run.png")); code != 0 {
		t.Fatalf("run --timeline: exit %d: %s", code, errs)
	}
	for _, tc := range []struct {
		args []string
		file string
		w, h int // 0: any
	}{
		{[]string{"timeline", tr, "-o"}, "tl.png", 1400, 0},
		{[]string{"timeline", tr, "--width", "1100", "--height", "650", "-o"}, "tl-sized.png", 1100, 650},
		{[]string{"sweep", "--parallelism", "1:4", "--width", "1200", "--plot"}, "sweep.png", 1200, 760},
		{[]string{"run", "--parallelism", "2", "--height", "500", "--timeline"}, "run2.png", 1400, 500},
	} {
		path := filepath.Join(dir, tc.file)
		args := append(append([]string(nil), tc.args...), path)
		if code, _, errs := simulate(t, args...); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
		w, h := pngSize(t, path)
		if w != tc.w || (tc.h != 0 && h != tc.h) {
			t.Errorf("%v: %dx%d, want %dx%d", args, w, h, tc.w, tc.h)
		}
	}
	svg := filepath.Join(dir, "tl.svg")
	if code, _, errs := simulate(t, "timeline", tr, "-o", svg); code != 0 {
		t.Fatalf("timeline -o .svg: exit %d: %s", code, errs)
	}
	if b, _ := os.ReadFile(svg); !strings.Contains(string(b), "<svg") {
		t.Error("timeline -o x.svg did not write SVG")
	}
}

func TestPictureBadUsage(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"source":"sim","spans":[{"kind":"task","start_ns":5,"end_ns":1}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		code int
		in   string
	}{
		{[]string{"timeline", "t.json"}, 2, "-o FILE is required"},
		{[]string{"timeline", "-o", "x.png"}, 2, "want one TRACE file"},
		{[]string{"timeline", "a.json", "b.json", "-o", "x.png"}, 2, "want one TRACE file"},
		{[]string{"timeline", "no/such/trace.json", "-o", filepath.Join(dir, "x.png")}, 2, "no/such/trace.json"},
		{[]string{"timeline", bad, "-o", filepath.Join(dir, "x.png")}, 2, "ends at"},
		{[]string{"timeline", "t.json", "-o", "x.gif"}, 2, `".gif" is not a picture format`},
		{[]string{"run", "--timeline", "x.jpeg"}, 2, "allowed: .png, .svg, .pdf"},
		{[]string{"sweep", "--plot", "x.png", "--width", "50"}, 2, "50 pixels"},
		{[]string{"sweep", "--plot", "x.png", "--height", "tall"}, 2, "--height"},
		{[]string{"timeline", "--help"}, 0, "--width"},
	} {
		code, out, errs := simulate(t, tc.args...)
		text := errs
		if tc.code == 0 {
			text = out
		}
		if code != tc.code || !strings.Contains(text, tc.in) {
			t.Errorf("%v: exit %d (want %d), output %q (want it to mention %q)", tc.args, code, tc.code, text, tc.in)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "x.png")); !os.IsNotExist(err) {
		t.Error("a failed timeline left a picture behind")
	}
}

// TestPlotFlagSharedSize checks that two picture flags on one command share --width and --height.
func TestPlotFlagSharedSize(t *testing.T) {
	f := newFlags(&cli{}, "x", "x")
	a := addPlotFlag(f, "a", "first picture")
	b := addPlotFlag(f, "b", "second picture")
	if err := f.parse([]string{"--a", "a.png", "--width", "1234", "--height", "567"}); err != nil {
		t.Fatal(err)
	}
	if !a.set() || b.set() || a.path != "a.png" {
		t.Errorf("set: a %v (%q), b %v", a.set(), a.path, b.set())
	}
	if a.opts() != b.opts() || a.opts().Width != 1234 || a.opts().Height != 567 {
		t.Errorf("options %+v and %+v, want both 1234x567", a.opts(), b.opts())
	}
}
