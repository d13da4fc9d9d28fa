package whatif

import (
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"tunesim/trace"
	"tunesim/tuning"
)

// ErrDifferentTunings is wrapped by the error for logs given together that are not of the same
// tuning.
var ErrDifferentTunings = errors.New("the logs are not of the same tuning")

// ExtrapolationLimit is how far past the largest logged size a what-if is trusted: beyond it the
// output flags the extrapolation.
const ExtrapolationLimit = 16.0

// The kinds of driver time Sizes fits, as the plan has them.
const (
	DriverFitSetup = tuning.Op(trace.SpanFitSetup) // from a fit's start to its first job
	DriverBetween  = OpDriver                      // between two jobs of a fit, and after the refit's last
	DriverSubmit   = tuning.Op("stage submit")     // from a stage's submission to its first task
	DriverResult   = tuning.Op("job result")       // from a job's last task to its end
)

// Sizes is a tuning's cost as a function of its data's size, fitted on one or more serial logs of
// the same tuning: per stage name (a call site), a task's duration as a fixed cost plus a cost per
// record it read, by least squares over every counted task of that name in every log; per kind of
// driver time, a fixed cost plus a cost per unit of data (the largest log's rows), over every
// such step of every log. One log alone separates a task's two costs only by the spread of its
// tasks' records (a fold's training part, its validation part, the whole data in the refit);
// logs at two sizes separate them by the sizes, and give the driver's growth, which one log
// cannot.
type Sizes struct {
	// Logs are the logs in the order given, with their sizes.
	Logs []SizeLog `json:"logs"`
	// Stages are the per-stage-name fits, by name; Driver the per-kind fits of the driver's time.
	Stages []CostFit `json:"stages"`
	Driver []CostFit `json:"driver"`
	// Largest is the index in Logs of the largest log: the one a what-if replays and scales.
	Largest int `json:"largest"`
}

// SizeLog is one log of a Sizes: its label (the caller's, e.g. its path), its data's size
// relative to the largest log's (the median over stage names of the ratio of their largest
// tasks' records), and the tuning's measured time.
type SizeLog struct {
	Log     string  `json:"log"`
	RelSize float64 `json:"rel_size"`
	TuningS float64 `json:"tuning_s"`
}

// CostFit is one line duration = FixedS + PerUnitS x units, fitted on Samples samples from Logs
// logs whose units ranged from MinUnits to MaxUnits: records read for a stage's tasks, the data's
// size relative to the largest log for the driver. PerUnitS is kept >= 0 (0 when the units did
// not vary) and FixedS >= 0. R2 and RMSResidualS say how well the line as kept fits (R2 < 0 when
// keeping the costs >= 0 made it fit worse than the samples' mean); PerUnitSE is the
// per-unit cost's standard error (0 when it cannot be told). MeasuredS is the samples' time in the
// largest log: what the fit prices.
type CostFit struct {
	Name         string  `json:"name"`
	Unit         string  `json:"unit"`
	Samples      int     `json:"samples"`
	Logs         int     `json:"logs"`
	MinUnits     float64 `json:"min_units"`
	MaxUnits     float64 `json:"max_units"`
	FixedS       float64 `json:"fixed_s"`
	PerUnitS     float64 `json:"per_unit_s"`
	PerUnitSE    float64 `json:"per_unit_se_s"`
	R2           float64 `json:"r2"`
	RMSResidualS float64 `json:"rms_residual_s"`
	MeasuredS    float64 `json:"measured_s"`
}

// minSpread is the least ratio of the largest log's size to the smallest's for logs of different
// sizes; below it they are logs of one size.
const minSpread = 1.5

// Units of a CostFit.
const (
	UnitRecord = "record"
	UnitSize   = "largest log's data"
)

// line accumulates samples of a least-squares line y = fixed + perUnit x.
type line struct {
	n                     int
	sx, sy, sxx, sxy, syy float64
	minX, maxX            float64
	logs                  map[int]bool
}

func (l *line) add(log int, x, y float64) {
	if l.n == 0 {
		l.minX, l.maxX = x, x
	}
	l.n++
	l.sx, l.sy, l.sxx, l.sxy, l.syy = l.sx+x, l.sy+y, l.sxx+x*x, l.sxy+x*y, l.syy+y*y
	l.minX, l.maxX = min(l.minX, x), max(l.maxX, x)
	if l.logs == nil {
		l.logs = map[int]bool{}
	}
	l.logs[log] = true
}

