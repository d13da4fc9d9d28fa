package plots

import (
	"fmt"
	"image/color"
	"math"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"tunesim/trace"
)

// rowLayout maps lanes to rows on the Y axis: tuner threads on top, executor slots below. A row
// holds `group` lanes (1 unless the lanes would be thinner than minRowPx); a row never holds
// slots of two executors.
type rowLayout struct {
	tl                   *timeline
	group                int
	threadRows, slotRows []rowSpan
	rowPx, widthPx       float64
	gap, top             float64 // in rows
	binned               bool    // some row was drawn per pixel column
}

// rowSpan is a row's lanes [from, to) within its section; first says it starts an executor.
type rowSpan struct {
	from, to int
	first    bool
}

// rowsOf groups lanes g at a time, starting a new row at each executor.
func rowsOf(lanes []lane, g int) []rowSpan {
	var rs []rowSpan
	for i := 0; i < len(lanes); {
		j, first := i, i == 0 || lanes[i].executor != lanes[i-1].executor
		for j < len(lanes) && j-i < g && lanes[j].executor == lanes[i].executor {
			j++
		}
		rs = append(rs, rowSpan{from: i, to: j, first: first})
		i = j
	}
	return rs
}

// layoutRows fits the lanes into a data area of the given size in pixels.
func (tl *timeline) layoutRows(heightPx, widthPx float64) *rowLayout {
	l := &rowLayout{tl: tl, group: 1, widthPx: widthPx}
	gapPx := 0.0
	if len(tl.threads) > 0 {
		gapPx = sectionGapPx
	}
	maxRows := max(int((heightPx-gapPx)/minRowPx), 2)
	for {
		l.threadRows, l.slotRows = rowsOf(tl.threads, l.group), rowsOf(tl.slots, l.group)
		if len(l.threadRows)+len(l.slotRows) <= maxRows || l.group >= len(tl.threads)+len(tl.slots) {
			break
		}
		l.group++
	}
	n := max(len(l.threadRows)+len(l.slotRows), 1)
	l.rowPx = (heightPx - gapPx) / float64(n)
	if len(l.threadRows) > 0 {
		l.gap = gapPx / l.rowPx
	}
	l.top = float64(len(l.slotRows)+len(l.threadRows)) + l.gap
	return l
}

// slotRow and threadRow give the bottom of a row in Y units; row 0 is the section's top row.
func (l *rowLayout) slotRow(r int) float64 { return float64(len(l.slotRows) - 1 - r) }
func (l *rowLayout) threadRow(r int) float64 {
	return float64(len(l.slotRows)) + l.gap + float64(len(l.threadRows)-1-r)
}

// label names a row of a section.
func (l *rowLayout) label(lanes []lane, r rowSpan, what string) string {
	if r.to-r.from == 1 {
		return lanes[r.from].label
	}
	a, b := lanes[r.from], lanes[r.to-1]
	if what == "slots" && l.multiExecutor() {
		if r.first && (r.to == len(lanes) || lanes[r.to].executor != a.executor) {
			return fmt.Sprintf("exec %d", a.executor)
		}
		return fmt.Sprintf("exec %d slots %d–%d", a.executor, a.slot, b.slot)
	}
	return fmt.Sprintf("%s %d–%d", what, a.slot, b.slot)
}

func (l *rowLayout) multiExecutor() bool {
	s := l.tl.slots
	return len(s) > 0 && s[0].executor != s[len(s)-1].executor
}

// ticks labels the rows, every few rows when they are too thin for a label each; with several
// executors and thin rows, at the first row of an executor.
func (l *rowLayout) ticks() []plot.Tick {
	every := max(1, int(math.Ceil(13/l.rowPx)))
	var ts []plot.Tick
	for r := 0; r < len(l.threadRows); r += every {
		ts = append(ts, plot.Tick{Value: l.threadRow(r) + 0.5, Label: l.label(l.tl.threads, l.threadRows[r], "threads")})
	}
	byExecutor := every > 1 && l.multiExecutor()
	last := -every
	for r, rs := range l.slotRows {
		if r-last < every || (byExecutor && !rs.first) {
			continue
		}
		label, at := l.label(l.tl.slots, rs, "slots"), l.slotRow(r)+0.5
		if byExecutor {
			// Centred on the executor's rows.
			end := r + 1
			for end < len(l.slotRows) && !l.slotRows[end].first {
				end++
			}
			label, at = fmt.Sprintf("exec %d", l.tl.slots[rs.from].executor), (l.slotRow(r)+1+l.slotRow(end-1))/2
		}
		ts = append(ts, plot.Tick{Value: at, Label: label})
		last = r
	}
	return ts
}

// notes say on the picture what was aggregated.
func (l *rowLayout) notes() []string {
	var n []string
	if l.group > 1 {
		n = append(n, fmt.Sprintf("%d lanes in %d rows: each row is %d lanes, its shade the share of them busy",
			len(l.tl.threads)+len(l.tl.slots), len(l.threadRows)+len(l.slotRows), l.group))
	}
	if l.binned {
		n = append(n, "dense rows drawn per pixel column: a paler shade means the column is partly idle")
	}
	return n
}

