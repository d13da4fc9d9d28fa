package realrun

import (
	"fmt"
	"math"
	"slices"
	"sync/atomic"

	"gonum.org/v1/gonum/optimize"

	"tunesim/estimators"
	"tunesim/scenarios"
	"tunesim/tuning"
)

// Logistic regression for real (estimators.LogisticRegression, binomial or multinomial, with
// MulticlassClassificationEvaluator), as Spark's ml/classification/LogisticRegression.scala fits
// it: the Summarizer's treeAggregate gives each feature's deviation; then L-BFGS
// (gonum.org/v1/gonum/optimize) minimizes the mean logistic loss of the standardized rows plus
// regParam/2 times the squared coefficients, and every loss and gradient evaluation it asks for
// is one job of the plan — a treeAggregate whose tasks each sum their partition's loss and
// gradient (RDDLossFunction.calculate over the blocks of BinaryLogisticBlockAggregator or
// MultinomialLogisticBlockAggregator), the first also standardizing the rows into blocks the fit
// caches (blockify), the later ones reading those blocks. The plan fixes how many evaluations a
// fit runs (logreg.iterations + 1): when L-BFGS converges sooner, the evaluations left evaluate the
// solution again, so a fit always runs its plan's jobs.

// logisticKernels are the operations this file runs.
var logisticKernels = []tuning.Op{
	estimators.OpSummarizer, estimators.OpBlockify, estimators.OpLogRegLoss, estimators.OpLogRegPredict,
	estimators.OpMulticlassScore, estimators.OpShuffleReduce,
}

// logisticRunnable refuses what the kernels do not do: OWL-QN (elasticNetParam > 0 puts an L1
// term in the loss, which gonum's L-BFGS does not minimize) and the evaluator's metrics that need
// probabilities or are not computed from the confusion counts here.
func logisticRunnable(p *tuning.Plan) error {
	s := p.Scenario
	pl := s.Units()
	if pl.Predictor() != estimators.LogisticRegression {
		return nil
	}
	for _, m := range p.ParamMaps {
		src := s.Pipeline.Source(m)
		if e := estimators.LogisticRegression.Values(src).Num("elasticNetParam"); e > 0 {
			return fmt.Errorf("%w: scenario %s's logreg.elasticNetParam %g: the L-BFGS over gonum minimizes L2-regularized losses only (Spark's OWL-QN for L1 has no Go kernel): calibrate it from Spark instead",
				ErrNotRunnable, s.Name, e)
		}
		if pl.Evaluator == estimators.MulticlassEvaluator {
			if name := pl.Evaluator.Values(src).Str("metricName"); metricOf(name) == nil {
				return fmt.Errorf("%w: scenario %s's evaluator.metricName %q: realrun computes f1, accuracy, weightedPrecision, weightedRecall and hammingLoss from the confusion counts", ErrNotRunnable, s.Name, name)
			}
		}
	}
	return nil
}

// LossGrad is the partial aggregate of a loss evaluation: the rows summed, their summed loss and
// the sum of their gradients (not yet divided by the rows).
type LossGrad struct {
	N    float64
	Loss float64
	Grad []float64
}

func (l *LossGrad) mergeAny(o partial) {
	ol := o.(*LossGrad)
	l.N += ol.N
	l.Loss += ol.Loss
	for i, v := range ol.Grad {
		l.Grad[i] += v
	}
}

