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
	evLogStart       = "SparkListenerLogStart"
	evAppStart       = "SparkListenerApplicationStart"
	evAppEnd         = "SparkListenerApplicationEnd"
	evEnvUpdate      = "SparkListenerEnvironmentUpdate"
	evExecutorAdded  = "SparkListenerExecutorAdded"
	evJobStart       = "SparkListenerJobStart"
	evJobEnd         = "SparkListenerJobEnd"
	evStageSubmitted = "SparkListenerStageSubmitted"
	evStageCompleted = "SparkListenerStageCompleted"
	evTaskStart      = "SparkListenerTaskStart"
	evTaskEnd        = "SparkListenerTaskEnd"
	// tunesim's own events carry what Spark's events cannot (the tuner's threads, driver steps,
	// the trace's settings). Spark's ReplayListenerBus drops events whose class it cannot load,
	// so the History Server skips them.
	evTraceInfo = "org.tunesim.TraceInfo"
	evSpan      = "org.tunesim.Span"
)

var knownEvents = map[string]bool{
	evLogStart: true, evAppStart: true, evAppEnd: true, evEnvUpdate: true, evExecutorAdded: true,
	evJobStart: true, evJobEnd: true, evStageSubmitted: true, evStageCompleted: true,
	evTaskStart: true, evTaskEnd: true, evTraceInfo: true, evSpan: true,
}

// event holds the fields the reader uses of every known event type (JsonProtocol's names).
type event struct {
	Event string `json:"Event"`

	SparkVersion string `json:"Spark Version"`

	AppName      string `json:"App Name"`
	AppID        string `json:"App ID"`
	AppAttemptID string `json:"App Attempt ID"`
	Timestamp    *int64 `json:"Timestamp"`
	User         string `json:"User"`

	SparkProperties map[string]string `json:"Spark Properties"`

	ExecutorID   string        `json:"Executor ID"`
	ExecutorInfo *executorInfo `json:"Executor Info"`

	JobID          *int              `json:"Job ID"`
	SubmissionTime *int64            `json:"Submission Time"`
	CompletionTime *int64            `json:"Completion Time"`
	StageInfos     []stageInfo       `json:"Stage Infos"`
	StageIDs       []int             `json:"Stage IDs"`
	Properties     map[string]string `json:"Properties"`
	JobResult      *result           `json:"Job Result"`

	StageInfo *stageInfo `json:"Stage Info"`

	StageID        *int         `json:"Stage ID"`
	StageAttemptID int          `json:"Stage Attempt ID"`
	TaskEndReason  *result      `json:"Task End Reason"`
	TaskInfo       *taskInfo    `json:"Task Info"`
	TaskMetrics    *taskMetrics `json:"Task Metrics"`

	Trace *traceInfo  `json:"Trace"`
	Span  *trace.Span `json:"Span"`
}

type result struct {
	Result string `json:"Result"`
	Reason string `json:"Reason"`
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
	GCTime              int64 `json:"JVM GC Time"`
	ResultSerialization int64 `json:"Result Serialization Time"`
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
