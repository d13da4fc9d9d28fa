package plots

import (
	"bytes"
	"image/color"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"tunesim/trace"
)

// sweepResults is a sweep whose speedup grows to 3 and stays there, with spread when runs > 1.
func sweepResults(runs int) []trace.Result {
	var rs []trace.Result
	for p := 1; p <= 8; p++ {
		sp := math.Min(float64(p), 3)
		w := 0.0
		if runs > 1 {
			w = 0.1 * sp
		}
		mk := 9 / sp
		rs = append(rs, trace.Result{Parallelism: p, Runs: runs,
			Makespan:        trace.Spread{P10: mk * 0.95, P50: mk, P90: mk * 1.05},
			Speedup:         trace.Spread{P10: sp - w, P50: sp, P90: sp + w},
			IdleCoreSeconds: trace.Spread{P10: 8*mk - 9 - w, P50: 8*mk - 9, P90: 8*mk - 9 + w}})
	}
	return rs
}

// histogram counts the pixels of each colour of a PNG, in one pass.
func histogram(t *testing.T, path string) map[color.RGBA]int {
	t.Helper()
	img := decodePNG(t, path)
	b := img.Bounds()
	h := map[color.RGBA]int{}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			h[rgb(img.At(x, y))]++
		}
	}
	return h
}

func TestSweep(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name       string
		runs, rec  int
		o          Options
		w, h       int
		band, red  bool
		dropSerial bool
	}{
		{"one run", 1, 3, Options{}, chartWidth, chartHeight, false, true, false},
		{"replicas", 9, 3, Options{}, chartWidth, chartHeight, true, true, false},
		{"no recommendation", 1, 0, Options{Width: 1200, Height: 500}, 1200, 500, false, false, false},
		{"no serial run", 5, 4, Options{}, chartWidth, chartHeight, true, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rs := sweepResults(tc.runs)
			if tc.dropSerial {
				for i := range rs {
					rs[i].Speedup = trace.Spread{}
				}
			}
			path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+".png")
			if err := Sweep("test sweep", rs, tc.rec, path, tc.o); err != nil {
				t.Fatal(err)
			}
			b := decodePNG(t, path).Bounds()
			if b.Dx() != tc.w || b.Dy() != tc.h {
				t.Errorf("size %dx%d, want %dx%d", b.Dx(), b.Dy(), tc.w, tc.h)
			}
			h := histogram(t, path)
			if got := h[bandBlue] > 100; got != tc.band {
				t.Errorf("p10-p90 band drawn: %v, want %v", got, tc.band)
			}
			if got := h[markRed] > 50; got != tc.red {
				t.Errorf("recommended value marked: %v, want %v", got, tc.red)
			}
			if h[simBlue] < 100 || h[realOrange] < 100 {
				t.Error("the speedup (blue) or idle (orange) curve is missing")
			}
		})
	}
}

// TestSweepPanels checks what the panels show: the measured curve stays in view however far the
// ideal line climbs, and the upper panel falls back to makespan without a serial run.
func TestSweepPanels(t *testing.T) {
	rs := sweepResults(3)
	top, bottom, sub, err := sweepPlots(rs, 3, trace.RecommendRule)
	if err != nil {
		t.Fatal(err)
	}
	if top.Y.Max < 3.3 || top.Y.Max > 8 {
		t.Errorf("speedup axis reaches %v; want above the p90 (3.3) and below the ideal's 8", top.Y.Max)
	}
	if !strings.Contains(top.Y.Label.Text, "speedup") || !strings.Contains(bottom.Y.Label.Text, "idle") {
		t.Errorf("panels %q and %q", top.Y.Label.Text, bottom.Y.Label.Text)
	}
	if !strings.Contains(sub, "p10–p90 over 3 runs") || !strings.Contains(sub, trace.RecommendRule) {
		t.Errorf("subtitle %q", sub)
	}
	for i := range rs {
		rs[i].Speedup = trace.Spread{}
	}
	top, _, sub, err = sweepPlots(rs, 3, trace.RecommendRule)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(top.Y.Label.Text, "makespan") || !strings.Contains(sub, "no parallelism-1 run") {
		t.Errorf("without speedups: panel %q, subtitle %q", top.Y.Label.Text, sub)
	}
}