// fit is the line: the per-unit cost by least squares, kept >= 0 (0 when x did not vary), and
// the fixed cost the mean's remainder, kept >= 0. With significant, the per-unit cost is kept
// only where the samples show it (at least twice its standard error): logs at several sizes
// learn the growth from their differences, small sizes are where the noise is largest, and a
// slope drawn through noise grows with the factor. Without (one log), the least-squares
// estimate stands, the only evidence of growth there is.
func (l *line) fit(significant bool) (fixed, perUnit float64) {
	n := float64(l.n)
	perUnit = l.slope()
	if perUnit < 0 || l.maxX == l.minX || (significant && perUnit < 2*l.slopeSE(perUnit)) {
		perUnit = 0
	}
	return max((l.sy-perUnit*l.sx)/n, 0), perUnit
}

// slope is the least-squares per-unit cost (0 when x did not vary).
func (l *line) slope() float64 {
	n := float64(l.n)
	if den := n*l.sxx - l.sx*l.sx; den > 0 {
		return (n*l.sxy - l.sx*l.sy) / den
	}
	return 0
}

// slopeSE is the standard error of slope b, from the residuals of the least-squares line with
// that slope (0 when it cannot be told: two samples or fewer, or x did not vary).
func (l *line) slopeSE(b float64) float64 {
	n := float64(l.n)
	sxx := l.sxx - l.sx*l.sx/n
	if l.n <= 2 || sxx <= 0 {
		return 0
	}
	a := (l.sy - b*l.sx) / n
	return math.Sqrt(max(l.ssr(a, b), 0) / (n - 2) / sxx)
}

// ssr is the sum of the squared residuals of the samples about the line a + b x.
func (l *line) ssr(a, b float64) float64 {
	return l.syy - 2*a*l.sy - 2*b*l.sxy + float64(l.n)*a*a + 2*a*b*l.sx + b*b*l.sxx
}

// costFit is the line with its figures of fit.
func (l *line) costFit(name, unit string, significant bool) CostFit {
	a, b := l.fit(significant)
	n := float64(l.n)
	c := CostFit{Name: name, Unit: unit, Samples: l.n, Logs: len(l.logs), MinUnits: l.minX, MaxUnits: l.maxX, FixedS: a, PerUnitS: b}
	ssr := max(l.ssr(a, b), 0)
	if sst := l.syy - l.sy*l.sy/n; sst > 0 {
		c.R2 = 1 - ssr/sst
	}
	c.RMSResidualS = math.Sqrt(ssr / n)
	c.PerUnitSE = l.slopeSE(l.slope())
	return c
}

// SameTuning says whether two logs' tunings are the same tuning (the tuner, its folds, the param
// maps and the stages their fits ran), naming what differs when not (wrapping ErrDifferentTunings).
func SameTuning(a, b *Tuning) error {
	var diff []string
	if a.Kind != b.Kind {
		diff = append(diff, fmt.Sprintf("tuner %s vs %s", TunerName(a.Kind), TunerName(b.Kind)))
	} else if a.Folds != b.Folds {
		diff = append(diff, fmt.Sprintf("folds %d vs %d", a.Folds, b.Folds))
	}
	if a.ParamMaps != b.ParamMaps {
		diff = append(diff, fmt.Sprintf("param maps %d vs %d", a.ParamMaps, b.ParamMaps))
	}
	if len(a.Fits) != len(b.Fits) {
		diff = append(diff, fmt.Sprintf("fits %d vs %d", len(a.Fits), len(b.Fits)))
	}
	na, nb := a.stageNames(), b.stageNames()
	if only := minus(na, nb); len(only) > 0 {
		diff = append(diff, "stages only in the first: "+quoteSome(only, 3))
	}
	if only := minus(nb, na); len(only) > 0 {
		diff = append(diff, "stages only in the second: "+quoteSome(only, 3))
	}
	if len(diff) > 0 {
		return fmt.Errorf("%w: %s", ErrDifferentTunings, strings.Join(diff, "; "))
	}
	return nil
}

// ranOn says where a log's tuning ran, as far as logs of one tuning must agree on it to be runs of
// the same work: local mode's slots, or the executors and their cores.
func ranOn(t *Tuning) string {
	c := t.Cluster()
	if c.Local {
		return fmt.Sprintf("local[%d]", c.CoresPerExecutor)
	}
	return fmt.Sprintf("%d executors x %d cores", c.Executors, c.CoresPerExecutor)
}

