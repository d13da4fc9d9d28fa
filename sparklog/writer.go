package sparklog

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"time"

	"tunesim/atomicfile"
	"tunesim/trace"
)

// DefaultEpochMs is where the writer puts a trace's time zero when neither the options nor the
// trace (Attrs "start_unix_ms") say: 2024-01-01T00:00:00Z, so the same trace always makes the
// same log.
const DefaultEpochMs = 1704067200000

// DefaultSparkVersion is the version the writer's SparkListenerLogStart names when the trace's
// spark_version is not a full version.
const DefaultSparkVersion = "4.0.1"

// WriteOptions tune the writer. The zero value takes everything from the trace.
type WriteOptions struct {
	// AppID is the application's id (default: Attrs "app_id", else one made from the source and
	// scenario, e.g. "tunesim-sim-seed-tvs-p3").
	AppID string
	// EpochMs is the Unix time in milliseconds of the trace's time zero (default: Attrs
	// "start_unix_ms", else DefaultEpochMs).
	EpochMs int64
	// Warn, when set, is called with each warning about the log written, before it is written:
	// what Spark's History Server would not show of it with its default settings (more jobs,
	// stage attempts or tasks in a stage attempt than it keeps; see HistoryServerJobs) and the
	// setting to raise.
	Warn func(msg string)
}

// Resolution is the precision of Spark's event logs: the writer rounds every time to the nearest
// millisecond, so a task read back starts and ends within half a millisecond of the trace's, and
// lasts within one millisecond of it. tunesim's own events (fits, driver steps, queue waits, the
// header) keep nanoseconds.
const Resolution = time.Millisecond

func roundMs(d time.Duration) int64 {
	return int64(math.Round(float64(d) / float64(time.Millisecond)))
}

// writer is one log being written: the trace, its ids, and the events in order.
type writer struct {
	t       *trace.Trace
	epoch   int64
	appID   string
	execIDs map[int]string
	hosts   map[int]string
	jobs    map[int]*wJob
	stages  map[stageKey]*wStage
	// firstAttempt is the first attempt of each stage seen; every attempt belongs to its job.
	firstAttempt map[int]*wStage
	tasks        []int
}

// stageKey is a stage attempt: the stage's id and the attempt's number.
type stageKey struct{ id, attempt int }

type wJob struct {
	id         int
	name       string
	start, end int64
	labels     labels
	stages     []int
	hasSpan    bool
	failure    string // why the job failed ("" when it succeeded)
	failed     bool
}

type wStage struct {
	id, attempt int
	job         int
	name        string
	start, end  int64
	tasks       int
	hasSpan     bool
	last        bool   // the job's last stage: its tasks are ResultTasks
	failure     string // why the stage attempt failed ("" when it succeeded)
}

var (
	badAppID    = regexp.MustCompile(`[^A-Za-z0-9_-]+`)
	fullVersion = regexp.MustCompile(`^\d+\.\d+\.\d+`)
)

func newWriter(t *trace.Trace, opts WriteOptions) *writer {
	w := &writer{t: t, execIDs: map[int]string{}, hosts: map[int]string{}, jobs: map[int]*wJob{}, stages: map[stageKey]*wStage{},
		firstAttempt: map[int]*wStage{}}
	w.epoch = opts.EpochMs
	if w.epoch == 0 {
		w.epoch = DefaultEpochMs
		if v, err := strconv.ParseInt(t.Attrs["start_unix_ms"], 10, 64); err == nil {
			w.epoch = v
		}
	}
	w.appID = opts.AppID
	if w.appID == "" {
		w.appID = t.Attrs["app_id"]
	}
	if w.appID == "" {
		w.appID = fmt.Sprintf("tunesim-%s-%s-p%d", t.Source, t.Scenario, t.Parallelism)
	}
	// Spark replaces what a file name cannot hold; so must an id that names files.
	w.appID = badAppID.ReplaceAllString(w.appID, "_")
	// Spark's local mode runs tasks on the "driver" executor, which the reader numbers 0.
	local := len(t.Executors) == 1 && t.Executors[0].ID == 0 && (t.Attrs["master"] == "" || isLocal(t.Attrs["master"]))
	for _, e := range t.Executors {
		id := strconv.Itoa(e.ID)
		if local {
			id = "driver"
		}
		w.execIDs[e.ID] = id
		w.hosts[e.ID] = e.Host
		if e.Host == "" {
			w.hosts[e.ID] = "localhost"
		}
	}
	return w
}

