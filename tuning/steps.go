package tuning

import (
	"math"

	"tunesim/estimators"
	"tunesim/scenarios"
)

// PartitionRows spreads rows over parts partitions whose sizes rise linearly from (1-skew) to
// (1+skew) times the mean, rounded by largest remainder so they sum to rows exactly.
func PartitionRows(rows int64, parts int, skew float64) []int64 {
	w := make([]float64, parts)
	var sum float64
	for i := range w {
		w[i] = 1
		if parts > 1 {
			w[i] += skew * (2*float64(i)/float64(parts-1) - 1)
		}
		sum += w[i]
	}
	return apportion(rows, w, sum)
}

// apportion splits total in proportion to weights w (summing to sum), by largest remainder;
// ties go to the lower index.
func apportion(total int64, w []float64, sum float64) []int64 {
	out := make([]int64, len(w))
	rem := make([]float64, len(w))
	var given int64
	for i, wi := range w {
		exact := float64(total) * wi / sum
		out[i] = int64(math.Floor(exact))
		rem[i] = exact - float64(out[i])
		given += out[i]
	}
	for ; given < total; given++ {
		best := 0
		for i := range rem {
			if rem[i] > rem[best] {
				best = i
			}
		}
		out[best]++
		rem[best] = -1
	}
	return out
}

// splitRows is the training and validation rows per partition of round f. A random split keeps
// the source's partitioning: TrainValidationSplit keeps train_ratio of each partition for
// training; CrossValidator's fold f validates on a 1/folds share of each partition (the shares of
// a partition's folds sum to its rows) and trains on the rest.
func splitRows(s *scenarios.Scenario, source []int64, f int) (train, val []int64) {
	train = make([]int64, len(source))
	val = make([]int64, len(source))
	for p, rows := range source {
		if s.Tuner.Kind == scenarios.CrossValidator {
			k := int64(s.Tuner.Folds)
			v := rows / k
			if int64(f) < rows%k {
				v++
			}
			val[p] = v
		} else {
			val[p] = rows - int64(math.Round(float64(rows)*s.Tuner.TrainRatio))
		}
		train[p] = rows - val[p]
	}
	return train, val
}

// build fills fit's steps and K from the pipeline pl in the fit's param map: the jobs and driver
// steps each stage's unit declares, training on split train and, unless val is None, its
// evaluator's jobs on split val.
func (p *Plan) build(pl estimators.Pipeline, fit *Fit, train, val int) {
	src := p.Scenario.Pipeline.Source(p.ParamMaps[fit.ParamMap])
	fit.Steps = nil
	b := &builder{plan: p, steps: &fit.Steps, split: train, version: pl.Version}
	c, v := pl.Walk(src, func(u *estimators.Unit, c estimators.Context, v estimators.Values) bool {
		b.fused = append([]estimators.Fused(nil), c.Fused...)
		u.Fit(b, c, v)
		return true
	})
	fit.K = c.In.Size
	if val == None {
		return
	}
	pred := estimators.Prediction{Classes: pl.Classes}
	if u := pl.Predictor(); u.Kind == estimators.Predictor {
		pred = u.Predict(c, v)
	}
	eb := &builder{plan: p, steps: &fit.Steps, split: val, version: pl.Version, fused: append(b.fused, pred.Fused...)}
	pl.Evaluator.Evaluate(eb, pred, pl.Evaluator.Values(src))
}

// builder turns a unit's jobs into steps reading one split (estimators.Builder).
type builder struct {
	plan    *Plan
	steps   *[]Step
	split   int
	version int
	// fused are the transforms run inside the split's reading tasks.
	fused []estimators.Fused
}

func (b *builder) rows() []int64 { return b.plan.Splits[b.split].Rows }

// Partitions implements estimators.Builder.
func (b *builder) Partitions() int { return len(b.rows()) }

// Rows implements estimators.Builder.
func (b *builder) Rows() int64 { return b.plan.Splits[b.split].TotalRows() }

// Version implements estimators.Builder.
func (b *builder) Version() int { return b.version }

// Absorb implements estimators.Builder.
func (b *builder) Absorb(op Op) {
	kept := b.fused[:0:0]
	for _, f := range b.fused {
		if f.Op != op {
			kept = append(kept, f)
		}
	}
	b.fused = kept
}

// Driver implements estimators.Builder.
func (b *builder) Driver(op Op, in, out int) {
	*b.steps = append(*b.steps, Step{Kind: StepDriver, Op: op, Shape: Shape{Rows: 1, In: in, Out: out}})
}

// Job implements estimators.Builder.
func (b *builder) Job(stages ...estimators.Stage) {
	parts := b.Partitions()
	st := make([]Stage, len(stages))
	for i, e := range stages {
		s := Stage{Op: e.Op, Tasks: parts, In: e.In, Out: e.Out, Elems: e.Elems}
		switch e.Read {
		case estimators.Split:
			s.ReadsSplit = true
			if e.Take {
				s.Take, s.Tasks = true, 1
			}
			if n := len(b.fused) + len(e.Extra); n > 0 {
				s.Fused = append(append(make([]estimators.Fused, 0, n), b.fused...), e.Extra...)
			}
		case estimators.Cached:
			s.Cached = true
			if len(e.Extra) > 0 {
				s.Fused = append([]estimators.Fused(nil), e.Extra...)
			}
		default:
			if e.Tasks > 0 {
				s.Tasks = e.Tasks
			}
			s.Partials = e.Partials
			if s.Partials == 0 && i > 0 {
				s.Partials = st[i-1].Tasks
			}
		}
		st[i] = s
	}
	*b.steps = append(*b.steps, Step{Kind: StepJob, Op: stages[0].Op, Split: b.split, Stages: st})
}
