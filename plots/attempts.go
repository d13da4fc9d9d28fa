package plots

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"tunesim/trace"
)

// How the timeline draws task attempts whose work did not count, speculative copies, and the
// times an executor was not there (added later, or removed), as a Spark event log records them.
// Spark's UI draws a failed job, stage or removed executor in red (timeline-view.css: fill
// #FFA1B0, border #FF4D6D); a failed attempt here is that border's red, saturated, so that it
// stands apart from Set3's pastel param-map colours.
var (
	failedFill   = color.RGBA{0xFF, 0x4D, 0x6D, 0xFF} // Spark UI's failed border
	failedBorder = color.RGBA{0xB0, 0x10, 0x30, 0xFF}
	killedFill   = color.RGBA{0xEE, 0xEE, 0xEE, 0xFF} // lighter than every shade of Set3's grey
	hatchInk     = color.RGBA{0x70, 0x70, 0x70, 0xFF}
	absentFill   = color.RGBA{0xF4, 0xF4, 0xF4, 0xFF}
	absentHatch  = color.RGBA{0xD0, 0xD0, 0xD0, 0xFF}
)

// barColor is the colour a bar is filled with: red for a failed attempt, light grey for a killed
// one, its param map's colour otherwise (an attempt whose output was lost keeps it and is
// hatched: its work was done, then thrown away).
func barColor(b bar) color.RGBA {
	switch b.outcome {
	case trace.OutcomeFailed:
		return failedFill
	case trace.OutcomeKilled:
		return killedFill
	}
	return ParamMapColor(b.paramMap)
}

// drawBar draws one bar: its fill, the hatching of a killed attempt or a lost output, its
// outline when asked (red for a failure), and the corner mark of a speculative copy.
func drawBar(c draw.Canvas, b bar, x0, y0, x1, y1 vg.Length, outlined bool) {
	col := barColor(b)
	fillRect(c, col, x0, y0, x1, y1)
	switch b.outcome {
	case trace.OutcomeKilled:
		hatch(c, hatchInk, px(4), x0, y0, x1, y1, false)
	case trace.OutcomeLost: // cross-hatched: done, then thrown away
		hatch(c, hatchInk, px(5), x0, y0, x1, y1, false)
		hatch(c, hatchInk, px(5), x0, y0, x1, y1, true)
	}
	if outlined {
		if b.outcome == trace.OutcomeFailed {
			c.SetLineStyle(draw.LineStyle{Color: failedBorder, Width: px(1)})
			c.Stroke(rectPath(x0, y0, x1, y1))
		} else {
			outline(c, col, x0, y0, x1, y1)
		}
	}
	if b.speculative {
		speculativeMark(c, x0, y0, x1, y1)
	}
}

// hatch strokes diagonal lines every gap across the rectangle [x0,x1]x[y0,y1], cut to it:
// rising to the right, or falling when down is set.
func hatch(c draw.Canvas, col color.Color, gap, x0, y0, x1, y1 vg.Length, down bool) {
	if x1-x0 < px(1) || y1-y0 < px(1) {
		return
	}
	sty := draw.LineStyle{Color: col, Width: px(0.7)}
	// Lines y - y0 = x - k: k runs so that every line crossing the rectangle is drawn, each
	// from where it enters (left edge or bottom) to where it leaves (right edge or top).
	for k := x0 - (y1 - y0); k < x1; k += gap {
		a, e := max(x0, k), min(x1, k+(y1-y0))
		if e-a < px(0.5) {
			continue
		}
		ya, ye := y0+(a-k), y0+(e-k)
		if down { // mirrored top to bottom
			ya, ye = y1-(a-k), y1-(e-k)
		}
		c.StrokeLine2(sty, a, ya, e, ye)
	}
}

// speculativeMark draws a small dark triangle in the top left corner of a bar.
func speculativeMark(c draw.Canvas, x0, y0, x1, y1 vg.Length) {
	s := min(px(7), (y1-y0)*0.6, x1-x0)
	if s < px(2) {
		return
	}
	var p vg.Path
	p.Move(vg.Point{X: x0, Y: y1})
	p.Line(vg.Point{X: x0 + s, Y: y1})
	p.Line(vg.Point{X: x0, Y: y1 - s})
	p.Close()
	c.SetColor(ink)
	c.Fill(p)
}

// absent shades the times a row's executor was not there, across the whole row.
func (lp *lanesPlotter) absent(c draw.Canvas, trX func(float64) vg.Length, gaps [][2]float64, y0, y1 vg.Length) {
	for _, g := range gaps {
		a, e := trX(g[0]), trX(g[1])
		if e-a < px(0.5) {
			continue
		}
		fillRect(c, absentFill, a, y0, e, y1)
		hatch(c, absentHatch, px(6), a, y0, e, y1, false)
	}
}

// legendEntry is one line of the legend's key: a swatch and what it means.
type legendEntry struct {
	what string
	draw func(x0, y0, x1, y1 vg.Length)
}

// attemptKey are the legend's lines for what the picture has of attempts that did not count,
// speculative copies and executors that came or went, and nothing for what it lacks.
func (tl *timeline) attemptKey(c draw.Canvas) []legendEntry {
	var key []legendEntry
	sample := func(b bar) func(x0, y0, x1, y1 vg.Length) {
		return func(x0, y0, x1, y1 vg.Length) { drawBar(c, b, x0, y0, x1, y1, true) }
	}
	pm := trace.None // the bars' own colour: neutral grey without param maps
	if len(tl.paramMaps) > 0 {
		pm = tl.paramMaps[0]
	}
	if n := tl.outcomes[trace.OutcomeFailed]; n > 0 {
		key = append(key, legendEntry{fmt.Sprintf("failed attempt (%d)", n), sample(bar{outcome: trace.OutcomeFailed})})
	}
	if n := tl.outcomes[trace.OutcomeKilled]; n > 0 {
		key = append(key, legendEntry{fmt.Sprintf("killed attempt (%d)", n), sample(bar{outcome: trace.OutcomeKilled})})
	}
	if n := tl.outcomes[trace.OutcomeLost]; n > 0 {
		key = append(key, legendEntry{fmt.Sprintf("output lost with its executor (%d)", n), sample(bar{outcome: trace.OutcomeLost, paramMap: pm})})
	}
	if tl.speculative > 0 {
		key = append(key, legendEntry{fmt.Sprintf("speculative copy (%d)", tl.speculative), sample(bar{paramMap: pm, speculative: true})})
	}
	if tl.absent {
		key = append(key, legendEntry{"executor not there (added later or removed)", func(x0, y0, x1, y1 vg.Length) {
			fillRect(c, absentFill, x0, y0, x1, y1)
			hatch(c, absentHatch, px(6), x0, y0, x1, y1, false)
			outline(c, absentFill, x0, y0, x1, y1)
		}})
	}
	return key
}

// lostNote says in the header how much of the busy slot time did not count, "" when all did.
func lostNote(m trace.Metrics) string {
	n := m.FailedTasks + m.KilledTasks + m.LostTasks
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("%s did not count (%.3g task-s lost)", plural(n, "attempt"), m.Lost.Seconds())
}

// countedNote adds to the utilization the part of it that counted, when some did not.
func countedNote(m trace.Metrics) string {
	if m.Lost <= 0 {
		return ""
	}
	return fmt.Sprintf(" (%.0f%% counted)", math.Round(100*m.CountedUtilization()))
}