func (w *writer) ms(d time.Duration) int64 { return w.epoch + roundMs(d) }

// plan groups the trace's tasks, stages and jobs, making up the stages and jobs a trace lacks
// (a task outside any stage gets a stage of its job, a stage outside any job a job of its own).
func (w *writer) plan() error {
	maxJob, maxStage := -1, -1
	for _, s := range w.t.Spans {
		maxJob, maxStage = max(maxJob, s.Job), max(maxStage, s.Stage)
	}
	job := func(id int) *wJob {
		j := w.jobs[id]
		if j == nil {
			j = &wJob{id: id, start: math.MaxInt64, end: math.MinInt64, labels: noLabels}
			w.jobs[id] = j
		}
		return j
	}
	stage := func(id, attempt, jobID int) *wStage {
		k := stageKey{id, attempt}
		st := w.stages[k]
		if st == nil {
			if first := w.stageOf(id); first != nil {
				jobID = first.job // every attempt of a stage belongs to the job of its first
			}
			st = &wStage{id: id, attempt: attempt, job: jobID, start: math.MaxInt64, end: math.MinInt64}
			w.stages[k] = st
			if w.firstAttempt[id] == nil {
				w.firstAttempt[id] = st
			}
		}
		return st
	}
	orphanStage := map[int]int{} // job (or None) -> made-up stage for tasks without one
	for i, s := range w.t.Spans {
		if s.End < s.Start {
			return fmt.Errorf("span %d (%s) ends at %v before it starts at %v", i, s.Kind, s.End, s.Start)
		}
		a, b := w.ms(s.Start), w.ms(s.End)
		switch s.Kind {
		case trace.KindJob:
			j := job(s.Job)
			j.hasSpan = true
			j.name = s.Name
			j.start, j.end = min(j.start, a), max(j.end, b)
			j.labels = labels{s.Fit, s.ParamMap, s.Fold}
			if !s.Counted() {
				j.failed, j.failure = true, s.Reason
			}
		case trace.KindStage:
			jobID := s.Job
			if jobID == trace.None {
				maxJob++
				jobID = maxJob
			}
			st := stage(s.Stage, s.StageAttempt, jobID)
			st.hasSpan = true
			st.name = s.Name
			st.start, st.end = min(st.start, a), max(st.end, b)
			if !s.Counted() {
				st.failure = s.Reason
				if st.failure == "" {
					st.failure = "unknown"
				}
			}
		case trace.KindTask:
			if _, ok := w.execIDs[s.Executor]; !ok {
				return fmt.Errorf("span %d: task on executor %d, which the trace's executors do not list", i, s.Executor)
			}
			sid := s.Stage
			if sid == trace.None {
				k, ok := orphanStage[s.Job]
				if !ok {
					maxStage++
					k = maxStage
					orphanStage[s.Job] = k
				}
				sid = k
				w.t.Spans[i].Stage = sid
			}
			jobID := s.Job
			if jobID == trace.None {
				if st := w.stageOf(sid); st != nil {
					jobID = st.job
				} else {
					maxJob++
					jobID = maxJob
				}
				w.t.Spans[i].Job = jobID
			}
			st := stage(sid, s.StageAttempt, jobID)
			if st.name == "" {
				st.name = s.Name
			}
			st.start, st.end = min(st.start, a), max(st.end, b)
			st.tasks++
			w.tasks = append(w.tasks, i)
		}
	}
	for _, st := range w.stages {
		j := job(st.job)
		j.stages = append(j.stages, st.id)
		j.start, j.end = min(j.start, st.start), max(j.end, st.end)
		if j.name == "" {
			j.name = st.name
		}
	}
	for i := range w.t.Spans {
		s := w.t.Spans[i]
		if (s.Kind == trace.KindTask || s.Kind == trace.KindStage) && s.Fit != trace.None {
			if j := w.jobs[w.stageJob(s)]; j != nil && j.labels.fit == trace.None {
				j.labels = labels{s.Fit, s.ParamMap, s.Fold}
			}
		}
	}
	for _, j := range w.jobs {
		sort.Ints(j.stages)
		j.stages = slices.Compact(j.stages)
		if n := len(j.stages); n > 0 {
			for _, st := range w.stages {
				if st.id == j.stages[n-1] {
					st.last = true
				}
			}
		}
		if j.start > j.end { // a job span with neither times nor stages cannot happen; keep it sane
			j.start, j.end = w.epoch, w.epoch
		}
	}
	return nil
}

