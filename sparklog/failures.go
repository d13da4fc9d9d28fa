package sparklog

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"tunesim/trace"
)

// What failures leave in an event log, both ways: a task attempt's outcome and reason from its
// SparkListenerTaskEnd (Task End Reason, Task Info's Failed and Killed), and the JSON the writer
// gives them back. A span's Reason is the reason as Spark's UI words it (TaskEndReason's
// toErrorString, without stack traces; the History Server shows the same text as a task's error,
// but for a kill, whose reason it shows alone), so that the writer can parse it back into Spark's
// fields.

// Task end reasons (the "Reason" of a Task End Reason: Spark's TaskEndReason class names).
const (
	reasonSuccess       = "Success"
	reasonException     = "ExceptionFailure"
	reasonKilled        = "TaskKilled"
	reasonExecutorLost  = "ExecutorLostFailure"
	reasonFetchFailed   = "FetchFailed"
	reasonResubmitted   = "Resubmitted"
	reasonResultLost    = "TaskResultLost"
	reasonCommitDenied  = "TaskCommitDenied"
	reasonUnknown       = "UnknownReason"
	resubmittedText     = "Resubmitted (resubmitted due to lost executor)"
	resultLostText      = "TaskResultLost (result lost from block manager)"
	defaultKillReason   = "unknown reason" // what Spark reads when a TaskKilled has no Kill Reason
	causedByTasks       = "caused by one of the running tasks"
	unrelatedToTasks    = "unrelated to the running tasks"
	unknownMapIndexText = "Unknown"
	unknownMapIndex     = -1 << 31 // Spark's Int.MinValue: the map index is unknown
)

// taskOutcome is how a task attempt ended: by its end reason (a kill or a denied commit is
// killed, Resubmitted is lost, every other reason but Success failed), or by Task Info's Killed and
// Failed flags when the log gives no reason.
func taskOutcome(ti *taskInfo, r *endReason) trace.Outcome {
	reason := ""
	if r != nil {
		reason = r.Reason
	}
	switch reason {
	case reasonSuccess:
		return trace.OutcomeSucceeded
	case "":
		switch {
		case ti.Killed:
			return trace.OutcomeKilled
		case ti.Failed:
			return trace.OutcomeFailed
		}
		return trace.OutcomeSucceeded
	case reasonKilled, reasonCommitDenied:
		return trace.OutcomeKilled
	case reasonResubmitted:
		return trace.OutcomeLost
	}
	return trace.OutcomeFailed
}

// reasonText words a task end reason as Spark does (TaskEndReason.toErrorString; an
// ExceptionFailure as "class: description", without its stack trace). Success is "".
func reasonText(r *endReason) string {
	if r == nil {
		return ""
	}
	switch r.Reason {
	case "", reasonSuccess:
		return ""
	case reasonException:
		if r.Description == "" {
			return r.ClassName
		}
		return r.ClassName + ": " + r.Description
	case reasonKilled:
		k := r.KillReason
		if k == "" {
			k = defaultKillReason
		}
		return reasonKilled + " (" + k + ")"
	case reasonExecutorLost:
		exit := causedByTasks
		if r.ExitCausedByApp != nil && !*r.ExitCausedByApp {
			exit = unrelatedToTasks
		}
		s := fmt.Sprintf("%s (executor %s exited %s)", reasonExecutorLost, r.ExecutorID, exit)
		if r.LossReason != nil {
			s += " Reason: " + *r.LossReason
		}
		return s
	case reasonFetchFailed:
		bm := "null"
		if b := r.BlockManager; b != nil {
			bm = fmt.Sprintf("BlockManagerId(%s, %s, %d, None)", b.ExecutorID, b.Host, b.Port)
		}
		mapIndex := unknownMapIndexText
		if r.MapIndex != nil && *r.MapIndex != unknownMapIndex {
			mapIndex = strconv.Itoa(*r.MapIndex)
		}
		return fmt.Sprintf("%s(%s, shuffleId=%d, mapIndex=%s, mapId=%d, reduceId=%d, message=\n%s\n)",
			reasonFetchFailed, bm, deref(r.ShuffleID), mapIndex, deref(r.MapID), deref(r.ReduceID), r.Message)
	case reasonCommitDenied:
		return fmt.Sprintf("%s (Driver denied task commit) for job: %d, partition: %d, attemptNumber: %d",
			reasonCommitDenied, derefOr(r.CommitJobID, -1), derefOr(r.PartitionID, -1), derefOr(r.AttemptNumber, -1))
	case reasonResultLost:
		return resultLostText
	case reasonResubmitted:
		return resubmittedText
	}
	return r.Reason
}

