package sparklog

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"tunesim/trace"
)

// Info is what an event log says about its application beyond the spans.
type Info struct {
	AppID, AppName, AppAttempt, SparkVersion, Master, User string
	// EpochMs is the Unix time in milliseconds of the trace's time zero: the application's start
	// (or the first time the log gives, when it has no SparkListenerApplicationStart).
	EpochMs int64
	// Files are the files read, in order; InProgress says the application was still running.
	Files      []string
	InProgress bool
	// Lines counts the event lines read; Skipped those of event types the reader does not use.
	Lines, Skipped int
	// Jobs, Stages and Tasks count the completed ones (the spans made); Unfinished* count those
	// the log started but never ended (an application still running, or killed).
	Jobs, Stages, Tasks                               int
	UnfinishedJobs, UnfinishedStages, UnfinishedTasks int
	Executors                                         []trace.Executor
	// SchedulerMode is spark.scheduler.mode ("" when the log does not say: FIFO).
	SchedulerMode string
	DriverCores   int
	// DriverHost is spark.driver.host: the address the executors reached the driver at ("" when
	// the log does not say). Beside the executors' hosts it tells which JVMs shared a machine.
	DriverHost   string
	Fits         int
	ParamMaps    []string
	Warnings     []string
	header       *trace.Trace
	taskCPUs     int
	fitsExplicit bool
}

type execState struct {
	id          int
	host        string
	cores       int
	added       bool
	running     int
	maxRunning  int
	firstSeenAt int
	// addedAt is when the executor joined after the run began (0 when it was there from the
	// start); removedAt when it left (0 when it stayed), and why.
	addedAt, removedAt time.Duration
	removedReason      string
}

type labels struct{ fit, paramMap, fold int }

var noLabels = labels{trace.None, trace.None, trace.None}

type jobState struct {
	submit    int64
	hasSubmit bool
	labels    labels
	name      string
	stages    []int
	minT      int64
	maxT      int64
	any       bool
}

func (j *jobState) see(a, b int64) {
	if !j.any || a < j.minT {
		j.minT = a
	}
	if !j.any || b > j.maxT {
		j.maxT = b
	}
	j.any = true
}

type stageState struct {
	job         int
	name        string
	labels      labels
	firstLaunch int64
	lastFinish  int64
	anyTask     bool
	open        bool
}

type fitState struct {
	start, end int64
	labels     labels
}

// converter turns events into spans, keeping only what is open (running tasks, unfinished jobs
// and their stages) and one small record per fit and executor.
type converter struct {
	sink    trace.Sink
	info    *Info
	baseSet bool
	base    int64
	execs   map[string]*execState
	usedIDs map[int]bool
	jobs    map[int]*jobState
	stages  map[int]*stageState
	running map[int64]string
	fits    map[int]*fitState
	groups  map[string]int
	// observe, when set, sees every known event after the converter has folded it in.
	observe func(*converter, *event)
	// begun says a job has started: executors added from then on joined a running application.
	begun bool
}

func newConverter(sink trace.Sink, info *Info) *converter {
	info.taskCPUs = 1
	return &converter{sink: sink, info: info, execs: map[string]*execState{}, usedIDs: map[int]bool{},
		jobs: map[int]*jobState{}, stages: map[int]*stageState{}, running: map[int64]string{},
		fits: map[int]*fitState{}, groups: map[string]int{}}
}

// at converts a Spark timestamp (Unix ms) to an offset from time zero.
func (c *converter) at(ms int64) time.Duration {
	if !c.baseSet {
		c.base, c.baseSet = ms, true
		c.info.EpochMs = ms
	}
	return time.Duration(ms-c.base) * time.Millisecond
}

func (c *converter) exec(sparkID string) *execState {
	if e, ok := c.execs[sparkID]; ok {
		return e
	}
	id := -1
	if n, err := strconv.Atoi(sparkID); err == nil && n >= 0 && !c.usedIDs[n] {
		id = n
	}
	for k := 0; id < 0; k++ {
		if !c.usedIDs[k] {
			id = k
		}
	}
	c.usedIDs[id] = true
	e := &execState{id: id, firstSeenAt: len(c.execs)}
	c.execs[sparkID] = e
	return e
}