// LogisticLoss adds row z (standardized features), label y, to the partial: its logistic loss at
// coefficients w and the loss's gradient. w holds sets coefficient sets of len(z)+1 numbers each,
// the intercept last; one set is binomial (the margin is the log-odds of class 1), several are
// multinomial (softmax over the sets). margins is scratch space of sets numbers.
func (l *LossGrad) LogisticLoss(w []float64, sets int, z []float64, y float64, margins []float64) {
	f := len(z)
	for k := range sets {
		c := w[k*(f+1) : (k+1)*(f+1)]
		m := c[f]
		for j, v := range z {
			m += c[j] * v
		}
		margins[k] = m
	}
	l.N++
	if sets == 1 {
		m := margins[0]
		// log(1 + e^m) - y m, computed without overflow; its derivative in m is sigmoid(m) - y.
		loss := math.Log1p(math.Exp(-math.Abs(m))) + math.Max(m, 0) - y*m
		l.Loss += loss
		d := 1/(1+math.Exp(-m)) - y
		addScaled(l.Grad[:f+1], z, d)
		return
	}
	top := slices.Max(margins[:sets])
	var sum float64
	for k := range sets {
		sum += math.Exp(margins[k] - top)
	}
	label := int(y)
	l.Loss += top + math.Log(sum) - margins[label]
	for k := range sets {
		d := math.Exp(margins[k]-top) / sum
		if k == label {
			d--
		}
		addScaled(l.Grad[k*(f+1):(k+1)*(f+1)], z, d)
	}
}

// addScaled adds d times (z, 1) to g (the intercept's derivative last).
func addScaled(g, z []float64, d float64) {
	for j, v := range z {
		g[j] += d * v
	}
	g[len(z)] += d
}

// LogisticObjective is the loss L-BFGS minimizes, from the summed partial: the mean loss plus
// regParam/2 times the squared coefficients (not the intercepts), and its gradient in grad.
func LogisticObjective(acc *LossGrad, w []float64, sets int, regParam float64, grad []float64) float64 {
	f := len(w)/sets - 1
	n := max(acc.N, 1)
	loss := acc.Loss / n
	for i, g := range acc.Grad {
		grad[i] = g / n
		if (i+1)%(f+1) != 0 {
			loss += regParam / 2 * w[i] * w[i]
			grad[i] += regParam * w[i]
		}
	}
	return loss
}

// LogisticModel is a fitted logistic regression: its coefficient sets over standardized features
// and each feature's inverse deviation.
type LogisticModel struct {
	Sets int
	// Coef is Sets sets of len(Inv)+1 numbers, the intercept last.
	Coef []float64
	// Inv is 1/deviation of each feature (0 for a constant one).
	Inv []float64
}

// Predict is the predicted class of row x (estimators.OpLogRegPredict); z and margins are scratch
// space of len(Inv) and Sets numbers.
func (m *LogisticModel) Predict(x, z, margins []float64) int {
	f := len(m.Inv)
	for j, v := range x {
		z[j] = v * m.Inv[j]
	}
	best, bestMargin := 0, math.Inf(-1)
	for k := range m.Sets {
		c := m.Coef[k*(f+1) : (k+1)*(f+1)]
		s := c[f]
		for j, v := range z {
			s += c[j] * v
		}
		margins[k] = s
		if s > bestMargin {
			best, bestMargin = k, s
		}
	}
	if m.Sets == 1 {
		if margins[0] > 0 {
			return 1
		}
		return 0
	}
	return best
}

// Confusion counts (label, prediction) pairs: MulticlassMetrics' confusion matrix, the partial of
// MulticlassClassificationEvaluator's reduceByKey (estimators.OpMulticlassScore).
type Confusion struct {
	Classes int
	// Counts[label*Classes+prediction] is how many rows of the label were predicted so.
	Counts []float64
}

// NewConfusion is an empty confusion matrix of classes classes.
func NewConfusion(classes int) *Confusion {
	return &Confusion{Classes: classes, Counts: make([]float64, classes*classes)}
}

// Add counts a row.
func (c *Confusion) Add(label, prediction int) { c.Counts[label*c.Classes+prediction]++ }

func (c *Confusion) mergeAny(o partial) {
	for i, v := range o.(*Confusion).Counts {
		c.Counts[i] += v
	}
}

// metric computes one of MulticlassMetrics' measures from the counts.
type metric struct {
	of           func(c *Confusion) float64
	largerBetter bool
}

