package trace

import "time"

// The constructors below are the one place each kind of span is built: every identifier a kind
// does not carry is None. Fit, ParamMap and Fold are None too; the run that emits a span sets
// them to its fit's.

// TaskSpan is task part of stage stage of job job running op on executor exec's lane slot.
func TaskSpan(op string, job, stage, part, exec, slot int, start, end time.Duration) Span {
	return Span{Kind: KindTask, Name: op, Fit: None, ParamMap: None, Fold: None, Job: job, Stage: stage,
		Partition: part, Executor: exec, Slot: slot, Start: start, End: end}
}

// StageSpan is a stage from its submission to its last task's end; op names its tasks' work.
func StageSpan(op string, job, stage int, start, end time.Duration) Span {
	return Span{Kind: KindStage, Name: op, Fit: None, ParamMap: None, Fold: None, Job: job, Stage: stage,
		Partition: None, Executor: None, Slot: None, Start: start, End: end}
}

// JobSpan is a job from its submission to its end; op names it (its first stage's operation).
func JobSpan(op string, job int, start, end time.Duration) Span {
	return Span{Kind: KindJob, Name: op, Fit: None, ParamMap: None, Fold: None, Job: job, Stage: None,
		Partition: None, Executor: None, Slot: None, Start: start, End: end}
}

// DriverSpan is work on tuner thread thread: a driver operation or a fit's setup (job None), or
// collecting job's result (name SpanJobResult).
func DriverSpan(name string, job, thread int, start, end time.Duration) Span {
	return Span{Kind: KindDriver, Name: name, Fit: None, ParamMap: None, Fold: None, Job: job, Stage: None,
		Partition: None, Executor: None, Slot: thread, Start: start, End: end}
}

// QueueSpan is a fit waiting in the tuner's queue until thread took it.
func QueueSpan(thread int, start, end time.Duration) Span {
	return Span{Kind: KindQueue, Name: SpanQueued, Fit: None, ParamMap: None, Fold: None, Job: None, Stage: None,
		Partition: None, Executor: None, Slot: thread, Start: start, End: end}
}

// FitSpan is a fit (the refit, named so, when refit) on tuner thread thread, from the moment the
// thread took it to its end.
func FitSpan(refit bool, thread int, start, end time.Duration) Span {
	return Span{Kind: KindFit, Name: FitName(refit), Fit: None, ParamMap: None, Fold: None, Job: None, Stage: None,
		Partition: None, Executor: None, Slot: thread, Start: start, End: end}
}

// FitName is a fit span's name: "refit" for the final refit of the best param map, else "fit".
func FitName(refit bool) string {
	if refit {
		return "refit"
	}
	return "fit"
}
