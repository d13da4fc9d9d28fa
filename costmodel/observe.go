package costmodel

import (
	"fmt"
	"sort"
	"time"

	"tunesim/estimators"
	"tunesim/trace"
	"tunesim/tuning"
)

// Run is a measured run to calibrate from: the plan it executed and its trace (real, Spark or
// simulated). Spans are matched to the plan by fit, then by job and stage order within the fit.
type Run struct {
	Plan  *tuning.Plan
	Trace *trace.Trace
}

// part is one operation of an observation over one shape.
type part struct {
	op tuning.Op
	sh tuning.Shape
}

// Overhead observation labels, as calibration reports and plots name them.
const (
	LabelJobStart   = "job_submit+stage_submit" // job submission to its first task
	LabelStageStart = "stage_submit"            // a stage's end to the next stage's first task
	LabelJobResult  = "job_driver"              // a job's last task to its fit's next step
	LabelFitSetup   = trace.SpanFitSetup        // a fit's setup (or, serially, the gap between fits)
	// LabelTaskRPC is a cluster task's time on the driver's side: launching it and taking its
	// result (Spark's scheduler delay and getting-result time).
	LabelTaskRPC = "task_launch+task_result"
)

// observation is one measured duration and what the model says it consists of.
type observation struct {
	label string // the main operation, or an overhead label
	parts []part
	// jobSubmit, stageSubmit and jobDriver count the overheads the duration holds.
	jobSubmit, stageSubmit, jobDriver, fitSetup float64
	// taskRPC and coldStart count the cluster costs it holds: a task's launch and result on the
	// driver (ClusterCosts.TaskLaunch + TaskResult), an executor's first task's cold start.
	taskRPC, coldStart float64
	// ref is the span (of the trace, or a scheduling gap appended after them) whose work this is;
	// ref2, when not -1, a second one whose work adds to it.
	ref, ref2 int
	seconds   float64
	// driverSide says the work ran in the driver's processes, whose CPU a cluster run's
	// trace.CPU counts (on a cluster the executors' CPU is not in it).
	driverSide bool
	// shared says the work ran while more threads than cores did: its measured duration was
	// stretched and then estimated back.
	shared bool
}

// spanRef is a span and its index in the trace.
type spanRef struct {
	trace.Span
	i int
}

// spanWork is, per span index, its duration as work on an idle core.
type spanWork []float64

// fitSpans are one fit's spans, sorted for matching with its plan.
type fitSpans struct {
	fit    *trace.Span
	jobs   []spanRef
	driver []spanRef // driver-op spans (not job_result or fit_setup), by start
	setup  *spanRef  // the fit's setup span, if the trace has one
	stages map[int][]spanRef
	tasks  map[int][]spanRef // by stage id
}

// observe turns a run into observations; skipped says which fits did not match the plan and why.
// background is the CPU each job costs off the path, counted when processor sharing is undone
// (see cpuWork).
func observe(r Run, background background) (obs []observation, skipped []string, err error) {
	t, p := r.Trace, r.Plan
	byFit := map[int]*fitSpans{}
	get := func(f int) *fitSpans {
		fs := byFit[f]
		if fs == nil {
			fs = &fitSpans{stages: map[int][]spanRef{}, tasks: map[int][]spanRef{}}
			byFit[f] = fs
		}
		return fs
	}
	refitMap := trace.None
	for i := range t.Spans {
		s := spanRef{t.Spans[i], i}
		if s.Fit == trace.None || s.Fit >= len(p.Fits) {
			continue
		}
		fs := get(s.Fit)
		switch s.Kind {
		case trace.KindFit:
			fs.fit = &t.Spans[i]
		case trace.KindJob:
			fs.jobs = append(fs.jobs, s)
		case trace.KindStage:
			fs.stages[s.Job] = append(fs.stages[s.Job], s)
		case trace.KindTask:
			fs.tasks[s.Stage] = append(fs.tasks[s.Stage], s)
		case trace.KindDriver:
			switch s.Name {
			case trace.SpanJobResult:
			case LabelFitSetup:
				fs.setup = &s
			default:
				fs.driver = append(fs.driver, s)
			}
		}
		if s.Fit == len(p.Fits)-1 && s.ParamMap >= 0 {
			refitMap = s.ParamMap
		}
	}
	if refitMap >= 0 && refitMap < len(p.ParamMaps) {
		p = p.WithRefit(refitMap)
	}
	gaps := &gapSpans{base: len(t.Spans)}
	var cachedReads []cachedRead
	for fi := range p.Fits {
		fs := byFit[fi]
		if fs == nil {
			skipped = append(skipped, fmt.Sprintf("fit %d: no spans", fi))
			continue
		}
		fo, reads, why := observeFit(p, &p.Fits[fi], fs, gaps)
		if why != "" {
			skipped = append(skipped, fmt.Sprintf("fit %d: %s", fi, why))
			continue
		}
		for _, rd := range reads {
			cachedReads = append(cachedReads, cachedRead{rd.split, rd.part, rd.start, len(obs) + rd.obs})
		}
		obs = append(obs, fo...)
	}
	// The first task to read a cached split's partition stores it: it also did the materializing.
	sort.SliceStable(cachedReads, func(i, j int) bool { return cachedReads[i].start < cachedReads[j].start })
	seen := map[[2]int]bool{}
	for _, rd := range cachedReads {
		k := [2]int{rd.split, rd.part}
		if seen[k] {
			continue
		}
		seen[k] = true
		o := &obs[rd.obs]
		o.parts = append(o.parts, part{estimators.OpMaterialize, p.BlockShape(rd.split, rd.part)})
	}
	obs = append(obs, fitSetups(byFit, gaps)...)
	spans := t.Spans
	if ClusterRun(t) {
		spans, obs = splitClusterTasks(t, obs, gaps)
	}
	for k := range obs {
		o := &obs[k]
		o.driverSide = o.jobSubmit+o.stageSubmit+o.jobDriver+o.fitSetup+o.taskRPC != 0 || (len(o.parts) > 0 && !isTaskOp(o.parts[0].op))
	}
	// A scheduling gap is work on the driver's host too: undo processor sharing for it alike.
	ext := *t
	ext.Spans = append(append(make([]trace.Span, 0, len(spans)+len(gaps.spans)), spans...), gaps.spans...)
	work := cpuWork(&ext, background)
	for k := range obs {
		o := &obs[k]
		o.seconds = work[o.ref]
		measured := ext.Spans[o.ref].Duration().Seconds()
		if o.ref2 >= 0 {
			o.seconds += work[o.ref2]
			measured += ext.Spans[o.ref2].Duration().Seconds()
		}
		o.shared = o.seconds < measured*(1-1e-9)
	}
	if len(obs) == 0 {
		return nil, skipped, fmt.Errorf("the trace (%s, %d spans) matches no fit of scenario %s's plan", t.Source, len(t.Spans), p.Scenario.Name)
	}
	return obs, skipped, nil
}