func missing(ev, field string) error { return fmt.Errorf("%s without %q", ev, field) }

// handle folds one event in.
func (c *converter) handle(ev *event) error {
	switch ev.Event {
	case evLogStart:
		c.info.SparkVersion = ev.SparkVersion
	case evAppStart:
		c.info.AppName, c.info.User = ev.AppName, ev.User
		if ev.AppID != "" {
			c.info.AppID = ev.AppID
		}
		c.info.AppAttempt = ev.AppAttemptID
		if ev.Timestamp != nil && !c.baseSet {
			c.at(*ev.Timestamp)
		}
	case evEnvUpdate:
		c.environment(ev.SparkProperties)
	case evExecutorAdded:
		if ev.ExecutorInfo == nil {
			return missing(ev.Event, "Executor Info")
		}
		e := c.exec(ev.ExecutorID)
		e.host, e.cores, e.added = ev.ExecutorInfo.Host, ev.ExecutorInfo.TotalCores, true
		if c.begun && ev.Timestamp != nil {
			e.addedAt = c.at(*ev.Timestamp)
		}
	case evExecutorRemoved:
		c.executorRemoved(ev)
	case evJobStart:
		return c.jobStart(ev)
	case evJobEnd:
		return c.jobEnd(ev)
	case evStageSubmitted:
		if ev.StageInfo == nil {
			return missing(ev.Event, "Stage Info")
		}
		st := c.stage(ev.StageInfo)
		st.open = true
	case evStageCompleted:
		return c.stageCompleted(ev)
	case evTaskStart:
		if ev.TaskInfo == nil {
			return missing(ev.Event, "Task Info")
		}
		e := c.exec(ev.TaskInfo.ExecutorID)
		if _, dup := c.running[ev.TaskInfo.TaskID]; !dup {
			c.running[ev.TaskInfo.TaskID] = ev.TaskInfo.ExecutorID
			e.running++
			e.maxRunning = max(e.maxRunning, e.running)
		}
	case evTaskEnd:
		return c.taskEnd(ev)
	case evTraceInfo:
		if ev.Trace == nil {
			return missing(ev.Event, "Trace")
		}
		h := ev.Trace.Header
		h.Spans = nil
		c.info.header = &h
		if !c.baseSet {
			c.base, c.baseSet, c.info.EpochMs = ev.Trace.EpochMs, true, ev.Trace.EpochMs
		}
	case evSpan:
		if ev.Span == nil {
			return missing(ev.Event, "Span")
		}
		s := *ev.Span
		if s.End < s.Start {
			return fmt.Errorf("%s: span ends at %v before it starts at %v", ev.Event, s.End, s.Start)
		}
		switch s.Kind {
		case trace.KindFit, trace.KindDriver, trace.KindQueue:
		default:
			return fmt.Errorf("%s: kind %q: allowed are fit, driver, queue (tasks, stages and jobs are Spark's own events)", ev.Event, s.Kind)
		}
		if s.Kind == trace.KindFit {
			c.info.fitsExplicit = true
		}
		s.Detail = nil
		c.sink.Add(s)
	}
	return nil
}

var localMaster = regexp.MustCompile(`^local(?:-cluster)?(?:\[(\d+|\*)(?:,\s*\d+)?\])?$`)

func (c *converter) environment(props map[string]string) {
	if m, ok := props["spark.master"]; ok {
		c.info.Master = m
	}
	if c.info.AppID == "" {
		c.info.AppID = props["spark.app.id"]
	}
	if n, err := strconv.Atoi(props["spark.task.cpus"]); err == nil && n > 0 {
		c.info.taskCPUs = n
	}
	if n, err := strconv.Atoi(props["spark.driver.cores"]); err == nil && n > 0 {
		c.info.DriverCores = n
	}
	if m, ok := props["spark.scheduler.mode"]; ok {
		c.info.SchedulerMode = m
	}
	if h, ok := props["spark.driver.host"]; ok {
		c.info.DriverHost = h
	}
}

