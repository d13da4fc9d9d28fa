package realrun

import (
	"context"
	"fmt"
	"time"

	"tunesim/estimators"
	"tunesim/trace"
	"tunesim/tuning"
)

// fitRun is one fit in flight on a tuner goroutine: what its jobs and driver steps have computed.
type fitRun struct {
	fit      *tuning.Fit
	thread   int
	regParam float64
	done     chan jobDone
	// start is when a tuner thread took the fit from the queue.
	start time.Duration

	mean  []float64 // column means (column_summary)
	gram  *Gramian  // covariance partial sums (gramian)
	ne    *NormalEq // normal equations (lr_aggregate)
	model Model
	train *Residuals // training summary (lr_summary)
	val   *Residuals // evaluation on the validation split (evaluate)

	logit *logisticFit // a LogisticRegression's state (logistic.go), nil for other predictors
}

// newFitRun is fit taken by tuner thread thread at time start.
func newFitRun(fit *tuning.Fit, plan *tuning.Plan, thread int, start time.Duration) *fitRun {
	reg, _ := plan.ParamMaps[fit.ParamMap].Get(estimators.ParamLRRegParam)
	return &fitRun{fit: fit, thread: thread, regParam: reg, done: make(chan jobDone, 1), start: start, logit: newLogisticFit(plan, fit)}
}

// metric is the fit's evaluator's metric on its validation split: RMSE, or a logistic
// regression's classification metric.
func (f *fitRun) metric() float64 {
	if f.logit != nil {
		return f.logit.value
	}
	return f.val.RMSE()
}

// runFit runs a fit's steps in order on the calling goroutine (its tuner thread).
func (r *runner) runFit(ctx context.Context, f *fitRun) error {
	n := r.fitsRunning.Add(1)
	for {
		peak := r.maxFits.Load()
		if n <= peak || r.maxFits.CompareAndSwap(peak, n) {
			break
		}
	}
	defer r.fitsRunning.Add(-1)
	if f.logit != nil {
		defer f.logit.release()
	}
	for i := range f.fit.Steps {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("%w: %w", errStopped, err)
		}
		st := &f.fit.Steps[i]
		if st.Kind == tuning.StepDriver {
			t0 := r.now()
			if err := f.driverStep(st); err != nil {
				return fmt.Errorf("fit %d (param map %d, fold %d): %w", f.fit.Index, f.fit.ParamMap, f.fit.Fold, err)
			}
			r.emit(trace.DriverSpan(string(st.Op), trace.None, f.thread, t0, r.now()), f)
			continue
		}
		if f.logit != nil {
			f.logit.beforeJob(f, i)
		}
		j := &jobRun{fit: f, step: st, submitted: r.now()}
		r.dag <- dagRequest{job: j, newJob: true}
		d := <-f.done
		acc := f.collect(st, d.job.outputs[len(st.Stages)-1])
		if f.logit != nil {
			f.logit.afterJob(f, i, acc)
		}
		r.emit(trace.DriverSpan(trace.SpanJobResult, d.job.jobID, f.thread, d.lastEnd, r.now()), f)
	}
	r.emit(trace.FitSpan(f.fit.Refit, f.thread, f.start, r.now()), f)
	return nil
}

// driverStep runs driver work on the fit's goroutine.
func (f *fitRun) driverStep(st *tuning.Step) error {
	switch st.Op {
	case estimators.OpPCAEigen:
		if f.gram == nil {
			return fmt.Errorf("pca_eigen before the gramian job")
		}
		pc, err := PCA(f.gram, f.fit.K)
		if err != nil {
			return err
		}
		f.model.PC = pc
	case estimators.OpLRSolve:
		if f.ne == nil {
			return fmt.Errorf("lr_solve before the lr_aggregate job")
		}
		coef, icpt, err := SolveLR(f.ne, f.regParam)
		if err != nil {
			return err
		}
		f.model.Coef, f.model.Intercept = coef, icpt
	default:
		return fmt.Errorf("unknown driver operation %q", st.Op)
	}
	return nil
}

