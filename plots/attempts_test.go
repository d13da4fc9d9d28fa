package plots

import (
	"fmt"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/recorder"

	"tunesim/trace"
)

// attemptsTrace is one executor of one slot over 10 s: a task of param map 0, then one of param
// map 1 with the given outcome and speculative flag; a second executor joins at 4 s when
// dynamic is set.
func attemptsTrace(o trace.Outcome, speculative, dynamic bool) *trace.Trace {
	s := time.Second
	task := func(pm int, a, b time.Duration) trace.Span {
		return trace.Span{Kind: trace.KindTask, Name: "t", Fit: pm, ParamMap: pm, Fold: 0, Job: pm, Stage: pm, Partition: 0, Executor: 0, Slot: 0, Start: a, End: b}
	}
	second := task(1, 5*s, 10*s)
	second.Outcome, second.Speculative = o, speculative
	if o != trace.OutcomeSucceeded {
		second.Reason = "why"
	}
	tr := &trace.Trace{Source: "spark", Executors: []trace.Executor{{ID: 0, Slots: 1}}, Spans: []trace.Span{task(0, 0, 5*s), second}}
	if dynamic {
		tr.Executors = append(tr.Executors, trace.Executor{ID: 1, Slots: 1, Added: 4 * s})
	}
	return tr
}

// TestTimelineDrawsAttemptsThatDidNotCount checks that a failed attempt is drawn red, a killed
// one grey, an executor's absence shaded, that the header says what did not count, and that the
// legend explains failed, killed and lost attempts, speculative copies and absent executors only
// when the picture has them.
func TestTimelineDrawsAttemptsThatDidNotCount(t *testing.T) {
	dir := t.TempDir()
	legend := map[string]string{
		"failed":      "failed attempt (1)",
		"killed":      "killed attempt (1)",
		"lost":        "output lost with its executor (1)",
		"speculative": "speculative copy (1)",
		"absent":      "executor not there (added later or removed)",
	}
	cases := []struct {
		name                 string
		outcome              trace.Outcome
		speculative, dynamic bool
		legend               []string
		// pixels of these colours there must be (true) or none (false)
		colours map[string]bool
	}{
		{"all counted", trace.OutcomeSucceeded, false, false, nil,
			map[string]bool{"failed": false, "killed": false, "absent": false}},
		{"failed", trace.OutcomeFailed, false, false, []string{"failed"},
			map[string]bool{"failed": true, "killed": false, "absent": false}},
		{"killed speculative copy", trace.OutcomeKilled, true, false, []string{"killed", "speculative"},
			map[string]bool{"failed": false, "killed": true}},
		{"lost output, an executor added", trace.OutcomeLost, false, true, []string{"lost", "absent"},
			map[string]bool{"failed": false, "killed": false, "absent": true}},
	}
	colour := map[string]color.RGBA{"failed": failedFill, "killed": killedFill, "absent": absentFill}
	for _, c := range cases {
		tr := attemptsTrace(c.outcome, c.speculative, c.dynamic)
		png := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "-")+".png")
		if err := Timeline(tr, png, Options{}); err != nil {
			t.Fatal(err)
		}
		img := decodePNG(t, png)
		b := img.Bounds()
		for what, want := range c.colours {
			n := countColour(img, colour[what], b.Min.X, b.Max.X, b.Min.Y, b.Max.Y)
			// A bar of 5 s on a lane about 1000 px wide and tens of px high is thousands of
			// pixels; a legend swatch alone is a few dozen.
			// Text and lines are smoothed with shades that may hit a colour here and there.
			if want && n < 2000 || !want && n > 500 {
				t.Errorf("%s: %d pixels of %s %v, want some: %v", c.name, n, what, colour[what], want)
			}
		}
		svg := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "-")+".svg")
		if err := Timeline(tr, svg, Options{}); err != nil {
			t.Fatal(err)
		}
		text, err := os.ReadFile(svg)
		if err != nil {
			t.Fatal(err)
		}
		shown := map[string]bool{}
		for _, k := range c.legend {
			shown[k] = true
		}
		for k, line := range legend {
			if got := strings.Contains(string(text), line); got != shown[k] {
				t.Errorf("%s: legend says %q: %v, want %v", c.name, line, got, shown[k])
			}
		}
		lost := strings.Contains(string(text), "did not count")
		if lost != (c.outcome != trace.OutcomeSucceeded) {
			t.Errorf("%s: the header says what did not count: %v", c.name, lost)
		}
	}
}

