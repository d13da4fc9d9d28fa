package costmodel

import (
	"fmt"
	"math"
	"slices"
	"sort"

	"gonum.org/v1/gonum/mat"

	"tunesim/estimators"
	"tunesim/trace"
	"tunesim/tuning"
)

// CalibrateOptions say what to fit and how to name the result.
type CalibrateOptions struct {
	// Base chooses the terms each operation may use: the terms its Base coefficients have non-zero,
	// plus the fixed cost (a per-task or per-step overhead). Nil lets every operation use every
	// term, which only data with varied shapes can pin down.
	Base *Profile
	// Name, Description and Host label the profile written.
	Name, Description, Host string
}

// Calibration is what a fit found: the profile, how well each operation fits, and every point.
type Calibration struct {
	Profile *Profile
	// Ops is the fit quality per operation and overhead, sorted by label.
	Ops []OpFit
	// Points are every observation's measured and predicted seconds.
	Points []Point
	// Skipped lists the fits that did not match their plan, and why.
	Skipped []string
}

// OpFit is the fit quality of one operation (or overhead label).
type OpFit struct {
	Label        string  `json:"op"`
	Samples      int     `json:"samples"`
	R2           float64 `json:"r2"`
	RMSResidualS float64 `json:"rms_residual_s"`
	MeanMeasured float64 `json:"mean_measured_s"`
	// TotalMeasured and TotalPredicted are the sums over samples: what the makespan feels.
	TotalMeasured  float64 `json:"total_measured_s"`
	TotalPredicted float64 `json:"total_predicted_s"`
}

// Point is one observation: its label and its measured and predicted seconds.
type Point struct {
	Label     string
	Measured  float64
	Predicted float64
}

// column is one unknown of the fit: a term of an operation, or an overhead.
type column struct {
	op   tuning.Op
	term int // -1 for the overheads
}

// Calibrate fits a profile to measured runs by non-negative least squares: every task, driver
// step and scheduling gap of every run is one equation, its duration (as CPU work on an idle core,
// processor sharing undone) the sum of its operations' terms and the overheads it holds.
//
// When every run says how much CPU its processes used (trace.Trace.CPU), what the fitted work
// does not account for is the background CPU (compilers, garbage collectors) shared out per job;
// since that background also took cores from the tasks, the fit is then redone with it counted
// when undoing processor sharing.
//
// A fit of an iterative solver (L-BFGS, KMeans) that ran another number of iterations on Spark
// than its plan says is matched with a plan of the iterations it ran (see LearnIterations).
func Calibrate(runs []Run, o CalibrateOptions) (*Calibration, error) {
	runs = slices.Clone(runs)
	for i := range runs {
		r, err := conformIterations(runs[i])
		if err != nil {
			return nil, fmt.Errorf("calibrating from run %d: %w", i+1, err)
		}
		runs[i] = r
	}
	threads, execThreads := 1, 1
	for _, r := range runs {
		threads = max(threads, r.Trace.BackgroundThreads)
		execThreads = max(execThreads, r.Trace.ExecutorBackgroundThreads)
	}
	bg := func(b background) background {
		b.threads, b.execThreads = threads, execThreads
		return b
	}
	cal, left, err := calibrate(runs, o, bg(background{}))
	if err != nil || left.perJob+left.execPerJob <= 0 {
		return cal, err
	}
	// The background and the work it slowed down are found together: iterate to a fixed point.
	cur := background{perJob: max(left.perJob, 0), execPerJob: max(left.execPerJob, 0)}
	for range 8 {
		next, nextLeft, err := calibrate(runs, o, bg(cur))
		if err != nil {
			return nil, err
		}
		cal = next
		done := math.Abs(nextLeft.perJob-cur.perJob) <= 1e-3*cur.perJob &&
			math.Abs(nextLeft.execPerJob-cur.execPerJob) <= 1e-3*cur.execPerJob
		cur = background{perJob: max(nextLeft.perJob, 0), execPerJob: max(nextLeft.execPerJob, 0)}
		if done || cur.perJob+cur.execPerJob == 0 {
			break
		}
	}
	cal.Profile.Overhead.JobBackgroundCPUS = cur.perJob
	if threads > 1 {
		cal.Profile.Overhead.BackgroundThreads = threads
	}
	if cur.execPerJob > 0 {
		cal.Profile.Overhead.ExecutorJobBackgroundCPUS = cur.execPerJob
		cal.Profile.Overhead.ExecutorBackgroundThreads = execThreads
	}
	return cal, nil
}

