package sparklog

import "tunesim/trace"

// How decodeEvent decodes each field of event and of the types it holds: one entry per JSON
// name, every field of the struct (TestDecoderKnowsEveryField checks). A field added to event
// needs its entry here, or decodeEvent leaves it unset.

var eventFields = fieldsOf(
	field[event]{"Event", func(d *decoder, e *event) { e.Event = d.name() }},
	field[event]{"Spark Version", func(d *decoder, e *event) { e.SparkVersion = d.name() }},
	field[event]{"App Name", func(d *decoder, e *event) { e.AppName = d.str() }},
	field[event]{"App ID", func(d *decoder, e *event) { e.AppID = d.str() }},
	field[event]{"App Attempt ID", func(d *decoder, e *event) { e.AppAttemptID = d.str() }},
	field[event]{"Timestamp", func(d *decoder, e *event) { e.Timestamp = ptr(d.int64()) }},
	field[event]{"User", func(d *decoder, e *event) { e.User = d.name() }},
	field[event]{"Spark Properties", func(d *decoder, e *event) { d.stringMap(&e.SparkProperties) }},
	field[event]{"Executor ID", func(d *decoder, e *event) { e.ExecutorID = d.name() }},
	field[event]{"Executor Info", func(d *decoder, e *event) {
		e.ExecutorInfo = new(executorInfo)
		decodeObject(d, e.ExecutorInfo, executorInfoFields)
	}},
	field[event]{"Removed Reason", func(d *decoder, e *event) { e.RemovedReason = d.str() }},
	field[event]{"Job ID", func(d *decoder, e *event) { e.JobID = ptr(d.int()) }},
	field[event]{"Submission Time", func(d *decoder, e *event) { e.SubmissionTime = ptr(d.int64()) }},
	field[event]{"Completion Time", func(d *decoder, e *event) { e.CompletionTime = ptr(d.int64()) }},
	field[event]{"Stage Infos", func(d *decoder, e *event) { decodeSlice(d, &e.StageInfos, decodeStageInfo) }},
	field[event]{"Stage IDs", func(d *decoder, e *event) { decodeSlice(d, &e.StageIDs, decodeInt) }},
	field[event]{"Properties", func(d *decoder, e *event) { d.stringMap(&e.Properties) }},
	field[event]{"Job Result", func(d *decoder, e *event) {
		e.JobResult = new(result)
		decodeObject(d, e.JobResult, resultFields)
	}},
	field[event]{"Stage Info", func(d *decoder, e *event) {
		e.StageInfo = new(stageInfo)
		decodeObject(d, e.StageInfo, stageInfoFields)
	}},
	field[event]{"RDD ID", func(d *decoder, e *event) { e.RDDID = ptr(d.int()) }},
	field[event]{"executionId", func(d *decoder, e *event) { e.ExecutionID = ptr(d.int64()) }},
	field[event]{"details", func(d *decoder, e *event) { e.SQLDetails = d.str() }},
	field[event]{"Stage ID", func(d *decoder, e *event) {
		e.StageID = &d.taskParts().stageID
		*e.StageID = d.int()
	}},
	field[event]{"Stage Attempt ID", func(d *decoder, e *event) { e.StageAttemptID = d.int() }},
	field[event]{"Task End Reason", func(d *decoder, e *event) {
		e.TaskEndReason = &d.endParts().reason
		decodeObject(d, e.TaskEndReason, endReasonFields)
	}},
	field[event]{"Task Info", func(d *decoder, e *event) {
		e.TaskInfo = &d.taskParts().info
		decodeObject(d, e.TaskInfo, taskInfoFields)
	}},
	field[event]{"Task Metrics", func(d *decoder, e *event) {
		e.TaskMetrics = &d.endParts().metrics
		decodeObject(d, e.TaskMetrics, taskMetricsFields)
	}},
	field[event]{"Trace", func(d *decoder, e *event) { e.Trace = viaJSON[traceInfo](d) }},
	field[event]{"Span", func(d *decoder, e *event) { e.Span = viaJSON[trace.Span](d) }},
)

func decodeInt(d *decoder, v *int) { *v = d.int() }

var (
	decodeStageInfo = objectOf(stageInfoFields)
	decodeRDDInfo   = objectOf(rddInfoFields)
)

// taskParts and endParts hold what the pointer fields of a task's line point to, so that such a
// line, most of a log, costs one allocation for each rather than one a field: taskParts what
// SparkListenerTaskStart and TaskEnd carry, endParts what TaskEnd adds. A line fills each at
// most once (a key seen twice leaves the line to encoding/json).
type taskParts struct {
	info    taskInfo
	stageID int
}

type endParts struct {
	reason      endReason
	metrics     taskMetrics
	input       inputMetrics
	shuffleRead shuffleReadMetrics
}