func (w *writer) stageJob(s trace.Span) int {
	if st := w.stageOf(s.Stage); st != nil {
		return st.job
	}
	return s.Job
}

// stageOf is the first attempt of stage id the writer has seen; nil when it has seen none.
func (w *writer) stageOf(id int) *wStage { return w.firstAttempt[id] }

// timed is one event of the log at its time; rank orders events at the same millisecond so that
// a job starts before its stages, a stage before its tasks, and ends come in the reverse order.
type timed struct {
	at   int64
	rank int
	seq  int
	v    any
}

const (
	rankExecutorAdded = iota
	rankJobStart
	rankStageSubmitted
	rankTaskStart
	rankTaskEnd
	rankStageCompleted
	rankJobEnd
	rankExecutorRemoved
)

func (w *writer) props(j *wJob) map[string]string {
	p := map[string]string{"spark.scheduler.pool": "default", PropJobName: j.name}
	l := j.labels
	if l.fit == trace.None {
		return p
	}
	p[PropFit] = FormatTag(l.fit)
	p[PropFold] = FormatTag(l.fold)
	desc := fmt.Sprintf("fit %d", l.fit)
	if l.paramMap != trace.None {
		p[PropParamMap] = FormatTag(l.paramMap)
		if l.paramMap < len(w.t.ParamMaps) {
			p[PropParamLabel] = w.t.ParamMaps[l.paramMap]
			desc += " (" + w.t.ParamMaps[l.paramMap] + ")"
		}
	}
	if l.fold == trace.None {
		desc += " refit"
	} else {
		desc += fmt.Sprintf(" fold %d", l.fold)
	}
	p[PropJobGroup] = fmt.Sprintf("fit-%d", l.fit)
	p["spark.job.description"] = desc + ": " + j.name
	return p
}

func (w *writer) stageInfo(st *wStage, submitted, completed bool) jStageInfo {
	si := jStageInfo{StageID: st.id, AttemptID: st.attempt, Name: st.name, NumTasks: st.tasks, ParentIDs: []int{}, Accumulables: []any{},
		RDDInfo: []jRDDInfo{{ID: st.id, Name: "tunesim", Callsite: st.name, ParentIDs: []int{},
			StorageLevel: jStorageLevel{Replication: 1}, DeterministicLevel: "DETERMINATE", Partitions: st.tasks}}}
	if submitted {
		v := st.start
		si.SubmissionTime = &v
	}
	if completed {
		v := st.end
		si.CompletionTime = &v
		si.FailureReason = st.failure
	}
	return si
}

// attempts are the stage attempts of job j, by stage id and attempt.
func (w *writer) attempts(j *wJob) []*wStage {
	var out []*wStage
	for _, st := range w.stages {
		if st.job == j.id {
			out = append(out, st)
		}
	}
	sort.Slice(out, func(a, b int) bool {
		if out[a].id != out[b].id {
			return out[a].id < out[b].id
		}
		return out[a].attempt < out[b].attempt
	})
	return out
}