// calibrate is one fit; the background it returns is what the runs' CPU times leave over per job
// (perJob; zero when some run's CPU is unknown), and, for runs whose executors' JVMs were
// measured apart (trace.Trace.ExecutorBackgroundThreads), what theirs leave per job and executor
// (execPerJob).
func calibrate(runs []Run, o CalibrateOptions, bg background) (*Calibration, background, error) {
	var obs []observation
	var skipped []string
	first := make([]int, len(runs)+1) // observations of run i are first[i]:first[i+1]
	for i, r := range runs {
		ob, sk, err := observe(r, bg)
		if err != nil {
			return nil, bg, fmt.Errorf("calibrating from run %d: %w", i+1, err)
		}
		obs = append(obs, ob...)
		first[i+1] = len(obs)
		for _, s := range sk {
			skipped = append(skipped, fmt.Sprintf("run %d (%s): %s", i+1, r.Trace.Source, s))
		}
	}
	cols, index := columns(obs, o.Base)
	a := mat.NewDense(len(obs), len(cols), nil)
	b := make([]float64, len(obs))
	for r, ob := range obs {
		for _, pt := range ob.parts {
			terms := Terms(pt.sh)
			for k := range NumTerms {
				if c, ok := index[colKey{pt.op, k}]; ok {
					a.Set(r, c, a.At(r, c)+terms[k])
				}
			}
		}
		for k, v := range []float64{ob.jobSubmit, ob.stageSubmit, ob.jobDriver, ob.fitSetup, ob.taskRPC, ob.coldStart} {
			if v != 0 {
				c := index[colKey{overheadOps[k], -1}]
				a.Set(r, c, v)
			}
		}
		b[r] = ob.seconds
	}
	x, err := NNLS(a, b)
	if err != nil {
		return nil, bg, fmt.Errorf("calibrating: %w", err)
	}
	p := &Profile{Name: o.Name, Description: o.Description, Host: o.Host, Ops: map[tuning.Op]*OpCost{}, Scheduling: scheduling(runs)}
	for c, col := range cols {
		if col.term >= 0 {
			oc := p.Ops[col.op]
			if oc == nil {
				oc = &OpCost{Source: "calibrated"}
				p.Ops[col.op] = oc
			}
			oc.Coeffs[col.term] = x[c]
			continue
		}
		switch col.op {
		case opJobSubmit:
			p.Overhead.JobSubmitS = x[c]
		case opStageSubmit:
			p.Overhead.StageSubmitS = x[c]
		case opJobDriver:
			p.Overhead.JobDriverS = x[c]
		case opFitSetup:
			p.Overhead.FitSetupS = x[c]
		case opTaskRPC, opColdStart:
			p.ClusterCosts = clusterCosts(p.ClusterCosts, col.op, x[c], obs)
		}
	}
	p.Overhead.Source = "calibrated"
	cal := &Calibration{Profile: p, Skipped: skipped}
	pred := mat.NewVecDense(len(obs), nil)
	pred.MulVec(a, mat.NewVecDense(len(x), x))
	byLabel := map[string][]int{}
	for r, ob := range obs {
		cal.Points = append(cal.Points, Point{Label: ob.label, Measured: b[r], Predicted: pred.AtVec(r)})
		byLabel[ob.label] = append(byLabel[ob.label], r)
	}
	for label, rows := range byLabel {
		f := fitQuality(label, rows, b, pred)
		cal.Ops = append(cal.Ops, f)
		if oc := p.Ops[tuning.Op(label)]; oc != nil {
			oc.R2, oc.Samples, oc.Residual = f.R2, f.Samples, f.RMSResidualS
		}
	}
	sort.Slice(cal.Ops, func(i, j int) bool { return cal.Ops[i].Label < cal.Ops[j].Label })
	p.CV = taskCV(obs, b, pred)

	// Background CPU: each run's CPU less the work the fit accounts for, per job.
	var left, execLeft float64
	jobs, execJobs := 0, 0
	for i, r := range runs {
		if r.Trace.CPU <= 0 {
			return cal, background{}, nil
		}
		used, execUsed := 0.0, 0.0
		// A cluster run's CPU is the driver's processes' alone, unless the executors' own JVMs
		// were measured too (they ran on the driver's machine). Measured apart, with their own
		// compiler threads counted, each JVM's background is its own; else it is all taken as
		// the driver's, on the host the driver shares with them.
		driverOnly := ClusterRun(r.Trace) && r.Trace.ExecutorCPU <= 0
		apart := ClusterRun(r.Trace) && r.Trace.ExecutorCPU > 0 && r.Trace.ExecutorBackgroundThreads > 0
		for k := first[i]; k < first[i+1]; k++ {
			switch {
			case obs[k].driverSide:
				used += pred.AtVec(k)
			case apart:
				execUsed += pred.AtVec(k)
			case !driverOnly:
				used += pred.AtVec(k)
			}
		}
		n := r.Trace.Metrics().Jobs
		if apart {
			left += r.Trace.CPU.Seconds() - used
			execLeft += r.Trace.ExecutorCPU.Seconds() - execUsed
			execJobs += n * len(r.Trace.Executors)
		} else {
			left += (r.Trace.CPU + r.Trace.ExecutorCPU).Seconds() - used
		}
		jobs += n
	}
	if jobs == 0 {
		return cal, background{}, nil
	}
	out := background{perJob: left / float64(jobs)}
	if execJobs > 0 {
		out.execPerJob = execLeft / float64(execJobs)
	}
	return cal, out, nil
}