type cachedRead struct {
	split, part int
	start       time.Duration
	obs         int
}

// observeFit matches one fit's spans to its steps.
func observeFit(p *tuning.Plan, f *tuning.Fit, fs *fitSpans, gaps *gapSpans) (obs []observation, reads []cachedRead, why string) {
	sort.Slice(fs.jobs, func(i, j int) bool { return fs.jobs[i].Job < fs.jobs[j].Job })
	sort.Slice(fs.driver, func(i, j int) bool { return fs.driver[i].Start < fs.driver[j].Start })
	nJobs, nDriver := 0, 0
	for _, st := range f.Steps {
		if st.Kind == tuning.StepJob {
			nJobs++
		} else {
			nDriver++
		}
	}
	if len(fs.jobs) != nJobs {
		return nil, nil, fmt.Sprintf("%d jobs in the trace, the plan has %d", len(fs.jobs), nJobs)
	}
	haveDriver := len(fs.driver) == nDriver
	if len(fs.driver) != 0 && !haveDriver {
		return nil, nil, fmt.Sprintf("%d driver steps in the trace, the plan has %d", len(fs.driver), nDriver)
	}
	// stepStart is when step i began, if the trace shows it.
	ji, di := 0, 0
	starts := make([]time.Duration, len(f.Steps))
	known := make([]bool, len(f.Steps))
	for i, st := range f.Steps {
		if st.Kind == tuning.StepJob {
			starts[i], known[i] = fs.jobs[ji].Start, true
			ji++
		} else if haveDriver {
			starts[i], known[i] = fs.driver[di].Start, true
			di++
		}
	}
	ji, di = 0, 0
	for i, st := range f.Steps {
		if st.Kind == tuning.StepDriver {
			if haveDriver {
				d := fs.driver[di]
				obs = append(obs, observation{ref2: -1, label: string(st.Op), parts: []part{{st.Op, st.Shape}}, ref: d.i})
				di++
			}
			continue
		}
		job := fs.jobs[ji]
		ji++
		stageIDs := stageIDsOf(fs, job.Job)
		if len(stageIDs) != len(st.Stages) {
			return nil, nil, fmt.Sprintf("job %d has %d stages in the trace, the plan's %s job has %d", job.Job, len(stageIDs), st.Op, len(st.Stages))
		}
		var prevEnd time.Duration
		for k, sid := range stageIDs {
			stage := st.Stages[k]
			tasks := fs.tasks[sid]
			if len(tasks) != stage.Tasks {
				return nil, nil, fmt.Sprintf("stage %d has %d tasks in the trace, the plan says %d", sid, len(tasks), stage.Tasks)
			}
			first, last := tasks[0].Start, tasks[0].End
			sp := &p.Splits[st.Split]
			for ti := range tasks {
				task := &tasks[ti]
				first, last = min(first, task.Start), max(last, task.End)
				if task.Partition < 0 || task.Partition >= stage.Tasks || ((stage.ReadsSplit || stage.Cached) && task.Partition >= len(sp.Rows)) {
					return nil, nil, fmt.Sprintf("task of stage %d has partition %d, the plan's stage has %d", sid, task.Partition, stage.Tasks)
				}
				o := observation{ref2: -1, label: string(stage.Op), parts: []part{{stage.Op, stage.TaskShape(sp, task.Partition)}}, ref: task.i}
				if stage.ReadsSplit {
					if !sp.Cached {
						o.parts = append(o.parts, part{estimators.OpSource, p.SourceShape(&st.Stages[k], st.Split, task.Partition)})
					} else {
						reads = append(reads, cachedRead{st.Split, task.Partition, task.Start, len(obs)})
					}
				}
				for _, fu := range stage.Fused {
					o.parts = append(o.parts, part{fu.Op, stage.FusedShape(fu, sp, task.Partition)})
				}
				obs = append(obs, o)
			}
			if k == 0 {
				obs = append(obs, observation{ref2: -1, label: LabelJobStart, jobSubmit: 1, stageSubmit: 1, ref: gaps.add(job.Start, first)})
			} else {
				obs = append(obs, observation{ref2: -1, label: LabelStageStart, stageSubmit: 1, ref: gaps.add(prevEnd, first)})
			}
			prevEnd = last
		}
		// The job's result: from its last task to the fit's next visible step (or the fit's end).
		next, ok := time.Duration(0), false
		var extra []part
		for j := i + 1; j < len(f.Steps); j++ {
			if known[j] {
				next, ok = starts[j], true
				break
			}
			extra = append(extra, part{f.Steps[j].Op, f.Steps[j].Shape}) // a driver step the trace does not show
		}
		if !ok && fs.fit != nil && fs.fit.End > prevEnd {
			next, ok = fs.fit.End, true // a fit span that ends with its last job shows no result time
		}
		if ok && next >= prevEnd {
			obs = append(obs, observation{ref2: -1, label: LabelJobResult, parts: extra, jobDriver: 1, ref: gaps.add(prevEnd, next)})
		}
	}
	return obs, reads, ""
}