// events lists the timed events: jobs, stages, tasks and tunesim's own spans.
func (w *writer) events() []timed {
	var out []timed
	add := func(at int64, rank int, v any) { out = append(out, timed{at: at, rank: rank, seq: len(out), v: v}) }
	jobIDs := make([]int, 0, len(w.jobs))
	for id := range w.jobs {
		jobIDs = append(jobIDs, id)
	}
	sort.Ints(jobIDs)
	for _, id := range jobIDs {
		j := w.jobs[id]
		props := w.props(j)
		js := jJobStart{Event: evJobStart, JobID: id, SubmissionTime: j.start, StageIDs: j.stages, Properties: props}
		for _, sid := range j.stages {
			js.StageInfos = append(js.StageInfos, w.stageInfo(w.stageOf(sid), false, false))
		}
		for _, st := range w.attempts(j) {
			add(st.start, rankStageSubmitted, jStageSubmitted{Event: evStageSubmitted, StageInfo: w.stageInfo(st, true, false), Properties: props})
			add(st.end, rankStageCompleted, jStageCompleted{Event: evStageCompleted, StageInfo: w.stageInfo(st, true, true)})
		}
		if js.StageIDs == nil {
			js.StageIDs, js.StageInfos = []int{}, []jStageInfo{}
		}
		add(j.start, rankJobStart, js)
		var result any = jJobResult{Result: "JobSucceeded"}
		if j.failed {
			result = jJobFailed{Result: "JobFailed", Exception: jJobException{Message: j.failure, StackTrace: []any{}}}
		}
		add(j.end, rankJobEnd, jJobEnd{Event: evJobEnd, JobID: id, CompletionTime: j.end, Result: result})
	}
	// Tasks get ids in order of launch, as Spark numbers them.
	order := append([]int(nil), w.tasks...)
	sort.SliceStable(order, func(a, b int) bool { return w.t.Spans[order[a]].Start < w.t.Spans[order[b]].Start })
	for n, i := range order {
		s := w.t.Spans[i]
		st := w.stages[stageKey{s.Stage, s.StageAttempt}]
		a, b := w.ms(s.Start), w.ms(s.End)
		part := max(s.Partition, 0)
		ti := jTaskInfo{TaskID: int64(n), Index: part, Attempt: s.Attempt, PartitionID: part, LaunchTime: a, ExecutorID: w.execIDs[s.Executor],
			Host: w.hosts[s.Executor], Locality: "PROCESS_LOCAL", Speculative: s.Speculative, Accumulables: []any{}}
		m := jTaskMetrics{RunTime: b - a, CPUTime: int64(s.Duration()), UpdatedBlocks: []any{}}
		if d := s.Detail; d != nil {
			if d.Host != "" {
				ti.Host = d.Host
			}
			m = jTaskMetrics{DeserializeTime: roundMs(d.Deserialize), DeserializeCPUTime: int64(d.Deserialize), RunTime: roundMs(d.RunTime),
				CPUTime: int64(d.CPUTime), GCTime: roundMs(d.GC), ResultSerialization: roundMs(d.ResultSerialize), UpdatedBlocks: []any{}}
			if d.GettingResult > 0 {
				ti.GettingResultTime = b - roundMs(d.GettingResult)
			}
		}
		start := ti
		start.GettingResultTime = 0
		add(a, rankTaskStart, jTaskStart{Event: evTaskStart, StageID: s.Stage, StageAttemptID: s.StageAttempt, TaskInfo: start})
		ti.FinishTime = b
		ti.Failed, ti.Killed = s.Outcome == trace.OutcomeFailed, s.Outcome == trace.OutcomeKilled
		typ := "ShuffleMapTask"
		if st != nil && st.last {
			typ = "ResultTask"
		}
		end := jTaskEnd{Event: evTaskEnd, StageID: s.Stage, StageAttemptID: s.StageAttempt, TaskType: typ, Reason: endReasonOf(s.Outcome, s.Reason),
			TaskInfo: ti, ExecutorMetric: map[string]int{}, TaskMetrics: m}
		if s.Outcome != trace.OutcomeLost {
			add(b, rankTaskEnd, end)
			continue
		}
		// A lost output: the task succeeded, then its executor was lost with the output, and
		// Spark ended the task again as Resubmitted (with the same Task Info, no metrics).
		success := end
		success.Reason = endReasonOf(trace.OutcomeSucceeded, "")
		add(b, rankTaskEnd, success)
		end.TaskMetrics = jTaskMetrics{UpdatedBlocks: []any{}}
		add(max(b, w.removed(s.Executor)), rankTaskEnd, end)
	}
	for _, s := range w.t.Spans {
		switch s.Kind {
		case trace.KindFit, trace.KindDriver, trace.KindQueue:
			add(w.ms(s.End), rankTaskEnd, jSpan{Event: evSpan, Span: s})
		}
	}
	// Executors that came or went during the run (those there from the start are in the header).
	for _, e := range w.t.Executors {
		if e.Added > 0 {
			add(w.ms(e.Added), rankExecutorAdded, w.executorAdded(e, w.ms(e.Added)))
		}
		if e.Removed > 0 {
			add(w.ms(e.Removed), rankExecutorRemoved, jExecutorRemoved{Event: evExecutorRemoved, Timestamp: w.ms(e.Removed),
				ExecutorID: w.execIDs[e.ID], Reason: e.RemovedReason})
		}
	}
	sort.SliceStable(out, func(a, b int) bool {
		if out[a].at != out[b].at {
			return out[a].at < out[b].at
		}
		if out[a].rank != out[b].rank {
			return out[a].rank < out[b].rank
		}
		return out[a].seq < out[b].seq
	})
	return out
}