// metricOf is MulticlassClassificationEvaluator's metric name (lower case) as computed here, or nil.
func metricOf(name string) *metric {
	weighted := func(per func(c *Confusion, k int) float64) func(c *Confusion) float64 {
		return func(c *Confusion) float64 {
			var sum, n float64
			for k := range c.Classes {
				rows := 0.0
				for p := range c.Classes {
					rows += c.Counts[k*c.Classes+p]
				}
				sum += rows * per(c, k)
				n += rows
			}
			return sum / math.Max(n, 1)
		}
	}
	precision := func(c *Confusion, k int) float64 {
		predicted := 0.0
		for l := range c.Classes {
			predicted += c.Counts[l*c.Classes+k]
		}
		return c.Counts[k*c.Classes+k] / math.Max(predicted, 1)
	}
	recall := func(c *Confusion, k int) float64 {
		rows := 0.0
		for p := range c.Classes {
			rows += c.Counts[k*c.Classes+p]
		}
		return c.Counts[k*c.Classes+k] / math.Max(rows, 1)
	}
	accuracy := func(c *Confusion) float64 {
		var right, n float64
		for k := range c.Classes {
			right += c.Counts[k*c.Classes+k]
		}
		for _, v := range c.Counts {
			n += v
		}
		return right / math.Max(n, 1)
	}
	switch name {
	case "f1":
		return &metric{weighted(func(c *Confusion, k int) float64 {
			p, r := precision(c, k), recall(c, k)
			if p+r == 0 {
				return 0
			}
			return 2 * p * r / (p + r)
		}), true}
	case "accuracy":
		return &metric{accuracy, true}
	case "weightedprecision":
		return &metric{weighted(precision), true}
	case "weightedrecall":
		return &metric{weighted(recall), true}
	case "hammingloss":
		return &metric{func(c *Confusion) float64 { return 1 - accuracy(c) }, false}
	}
	return nil
}

// logisticFit is a fit's logistic-regression state, on its goroutine (tasks read it between the
// jobs that change it).
type logisticFit struct {
	sets, classes int
	regParam      float64
	metric        *metric
	// inv is 1/deviation of each feature, from the Summarizer's job.
	inv []float64
	// blocks are the standardized rows of each partition of the training part, cached by the
	// first loss job (InstanceBlock.blokifyWithMaxMemUsage, persisted).
	blocks []*Block
	// w is the point the current loss job evaluates at; serving says the optimizer waits for it.
	w       []float64
	serving bool
	opt     *lbfgsRun
	model   *LogisticModel
	// value is the evaluator's metric on the validation part.
	value float64
}

// newLogisticFit is the state of fit when the plan's predictor is LogisticRegression (else nil).
func newLogisticFit(plan *tuning.Plan, fit *tuning.Fit) *logisticFit {
	s := plan.Scenario
	pl := s.Units()
	if pl.Predictor() != estimators.LogisticRegression {
		return nil
	}
	src := s.Pipeline.Source(plan.ParamMaps[fit.ParamMap])
	v := estimators.LogisticRegression.Values(src)
	lf := &logisticFit{classes: pl.Classes, sets: 1, regParam: v.Num("regParam"), value: math.NaN()}
	if f := v.Str("family"); f == "multinomial" || f == "auto" && pl.Classes > 2 {
		lf.sets = pl.Classes
	}
	if pl.Evaluator == estimators.MulticlassEvaluator {
		lf.metric = metricOf(pl.Evaluator.Values(src).Str("metricName"))
	}
	lf.blocks = make([]*Block, len(plan.Splits[0].Rows))
	return lf
}

// largerBetter says whether the scenario's evaluator's metric is better larger (RMSE is not).
func largerBetter(s *scenarios.Scenario) bool {
	pl := s.Units()
	if pl.Evaluator != estimators.MulticlassEvaluator {
		return false
	}
	m := metricOf(pl.Evaluator.Values(s.Pipeline.Source(nil)).Str("metricName"))
	return m != nil && m.largerBetter
}