func deref[T int | int64](p *T) T { return derefOr(p, 0) }

func derefOr[T int | int64](p *T, or T) T {
	if p == nil {
		return or
	}
	return *p
}

// The writer's Task End Reasons, as JsonProtocol writes each (Spark 4), "Reason" first.
type (
	jReasonOnly struct {
		Reason string `json:"Reason"`
	}
	jExceptionFailure struct {
		Reason         string `json:"Reason"`
		ClassName      string `json:"Class Name"`
		Description    string `json:"Description"`
		StackTrace     []any  `json:"Stack Trace"`
		FullStackTrace string `json:"Full Stack Trace"`
		Accumulators   []any  `json:"Accumulator Updates"`
	}
	jTaskKilled struct {
		Reason       string `json:"Reason"`
		KillReason   string `json:"Kill Reason"`
		Accumulators []any  `json:"Accumulator Updates"`
	}
	jExecutorLost struct {
		Reason          string  `json:"Reason"`
		ExecutorID      string  `json:"Executor ID"`
		ExitCausedByApp bool    `json:"Exit Caused By App"`
		LossReason      *string `json:"Loss Reason,omitempty"`
	}
	jBlockManagerID struct {
		ExecutorID string `json:"Executor ID"`
		Host       string `json:"Host"`
		Port       int    `json:"Port"`
	}
	jFetchFailed struct {
		Reason       string           `json:"Reason"`
		BlockManager *jBlockManagerID `json:"Block Manager Address,omitempty"`
		ShuffleID    int              `json:"Shuffle ID"`
		MapID        int64            `json:"Map ID"`
		MapIndex     int              `json:"Map Index"`
		ReduceID     int              `json:"Reduce ID"`
		Message      string           `json:"Message"`
	}
	jCommitDenied struct {
		Reason        string `json:"Reason"`
		JobID         int    `json:"Job ID"`
		PartitionID   int    `json:"Partition ID"`
		AttemptNumber int    `json:"Attempt Number"`
	}
	// jJobFailed is a failed job's Job Result.
	jJobFailed struct {
		Result    string        `json:"Result"`
		Exception jJobException `json:"Exception"`
	}
	jJobException struct {
		Message    string `json:"Message"`
		StackTrace []any  `json:"Stack Trace"`
	}
	jExecutorRemoved struct {
		Event      string `json:"Event"`
		Timestamp  int64  `json:"Timestamp"`
		ExecutorID string `json:"Executor ID"`
		Reason     string `json:"Removed Reason"`
	}
)

var (
	killedText       = regexp.MustCompile(`(?s)^TaskKilled \((.*)\)$`)
	executorLostText = regexp.MustCompile(`(?s)^ExecutorLostFailure \(executor (.*?) exited (` + causedByTasks + `|` + unrelatedToTasks + `)\)(?: Reason: (.*))?$`)
	fetchFailedText  = regexp.MustCompile(`(?s)^FetchFailed\((null|BlockManagerId\((.*?), (.*?), (-?\d+), [^)]*\)), shuffleId=(-?\d+), mapIndex=(-?\d+|` +
		unknownMapIndexText + `), mapId=(-?\d+), reduceId=(-?\d+), message=\n(.*)\n\)$`)
	commitDeniedText = regexp.MustCompile(`^TaskCommitDenied \(Driver denied task commit\) for job: (-?\d+), partition: (-?\d+), attemptNumber: (-?\d+)$`)
)

