package plots

import (
	"fmt"
	"image/color"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"tunesim/trace"
)

// Sizes of the timeline, in pixels.
const (
	timelineWidth = 1400
	headerPx      = 62  // title, subtitle and note lines
	markStripPx   = 16  // labels of fold and refit lines, above the lanes
	xAxisPx       = 44  // time axis with its label
	sectionGapPx  = 12  // between the tuner threads and the executor slots
	minRowPx      = 3   // rows thinner than this are grouped
	legendGapPx   = 12  // between the lanes and the legend
	maxRowPx      = 24  // default row height for a few lanes
	maxBarPx      = 30  // thickest bar, however tall the rows
	lanesBudgetPx = 720 // default height shared by the lanes
	minTimelinePx = 480
	maxTimelinePx = 2000
)

// Timeline draws a trace the way Spark UI's event timeline shows a run: time across; one row per
// tuner thread (the driver side: a thin bar while a fit is in progress, a thick bar for each driver
// step); below them one row per executor slot with each task a bar; a colour per param map
// (ColorBrewer Set3) with a legend; fold boundaries and the refit marked; idle slot time left as
// gaps; and a title with the scenario, parallelism, makespan and utilization.
//
// Up to 10^5 spans and hundreds of lanes are drawn in about a second: rows thinner than a few
// pixels are grouped, and a row with more bars than half its width in pixels is drawn per pixel
// column with its shade showing how busy the column is; the picture says when it does either.
// The format follows path's extension (.png, .svg, .pdf); the file is written atomically.
func Timeline(t *trace.Trace, path string, o Options) error {
	if t == nil {
		return fmt.Errorf("timeline %s: no trace", path)
	}
	if err := CheckPath(path); err != nil {
		return fmt.Errorf("timeline: %w", err)
	}
	tl, err := newTimeline(t)
	if err != nil {
		return fmt.Errorf("timeline %s: %w", path, err)
	}
	lanes := len(tl.threads) + len(tl.slots)
	rowPx := math.Max(minRowPx, math.Min(maxRowPx, lanesBudgetPx/float64(max(lanes, 1))))
	h := headerPx + markStripPx + xAxisPx + 24 + float64(lanes)*rowPx
	if len(tl.threads) > 0 {
		h += sectionGapPx
	}
	// Room for the legend: a line per param map and a few for the key.
	h = math.Max(h, headerPx+markStripPx+40+15*float64(len(tl.paramMaps)+10))
	o, err = o.resolve(timelineWidth, int(math.Min(maxTimelinePx, math.Max(minTimelinePx, h))))
	if err != nil {
		return fmt.Errorf("timeline: %w", err)
	}
	if err := render(path, o, tl.draw); err != nil {
		return fmt.Errorf("timeline: %w", err)
	}
	return nil
}

// draw lays out the header, the lanes and the legend on c.
func (tl *timeline) draw(c draw.Canvas) {
	w := toPx(c.Max.X - c.Min.X)
	legendPx := math.Min(0.35*w, math.Min(340, math.Max(230, 0.22*w)))
	body := draw.Crop(c, px(8), -px(legendPx), px(6), -px(headerPx+markStripPx))
	legend := draw.Crop(c, px(w-legendPx+legendGapPx), -px(10), px(10), -px(headerPx+markStripPx))

	p := newPlot()
	p.X.Min, p.X.Max = 0, math.Max(tl.duration, 1e-9)
	p.X.Label.Text = "seconds since the run started"
	p.X.Tick.Marker = niceTicks{}
	p.X.Padding, p.Y.Padding = 0, px(4)
	p.Y.Width, p.Y.Tick.Length = 0, 0
	p.Add(timeAxisGrid{})

	// The data area's height decides how lanes become rows; it does not depend on the Y labels.
	p.Y.Min, p.Y.Max = 0, 1
	data := p.DataCanvas(body)
	l := tl.layoutRows(toPx(data.Max.Y-data.Min.Y), toPx(data.Max.X-data.Min.X))
	p.Y.Min, p.Y.Max = 0, l.top
	p.Y.Tick.Marker = plot.ConstantTicks(l.ticks())
	p.Add(&lanesPlotter{tl: tl, l: l})
	p.Draw(body)

	tl.drawHeader(draw.Crop(c, px(10), -px(10), 0, 0), l)
	tl.drawLegend(legend)
}

// drawHeader writes the title, the subtitle and the notes at the top of c.
func (tl *timeline) drawHeader(c draw.Canvas, l *rowLayout) {
	t, m := tl.t, tl.metrics
	name := t.Scenario
	if name == "" {
		name = t.Attrs["app_name"] // a Spark event log names its application
	}
	if name == "" {
		name = "trace"
	}
	title := []string{name, sourceName(t.Source)}
	if t.Parallelism > 0 {
		title = append(title, fmt.Sprintf("parallelism %d", t.Parallelism))
	}
	title = append(title, "makespan "+seconds(m.Makespan.Seconds()), fmt.Sprintf("utilization %.0f%%", 100*m.Utilization())+countedNote(m))
	y := c.Max.Y - px(20)
	write(c, textStyle(13, true, ink), c.Min.X, y, strings.Join(title, "  ·  "))

	execs := map[int]bool{}
	for _, s := range tl.slots {
		execs[s.executor] = true
	}
	sub := fmt.Sprintf("%s on %s (%s)", plural(m.Tasks, "task"), plural(m.Slots, "slot"), plural(len(execs), "executor"))
	if len(tl.threads) > 0 {
		sub += fmt.Sprintf("  ·  %s", plural(len(tl.threads), "tuner thread"))
	}
	if m.Fits > 0 {
		sub += fmt.Sprintf("  ·  %s", plural(m.Fits, "fit"))
		if tl.refit != trace.None {
			sub += " (refit included)"
		}
	}
	sub += fmt.Sprintf("  ·  idle %.3g core-s  ·  %.2f fits at once on average", m.IdleCoreSeconds(), m.MeanConcurrentFits())
	if n := lostNote(m); n != "" {
		sub += "  ·  " + n
	}
	y -= px(17)
	write(c, textStyle(9.5, false, softInk), c.Min.X, y, sub)
	if notes := l.notes(); len(notes) > 0 {
		y -= px(15)
		write(c, textStyle(9, true, markRed), c.Min.X, y, strings.Join(notes, "  ·  "))
	}
}