// lanesPlotter draws the rows' bars, the marks and the fits' labels.
type lanesPlotter struct {
	tl *timeline
	l  *rowLayout
	// per-pixel-column buffers of the binned rows
	total, best []float64
	bestCol     []color.RGBA
}

// Plot implements plot.Plotter.
func (lp *lanesPlotter) Plot(c draw.Canvas, p *plot.Plot) {
	tl, l := lp.tl, lp.l
	if !(c.Max.X > c.Min.X && c.Max.Y > c.Min.Y) || l.widthPx < 1 {
		return // labels took all the room
	}
	trX, trY := p.Transforms(&c)
	band := func(bottom, lo, hi float64) (vg.Length, vg.Length) { return trY(bottom + lo), trY(bottom + hi) }

	// Row separators, then each section's edge.
	if l.rowPx >= 6 {
		sty := draw.LineStyle{Color: rule, Width: px(0.6)}
		for r := 1; r < len(l.slotRows); r++ {
			y := trY(l.slotRow(r) + 1)
			c.StrokeLine2(sty, c.Min.X, y, c.Max.X, y)
		}
		for r := 1; r < len(l.threadRows); r++ {
			y := trY(l.threadRow(r) + 1)
			c.StrokeLine2(sty, c.Min.X, y, c.Max.X, y)
		}
	}
	// Executors are told apart by a darker line above each one's first row.
	if l.multiExecutor() {
		sty := draw.LineStyle{Color: color.RGBA{0xB8, 0xB8, 0xB8, 0xFF}, Width: px(0.8)}
		for r, rs := range l.slotRows {
			if rs.first && r > 0 {
				y := trY(l.slotRow(r) + 1)
				c.StrokeLine2(sty, c.Min.X, y, c.Max.X, y)
			}
		}
	}
	edge := draw.LineStyle{Color: softInk, Width: px(0.8)}
	top := float64(len(l.slotRows))
	if len(l.threadRows) > 0 {
		c.StrokeLine2(edge, c.Min.X, trY(top+l.gap), c.Max.X, trY(top+l.gap))
	}
	c.StrokeLine2(edge, c.Min.X, trY(top), c.Max.X, trY(top))

	// Bars fill a row less a margin, and are never thicker than maxBarPx.
	inset := math.Max(0.1, (1-maxBarPx/l.rowPx)/2)
	if l.rowPx < 8 {
		inset = 0
	}
	// A section is dense when one of its lanes has more bars than half the width in pixels; all
	// its rows are then drawn per pixel column, so that they read alike.
	dense := func(layers ...[][]bar) bool {
		for _, lanes := range layers {
			for _, bs := range lanes {
				if float64(len(bs)) > l.widthPx/2 {
					return true
				}
			}
		}
		return false
	}
	denseThreads, denseSlots := dense(tl.fits, tl.drivers), dense(tl.tasks)
	for r, rs := range l.threadRows {
		from, to := rs.from, rs.to
		y := l.threadRow(r)
		y0, y1 := band(y, 0.5-(0.5-inset)*0.4, 0.5+(0.5-inset)*0.4)
		lp.layer(c, trX, tl.fits[from:to], y0, y1, false, denseThreads)
		y0, y1 = band(y, inset, 1-inset)
		lp.layer(c, trX, tl.drivers[from:to], y0, y1, true, denseThreads)
		if l.group == 1 && l.rowPx >= 15 {
			lp.fitLabels(c, trX, tl.fits[from], (trY(y)+trY(y+1))/2)
		}
	}
	for r, rs := range l.slotRows {
		from, to := rs.from, rs.to
		y0, y1 := band(l.slotRow(r), 0, 1)
		lp.absent(c, trX, tl.slots[from].absent, y0, y1)
		y0, y1 = band(l.slotRow(r), inset, 1-inset)
		lp.layer(c, trX, tl.tasks[from:to], y0, y1, true, denseSlots)
	}
	lp.marks(c, trX)
}

// layer draws the bars of one row's lanes between y0 and y1: each bar as a rectangle, or per
// pixel column when the row groups lanes or its section is dense.
func (lp *lanesPlotter) layer(c draw.Canvas, trX func(float64) vg.Length, lanes [][]bar, y0, y1 vg.Length, outlined, dense bool) {
	n := 0
	for _, bs := range lanes {
		n += len(bs)
	}
	if n == 0 {
		return
	}
	if len(lanes) > 1 || dense {
		lp.binned(c, trX, lanes, y0, y1)
		return
	}
	canOutline := outlined && y1-y0 >= px(6)
	var x0, x1 vg.Length
	var cur bar
	open := false
	flush := func() {
		if !open {
			return
		}
		drawBar(c, cur, x0, y0, x1, y1, canOutline && x1-x0 >= px(4))
	}
	for _, b := range lanes[0] {
		a, e := trX(b.start), trX(b.end)
		if e <= a {
			continue
		}
		// Bars too narrow to show their edges merge with a neighbour drawn alike.
		if open && b.paramMap == cur.paramMap && b.outcome == cur.outcome && b.speculative == cur.speculative &&
			a-x1 < px(0.5) && (e-a < px(3) || x1-x0 < px(3)) {
			x1 = max(x1, e)
			continue
		}
		flush()
		x0, x1, cur, open = a, e, b, true
	}
	flush()
}