// executorAdded is the SparkListenerExecutorAdded of e at Unix time ms.
func (w *writer) executorAdded(e trace.Executor, ms int64) jExecutorAdded {
	return jExecutorAdded{Event: evExecutorAdded, Timestamp: ms, ExecutorID: w.execIDs[e.ID],
		Info: jExecutorInfo{Host: w.hosts[e.ID], TotalCores: e.Slots, LogURLs: map[string]string{}, Attributes: map[string]string{}, Resources: map[string]any{}}}
}

// removed is the Unix time in ms when executor id was removed, 0 when it never was.
func (w *writer) removed(id int) int64 {
	for _, e := range w.t.Executors {
		if e.ID == id && e.Removed > 0 {
			return w.ms(e.Removed)
		}
	}
	return 0
}

// header lists the events before the timed ones, and the application's end.
func (w *writer) header() (head []any, end any) {
	t := w.t
	first, last := w.epoch, w.epoch
	for _, s := range t.Spans {
		first, last = min(first, w.ms(s.Start)), max(last, w.ms(s.End))
	}
	version := t.Attrs["spark_version"]
	if !fullVersion.MatchString(version) {
		version = DefaultSparkVersion
	}
	h := *t
	h.Spans = nil
	head = append(head, jLogStart{Event: evLogStart, SparkVersion: version}, jTraceInfo{Event: evTraceInfo, Trace: traceInfo{EpochMs: w.epoch, Header: h}})
	cores := 1
	if len(t.Executors) > 0 {
		cores = t.Executors[0].Slots
	}
	head = append(head, jResourceProfileAdded{Event: "SparkListenerResourceProfileAdded",
		Executor:  map[string]jResourceRequest{"cores": {Name: "cores", Amount: cores}, "memory": {Name: "memory", Amount: 1024}, "offHeap": {Name: "offHeap"}},
		TaskCores: map[string]jTaskRequest{"cpus": {Name: "cpus", Amount: 1}}})
	for _, e := range t.Executors {
		if e.Added == 0 {
			head = append(head, w.executorAdded(e, first))
		}
	}
	master := t.Attrs["master"]
	if master == "" {
		if len(t.Executors) == 1 {
			master = fmt.Sprintf("local[%d]", t.Executors[0].Slots)
		} else {
			master = "spark://tunesim:7077"
		}
	}
	name := t.Attrs["app_name"]
	if name == "" {
		name = fmt.Sprintf("tunesim %s %s parallelism %d", t.Source, t.Scenario, t.Parallelism)
	}
	spark := map[string]string{"spark.master": master, "spark.app.id": w.appID, "spark.app.name": name,
		"spark.executor.id": "driver", "spark.eventLog.enabled": "true", "spark.scheduler.mode": "FIFO"}
	if m := t.Attrs["scheduler_mode"]; m != "" {
		spark["spark.scheduler.mode"] = m
	}
	if t.DriverCores > 0 && localCores(master) == 0 {
		spark["spark.driver.cores"] = strconv.Itoa(t.DriverCores)
	}
	head = append(head, jEnvironmentUpdate{Event: evEnvUpdate, JVM: map[string]string{"Java Version": "tunesim", "Java Home": "", "Scala Version": ""},
		Spark: spark, Hadoop: map[string]string{}, System: map[string]string{}, Metrics: map[string]string{}, ClassPaths: map[string]string{}})
	head = append(head, jApplicationStart{Event: evAppStart, AppName: name, AppID: w.appID, Timestamp: first, User: "tunesim"})
	return head, jApplicationEnd{Event: evAppEnd, Timestamp: last}
}