// endReasonOf is the Task End Reason the writer gives an attempt of outcome o whose reason reads
// text: the reason text names when it is one reasonText words (a round trip gives back Spark's
// fields); otherwise a failure is an ExceptionFailure ("class: description"), a kill a
// TaskKilled with text as its kill reason, a lost output Resubmitted.
func endReasonOf(o trace.Outcome, text string) any {
	if o == trace.OutcomeSucceeded {
		return jReasonOnly{Reason: reasonSuccess}
	}
	atoi := func(s string) int { n, _ := strconv.Atoi(s); return n }
	switch {
	case text == resubmittedText, text == resultLostText, text == reasonUnknown:
		return jReasonOnly{Reason: strings.Fields(text)[0]}
	case killedText.MatchString(text):
		return jTaskKilled{Reason: reasonKilled, KillReason: killedText.FindStringSubmatch(text)[1], Accumulators: []any{}}
	case executorLostText.MatchString(text):
		m := executorLostText.FindStringSubmatch(text)
		r := jExecutorLost{Reason: reasonExecutorLost, ExecutorID: m[1], ExitCausedByApp: m[2] == causedByTasks}
		if strings.Contains(text, ") Reason: ") {
			r.LossReason = &m[3]
		}
		return r
	case fetchFailedText.MatchString(text):
		m := fetchFailedText.FindStringSubmatch(text)
		r := jFetchFailed{Reason: reasonFetchFailed, ShuffleID: atoi(m[5]), MapIndex: atoi(m[6]), ReduceID: atoi(m[8]), Message: m[9]}
		r.MapID, _ = strconv.ParseInt(m[7], 10, 64)
		if m[6] == unknownMapIndexText {
			r.MapIndex = unknownMapIndex
		}
		if m[1] != "null" {
			r.BlockManager = &jBlockManagerID{ExecutorID: m[2], Host: m[3], Port: atoi(m[4])}
		}
		return r
	case commitDeniedText.MatchString(text):
		m := commitDeniedText.FindStringSubmatch(text)
		return jCommitDenied{Reason: reasonCommitDenied, JobID: atoi(m[1]), PartitionID: atoi(m[2]), AttemptNumber: atoi(m[3])}
	}
	switch o {
	case trace.OutcomeKilled:
		if text == "" {
			text = defaultKillReason
		}
		return jTaskKilled{Reason: reasonKilled, KillReason: text, Accumulators: []any{}}
	case trace.OutcomeLost:
		return jReasonOnly{Reason: reasonResubmitted}
	}
	if text == "" {
		return jReasonOnly{Reason: reasonUnknown}
	}
	class, desc, _ := strings.Cut(text, ": ")
	return jExceptionFailure{Reason: reasonException, ClassName: class, Description: desc, StackTrace: []any{},
		FullStackTrace: text, Accumulators: []any{}}
}

// taskSpan is the span of a task attempt's SparkListenerTaskEnd, without its detail: where and
// when it ran, which attempt of which stage attempt it was, and how it ended.
func (c *converter) taskSpan(ev *event, st *stageState) trace.Span {
	ti := ev.TaskInfo
	end := max(ti.FinishTime, ti.LaunchTime) // a task without a finish time (Spark writes 0) occupies no time
	return trace.Span{Kind: trace.KindTask, Name: st.name, Fit: st.labels.fit, ParamMap: st.labels.paramMap, Fold: st.labels.fold,
		Job: st.job, Stage: *ev.StageID, Partition: ti.Index, Executor: c.exec(ti.ExecutorID).id, Slot: trace.None,
		Start: c.at(ti.LaunchTime), End: c.at(end), Outcome: taskOutcome(ti, ev.TaskEndReason), Reason: reasonText(ev.TaskEndReason),
		Attempt: ti.Attempt, StageAttempt: ev.StageAttemptID, Speculative: ti.Speculative}
}

// resubmitted handles a second SparkListenerTaskEnd for a task that had succeeded: its executor
// was lost with the task's output, so the task runs again (Spark's Resubmitted, which carries
// the first end's Task Info). The span already sent becomes lost, when the sink can be told.
func (c *converter) resubmitted(ev *event) {
	st := c.stages[*ev.StageID]
	if st == nil {
		st = &stageState{job: trace.None, labels: noLabels}
	}
	sp := c.taskSpan(ev, st)
	sp.Outcome, sp.Reason = trace.OutcomeSucceeded, ""
	a, ok := c.sink.(trace.Amender)
	if !ok {
		c.warn("stage %d task %d attempt %d: its output was lost with its executor (Resubmitted), which this reader's sink cannot take back",
			*ev.StageID, ev.TaskInfo.Index, ev.TaskInfo.Attempt)
		return
	}
	a.Amend(sp, trace.OutcomeLost, reasonText(ev.TaskEndReason))
}

// executorRemoved notes when an executor left and why (SparkListenerExecutorRemoved).
func (c *converter) executorRemoved(ev *event) {
	e := c.exec(ev.ExecutorID)
	if ev.Timestamp != nil {
		e.removedAt = c.at(*ev.Timestamp)
	}
	e.removedReason = ev.RemovedReason
}