// quoteSome quotes the first n names, saying how many more there are.
func quoteSome(names []string, n int) string {
	q := make([]string, 0, n)
	for _, s := range names[:min(n, len(names))] {
		q = append(q, strconv.Quote(s))
	}
	if len(names) > n {
		q = append(q, fmt.Sprintf("and %d more", len(names)-n))
	}
	return strings.Join(q, ", ")
}

// stageNames are the names of the stages the tuning's fits ran tasks in, sorted.
func (t *Tuning) stageNames() []string {
	seen := map[string]bool{}
	for _, f := range t.Fits {
		for _, j := range f.Jobs {
			for _, st := range j.Stages {
				if len(countedTasks(st)) > 0 {
					seen[st.Name] = true
				}
			}
		}
	}
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// minus is the sorted names of a not in b.
func minus(a, b []string) []string {
	var out []string
	for _, n := range a {
		if _, ok := slices.BinarySearch(b, n); !ok {
			out = append(out, n)
		}
	}
	return out
}

// stageReads is what the counted tasks of a stage name read: the most records and bytes one task
// read, and the mean records per task.
type stageReads struct {
	mostRecords, mostBytes int64
	meanRecords            float64
	tasks                  int
}

// reads is, per stage name, what the tuning's counted tasks read.
func (t *Tuning) reads() map[string]*stageReads {
	out := map[string]*stageReads{}
	for _, f := range t.Fits {
		for _, j := range f.Jobs {
			for _, st := range j.Stages {
				for _, tk := range countedTasks(st) {
					r := out[st.Name]
					if r == nil {
						r = &stageReads{}
						out[st.Name] = r
					}
					r.mostRecords, r.mostBytes = max(r.mostRecords, tk.Records), max(r.mostBytes, tk.Bytes)
					r.meanRecords += float64(tk.Records)
					r.tasks++
				}
			}
		}
	}
	for _, r := range out {
		r.meanRecords /= float64(r.tasks)
	}
	return out
}

// relativeSize is the size of b's data relative to a's: over the stage names both read bytes in,
// the median of the ratio of their largest tasks' bytes, each stage weighted by those bytes in a
// (by records when no stage read bytes in both: logs written without them). The stages that read
// the data decide it; a stage that reads an aggregate or a sample weighs next to nothing. Bytes,
// not records: a cached DataFrame is read a columnar batch at a time and counts its batches, one
// or two a partition at any size (1 when no stage read anything in both).
func relativeSize(a, b *Tuning) float64 {
	ra, rb := a.reads(), b.reads()
	if r, ok := weightedRatio(ra, rb, func(s *stageReads) int64 { return s.mostBytes }); ok {
		return r
	}
	if r, ok := weightedRatio(ra, rb, func(s *stageReads) int64 { return s.mostRecords }); ok {
		return r
	}
	return 1
}

// weightedRatio is the median over the stage names of the ratio of size in b to size in a,
// each weighted by its size in a, over the names whose size is > 0 in both; ok is false when
// there is none.
func weightedRatio(a, b map[string]*stageReads, size func(*stageReads) int64) (r float64, ok bool) {
	type ratio struct{ r, w float64 }
	var rs []ratio
	total := 0.0
	for n, sa := range a {
		if sb := b[n]; sb != nil && size(sa) > 0 && size(sb) > 0 {
			rs = append(rs, ratio{float64(size(sb)) / float64(size(sa)), float64(size(sa))})
			total += float64(size(sa))
		}
	}
	if len(rs) == 0 {
		return 0, false
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i].r < rs[j].r })
	acc := 0.0
	for i, x := range rs {
		acc += x.w
		if acc > total/2 {
			return x.r, true
		}
		if acc == total/2 { // the weights split evenly here: the middle of the two
			return (x.r + rs[i+1].r) / 2, true
		}
	}
	return rs[len(rs)-1].r, true
}