func (d *decoder) taskParts() *taskParts {
	if d.task == nil {
		d.task = new(taskParts)
	}
	return d.task
}

func (d *decoder) endParts() *endParts {
	if d.end == nil {
		d.end = new(endParts)
	}
	return d.end
}

var resultFields = fieldsOf(
	field[result]{"Result", func(d *decoder, r *result) { r.Result = d.name() }},
	field[result]{"Reason", func(d *decoder, r *result) { r.Reason = d.name() }},
	field[result]{"Exception", func(d *decoder, r *result) {
		r.Exception = new(jobException)
		decodeObject(d, r.Exception, jobExceptionFields)
	}},
)

var jobExceptionFields = fieldsOf(
	field[jobException]{"Message", func(d *decoder, x *jobException) { x.Message = d.str() }},
)

var endReasonFields = fieldsOf(
	field[endReason]{"Reason", func(d *decoder, r *endReason) { r.Reason = d.name() }},
	field[endReason]{"Class Name", func(d *decoder, r *endReason) { r.ClassName = d.str() }},
	field[endReason]{"Description", func(d *decoder, r *endReason) { r.Description = d.str() }},
	field[endReason]{"Kill Reason", func(d *decoder, r *endReason) { r.KillReason = d.str() }},
	field[endReason]{"Executor ID", func(d *decoder, r *endReason) { r.ExecutorID = d.str() }},
	field[endReason]{"Exit Caused By App", func(d *decoder, r *endReason) { r.ExitCausedByApp = ptr(d.bool()) }},
	field[endReason]{"Loss Reason", func(d *decoder, r *endReason) { r.LossReason = ptr(d.str()) }},
	field[endReason]{"Block Manager Address", func(d *decoder, r *endReason) {
		r.BlockManager = new(blockManagerID)
		decodeObject(d, r.BlockManager, blockManagerIDFields)
	}},
	field[endReason]{"Shuffle ID", func(d *decoder, r *endReason) { r.ShuffleID = ptr(d.int()) }},
	field[endReason]{"Map ID", func(d *decoder, r *endReason) { r.MapID = ptr(d.int64()) }},
	field[endReason]{"Map Index", func(d *decoder, r *endReason) { r.MapIndex = ptr(d.int()) }},
	field[endReason]{"Reduce ID", func(d *decoder, r *endReason) { r.ReduceID = ptr(d.int()) }},
	field[endReason]{"Message", func(d *decoder, r *endReason) { r.Message = d.str() }},
	field[endReason]{"Job ID", func(d *decoder, r *endReason) { r.CommitJobID = ptr(d.int()) }},
	field[endReason]{"Partition ID", func(d *decoder, r *endReason) { r.PartitionID = ptr(d.int()) }},
	field[endReason]{"Attempt Number", func(d *decoder, r *endReason) { r.AttemptNumber = ptr(d.int()) }},
)

var blockManagerIDFields = fieldsOf(
	field[blockManagerID]{"Executor ID", func(d *decoder, b *blockManagerID) { b.ExecutorID = d.name() }},
	field[blockManagerID]{"Host", func(d *decoder, b *blockManagerID) { b.Host = d.name() }},
	field[blockManagerID]{"Port", func(d *decoder, b *blockManagerID) { b.Port = d.int() }},
)

var executorInfoFields = fieldsOf(
	field[executorInfo]{"Host", func(d *decoder, x *executorInfo) { x.Host = d.name() }},
	field[executorInfo]{"Total Cores", func(d *decoder, x *executorInfo) { x.TotalCores = d.int() }},
)

var stageInfoFields = fieldsOf(
	field[stageInfo]{"Stage ID", func(d *decoder, s *stageInfo) { s.StageID = d.int() }},
	field[stageInfo]{"Stage Attempt ID", func(d *decoder, s *stageInfo) { s.AttemptID = d.int() }},
	field[stageInfo]{"Stage Name", func(d *decoder, s *stageInfo) { s.Name = d.str() }},
	field[stageInfo]{"Number of Tasks", func(d *decoder, s *stageInfo) { s.NumTasks = d.int() }},
	field[stageInfo]{"Submission Time", func(d *decoder, s *stageInfo) { s.SubmissionTime = ptr(d.int64()) }},
	field[stageInfo]{"Completion Time", func(d *decoder, s *stageInfo) { s.CompletionTime = ptr(d.int64()) }},
	field[stageInfo]{"Failure Reason", func(d *decoder, s *stageInfo) { s.FailureReason = d.str() }},
	field[stageInfo]{"Details", func(d *decoder, s *stageInfo) { s.Details = d.str() }},
	field[stageInfo]{"RDD Info", func(d *decoder, s *stageInfo) { decodeSlice(d, &s.RDDInfo, decodeRDDInfo) }},
	field[stageInfo]{"Parent IDs", func(d *decoder, s *stageInfo) { decodeSlice(d, &s.ParentIDs, decodeInt) }},
)