// stageIDsOf lists a job's stage ids in order, from its stage spans or else its tasks.
func stageIDsOf(fs *fitSpans, job int) []int {
	seen := map[int]bool{}
	var ids []int
	for _, s := range fs.stages[job] {
		if !seen[s.Stage] {
			seen[s.Stage] = true
			ids = append(ids, s.Stage)
		}
	}
	if len(ids) == 0 {
		for sid, ts := range fs.tasks {
			if len(ts) > 0 && ts[0].Job == job && !seen[sid] {
				seen[sid] = true
				ids = append(ids, sid)
			}
		}
	}
	sort.Ints(ids)
	return ids
}

// fitSetups observes the fits' setup: from their setup spans where the trace has them; else, in
// a serial run, from the gaps between one fit's last job and the next fit's first, which also
// hold the last job's result time when the fit span ends with that job (as in a Spark log).
func fitSetups(byFit map[int]*fitSpans, gaps *gapSpans) []observation {
	var obs []observation
	var fits []*fitSpans
	for _, fs := range byFit {
		if fs.setup != nil {
			obs = append(obs, observation{ref2: -1, label: LabelFitSetup, fitSetup: 1, ref: fs.setup.i})
		}
		if fs.fit != nil && fs.setup == nil {
			fits = append(fits, fs)
		}
	}
	if len(obs) > 0 {
		return obs
	}
	sort.Slice(fits, func(i, j int) bool { return fits[i].fit.Start < fits[j].fit.Start })
	for i := 1; i < len(fits); i++ {
		if fits[i].fit.Start < fits[i-1].fit.End {
			return nil // fits overlap: a parallel run, whose gaps are not setup alone
		}
	}
	for i := 1; i < len(fits); i++ {
		prev, next := fits[i-1], fits[i]
		o := observation{ref2: -1, label: LabelFitSetup, fitSetup: 1, ref: gaps.add(prev.fit.End, next.fit.Start)}
		if n := len(prev.jobs); n > 0 && lastTaskEnd(prev, prev.jobs[n-1].Job) >= prev.fit.End {
			o.jobDriver = 1
		}
		obs = append(obs, o)
	}
	return obs
}

// lastTaskEnd is when the last task of job ends (0 if it has none).
func lastTaskEnd(fs *fitSpans, job int) time.Duration {
	var end time.Duration
	for _, ts := range fs.tasks {
		for _, t := range ts {
			if t.Job == job {
				end = max(end, t.End)
			}
		}
	}
	return end
}

// gapSpans are scheduling gaps as driver spans, numbered after the trace's own spans.
type gapSpans struct {
	base  int
	spans []trace.Span
}

// add records a gap from start to end and returns its span number.
func (g *gapSpans) add(start, end time.Duration) int {
	end = max(end, start)
	g.spans = append(g.spans, trace.DriverSpan("gap", trace.None, trace.None, start, end))
	return g.base + len(g.spans) - 1
}