// collect merges the last stage's partial aggregates on the driver, in task order, keeps what
// the fit needs from them and returns the merged aggregate.
func (f *fitRun) collect(st *tuning.Step, outs []partial) partial {
	var acc partial
	for _, o := range outs {
		switch {
		case o == nil:
		case acc == nil:
			acc = o
		default:
			acc.mergeAny(o)
		}
	}
	switch st.Op {
	case estimators.OpColumnSummary:
		f.mean = acc.(*Summary).Mean()
	case estimators.OpGramian:
		f.gram = acc.(*Gramian)
	case estimators.OpLRAggregate:
		f.ne = acc.(*NormalEq)
	case estimators.OpLRSummary:
		f.train = acc.(*Residuals)
	case estimators.OpEvaluate:
		f.val = acc.(*Residuals)
	}
	return acc
}

// runTask is the work of task part of stage si of job j: a treeAggregate seqOp over its partition
// of the job's split, or a tree_reduce merge of its share of the previous stage's partials.
func (r *runner) runTask(j *jobRun, si, part int) partial {
	if lf := j.fit.logit; lf != nil {
		if out, ok := lf.task(r, j, si, part); ok {
			return out
		}
	}
	st := &j.step.Stages[si]
	if !st.ReadsSplit {
		// treeAggregate sends partial i to reduce task i mod n.
		prev := j.outputs[si-1]
		var acc partial
		for i := part; i < len(prev); i += st.Tasks {
			switch {
			case prev[i] == nil:
			case acc == nil:
				acc = prev[i]
			default:
				acc.mergeAny(prev[i])
			}
		}
		return acc
	}
	f := j.fit
	add, out := f.newAggregate(st)
	limit := -1
	if st.Take {
		limit = 1 // take(1)
	}
	r.read(j, si, part, limit, add)
	return out
}

// newAggregate returns the seqOp of a stage's task operation and the partial it fills.
func (f *fitRun) newAggregate(st *tuning.Stage) (func(x []float64, y float64), partial) {
	switch st.Op {
	case estimators.OpColumnSummary:
		s := NewSummary(st.In)
		return func(x []float64, _ float64) { s.Add(x) }, s
	case estimators.OpGramian:
		g := NewGramian(f.mean)
		return func(x []float64, _ float64) { g.Add(x) }, g
	case estimators.OpLRAggregate:
		e := NewNormalEq(f.fit.K)
		z := make([]float64, f.fit.K)
		return func(x []float64, y float64) { e.Add(f.model.Project(x, z), y) }, e
	case estimators.OpLRSummary, estimators.OpEvaluate:
		res := &Residuals{}
		z := make([]float64, f.fit.K)
		return func(x []float64, y float64) { res.Add(f.model.Predict(x, z), y) }, res
	default: // first, sparse_check, count
		c := &Count{}
		return func(x []float64, _ float64) { c.Add(x) }, c
	}
}

// read feeds the rows of job j's split in partition part to fn (the first limit rows when limit
// >= 0). A cached split's partition is built and stored by the first task that reads it
// (estimators.OpMaterialize); an uncached one is computed by every task (estimators.OpSource).
func (r *runner) read(j *jobRun, si, part, limit int, fn func(x []float64, y float64)) {
	s := j.step.Split
	if r.cache[s] == nil {
		r.data.stream(s, part, limit, fn)
		return
	}
	e := &r.cache[s][part]
	e.mu.Lock()
	if e.b == nil {
		t0 := r.now()
		e.b = r.data.Materialize(s, part)
		r.built(Materialization{Split: s, Partition: part, Rows: e.b.Len(), Fit: j.fit.fit.Index, Job: j.jobID, Stage: j.stageID0 + si, Start: t0, End: r.now()})
	}
	b := e.b
	e.mu.Unlock()
	if limit >= 0 && limit < b.Len() {
		b = &Block{Features: b.Features, X: b.X[:limit*b.Features], Y: b.Y[:limit]}
	}
	b.Each(fn)
}

// Materialization is the building of a cached split's partition, inside the task that first read
// it: a direct observation of estimators.OpMaterialize's cost, which the task's span includes.
type Materialization struct {
	Split, Partition, Rows int
	// Fit, Job and Stage identify the task (its Partition is Partition).
	Fit, Job, Stage int
	Start, End      time.Duration
}

func (r *runner) built(m Materialization) {
	r.matMu.Lock()
	r.materialized = append(r.materialized, m)
	r.matMu.Unlock()
}