// Write writes t as a Spark event log (plain JSON lines) that Spark's History Server lists and
// opens: SparkListenerLogStart, ResourceProfileAdded, ExecutorAdded per executor (the one
// executor of a local trace is the "driver"), EnvironmentUpdate, ApplicationStart, then jobs
// (with their stages' infos and the tunesim.* fit properties), stages and tasks (TaskEnd with
// Task Info and Task Metrics from the span's Detail) in time order, and ApplicationEnd. Times are
// rounded to milliseconds (see Resolution). tunesim's own events carry the trace's header and its
// fit, driver and queue spans, which Spark ignores and Read restores.
func Write(out io.Writer, t *trace.Trace, opts WriteOptions) error {
	return writeEvents(t, opts, func(int) (*json.Encoder, error) {
		enc := json.NewEncoder(out)
		enc.SetEscapeHTML(false)
		return enc, nil
	})
}

// writeEvents sends every event to the encoder next(n) gives for the n-th event.
func writeEvents(t *trace.Trace, opts WriteOptions, next func(n int) (*json.Encoder, error)) error {
	cp := *t
	cp.Spans = append([]trace.Span(nil), t.Spans...)
	if cp.Attrs == nil {
		cp.Attrs = map[string]string{}
	}
	w := newWriter(&cp, opts)
	if err := w.plan(); err != nil {
		return fmt.Errorf("writing event log: %w", err)
	}
	if opts.Warn != nil {
		for _, msg := range w.historyServerLimits() {
			opts.Warn(msg)
		}
	}
	head, end := w.header()
	all := head
	for _, e := range w.events() {
		all = append(all, e.v)
	}
	all = append(all, end)
	for n, v := range all {
		enc, err := next(n)
		if err != nil {
			return err
		}
		if err := enc.Encode(v); err != nil {
			return fmt.Errorf("writing event log: %w", err)
		}
	}
	return nil
}

// WriteFile writes t as an event log file at path, compressed with codec, atomically.
func WriteFile(path string, t *trace.Trace, codec Codec, opts WriteOptions) error {
	return atomicfile.Write(path, func(out io.Writer) error {
		cw, err := Compress(codec, out)
		if err != nil {
			return err
		}
		if err := Write(cw, t, opts); err != nil {
			return err
		}
		return cw.Close()
	})
}

// WriteRolling writes t as a rolling event log in dir, as Spark's RollingEventLogFilesWriter
// does: a directory eventlog_v2_<appId> of events_<n>_<appId>[.codec] files, a new file once one
// holds maxFileBytes of JSON, and an empty appstatus_<appId> marker (a finished application).
// It returns the directory's path.
func WriteRolling(dir string, t *trace.Trace, codec Codec, maxFileBytes int64, opts WriteOptions) (string, error) {
	cp := *t
	if cp.Attrs == nil {
		cp.Attrs = map[string]string{}
	}
	appID := newWriter(&cp, opts).appID
	opts.AppID = appID
	logDir := filepath.Join(dir, rollingDirPrefix+appID)
	if err := os.MkdirAll(logDir, 0o755); err != nil {
		return "", err
	}
	var (
		f       *os.File
		cw      io.WriteCloser
		counter *countingWriter
		enc     *json.Encoder
		index   = 0
	)
	closeFile := func() error {
		if f == nil {
			return nil
		}
		if err := cw.Close(); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	next := func(int) (*json.Encoder, error) {
		if f != nil && counter.n < maxFileBytes {
			return enc, nil
		}
		if err := closeFile(); err != nil {
			return nil, err
		}
		index++
		var err error
		f, err = os.Create(filepath.Join(logDir, fmt.Sprintf("%s%d_%s%s", rollingFilePrefix, index, appID, codec.Ext())))
		if err != nil {
			return nil, err
		}
		if cw, err = Compress(codec, f); err != nil {
			return nil, err
		}
		counter = &countingWriter{w: cw}
		enc = json.NewEncoder(counter)
		enc.SetEscapeHTML(false)
		return enc, nil
	}
	if err := writeEvents(&cp, opts, next); err != nil {
		closeFile()
		return "", err
	}
	if err := closeFile(); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(logDir, appStatusPrefix+appID), nil, 0o644); err != nil {
		return "", err
	}
	return logDir, nil
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
