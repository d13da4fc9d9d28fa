package sparklog

import (
	"fmt"
	"sort"
)

// What Spark's History Server keeps of an application by default. It replays a log into the same
// status store a live UI fills (AppStatusListener) and, past these counts, drops the oldest
// finished jobs, stage attempts and, within a stage attempt, task attempts: the UI then says
// "only showing" and the REST API leaves them out. The History Server replays with its own
// configuration, so the settings to raise are its own (spark-defaults.conf of the History Server,
// or SPARK_HISTORY_OPTS), not the application's.
const (
	// HistoryServerJobs is spark.ui.retainedJobs's default.
	HistoryServerJobs = 1000
	// HistoryServerStages is spark.ui.retainedStages's default; it counts stage attempts.
	HistoryServerStages = 1000
	// HistoryServerTasksPerStage is spark.ui.retainedTasks's default, a count per stage attempt.
	HistoryServerTasksPerStage = 100000
)

// historyServerLimits says what of the log being written the History Server would not show with
// its default settings, and which setting to raise: one message per setting, none for a log it
// shows whole.
func (w *writer) historyServerLimits() []string {
	var out []string
	raise := func(setting string, n int) string {
		return fmt.Sprintf("set %s to at least %d in the History Server's configuration (spark-defaults.conf, or SPARK_HISTORY_OPTS=\"-D%s=%d\")",
			setting, n, setting, n)
	}
	if n := len(w.jobs); n > HistoryServerJobs {
		out = append(out, fmt.Sprintf("the log has %d jobs; the History Server keeps the last %d by default (spark.ui.retainedJobs) and drops the rest from its UI: %s",
			n, HistoryServerJobs, raise("spark.ui.retainedJobs", n)))
	}
	if n := len(w.stages); n > HistoryServerStages {
		out = append(out, fmt.Sprintf("the log has %d stage attempts; the History Server keeps the last %d by default (spark.ui.retainedStages) and drops the rest from its UI: %s",
			n, HistoryServerStages, raise("spark.ui.retainedStages", n)))
	}
	var over []*wStage
	for _, st := range w.stages {
		if st.tasks > HistoryServerTasksPerStage {
			over = append(over, st)
		}
	}
	if len(over) > 0 {
		sort.Slice(over, func(a, b int) bool {
			if over[a].tasks != over[b].tasks {
				return over[a].tasks > over[b].tasks
			}
			return stageKey{over[a].id, over[a].attempt}.less(stageKey{over[b].id, over[b].attempt})
		})
		most := over[0]
		which := fmt.Sprintf("stage %d (attempt %d) has %d tasks", most.id, most.attempt, most.tasks)
		if len(over) > 1 {
			which = fmt.Sprintf("%d stage attempts have more than %d tasks, stage %d (attempt %d) the most, %d", len(over), HistoryServerTasksPerStage, most.id, most.attempt, most.tasks)
		}
		out = append(out, fmt.Sprintf("%s; the History Server keeps %d per stage by default (spark.ui.retainedTasks) and drops the rest from its UI: %s",
			which, HistoryServerTasksPerStage, raise("spark.ui.retainedTasks", most.tasks)))
	}
	return out
}

func (k stageKey) less(o stageKey) bool {
	if k.id != o.id {
		return k.id < o.id
	}
	return k.attempt < o.attempt
}
