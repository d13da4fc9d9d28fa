package sparklog

import (
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"tunesim/trace"
)

// App is the structure of a Spark application as its event log records it: every job in
// submission order with the stages that ran and their task attempts, the properties each job
// inherited from its submitting thread, and the RDDs the application unpersisted. It is what a
// reader of an untagged log (package whatif) finds a tuning run in. Times are offsets from the
// log's time zero, like the spans of the trace read alongside.
type App struct {
	// Start and End are the application's start and end (End is the last time the log gives when
	// it has no SparkListenerApplicationEnd).
	Start, End time.Duration
	Jobs       []*Job
	// Unpersists are the RDDs unpersisted, in log order, each with the number of jobs started
	// before it.
	Unpersists []Unpersist
}

// Job is a Spark job: when it was submitted and ended, the properties Spark copied from the
// submitting thread (spark.job.description, spark.jobGroup.id, spark.job.tags,
// spark.scheduler.pool, tunesim.*; spark.rdd.scope and the application's settings are left out),
// and its stages that ran, in submission order (skipped stages never run and are not listed).
type Job struct {
	ID          int
	Submit, End time.Duration
	Succeeded   bool
	Props       map[string]string
	Stages      []*Stage
	// SQLDetails is the call stack of the SQL query the job ran for (by its
	// spark.sql.execution.id), when it ran for one the log started.
	SQLDetails string
}

// Stage is one attempt of a stage that ran: its name (Spark's call site, e.g. "treeAggregate at
// RDDLossFunction.scala:61"), the call stack that submitted it, the persisted RDDs it reads, and
// its task attempts in the order they ended.
type Stage struct {
	ID, Attempt int
	Name        string
	Details     string
	NumTasks    int
	Submit, End time.Duration
	// Persisted are the ids of persisted (cached) RDDs in the stage's lineage, with their names.
	Persisted map[int]string
	Tasks     []Task
}

// Task is one task attempt: where and when it ran, what Spark measured of it, and how it ended.
type Task struct {
	Index, Attempt int
	// Executor is the trace's executor id.
	Executor       int
	Launch, Finish time.Duration
	// RunTime, Deserialize, ResultSerialization and GC are Spark's task metrics (ms resolution).
	RunTime, Deserialize, ResultSerialization, GC time.Duration
	// CPU is the executor's CPU time for the task: running and deserializing it (ns resolution;
	// 0 in logs of Spark before 2.1, which do not measure it).
	CPU time.Duration
	// Records is the records the task read: input (or cache) records plus shuffle records. A
	// cached DataFrame is read a columnar batch at a time, and counts its batches.
	Records int64
	// Bytes is the bytes the task read: input (or cache) bytes plus shuffle bytes, local and
	// remote. It grows with the data where the records of a batched read do not.
	Bytes int64
	// Failed and Killed say how the attempt ended (by its end reason, else Task Info's flags);
	// Lost says it succeeded but its output was lost with its executor and it ran again
	// (Spark's Resubmitted).
	Failed, Killed, Lost, Speculative bool
}

// Duration is how long the task held its slot: from launch to finish.
func (t Task) Duration() time.Duration { return t.Finish - t.Launch }

// Counted says the attempt's work counted: it neither failed, nor was killed, nor was lost.
func (t Task) Counted() bool { return !t.Failed && !t.Killed && !t.Lost }

// Unpersist is an RDD the application unpersisted, after JobsBefore jobs had started.
type Unpersist struct {
	RDD        int
	JobsBefore int
}

// ReadApp reads the event log at path into the application's structure and what the log says
// of the application (see Read). It keeps no spans: read the trace with Read when it is needed.
func ReadApp(path string) (*App, *Info, error) {
	b := newAppBuilder()
	fs, err := files(path)
	if err != nil {
		return nil, nil, err
	}
	info := &Info{}
	c := newConverter(discard{}, info)
	c.observe = b.add
	for _, f := range fs {
		info.Files = append(info.Files, f.path)
		info.InProgress = info.InProgress || f.inProgress
		if err := c.file(f); err != nil {
			return nil, info, err
		}
	}
	c.finish()
	return b.app(), info, nil
}