// binned draws a row per pixel column: each column takes the colour of the bar that covers most
// of it, with an opacity that is the share of the column (and of the row's lanes) busy, so the
// background or a layer beneath shows through the idle part.
func (lp *lanesPlotter) binned(c draw.Canvas, trX func(float64) vg.Length, lanes [][]bar, y0, y1 vg.Length) {
	lp.l.binned = true
	cols := int(math.Ceil(lp.l.widthPx)) + 1
	if len(lp.total) < cols {
		lp.total, lp.best, lp.bestCol = make([]float64, cols), make([]float64, cols), make([]color.RGBA, cols)
	}
	total, best, bestCol := lp.total[:cols], lp.best[:cols], lp.bestCol[:cols]
	clear(total)
	clear(best)
	pos := func(t float64) float64 { return math.Max(0, math.Min(float64(cols-1), toPx(trX(t)-c.Min.X))) }
	for _, bs := range lanes {
		for _, b := range bs {
			a, e := pos(b.start), pos(b.end)
			for k := int(a); k < cols && float64(k) < e; k++ {
				cover := math.Min(e, float64(k+1)) - math.Max(a, float64(k))
				total[k] += cover
				if cover > best[k] {
					best[k], bestCol[k] = cover, barColor(b)
				}
			}
		}
	}
	const levels = 8
	level := func(k int) int {
		share := math.Min(1, total[k]/float64(len(lanes)))
		q := int(math.Round(share * levels))
		if q == 0 && total[k] > 0.01 {
			q = 1
		}
		return q
	}
	for k := 0; k < cols; {
		q := level(k)
		if q == 0 {
			k++
			continue
		}
		end := k + 1
		for end < cols && level(end) == q && bestCol[end] == bestCol[k] {
			end++
		}
		col := bestCol[k]
		col.A = uint8(255 * q / levels)
		fillRect(c, color.NRGBA(col), c.Min.X+px(float64(k)), y0, c.Min.X+px(float64(end)), y1)
		k = end
	}
}

// fitLabels writes each fit's param map (or "refit") on its bar when there is room.
func (lp *lanesPlotter) fitLabels(c draw.Canvas, trX func(float64) vg.Length, fits []bar, mid vg.Length) {
	sty := textStyle(7.5, false, ink)
	h := sty.FontExtents().Ascent
	for _, b := range fits {
		label := fmt.Sprintf("#%d", b.paramMap)
		if b.fit == lp.tl.refit && lp.tl.refit != trace.None {
			label = "refit " + label
		}
		a, e := trX(b.start), trX(b.end)
		if sty.Width(label)+px(6) < e-a {
			write(c, sty, a+px(3), mid-h/2+px(1), label)
		}
	}
}

// marks draws the fold boundaries and the refit as vertical lines, labelled above the rows: right
// of the line, or left of it when that would overlap the previous label; a label that fits
// neither way is left out (the refit's always shows).
func (lp *lanesPlotter) marks(c draw.Canvas, trX func(float64) vg.Length) {
	ms := append([]mark(nil), lp.tl.marks...)
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].at < ms[j].at })
	lastEnd := c.Min.X - px(100)
	for _, m := range ms {
		x := trX(m.at)
		if m.line {
			c.StrokeLine2(markStyle(m.label), x, c.Min.Y, x, c.Max.Y+px(markStripPx-2))
		}
		s := textStyle(8.5, true, softInk)
		if m.label == "refit" {
			s.Color = markRed
		}
		w := s.Width(m.label)
		lx := max(x+px(3), c.Min.X)
		if lx+w > c.Max.X+px(legendGapPx) || lx < lastEnd+px(6) {
			lx = x - px(3) - w
		}
		if lx < lastEnd+px(6) && m.label != "refit" {
			continue
		}
		write(c, s, lx, c.Max.Y+px(4), m.label)
		lastEnd = max(lastEnd, lx+w)
	}
}

// markStyle is the line of a fold boundary (dashed grey) or of the refit (red).
func markStyle(label string) draw.LineStyle {
	if label == "refit" {
		return draw.LineStyle{Color: markRed, Width: px(1.4)}
	}
	return draw.LineStyle{Color: softInk, Width: px(1.2), Dashes: []vg.Length{px(5), px(3)}}
}

// timeAxisGrid draws faint vertical lines at the time axis's major ticks, behind the bars.
type timeAxisGrid struct{}

// Plot implements plot.Plotter.
func (timeAxisGrid) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	sty := draw.LineStyle{Color: color.RGBA{0xF0, 0xF0, 0xF0, 0xFF}, Width: px(1)}
	for _, t := range p.X.Tick.Marker.Ticks(p.X.Min, p.X.Max) {
		if !t.IsMinor() {
			x := trX(t.Value)
			c.StrokeLine2(sty, x, c.Min.Y, x, c.Max.Y)
		}
	}
}

func rgba8(r, g, b uint32) color.RGBA {
	return color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), 0xFF}
}