// FitSizes fits the costs of the tuning in the logs given (labels name them, in the same order):
// they must be serial runs of the same tuning (SameTuning) on one cluster, at the same or
// different sizes.
func FitSizes(tunings []*Tuning, labels []string) (*Sizes, error) {
	if len(tunings) == 0 || len(labels) != len(tunings) {
		return nil, fmt.Errorf("fitting sizes: %d logs and %d labels; want one or more of each, as many", len(tunings), len(labels))
	}
	for i, t := range tunings[1:] {
		if err := SameTuning(tunings[0], t); err != nil {
			return nil, fmt.Errorf("%s and %s: %w", labels[0], labels[i+1], err)
		}
		if a, b := ranOn(tunings[0]), ranOn(t); a != b {
			return nil, fmt.Errorf("%s ran on %s, %s on %s: give logs of runs on one cluster (the same work on other slots is other costs)", labels[i+1], b, labels[0], a)
		}
		if t.parallel {
			return nil, fmt.Errorf("%s: its fits ran at once; fitting sizes needs serial runs", labels[i+1])
		}
	}
	if tunings[0].parallel {
		return nil, fmt.Errorf("%s: its fits ran at once; fitting sizes needs serial runs", labels[0])
	}
	s := &Sizes{}
	rel := make([]float64, len(tunings))
	for i, t := range tunings {
		rel[i] = relativeSize(tunings[0], t)
		if rel[i] > rel[s.Largest] {
			s.Largest = i
		}
	}
	for i, t := range tunings {
		s.Logs = append(s.Logs, SizeLog{Log: labels[i], RelSize: rel[i] / rel[s.Largest], TuningS: (t.End() - t.Start()).Seconds()})
	}
	bySize := s.sizeUnits(tunings)
	sized := s.Spread() >= minSpread
	stages, driver := map[string]*line{}, map[tuning.Op]*line{}
	measured := map[string]float64{}
	for i, t := range tunings {
		if sameRun(tunings[:i], t) {
			continue
		}
		for _, f := range t.Fits {
			for _, j := range f.Jobs {
				for _, st := range j.Stages {
					for _, tk := range countedTasks(st) {
						l := stages[st.Name]
						if l == nil {
							l = &line{}
							stages[st.Name] = l
						}
						x := float64(tk.Records)
						if bySize[st.Name] {
							x = s.Logs[i].RelSize
						}
						l.add(i, x, tk.Duration().Seconds())
						if i == s.Largest {
							measured[st.Name] += tk.Duration().Seconds()
						}
					}
				}
			}
		}
		if err := t.driverTimes(func(op tuning.Op, d time.Duration) {
			l := driver[op]
			if l == nil {
				l = &line{}
				driver[op] = l
			}
			l.add(i, s.Logs[i].RelSize, d.Seconds())
			if i == s.Largest {
				measured["driver "+string(op)] += d.Seconds()
			}
		}); err != nil {
			return nil, fmt.Errorf("%s: %w", labels[i], err)
		}
	}
	for _, name := range sortedKeys(stages) {
		unit := UnitRecord
		if bySize[name] {
			unit = UnitSize
		}
		c := stages[name].costFit(name, unit, sized)
		c.MeasuredS = measured[name]
		s.Stages = append(s.Stages, c)
	}
	for _, op := range []tuning.Op{DriverFitSetup, DriverBetween, DriverSubmit, DriverResult} {
		if l := driver[op]; l != nil {
			c := l.costFit(string(op), UnitSize, sized)
			c.MeasuredS = measured["driver "+string(op)]
			s.Driver = append(s.Driver, c)
		}
	}
	return s, nil
}

// sameRun says whether t is the run of one of the earlier tunings (the same log given twice): its
// samples would be that run's again, not more evidence of the costs or of how sure they are.
func sameRun(earlier []*Tuning, t *Tuning) bool {
	for _, u := range earlier {
		if u.App == t.App || (u.Info != nil && t.Info != nil && u.Info.AppID != "" &&
			u.Info.AppID == t.Info.AppID && u.Info.AppAttempt == t.Info.AppAttempt) {
			return true
		}
	}
	return false
}