// TestSweepCeiling: the CPU ceiling is drawn across the speedup panel, in its legend, in view.
func TestSweepCeiling(t *testing.T) {
	rs := sweepResults(1)
	top, _, _, err := sweepPlots(rs, 3, trace.RecommendRule)
	if err != nil {
		t.Fatal(err)
	}
	if err := addCeiling(top, rs, 9.5); err != nil {
		t.Fatal(err)
	}
	if top.Y.Max < 9.5 {
		t.Errorf("speedup axis reaches %v, below the ceiling 9.5", top.Y.Max)
	}
	dir := t.TempDir()
	with, without := filepath.Join(dir, "with.png"), filepath.Join(dir, "without.png")
	if err := SweepWithCeiling("t", rs, 3, trace.RecommendRule, 1.05, with, Options{}); err != nil {
		t.Fatal(err)
	}
	if err := Sweep("t", rs, 3, without, Options{}); err != nil {
		t.Fatal(err)
	}
	a, errA := os.ReadFile(with)
	b, errB := os.ReadFile(without)
	if errA != nil || errB != nil || bytes.Equal(a, b) {
		t.Errorf("the sweep with a ceiling draws the same picture as without (%v, %v)", errA, errB)
	}
}

func TestValidation(t *testing.T) {
	var rows []ValidationRow
	for p := 1; p <= 6; p++ {
		real := 6 / math.Min(float64(p), 3)
		rows = append(rows, ValidationRow{Parallelism: p, SimulatedS: real * 1.1, RealS: real, SimulatedSpeedup: 6 / (real * 1.1) * 1.1, RealSpeedup: 6 / real})
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "v.png")
	if err := Validation("validation", rows, path, Options{}); err != nil {
		t.Fatal(err)
	}
	if h := histogram(t, path); h[simBlue] < 100 || h[realOrange] < 100 {
		t.Error("simulated (blue) or real (orange) series missing")
	}
	p, err := validationPanel(rows, "makespan", func(r ValidationRow) (float64, float64) { return r.SimulatedS, r.RealS })
	if err != nil {
		t.Fatal(err)
	}
	if p.Y.Max < 6*1.1 {
		t.Errorf("makespan axis ends at %v, below the largest value 6.6", p.Y.Max)
	}
	svg := filepath.Join(dir, "v.svg")
	if err := Validation("validation", rows, svg, Options{}); err != nil {
		t.Fatal(err)
	}
	wellFormedXML(t, svg)
	if err := Validation("validation", nil, path, Options{}); err == nil {
		t.Error("no rows: no error")
	}
}

func TestRelErrPct(t *testing.T) {
	for _, tc := range []struct {
		got, want float64
		s         string
	}{
		{110, 100, "+10%"}, {90, 100, "-10%"}, {100, 100, "0%"}, {100.4, 100, "0%"}, {1, 0, "n/a"}, {3, 2, "+50%"},
	} {
		if s := pct(relErr(tc.got, tc.want)); s != tc.s {
			t.Errorf("pct(relErr(%v, %v)) = %q, want %q", tc.got, tc.want, s, tc.s)
		}
	}
}