// beforeJob readies a loss job: it takes the point to evaluate from L-BFGS, starting it (with as
// many evaluations as the fit's plan has loss jobs from here) at the first.
func (lf *logisticFit) beforeJob(f *fitRun, step int) {
	if f.fit.Steps[step].Op != estimators.OpLogRegLoss {
		return
	}
	if lf.opt == nil {
		budget := 0
		for _, st := range f.fit.Steps[step:] {
			if st.Kind == tuning.StepJob && st.Op == estimators.OpLogRegLoss {
				budget++
			}
		}
		lf.opt = startLBFGS(lf.sets*(len(lf.inv)+1), budget)
	}
	lf.w, lf.serving = lf.opt.next()
}

// afterJob takes a finished job's merged result: the deviations (Summarizer), a loss evaluation
// (answered to L-BFGS; after the last, the model), or the confusion counts (the metric).
func (lf *logisticFit) afterJob(f *fitRun, step int, acc partial) {
	switch op := f.fit.Steps[step].Op; op {
	case estimators.OpSummarizer:
		s := acc.(*Summary)
		lf.inv = make([]float64, len(s.Sum))
		for j := range s.Sum {
			if n := float64(s.N); n > 1 {
				if v := (s.SumSq[j] - s.Sum[j]*s.Sum[j]/n) / (n - 1); v > 0 {
					lf.inv[j] = 1 / math.Sqrt(v)
				}
			}
		}
	case estimators.OpLogRegLoss:
		if lf.serving {
			grad := make([]float64, len(lf.w))
			loss := LogisticObjective(acc.(*LossGrad), lf.w, lf.sets, lf.regParam, grad)
			lf.opt.answer(loss, grad)
		}
		if !slices.ContainsFunc(f.fit.Steps[step+1:], func(st tuning.Step) bool { return st.Op == estimators.OpLogRegLoss }) {
			lf.model = &LogisticModel{Sets: lf.sets, Coef: lf.opt.result(), Inv: lf.inv}
			f.model.Logistic = lf.model
		}
	case estimators.OpMulticlassScore, estimators.OpShuffleReduce:
		if c, ok := acc.(*Confusion); ok && lf.metric != nil {
			lf.value = lf.metric.of(c)
		}
	}
}

// task runs task part of stage si of job j when it is logistic regression's, and says so.
func (lf *logisticFit) task(r *runner, j *jobRun, si, part int) (partial, bool) {
	st := &j.step.Stages[si]
	f := len(lf.inv)
	switch st.Op {
	case estimators.OpSummarizer:
		if !st.ReadsSplit {
			return nil, false // a tree_reduce-like merge: the generic one
		}
		s := NewSummary(st.In)
		r.read(j, si, part, -1, func(x []float64, _ float64) { s.Add(x) })
		return s, true
	case estimators.OpLogRegLoss:
		acc := &LossGrad{Grad: make([]float64, len(lf.w))}
		margins := make([]float64, lf.sets)
		if st.Cached {
			lf.blocks[part].Each(func(z []float64, y float64) { acc.LogisticLoss(lf.w, lf.sets, z, y, margins) })
			return acc, true
		}
		// The first evaluation reads the part and caches its standardized rows (blockify).
		b := &Block{Features: f}
		z := make([]float64, f)
		r.read(j, si, part, -1, func(x []float64, y float64) {
			for k, v := range x {
				z[k] = v * lf.inv[k]
			}
			b.X = append(b.X, z...)
			b.Y = append(b.Y, y)
			acc.LogisticLoss(lf.w, lf.sets, z, y, margins)
		})
		lf.blocks[part] = b
		return acc, true
	case estimators.OpMulticlassScore:
		c := NewConfusion(max(lf.classes, 2))
		z, margins := make([]float64, f), make([]float64, lf.sets)
		r.read(j, si, part, -1, func(x []float64, y float64) { c.Add(int(y), lf.model.Predict(x, z, margins)) })
		return c, true
	}
	return nil, false
}