// ReadAppFrom is ReadApp for a log that is not a file (see StreamFrom).
func ReadAppFrom(r io.Reader, name string, codec Codec, inProgress bool) (*App, *Info, error) {
	b := newAppBuilder()
	info := &Info{Files: []string{name}, InProgress: inProgress}
	c := newConverter(discard{}, info)
	c.observe = b.add
	if err := c.read(r, logFile{path: name, codec: codec, inProgress: inProgress}); err != nil {
		return nil, info, err
	}
	c.finish()
	return b.app(), info, nil
}

// discard is a sink that keeps nothing.
type discard struct{}

func (discard) Add(trace.Span) {}

// appBuilder folds events into an App.
type appBuilder struct {
	a      App
	jobs   map[int]*Job
	stages map[[2]int]*Stage // by stage id and attempt
	// owner is the running job that listed a stage id (the latest one).
	owner map[int]*Job
	// sql is each SQL query's call stack, by execution id.
	sql          map[int64]string
	last         time.Duration
	ended, begun bool
}

func newAppBuilder() *appBuilder {
	return &appBuilder{jobs: map[int]*Job{}, stages: map[[2]int]*Stage{}, owner: map[int]*Job{}, sql: map[int64]string{}}
}

// PropSQLExecution is the id of the SQL query a job ran for (Spark sets it on the jobs of a query).
const PropSQLExecution = "spark.sql.execution.id"

// keptProp says which job properties an App keeps.
func keptProp(k string) bool {
	switch k {
	case "spark.job.description", PropJobGroup, "spark.job.tags", "spark.scheduler.pool", "callSite.short", PropSQLExecution:
		return true
	}
	return strings.HasPrefix(k, PropPrefix)
}

func (b *appBuilder) seen(t time.Duration) {
	if t > b.last {
		b.last = t
	}
}