var rddInfoFields = fieldsOf(
	field[rddInfo]{"RDD ID", func(d *decoder, r *rddInfo) { r.RDDID = d.int() }},
	field[rddInfo]{"Name", func(d *decoder, r *rddInfo) { r.Name = d.str() }},
	field[rddInfo]{"Callsite", func(d *decoder, r *rddInfo) { r.Callsite = d.str() }},
	field[rddInfo]{"Storage Level", func(d *decoder, r *rddInfo) { decodeObject(d, &r.StorageLevel, storageLevelFields) }},
)

var storageLevelFields = fieldsOf(
	field[storageLevel]{"Use Disk", func(d *decoder, s *storageLevel) { s.UseDisk = d.bool() }},
	field[storageLevel]{"Use Memory", func(d *decoder, s *storageLevel) { s.UseMemory = d.bool() }},
)

var taskInfoFields = fieldsOf(
	field[taskInfo]{"Task ID", func(d *decoder, t *taskInfo) { t.TaskID = d.int64() }},
	field[taskInfo]{"Index", func(d *decoder, t *taskInfo) { t.Index = d.int() }},
	field[taskInfo]{"Attempt", func(d *decoder, t *taskInfo) { t.Attempt = d.int() }},
	field[taskInfo]{"Launch Time", func(d *decoder, t *taskInfo) { t.LaunchTime = d.int64() }},
	field[taskInfo]{"Executor ID", func(d *decoder, t *taskInfo) { t.ExecutorID = d.name() }},
	field[taskInfo]{"Host", func(d *decoder, t *taskInfo) { t.Host = d.name() }},
	field[taskInfo]{"Speculative", func(d *decoder, t *taskInfo) { t.Speculative = d.bool() }},
	field[taskInfo]{"Getting Result Time", func(d *decoder, t *taskInfo) { t.GettingResultTime = d.int64() }},
	field[taskInfo]{"Finish Time", func(d *decoder, t *taskInfo) { t.FinishTime = d.int64() }},
	field[taskInfo]{"Failed", func(d *decoder, t *taskInfo) { t.Failed = d.bool() }},
	field[taskInfo]{"Killed", func(d *decoder, t *taskInfo) { t.Killed = d.bool() }},
)

var taskMetricsFields = fieldsOf(
	field[taskMetrics]{"Executor Deserialize Time", func(d *decoder, m *taskMetrics) { m.DeserializeTime = d.int64() }},
	field[taskMetrics]{"Executor Run Time", func(d *decoder, m *taskMetrics) { m.RunTime = d.int64() }},
	field[taskMetrics]{"Executor CPU Time", func(d *decoder, m *taskMetrics) { m.CPUTime = d.int64() }},
	field[taskMetrics]{"Executor Deserialize CPU Time", func(d *decoder, m *taskMetrics) { m.DeserializeCPUTime = d.int64() }},
	field[taskMetrics]{"JVM GC Time", func(d *decoder, m *taskMetrics) { m.GCTime = d.int64() }},
	field[taskMetrics]{"Result Serialization Time", func(d *decoder, m *taskMetrics) { m.ResultSerialization = d.int64() }},
	field[taskMetrics]{"Input Metrics", func(d *decoder, m *taskMetrics) {
		m.Input = &d.endParts().input
		decodeObject(d, m.Input, inputMetricsFields)
	}},
	field[taskMetrics]{"Shuffle Read Metrics", func(d *decoder, m *taskMetrics) {
		m.ShuffleRead = &d.endParts().shuffleRead
		decodeObject(d, m.ShuffleRead, shuffleReadMetricsFields)
	}},
)

var inputMetricsFields = fieldsOf(
	field[inputMetrics]{"Records Read", func(d *decoder, m *inputMetrics) { m.RecordsRead = d.int64() }},
	field[inputMetrics]{"Bytes Read", func(d *decoder, m *inputMetrics) { m.BytesRead = d.int64() }},
)

var shuffleReadMetricsFields = fieldsOf(
	field[shuffleReadMetrics]{"Total Records Read", func(d *decoder, m *shuffleReadMetrics) { m.RecordsRead = d.int64() }},
	field[shuffleReadMetrics]{"Remote Bytes Read", func(d *decoder, m *shuffleReadMetrics) { m.RemoteBytesRead = d.int64() }},
	field[shuffleReadMetrics]{"Local Bytes Read", func(d *decoder, m *shuffleReadMetrics) { m.LocalBytesRead = d.int64() }},
)