// sizeUnits are the stage names whose tasks' records do not track the logs' sizes: from the
// smallest log to the largest, their mean records per task grew by less than the sizes' spread
// to the power 3/4 (a blockified dataset reads a block or two a partition, an evaluator's
// aggregate a record per class, a sample a few). Their cost is fitted per unit of data instead.
// None when the logs are of one size.
func (s *Sizes) sizeUnits(tunings []*Tuning) map[string]bool {
	small := 0
	for i, l := range s.Logs {
		if l.RelSize < s.Logs[small].RelSize {
			small = i
		}
	}
	out := map[string]bool{}
	sp := s.Spread()
	if sp < minSpread {
		return out
	}
	lo, hi := tunings[small].reads(), tunings[s.Largest].reads()
	for name, h := range hi {
		if l, ok := lo[name]; ok && (l.meanRecords <= 0 || h.meanRecords < math.Pow(sp, 0.75)*l.meanRecords) {
			out[name] = true
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// driverTimes calls add with each driver time of the tuning's plan (its replay as logged), by kind.
func (t *Tuning) driverTimes(add func(tuning.Op, time.Duration)) error {
	p, m, err := t.Plan(Options{})
	if err != nil {
		return err
	}
	for f, fit := range p.Fits {
		for k, st := range fit.Steps {
			if st.Kind == tuning.StepDriver {
				add(st.Op, m.Driver(tuning.DriverRef{Fit: f, Step: k, Op: st.Op}))
				continue
			}
			for g := range st.Stages {
				add(DriverSubmit, m.Submit(f, k, g))
			}
			add(DriverResult, m.Result(f, k))
		}
	}
	return nil
}

// Scale is the what-if at f times the largest log's data, priced by the fits.
func (s *Sizes) Scale(f float64) *Scale {
	sc := &Scale{Factor: f, Fits: map[string]ScaleFit{}, driver: map[tuning.Op]float64{}}
	for _, c := range s.Stages {
		if c.Unit == UnitSize {
			sc.Fits[c.Name] = ScaleFit{FixedS: c.FixedS, PerSizeS: c.PerUnitS, Tasks: c.Samples}
			continue
		}
		sc.Fits[c.Name] = ScaleFit{FixedS: c.FixedS, PerRecordS: c.PerUnitS, Tasks: c.Samples,
			MinRecords: int64(c.MinUnits), MaxRecords: int64(c.MaxUnits)}
	}
	for _, c := range s.Driver {
		sc.driver[tuning.Op(c.Name)] = c.PerUnitS
	}
	return sc
}

// Spread is the ratio of the largest log's size to the smallest's (1: the logs are of one size).
func (s *Sizes) Spread() float64 {
	lo := 1.0
	for _, l := range s.Logs {
		lo = min(lo, l.RelSize)
	}
	return 1 / lo
}

// OneSize says the logs are of one data size (their Spread below minSpread): nothing separates
// fixed from per-record costs across them, and each is another run of the same work.
func (s *Sizes) OneSize() bool { return s.Spread() < minSpread }

// Confidence says in a sentence how far the fits can be trusted: with logs at different sizes,
// what separated the fixed and per-record costs; with one size, the spread of the tasks' records
// alone, and the standard error of the per-record costs that carry most of the time.
func (s *Sizes) Confidence() string {
	var seShare, weight float64
	for _, c := range s.Stages {
		if c.PerUnitS > 0 {
			seShare += c.MeasuredS * min(c.PerUnitSE/c.PerUnitS, 10)
			weight += c.MeasuredS
		}
	}
	se := ""
	if weight > 0 {
		se = fmt.Sprintf("; the per-record costs' standard error is %.0f%% of them (weighted by the stages' time)", 100*seShare/weight)
	}
	if sp := s.Spread(); sp >= minSpread {
		grew, all := s.grewShare()
		return fmt.Sprintf("%d logs spanning %.1fx in size separate each stage's fixed and per-record costs and the driver's growth%s; "+
			"growth beyond the samples' scatter (twice its standard error) was found for %.0f%% of the largest log's time (%.2f of %.2f s), the rest is kept as measured%s",
			len(s.Logs), sp, se, 100*grew/max(all, 1e-9), grew, all, smallLogsNote(grew, all))
	}
	lo, hi := 0.0, 0.0 // the least and most spread of the tasks' records within a stage
	for _, c := range s.Stages {
		if c.MinUnits > 0 {
			r := c.MaxUnits / c.MinUnits
			if lo == 0 || r < lo {
				lo = r
			}
			hi = max(hi, r)
		}
	}
	spread := "the tasks' records do not vary within a stage, so nothing separates fixed from per-record cost"
	if hi > 1 {
		spread = fmt.Sprintf("only the spread of the tasks' records within a stage (%.1f-%.1fx) separates fixed from per-record cost", lo, hi)
	}
	return fmt.Sprintf("logs of one size: %s, and the driver's time is kept as measured%s; a second log at ~4x the rows would separate them", spread, se)
}

// grewShare is the largest log's time in the stages and driver kinds whose per-unit cost was kept
// (grew) and in all of them.
func (s *Sizes) grewShare() (grew, all float64) {
	for _, c := range append(append([]CostFit(nil), s.Stages...), s.Driver...) {
		all += c.MeasuredS
		if c.PerUnitS > 0 {
			grew += c.MeasuredS
		}
	}
	return grew, all
}

// growthUnseen says less than half the time showed growth: the logs are too small, or too
// alike, for their growth to stand out of their noise, and the prediction rests on the few
// stages whose growth did (it erred both ways so: 2026-12-06-sizes.md).
func growthUnseen(grew, all float64) bool { return grew < all/2 }

// smallLogsNote is the warning when the growth went unseen (growthUnseen), else "".
func smallLogsNote(grew, all float64) string {
	if growthUnseen(grew, all) {
		return ". WARNING: most of the logs' time shows no growth beyond run-to-run noise (sizes too small or too close), " +
			"so the predicted growth rests on a few stages and may err either way; log a run nearer the size you ask about"
	}
	return ""
}

// Extrapolation describes a what-if at f times the largest log's data.
func (s *Sizes) Extrapolation(f float64) *Extrapolation {
	e := &Extrapolation{ScaleRows: f, Logs: s.Logs, Stages: s.Stages, Driver: s.Driver, Confidence: s.Confidence()}
	e.Note = oneLogNote(f)
	if s.Spread() >= minSpread {
		grew, all := s.grewShare()
		share := grew / max(all, 1e-9)
		e.GrowthShown, e.GrowthUnseen = &share, growthUnseen(grew, all)
	}
	if len(s.Logs) > 1 {
		e.Note = fmt.Sprintf("extrapolated to %g x the rows of the largest log: each task adds its stage's per-record cost for the extra records, "+
			"each driver step its kind's cost per unit of data (fitted on %d logs); partitions stay as measured", f, len(s.Logs))
	}
	if f > ExtrapolationLimit {
		e.Beyond = true
		e.Warning = fmt.Sprintf("%g x the largest logged size is beyond the %gx this model is trusted for: the costs are fitted on sizes from %.3g to 1x; log a run nearer the size you ask about",
			f, ExtrapolationLimit, 1/s.Spread())
	}
	return e
}

// Write prints the extrapolation as lines of the found-summary: the note, the warning past the
// limit, and the fits like calibrate's table.
func (e *Extrapolation) Write(w io.Writer) {
	fmt.Fprintf(w, "EXTRAPOLATION: %s\n", e.Note)
	if e.Warning != "" {
		fmt.Fprintf(w, "WARNING: %s\n", e.Warning)
	}
	if len(e.Stages) == 0 && len(e.Driver) == 0 {
		return
	}
	for _, l := range e.Logs {
		fmt.Fprintf(w, "  log %s: %.3g x the largest log's rows, tuning %.2f s\n", l.Log, l.RelSize, l.TuningS)
	}
	tw := tabwriter.NewWriter(w, 2, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "  stage or driver time\tsamples\tlogs\tunits\tfixed ms\tper unit\tR²\trms residual ms\tmeasured s\t")
	for _, c := range e.Stages {
		e.row(tw, c.Name, c)
	}
	for _, c := range e.Driver {
		e.row(tw, "driver: "+c.Name, c)
	}
	tw.Flush()
	fmt.Fprintf(w, "  how sure: %s\n", e.Confidence)
}

// row prints a fit as a row of the table.
func (e *Extrapolation) row(tw io.Writer, name string, c CostFit) {
	{
		per, units := fmt.Sprintf("%.3f ms/1k rec", 1e6*c.PerUnitS), fmt.Sprintf("%.0f-%.0f rec", c.MinUnits, c.MaxUnits)
		if c.Unit == UnitSize {
			per, units = fmt.Sprintf("%.3f ms/size", 1e3*c.PerUnitS), fmt.Sprintf("%.3g-%.3g size", c.MinUnits, c.MaxUnits)
		}
		fmt.Fprintf(tw, "  %s\t%d\t%d\t%s\t%.3f\t%s\t%.3f\t%.3f\t%.3f\t\n", name, c.Samples, c.Logs, units, 1e3*c.FixedS, per, c.R2, 1e3*c.RMSResidualS, c.MeasuredS)
	}
}