// drawn is what a recorded drawing did: each fill and stroke with its colour and points.
type drawn struct {
	fill   bool
	colour color.RGBA
	points []vg.Point
}

func record(f func(c draw.Canvas)) []drawn {
	rec := &recorder.Canvas{}
	f(draw.NewCanvas(rec, 200, 100))
	var out []drawn
	var cur color.RGBA
	for _, a := range rec.Actions {
		var path vg.Path
		fill := false
		switch a := a.(type) {
		case *recorder.SetColor:
			cur = rgb(a.Color)
			continue
		case *recorder.Fill:
			path, fill = a.Path, true
		case *recorder.Stroke:
			path = a.Path
		default:
			continue
		}
		d := drawn{fill: fill, colour: cur}
		for _, c := range path {
			if c.Type == vg.MoveComp || c.Type == vg.LineComp {
				d.points = append(d.points, c.Pos)
			}
		}
		out = append(out, d)
	}
	return out
}

// TestDrawBar checks what drawBar draws for each kind of attempt: the fill's colour, hatching
// (diagonal strokes inside the bar, rising for a kill, both ways for a lost output), a red
// outline for a failure, and a corner triangle for a speculative copy.
func TestDrawBar(t *testing.T) {
	const x0, y0, x1, y1 = 10, 20, 110, 40
	cases := []struct {
		b               bar
		fill, outline   color.RGBA
		rising, falling bool
		mark            bool
	}{
		{b: bar{paramMap: 2}, fill: ParamMapColor(2)},
		{b: bar{paramMap: 2, outcome: trace.OutcomeFailed}, fill: failedFill, outline: failedBorder},
		{b: bar{paramMap: 2, outcome: trace.OutcomeKilled}, fill: killedFill, rising: true},
		{b: bar{paramMap: 2, outcome: trace.OutcomeLost}, fill: ParamMapColor(2), rising: true, falling: true},
		{b: bar{paramMap: 2, speculative: true}, fill: ParamMapColor(2), mark: true},
	}
	for _, c := range cases {
		ds := record(func(cv draw.Canvas) { drawBar(cv, c.b, x0, y0, x1, y1, true) })
		name := fmt.Sprintf("%+v", c.b)
		if len(ds) == 0 || !ds[0].fill || ds[0].colour != c.fill {
			t.Errorf("%s: first drawn %+v, want a fill of %v", name, ds, c.fill)
			continue
		}
		rising, falling, mark, redOutline := 0, 0, false, false
		for _, d := range ds[1:] {
			switch {
			case !d.fill && d.colour == hatchInk && len(d.points) == 2:
				p, q := d.points[0], d.points[1]
				for _, pt := range d.points {
					if pt.X < x0-0.01 || pt.X > x1+0.01 || pt.Y < y0-0.01 || pt.Y > y1+0.01 {
						t.Errorf("%s: hatch line %v leaves the bar", name, d.points)
					}
				}
				switch slope := (q.Y - p.Y) / (q.X - p.X); {
				case slope > 0.99 && slope < 1.01:
					rising++
				case slope < -0.99 && slope > -1.01:
					falling++
				default:
					t.Errorf("%s: hatch line of slope %v", name, slope)
				}
			case d.fill && d.colour == ink && len(d.points) == 3:
				mark = d.points[0].X == x0 && d.points[0].Y == y1
			case !d.fill && d.colour == failedBorder:
				redOutline = true
			}
		}
		if (rising > 3) != c.rising || (falling > 3) != c.falling || mark != c.mark || redOutline != (c.outline == failedBorder) {
			t.Errorf("%s: %d rising and %d falling hatch lines, corner mark %v, red outline %v; want %v %v %v %v",
				name, rising, falling, mark, redOutline, c.rising, c.falling, c.mark, c.outline == failedBorder)
		}
	}
}