// add folds one event in, after the converter has (so its clock and executor ids are set).
func (b *appBuilder) add(c *converter, ev *event) {
	switch ev.Event {
	case evAppStart:
		if ev.Timestamp != nil {
			b.a.Start, b.begun = c.at(*ev.Timestamp), true
			b.seen(b.a.Start)
		}
	case evAppEnd:
		if ev.Timestamp != nil {
			b.a.End, b.ended = c.at(*ev.Timestamp), true
		}
	case evJobStart:
		j := &Job{ID: *ev.JobID, Props: map[string]string{}}
		if ev.SubmissionTime != nil {
			j.Submit = c.at(*ev.SubmissionTime)
			b.seen(j.Submit)
		}
		for k, v := range ev.Properties {
			if keptProp(k) {
				j.Props[k] = v
			}
		}
		if id, err := strconv.ParseInt(ev.Properties[PropSQLExecution], 10, 64); err == nil {
			j.SQLDetails = b.sql[id]
		}
		for _, si := range ev.StageInfos {
			b.owner[si.StageID] = j
		}
		for _, id := range ev.StageIDs {
			b.owner[id] = j
		}
		b.jobs[j.ID] = j
		b.a.Jobs = append(b.a.Jobs, j)
	case evJobEnd:
		if j := b.jobs[*ev.JobID]; j != nil {
			if ev.CompletionTime != nil {
				j.End = c.at(*ev.CompletionTime)
				b.seen(j.End)
			}
			j.Succeeded = ev.JobResult == nil || ev.JobResult.Result == "JobSucceeded"
		}
	case evStageSubmitted:
		si := ev.StageInfo
		st := &Stage{ID: si.StageID, Attempt: si.AttemptID, Name: si.Name, Details: si.Details, NumTasks: si.NumTasks}
		if si.SubmissionTime != nil {
			st.Submit = c.at(*si.SubmissionTime)
		}
		for _, r := range si.RDDInfo {
			if r.StorageLevel.UseMemory || r.StorageLevel.UseDisk {
				if st.Persisted == nil {
					st.Persisted = map[int]string{}
				}
				st.Persisted[r.RDDID] = r.Name
			}
		}
		b.stages[[2]int{st.ID, st.Attempt}] = st
		if j := b.owner[st.ID]; j != nil {
			j.Stages = append(j.Stages, st)
		}
	case evStageCompleted:
		si := ev.StageInfo
		if st := b.stages[[2]int{si.StageID, si.AttemptID}]; st != nil && si.CompletionTime != nil {
			st.End = c.at(*si.CompletionTime)
			b.seen(st.End)
		}
	case evTaskEnd:
		ti := ev.TaskInfo
		if ti == nil || ev.StageID == nil {
			return
		}
		st := b.stages[[2]int{*ev.StageID, ev.StageAttemptID}]
		if st == nil {
			return
		}
		if ev.TaskEndReason != nil && ev.TaskEndReason.Reason == reasonResubmitted {
			// The earlier success of this attempt lost its output: it ran again.
			for i := range st.Tasks {
				if p := &st.Tasks[i]; p.Index == ti.Index && p.Attempt == ti.Attempt && p.Counted() {
					p.Lost = true
				}
			}
			return
		}
		outcome := taskOutcome(ti, ev.TaskEndReason)
		t := Task{Index: ti.Index, Attempt: ti.Attempt, Executor: c.exec(ti.ExecutorID).id,
			Launch: c.at(ti.LaunchTime), Finish: c.at(ti.FinishTime),
			Failed: outcome == trace.OutcomeFailed, Killed: outcome == trace.OutcomeKilled, Speculative: ti.Speculative}
		if m := ev.TaskMetrics; m != nil {
			t.RunTime = time.Duration(m.RunTime) * time.Millisecond
			t.Deserialize = time.Duration(m.DeserializeTime) * time.Millisecond
			t.ResultSerialization = time.Duration(m.ResultSerialization) * time.Millisecond
			t.GC = time.Duration(m.GCTime) * time.Millisecond
			t.CPU = time.Duration(m.CPUTime + m.DeserializeCPUTime)
			if m.Input != nil {
				t.Records += m.Input.RecordsRead
				t.Bytes += m.Input.BytesRead
			}
			if m.ShuffleRead != nil {
				t.Records += m.ShuffleRead.RecordsRead
				t.Bytes += m.ShuffleRead.RemoteBytesRead + m.ShuffleRead.LocalBytesRead
			}
		}
		b.seen(t.Finish)
		st.Tasks = append(st.Tasks, t)
	case evSQLStart:
		if ev.ExecutionID != nil {
			b.sql[*ev.ExecutionID] = ev.SQLDetails
		}
	case evUnpersistRDD:
		if ev.RDDID != nil {
			b.a.Unpersists = append(b.a.Unpersists, Unpersist{RDD: *ev.RDDID, JobsBefore: len(b.a.Jobs)})
		}
	}
}

// app finishes the App: jobs in id order (Spark numbers them in submission order), stages in
// submission order.
func (b *appBuilder) app() *App {
	a := b.a
	if !b.ended {
		a.End = b.last
	}
	sort.SliceStable(a.Jobs, func(i, j int) bool { return a.Jobs[i].ID < a.Jobs[j].ID })
	for _, j := range a.Jobs {
		sort.SliceStable(j.Stages, func(x, y int) bool {
			if j.Stages[x].Submit != j.Stages[y].Submit {
				return j.Stages[x].Submit < j.Stages[y].Submit
			}
			return j.Stages[x].ID < j.Stages[y].ID
		})
	}
	return &a
}

// LocalSlots says whether the application ran in local mode, and with how many task threads
// (N of local[N]; 0 for local[*], whose count is the host's CPUs).
func (i *Info) LocalSlots() (int, bool) {
	if !isLocal(i.Master) {
		return 0, false
	}
	if strings.Contains(i.Master, "[*") {
		return 0, true
	}
	return localCores(i.Master), true
}
