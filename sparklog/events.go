package sparklog

import (
	"bytes"
	"encoding/json"
	"fmt"

	"tunesim/trace"
)

// The event types the reader uses (SparkListener event class names as Spark's JsonProtocol writes
// them). Every other type is skipped.
const (
	evLogStart        = "SparkListenerLogStart"
	evAppStart        = "SparkListenerApplicationStart"
	evAppEnd          = "SparkListenerApplicationEnd"
	evEnvUpdate       = "SparkListenerEnvironmentUpdate"
	evExecutorAdded   = "SparkListenerExecutorAdded"
	evExecutorRemoved = "SparkListenerExecutorRemoved"
	evJobStart        = "SparkListenerJobStart"
	evJobEnd          = "SparkListenerJobEnd"
	evStageSubmitted  = "SparkListenerStageSubmitted"
	evStageCompleted  = "SparkListenerStageCompleted"
	evTaskStart       = "SparkListenerTaskStart"
	evTaskEnd         = "SparkListenerTaskEnd"
	evUnpersistRDD    = "SparkListenerUnpersistRDD"
	// evSQLStart is Spark SQL's query start: its call stack names the code that ran the query
	// when its jobs' own stages show only a helper thread's.
	evSQLStart = "org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionStart"
	// tunesim's own events carry what Spark's events cannot (the tuner's threads, driver steps,
	// the trace's settings). Spark's ReplayListenerBus drops events whose class it cannot load,
	// so the History Server skips them.
	evTraceInfo = "org.tunesim.TraceInfo"
	evSpan      = "org.tunesim.Span"
)

var knownEvents = map[string]bool{
	evLogStart: true, evAppStart: true, evAppEnd: true, evEnvUpdate: true, evExecutorAdded: true, evExecutorRemoved: true,
	evJobStart: true, evJobEnd: true, evStageSubmitted: true, evStageCompleted: true,
	evTaskStart: true, evTaskEnd: true, evTraceInfo: true, evSpan: true, evUnpersistRDD: true,
	evSQLStart: true,
}

// eventNames holds the name of each known event, to hand out without allocating.
var eventNames = func() map[string]string {
	m := map[string]string{}
	for name := range knownEvents {
		m[name] = name
	}
	return m
}()

// event holds the fields the reader uses of every known event type (JsonProtocol's names).
// Lines are decoded by eventDecoder, field by field: a field added here needs its entry in
// eventdecode.go (TestDecoderKnowsEveryField says which is missing). The reader decodes every
// line into the same event, so what handles one copies what it keeps.
type event struct {
	Event string `json:"Event"`

	SparkVersion string `json:"Spark Version"`

	AppName      string `json:"App Name"`
	AppID        string `json:"App ID"`
	AppAttemptID string `json:"App Attempt ID"`
	Timestamp    *int64 `json:"Timestamp"`
	User         string `json:"User"`

	SparkProperties map[string]string `json:"Spark Properties"`

	ExecutorID    string        `json:"Executor ID"`
	ExecutorInfo  *executorInfo `json:"Executor Info"`
	RemovedReason string        `json:"Removed Reason"`

	JobID          *int              `json:"Job ID"`
	SubmissionTime *int64            `json:"Submission Time"`
	CompletionTime *int64            `json:"Completion Time"`
	StageInfos     []stageInfo       `json:"Stage Infos"`
	StageIDs       []int             `json:"Stage IDs"`
	Properties     map[string]string `json:"Properties"`
	JobResult      *result           `json:"Job Result"`

	StageInfo *stageInfo `json:"Stage Info"`

	// RDDID is the RDD a SparkListenerUnpersistRDD event unpersists.
	RDDID *int `json:"RDD ID"`

	// ExecutionID and SQLDetails are a SQL query's id and call stack (SQLExecutionStart).
	ExecutionID *int64 `json:"executionId"`
	SQLDetails  string `json:"details"`

	StageID        *int         `json:"Stage ID"`
	StageAttemptID int          `json:"Stage Attempt ID"`
	TaskEndReason  *endReason   `json:"Task End Reason"`
	TaskInfo       *taskInfo    `json:"Task Info"`
	TaskMetrics    *taskMetrics `json:"Task Metrics"`

	Trace *traceInfo  `json:"Trace"`
	Span  *trace.Span `json:"Span"`
}

type result struct {
	Result    string        `json:"Result"`
	Reason    string        `json:"Reason"`
	Exception *jobException `json:"Exception"`
}

// jobException is a failed job's exception (JobFailed).
type jobException struct {
	Message string `json:"Message"`
}