// isLocal says whether master is a local mode (local, local[N], local[*], local[N,F]).
func isLocal(master string) bool {
	return localMaster.MatchString(master) && !strings.HasPrefix(master, "local-cluster")
}

// localCores is N of a local[N] master, 0 otherwise (local[*] is as many as the host has).
func localCores(master string) int {
	m := localMaster.FindStringSubmatch(master)
	if m == nil || strings.HasPrefix(master, "local-cluster") {
		return 0
	}
	if m[1] == "" {
		return 1 // "local" is one thread
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

func (c *converter) stage(si *stageInfo) *stageState {
	st, ok := c.stages[si.StageID]
	if !ok {
		st = &stageState{job: trace.None, labels: noLabels}
		c.stages[si.StageID] = st
	}
	if si.Name != "" {
		st.name = si.Name
	}
	return st
}

// jobLabels finds which fit a job belongs to from its properties.
func (c *converter) jobLabels(props map[string]string) labels {
	l := noLabels
	if fit, ok := TagOf(props, PropFit); ok && fit >= 0 {
		l.fit = fit
		if pm, ok := TagOf(props, PropParamMap); ok && pm >= 0 {
			l.paramMap = pm
			if label, ok := props[PropParamLabel]; ok && pm < 1<<16 {
				for len(c.info.ParamMaps) <= pm {
					c.info.ParamMaps = append(c.info.ParamMaps, "")
				}
				c.info.ParamMaps[pm] = label
			}
		}
		if fold, ok := TagOf(props, PropFold); ok && fold >= -1 {
			l.fold = fold
		}
		return l
	}
	if g, ok := props[PropJobGroup]; ok && g != "" {
		i, seen := c.groups[g]
		if !seen {
			i = len(c.groups)
			c.groups[g] = i
		}
		l.fit = i
	}
	return l
}

func (c *converter) jobStart(ev *event) error {
	if ev.JobID == nil {
		return missing(ev.Event, "Job ID")
	}
	c.begun = true
	j := &jobState{labels: c.jobLabels(ev.Properties)}
	if ev.SubmissionTime != nil && *ev.SubmissionTime > 0 {
		j.submit, j.hasSubmit = *ev.SubmissionTime, true
	}
	last := math.MinInt
	for i := range ev.StageInfos {
		si := &ev.StageInfos[i]
		st := c.stage(si)
		st.job, st.labels = *ev.JobID, j.labels
		j.stages = append(j.stages, si.StageID)
		if si.StageID > last {
			last, j.name = si.StageID, si.Name
		}
	}
	if name, ok := ev.Properties[PropJobName]; ok {
		j.name = name
	}
	for _, id := range ev.StageIDs {
		if _, ok := c.stages[id]; !ok {
			c.stages[id] = &stageState{job: *ev.JobID, labels: j.labels}
			j.stages = append(j.stages, id)
		}
	}
	c.jobs[*ev.JobID] = j
	return nil
}

func (c *converter) stageCompleted(ev *event) error {
	si := ev.StageInfo
	if si == nil {
		return missing(ev.Event, "Stage Info")
	}
	st := c.stage(si)
	st.open = false
	var start, end int64
	switch {
	case si.SubmissionTime != nil && *si.SubmissionTime > 0:
		start = *si.SubmissionTime
	case st.anyTask:
		start = st.firstLaunch
	case si.CompletionTime != nil:
		start = *si.CompletionTime
	default:
		c.warn("stage %d completed without any time; no span made", si.StageID)
		return nil
	}
	switch {
	case si.CompletionTime != nil && *si.CompletionTime > 0:
		end = *si.CompletionTime
	case st.anyTask:
		end = st.lastFinish
	default:
		end = start
	}
	end = max(end, start)
	if j := c.jobs[st.job]; j != nil {
		j.see(start, end)
	}
	st.anyTask = false // a later attempt starts afresh
	c.info.Stages++
	sp := trace.Span{Kind: trace.KindStage, Name: st.name, Fit: st.labels.fit, ParamMap: st.labels.paramMap, Fold: st.labels.fold,
		Job: st.job, Stage: si.StageID, Partition: trace.None, Executor: trace.None, Slot: trace.None, Start: c.at(start), End: c.at(end),
		StageAttempt: si.AttemptID}
	if si.FailureReason != "" {
		sp.Outcome, sp.Reason = trace.OutcomeFailed, si.FailureReason
	}
	c.sink.Add(sp)
	return nil
}

func (c *converter) taskEnd(ev *event) error {
	ti := ev.TaskInfo
	if ti == nil {
		return missing(ev.Event, "Task Info")
	}
	if ev.StageID == nil {
		return missing(ev.Event, "Stage ID")
	}
	if ev.TaskEndReason != nil && ev.TaskEndReason.Reason == reasonResubmitted {
		c.resubmitted(ev)
		return nil
	}
	e := c.exec(ti.ExecutorID)
	if sid, ok := c.running[ti.TaskID]; ok {
		delete(c.running, ti.TaskID)
		if r := c.execs[sid]; r != nil && r.running > 0 {
			r.running--
		}
	}
	if e.host == "" {
		e.host = ti.Host
	}
	start, end := ti.LaunchTime, ti.FinishTime
	if end < start {
		end = start // a task without a finish time (Spark writes 0) occupies no time
	}
	st := c.stages[*ev.StageID]
	if st == nil {
		st = &stageState{job: trace.None, labels: noLabels}
		c.stages[*ev.StageID] = st
	}
	if !st.anyTask || start < st.firstLaunch {
		st.firstLaunch = start
	}
	if !st.anyTask || end > st.lastFinish {
		st.lastFinish = end
	}
	st.anyTask = true
	if j := c.jobs[st.job]; j != nil {
		j.see(start, end)
	}
	d := &trace.TaskDetail{Host: ti.Host}
	if m := ev.TaskMetrics; m != nil {
		d.RunTime = time.Duration(m.RunTime) * time.Millisecond
		d.CPUTime = time.Duration(m.CPUTime)
		d.Deserialize = time.Duration(m.DeserializeTime) * time.Millisecond
		d.ResultSerialize = time.Duration(m.ResultSerialization) * time.Millisecond
		d.GC = time.Duration(m.GCTime) * time.Millisecond
	}
	if ti.GettingResultTime > 0 && ti.FinishTime >= ti.GettingResultTime {
		d.GettingResult = time.Duration(ti.FinishTime-ti.GettingResultTime) * time.Millisecond
	}
	c.info.Tasks++
	sp := c.taskSpan(ev, st)
	sp.Detail = d
	c.sink.Add(sp)
	return nil
}

func (c *converter) jobEnd(ev *event) error {
	if ev.JobID == nil {
		return missing(ev.Event, "Job ID")
	}
	j := c.jobs[*ev.JobID]
	if j == nil {
		c.warn("job %d ended without having started; no span made", *ev.JobID)
		return nil
	}
	delete(c.jobs, *ev.JobID)
	for _, sid := range j.stages {
		if st := c.stages[sid]; st != nil && st.job == *ev.JobID {
			if st.open {
				c.info.UnfinishedStages++
			}
			delete(c.stages, sid)
		}
	}
	var start, end int64
	switch {
	case j.hasSubmit:
		start = j.submit
	case j.any:
		start = j.minT
	case ev.CompletionTime != nil:
		start = *ev.CompletionTime
	default:
		c.warn("job %d has no times (no submission, completion, stage or task time); no span made", *ev.JobID)
		return nil
	}
	switch {
	case ev.CompletionTime != nil && *ev.CompletionTime > 0:
		end = *ev.CompletionTime
	case j.any:
		end = j.maxT
	default:
		end = start
	}
	end = max(end, start)
	if l := j.labels; l.fit != trace.None {
		f := c.fits[l.fit]
		if f == nil {
			f = &fitState{start: start, end: end, labels: l}
			c.fits[l.fit] = f
		}
		f.start, f.end = min(f.start, start), max(f.end, end)
	}
	c.info.Jobs++
	sp := trace.Span{Kind: trace.KindJob, Name: j.name, Fit: j.labels.fit, ParamMap: j.labels.paramMap, Fold: j.labels.fold,
		Job: *ev.JobID, Stage: trace.None, Partition: trace.None, Executor: trace.None, Slot: trace.None, Start: c.at(start), End: c.at(end)}
	if r := ev.JobResult; r != nil && r.Result != "" && r.Result != "JobSucceeded" {
		sp.Outcome, sp.Reason = trace.OutcomeFailed, r.Result
		if r.Exception != nil && r.Exception.Message != "" {
			sp.Reason = r.Exception.Message
		}
	}
	c.sink.Add(sp)
	return nil
}

func (c *converter) warn(format string, a ...any) {
	const most = 20
	switch n := len(c.info.Warnings); {
	case n < most:
		c.info.Warnings = append(c.info.Warnings, fmt.Sprintf(format, a...))
	case n == most:
		c.info.Warnings = append(c.info.Warnings, "(more warnings left out)")
	}
}

// finish emits the fits made from job properties and settles executors and counts.
func (c *converter) finish() {
	c.info.UnfinishedTasks += len(c.running)
	c.info.UnfinishedJobs += len(c.jobs)
	for _, st := range c.stages {
		if st.open {
			c.info.UnfinishedStages++
		}
	}
	if n := c.info.UnfinishedJobs + c.info.UnfinishedStages + c.info.UnfinishedTasks; n > 0 {
		c.warn("started but never ended: %d jobs, %d stages, %d tasks (no spans made for them)",
			c.info.UnfinishedJobs, c.info.UnfinishedStages, c.info.UnfinishedTasks)
	}
	idx := make([]int, 0, len(c.fits))
	for i := range c.fits {
		idx = append(idx, i)
	}
	sort.Ints(idx)
	if len(idx) > 0 {
		c.info.Fits = idx[len(idx)-1] + 1
	}
	if !c.info.fitsExplicit {
		for _, i := range idx {
			f := c.fits[i]
			sp := trace.FitSpan(f.labels.fold == -1, trace.None, c.at(f.start), c.at(f.end))
			sp.Fit, sp.ParamMap, sp.Fold = i, f.labels.paramMap, f.labels.fold
			c.sink.Add(sp)
		}
	}
	execs, driverCores := c.executors(true)
	c.info.Executors = append(c.info.Executors, execs...)
	c.info.DriverCores = driverCores
}

// executors settles the executors seen so far: their slots (from their cores, local[N], or the
// most tasks seen running at once, warned about when warn is set) and, for local[*], the host's
// cores; driverCores is Info.DriverCores with what local[*] says of it.
func (c *converter) executors(warn bool) (out []trace.Executor, driverCores int) {
	driverCores = c.info.DriverCores
	execs := make([]*execState, 0, len(c.execs))
	names := map[*execState]string{}
	for name, e := range c.execs {
		execs = append(execs, e)
		names[e] = name
	}
	sort.Slice(execs, func(a, b int) bool { return execs[a].id < execs[b].id })
	local := localCores(c.info.Master)
	for _, e := range execs {
		x := trace.Executor{ID: e.id, Host: e.host, Added: e.addedAt, Removed: e.removedAt, RemovedReason: e.removedReason}
		switch {
		case e.added && e.cores > 0:
			x.Slots = max(1, e.cores/c.info.taskCPUs)
		case local > 0 && len(execs) == 1:
			x.Slots = max(1, local/c.info.taskCPUs)
		default:
			x.Slots = max(1, e.maxRunning)
			if warn {
				c.warn("executor %q: cores unknown (master %q, no SparkListenerExecutorAdded); slots = %d, the most tasks seen running at once",
					names[e], c.info.Master, x.Slots)
			}
		}
		if strings.HasPrefix(c.info.Master, "local") && len(execs) == 1 {
			if c.info.Master == "local[*]" && e.added && e.cores > 0 {
				x.HostCores = e.cores
				if driverCores == 0 {
					driverCores = e.cores
				}
			}
		}
		out = append(out, x)
	}
	return out, driverCores
}