func TestCalibration(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var wide, narrow []CalibrationPoint
	ops := []string{"gramian", "pca_eigen", "lr_solve"}
	for i, op := range ops {
		for k := 0; k < 5; k++ {
			m := math.Pow(10, float64(2*i-3)) * (1 + r.Float64())
			wide = append(wide, CalibrationPoint{op, m, m * (0.9 + 0.2*r.Float64())})
			n := 1 + r.Float64()
			narrow = append(narrow, CalibrationPoint{op, n, n * 1.1})
		}
	}
	negative := append([]CalibrationPoint{{"odd", -0.001, 0.002}}, wide...)
	for _, tc := range []struct {
		name string
		pts  []CalibrationPoint
		log  bool
	}{{"wide", wide, true}, {"narrow", narrow, false}, {"not positive", negative, false}} {
		t.Run(tc.name, func(t *testing.T) {
			_, log, err := calibrationPlot(tc.pts)
			if err != nil {
				t.Fatal(err)
			}
			if log != tc.log {
				t.Errorf("log axes %v, want %v", log, tc.log)
			}
			path := filepath.Join(t.TempDir(), "c.png")
			if err := Calibration("cal", tc.pts, path, Options{}); err != nil {
				t.Fatal(err)
			}
			// Ops are coloured in name order; each colour must appear (a filled marker).
			h := histogram(t, path)
			for i := range ops {
				if h[Dark2[i]] < 10 {
					t.Errorf("op %d's colour %v not drawn", i, Dark2[i])
				}
			}
		})
	}
	if _, _, err := calibrationPlot([]CalibrationPoint{{"x", math.NaN(), 1}}); err == nil {
		t.Error("NaN measured: no error")
	}
}

func TestParamMapColors(t *testing.T) {
	seen := map[color.RGBA]int{}
	for i := 0; i < len(Set3)*shadeCycles; i++ {
		c := ParamMapColor(i)
		if j, dup := seen[c]; dup {
			t.Fatalf("param maps %d and %d share colour %v", j, i, c)
		}
		seen[c] = i
		if i < len(Set3) && c != Set3[i] {
			t.Errorf("param map %d: %v, want Set3 %v", i, c, Set3[i])
		}
	}
	if _, inSet3 := seen[ParamMapColor(trace.None)]; inSet3 {
		t.Error("the no-param-map grey is a param map's colour")
	}
}

// TestNiceTicks checks the labelled ticks of random ranges: inside the range, evenly spaced by
// 1, 2 or 5 times a power of ten, 4 to 11 of them, each label its value.
func TestNiceTicks(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 2000; i++ {
		lo := r.Float64() * math.Pow(10, float64(r.IntN(8)-4))
		hi := lo + r.Float64()*math.Pow(10, float64(r.IntN(10)-4)) + 1e-9
		if i%3 == 0 {
			lo = 0
		}
		var vals []float64
		for _, tk := range (niceTicks{}).Ticks(lo, hi) {
			if tk.Label == "" {
				continue
			}
			v, err := strconv.ParseFloat(tk.Label, 64)
			if err != nil || math.Abs(v-tk.Value) > 1e-9*math.Max(1, math.Abs(tk.Value))+math.Abs(tk.Value)*1e-6 && v != tk.Value {
				t.Fatalf("[%g, %g]: label %q for value %g", lo, hi, tk.Label, tk.Value)
			}
			if slack := 1e-8 * (hi - lo); tk.Value < lo-slack || tk.Value > hi+slack {
				t.Fatalf("[%g, %g]: tick %g outside", lo, hi, tk.Value)
			}
			vals = append(vals, tk.Value)
		}
		if len(vals) < 4 || len(vals) > 11 {
			t.Fatalf("[%g, %g]: %d labelled ticks %v", lo, hi, len(vals), vals)
		}
		step := vals[1] - vals[0]
		m := step / math.Pow(10, math.Floor(math.Log10(step)+1e-9))
		if !(near(m, 1) || near(m, 2) || near(m, 5) || near(m, 10)) {
			t.Fatalf("[%g, %g]: step %g is not 1, 2 or 5 times a power of ten", lo, hi, step)
		}
		for k := 2; k < len(vals); k++ {
			if math.Abs(vals[k]-vals[k-1]-step) > 1e-6*step+1e-12*math.Abs(vals[k]) {
				t.Fatalf("[%g, %g]: uneven ticks %v", lo, hi, vals)
			}
		}
	}
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-6*math.Max(math.Abs(a), math.Abs(b)) }