// release stops the fit's L-BFGS if it still runs (a cancelled run).
func (lf *logisticFit) release() {
	if lf.opt != nil {
		lf.opt.stop()
	}
}

// lbfgsRun is gonum's L-BFGS minimizing on a goroutine of its own, each of its function and
// gradient evaluations handed to the fit's goroutine, which runs it as a job.
type lbfgsRun struct {
	req  chan []float64
	resp chan evaluation
	done chan *optimize.Result
	quit chan struct{}
	// jobs is the evaluations asked for; budget the most the plan has jobs for.
	jobs   atomic.Int64
	budget int64
	final  *optimize.Result
	last   []float64 // the last point evaluated (at the start: the initial point)
}

// evaluation is a loss and its gradient at a point.
type evaluation struct {
	loss float64
	grad []float64
}

// startLBFGS starts minimizing over dim coefficients from zero, with at most budget evaluations.
func startLBFGS(dim, budget int) *lbfgsRun {
	o := &lbfgsRun{req: make(chan []float64), resp: make(chan evaluation), done: make(chan *optimize.Result, 1),
		quit: make(chan struct{}), budget: int64(budget), last: make([]float64, dim)}
	go func() {
		var at []float64
		var cur evaluation
		// eval runs (through the fit's goroutine) the evaluation at x, once per point: gonum asks
		// for the loss and then the gradient at the same point.
		eval := func(x []float64) evaluation {
			if at != nil && slices.Equal(at, x) {
				return cur
			}
			if o.jobs.Load() >= o.budget {
				return evaluation{loss: math.NaN(), grad: make([]float64, len(x))}
			}
			o.jobs.Add(1)
			at = slices.Clone(x)
			select {
			case o.req <- at:
			case <-o.quit:
				return evaluation{loss: math.NaN(), grad: make([]float64, len(x))}
			}
			select {
			case cur = <-o.resp:
			case <-o.quit:
				cur = evaluation{loss: math.NaN(), grad: make([]float64, len(x))}
			}
			return cur
		}
		p := optimize.Problem{
			Func: func(x []float64) float64 { return eval(x).loss },
			Grad: func(g, x []float64) { copy(g, eval(x).grad) },
			Status: func() (optimize.Status, error) {
				select {
				case <-o.quit:
					return optimize.Failure, errStopped
				default:
				}
				if o.jobs.Load() >= o.budget {
					return optimize.FunctionEvaluationLimit, nil
				}
				return optimize.NotTerminated, nil
			},
		}
		res, err := optimize.Minimize(p, make([]float64, dim), nil, &optimize.LBFGS{})
		if res == nil || err != nil && res.X == nil {
			res = &optimize.Result{Location: optimize.Location{X: slices.Clone(at)}}
		}
		o.done <- res
	}()
	return o
}

// next is the point the next loss job evaluates: the one L-BFGS asks for (serving), or, once it
// has finished, its solution.
func (o *lbfgsRun) next() (x []float64, serving bool) {
	if o.final == nil {
		select {
		case x := <-o.req:
			o.last = x
			return x, true
		case o.final = <-o.done:
		}
	}
	return o.solution(), false
}

// answer hands L-BFGS the evaluation it asked for.
func (o *lbfgsRun) answer(loss float64, grad []float64) { o.resp <- evaluation{loss, grad} }

// result waits for L-BFGS to finish (the plan's evaluations are done) and returns its solution.
func (o *lbfgsRun) result() []float64 {
	if o.final == nil {
		o.final = <-o.done
	}
	return o.solution()
}

// solution is the best point L-BFGS found (the last evaluated when it found none).
func (o *lbfgsRun) solution() []float64 {
	if o.final != nil && o.final.X != nil && !math.IsNaN(o.final.F) {
		return o.final.X
	}
	return o.last
}

// stop ends a minimization that still runs.
func (o *lbfgsRun) stop() {
	select {
	case <-o.quit:
	default:
		close(o.quit)
	}
}