// taskCV is the spread of tasks' measured over predicted durations: the root of the mean squared
// relative residual, each task weighted by its predicted duration (so that long tasks, which
// decide when stages end, count most and tiny ones, whose timing is mostly clock noise, least).
// Only tasks that had a core to themselves count: a shared task's duration is an estimate that
// also carries how the OS or runtime really divided the cores, which is not the tasks' variation.
func taskCV(obs []observation, b []float64, pred *mat.VecDense) float64 {
	var sw, s2 float64
	for r, ob := range obs {
		p := pred.AtVec(r)
		if ob.shared || ob.jobSubmit+ob.stageSubmit+ob.jobDriver+ob.fitSetup != 0 || p <= 0 || len(ob.parts) == 0 || !isTaskOp(ob.parts[0].op) {
			continue
		}
		d := b[r]/p - 1
		sw += p
		s2 += p * d * d
	}
	if sw == 0 {
		return 0
	}
	return math.Sqrt(s2 / sw)
}

func isTaskOp(op tuning.Op) bool {
	spec, ok := estimators.Spec(op)
	return ok && !spec.Driver
}

// fitQuality is R² and the residuals of one label's observations.
func fitQuality(label string, rows []int, b []float64, pred *mat.VecDense) OpFit {
	f := OpFit{Label: label, Samples: len(rows)}
	for _, r := range rows {
		f.TotalMeasured += b[r]
		f.TotalPredicted += pred.AtVec(r)
	}
	f.MeanMeasured = f.TotalMeasured / float64(len(rows))
	var ssRes, ssTot float64
	for _, r := range rows {
		d := b[r] - pred.AtVec(r)
		ssRes += d * d
		m := b[r] - f.MeanMeasured
		ssTot += m * m
	}
	f.RMSResidualS = math.Sqrt(ssRes / float64(len(rows)))
	if ssTot > 0 {
		f.R2 = 1 - ssRes/ssTot
	} else if ssRes == 0 {
		f.R2 = 1
	}
	return f
}

// The overheads' pseudo-operations, as columns.
const (
	opJobSubmit   tuning.Op = "job_submit"
	opStageSubmit tuning.Op = "stage_submit"
	opJobDriver   tuning.Op = "job_driver"
	opFitSetup    tuning.Op = trace.SpanFitSetup
	opTaskRPC     tuning.Op = LabelTaskRPC
	opColdStart   tuning.Op = "executor_cold_start"
)

// overheadOps are the overheads' columns, in the order of an observation's counts of them.
var overheadOps = [6]tuning.Op{opJobSubmit, opStageSubmit, opJobDriver, opFitSetup, opTaskRPC, opColdStart}

type colKey struct {
	op   tuning.Op
	term int
}

// columns lists the unknowns the observations need, in a fixed order.
func columns(obs []observation, base *Profile) ([]column, map[colKey]int) {
	used := map[tuning.Op]bool{}
	for _, ob := range obs {
		for _, pt := range ob.parts {
			used[pt.op] = true
		}
	}
	var cols []column
	index := map[colKey]int{}
	add := func(op tuning.Op, term int) {
		index[colKey{op, term}] = len(cols)
		cols = append(cols, column{op, term})
	}
	for _, op := range append(estimators.TaskOps(), estimators.DriverOps()...) {
		if !used[op] {
			continue
		}
		for k := range NumTerms {
			if allowed(base, op, k) {
				add(op, k)
			}
		}
	}
	for _, op := range overheadOps[:4] {
		add(op, -1)
	}
	// The cluster costs only when some run was on a cluster.
	for _, ob := range obs {
		if ob.taskRPC != 0 {
			add(opTaskRPC, -1)
			add(opColdStart, -1)
			break
		}
	}
	return cols, index
}

// allowed says whether operation op may use term k: the fixed cost always, others as base says.
func allowed(base *Profile, op tuning.Op, k int) bool {
	if k == 0 || base == nil {
		return true
	}
	c := base.Ops[op]
	return c != nil && c.Coeffs[k] != 0
}