// endReason is a task's "Task End Reason": Reason is the TaskEndReason's class name ("Success",
// "ExceptionFailure", "TaskKilled", "ExecutorLostFailure", "FetchFailed", "Resubmitted",
// "TaskResultLost", "TaskCommitDenied", "UnknownReason"); the other fields are those of the
// reasons that carry them, as JsonProtocol names them.
type endReason struct {
	Reason string `json:"Reason"`
	// ExceptionFailure
	ClassName   string `json:"Class Name"`
	Description string `json:"Description"`
	// TaskKilled
	KillReason string `json:"Kill Reason"`
	// ExecutorLostFailure
	ExecutorID      string  `json:"Executor ID"`
	ExitCausedByApp *bool   `json:"Exit Caused By App"`
	LossReason      *string `json:"Loss Reason"`
	// FetchFailed
	BlockManager *blockManagerID `json:"Block Manager Address"`
	ShuffleID    *int            `json:"Shuffle ID"`
	MapID        *int64          `json:"Map ID"`
	MapIndex     *int            `json:"Map Index"`
	ReduceID     *int            `json:"Reduce ID"`
	Message      string          `json:"Message"`
	// TaskCommitDenied
	CommitJobID   *int `json:"Job ID"`
	PartitionID   *int `json:"Partition ID"`
	AttemptNumber *int `json:"Attempt Number"`
}

// blockManagerID is a block manager's address (FetchFailed's "Block Manager Address").
type blockManagerID struct {
	ExecutorID string `json:"Executor ID"`
	Host       string `json:"Host"`
	Port       int    `json:"Port"`
}

type executorInfo struct {
	Host       string `json:"Host"`
	TotalCores int    `json:"Total Cores"`
}

type stageInfo struct {
	StageID        int    `json:"Stage ID"`
	AttemptID      int    `json:"Stage Attempt ID"`
	Name           string `json:"Stage Name"`
	NumTasks       int    `json:"Number of Tasks"`
	SubmissionTime *int64 `json:"Submission Time"`
	CompletionTime *int64 `json:"Completion Time"`
	FailureReason  string `json:"Failure Reason"`
	// Details is the call stack of the code that submitted the stage (its stack frames name the
	// org.apache.spark.ml class whose fit or evaluate ran it).
	Details   string    `json:"Details"`
	RDDInfo   []rddInfo `json:"RDD Info"`
	ParentIDs []int     `json:"Parent IDs"`
}

// rddInfo is an RDD a stage computes or reads: its id, name (a cached Dataset's plan), and
// whether it is persisted.
type rddInfo struct {
	RDDID        int          `json:"RDD ID"`
	Name         string       `json:"Name"`
	Callsite     string       `json:"Callsite"`
	StorageLevel storageLevel `json:"Storage Level"`
}

// storageLevel is the part of an RDD's storage level that says whether it is persisted.
type storageLevel struct {
	UseDisk   bool `json:"Use Disk"`
	UseMemory bool `json:"Use Memory"`
}

type taskInfo struct {
	TaskID            int64  `json:"Task ID"`
	Index             int    `json:"Index"`
	Attempt           int    `json:"Attempt"`
	LaunchTime        int64  `json:"Launch Time"`
	ExecutorID        string `json:"Executor ID"`
	Host              string `json:"Host"`
	Speculative       bool   `json:"Speculative"`
	GettingResultTime int64  `json:"Getting Result Time"`
	FinishTime        int64  `json:"Finish Time"`
	Failed            bool   `json:"Failed"`
	Killed            bool   `json:"Killed"`
}

type taskMetrics struct {
	DeserializeTime     int64 `json:"Executor Deserialize Time"`
	RunTime             int64 `json:"Executor Run Time"`
	CPUTime             int64 `json:"Executor CPU Time"`
	DeserializeCPUTime  int64 `json:"Executor Deserialize CPU Time"`
	GCTime              int64 `json:"JVM GC Time"`
	ResultSerialization int64 `json:"Result Serialization Time"`
	// Input and ShuffleRead count the records and bytes a task read (from its input or cache, and
	// from a shuffle): the size of its work.
	Input       *inputMetrics       `json:"Input Metrics"`
	ShuffleRead *shuffleReadMetrics `json:"Shuffle Read Metrics"`
}

type inputMetrics struct {
	RecordsRead int64 `json:"Records Read"`
	BytesRead   int64 `json:"Bytes Read"`
}

type shuffleReadMetrics struct {
	RecordsRead     int64 `json:"Total Records Read"`
	RemoteBytesRead int64 `json:"Remote Bytes Read"`
	LocalBytesRead  int64 `json:"Local Bytes Read"`
}

// traceInfo is a trace's header (everything but its spans) and the Unix time in milliseconds of
// its time zero, written by this package's writer so that a round trip keeps the trace whole.
type traceInfo struct {
	EpochMs int64       `json:"Epoch ms"`
	Header  trace.Trace `json:"Header"`
}

// eventType returns the "Event" field of a line. Spark writes it first, so the common case needs
// no full parse; otherwise the line is decoded for it.
func eventType(line []byte) (string, error) {
	const prefix = `{"Event":"`
	if bytes.HasPrefix(line, []byte(prefix)) {
		rest := line[len(prefix):]
		if i := bytes.IndexByte(rest, '"'); i >= 0 && bytes.IndexByte(rest[:i], '\\') < 0 {
			if name, ok := eventNames[string(rest[:i])]; ok {
				return name, nil // no allocation for the events a log is made of
			}
			return string(rest[:i]), nil
		}
	}
	var head struct {
		Event *string `json:"Event"`
	}
	if err := json.Unmarshal(line, &head); err != nil {
		return "", err
	}
	if head.Event == nil {
		return "", fmt.Errorf(`no "Event" field`)
	}
	return *head.Event, nil
}