// drawLegend lists the param maps' colours, then how to read the rows.
func (tl *timeline) drawLegend(c draw.Canvas) {
	head := textStyle(9.5, true, ink)
	sty := textStyle(8.5, false, ink)
	lineH := px(15)
	sw := px(16)
	x, y := c.Min.X, c.Max.Y-px(12)
	maxW := c.Max.X - c.Min.X - sw - px(6)
	key := []legendEntry{
		{"task on an executor slot", func(x0, y0, x1, y1 vg.Length) {
			fillRect(c, Set3[4], x0, y0, x1, y1)
			outline(c, Set3[4], x0, y0, x1, y1)
		}},
		{"driver step on a tuner thread", func(x0, y0, x1, y1 vg.Length) {
			fillRect(c, Set3[5], x0, y0, x1, y1)
			outline(c, Set3[5], x0, y0, x1, y1)
		}},
		{"fit in progress on its thread", func(x0, y0, x1, y1 vg.Length) { fillRect(c, Set3[5], x0, y0+(y1-y0)*0.3, x1, y1-(y1-y0)*0.3) }},
		{"white gap: slot or thread idle", func(x0, y0, x1, y1 vg.Length) { outline(c, rule, x0, y0, x1, y1) }},
	}
	for _, m := range tl.marks {
		if m.line && strings.HasPrefix(m.label, "fold") {
			key = append(key, legendEntry{"fold boundary (barrier)", func(x0, y0, x1, y1 vg.Length) {
				c.StrokeLine2(markStyle("fold"), (x0+x1)/2, y0-px(2), (x0+x1)/2, y1+px(2))
			}})
			break
		}
	}
	if tl.refit != trace.None {
		key = append(key, legendEntry{"refit of the best param map", func(x0, y0, x1, y1 vg.Length) {
			c.StrokeLine2(markStyle("refit"), (x0+x1)/2, y0-px(2), (x0+x1)/2, y1+px(2))
		}})
	}
	key = append(key, tl.attemptKey(c)...)
	// Param maps take the room the key leaves.
	room := int((y-c.Min.Y)/lineH) - len(key) - 3
	write(c, head, x, y, "param map (one colour each)")
	y -= lineH + px(2)
	shown := tl.paramMaps
	more := 0
	if len(shown) > room {
		shown, more = shown[:max(room-1, 0)], len(shown)-max(room-1, 0)
	}
	for _, pm := range shown {
		col := ParamMapColor(pm)
		fillRect(c, col, x, y, x+sw, y+px(10))
		outline(c, col, x, y, x+sw, y+px(10))
		label := fmt.Sprintf("#%d", pm)
		if pm < len(tl.t.ParamMaps) {
			label += "  " + tl.t.ParamMaps[pm]
		}
		if pm == tl.refitMap {
			label += "  (best: refit)"
		}
		write(c, sty, x+sw+px(6), y+px(1), clip(sty.Width, label, maxW))
		y -= lineH
	}
	if len(shown) == 0 && more == 0 {
		write(c, sty, x, y, "(the spans carry no param map)")
		y -= lineH
	}
	if more > 0 {
		write(c, textStyle(8.5, false, softInk), x, y, fmt.Sprintf("… and %d more (the colours repeat every %d)", more, len(Set3)*shadeCycles))
		y -= lineH
	}
	y -= px(8)
	write(c, head, x, y, "how to read it")
	y -= lineH + px(2)
	for _, k := range key {
		k.draw(x, y, x+sw, y+px(10))
		write(c, sty, x+sw+px(6), y+px(1), clip(sty.Width, k.what, maxW))
		y -= lineH
	}
}

// outline strokes a rectangle's border in a darker shade of col, as Spark UI outlines its tasks.
func outline(c draw.Canvas, col color.Color, x0, y0, x1, y1 vg.Length) {
	r, g, b, _ := col.RGBA()
	dark := scale(rgba8(r, g, b), 0.6)
	c.SetLineStyle(draw.LineStyle{Color: dark, Width: px(0.8)})
	c.Stroke(rectPath(x0, y0, x1, y1))
}

// clip shortens s with an ellipsis until width says it fits in w.
func clip(width func(string) vg.Length, s string, w vg.Length) string {
	if width(s) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 1 && width(string(r)+"…") > w {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

func sourceName(s string) string {
	switch s {
	case "sim":
		return "simulated"
	case "real":
		return "real run"
	case "spark":
		return "Spark event log"
	}
	return s
}

// seconds formats a duration in seconds with a precision that suits its size.
func seconds(s float64) string {
	switch {
	case s < 1:
		return fmt.Sprintf("%.3f s", s)
	case s < 100:
		return fmt.Sprintf("%.2f s", s)
	case s < 3600:
		return fmt.Sprintf("%.0f s (%dm%02ds)", s, int(s)/60, int(s)%60)
	}
	return fmt.Sprintf("%.0f s (%dh%02dm)", s, int(s)/3600, int(s)%3600/60)
}

func plural(n int, what string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", what)
	}
	return fmt.Sprintf("%d %ss", n, what)
}
