package costmodel

import (
	"fmt"
	"strings"

	"tunesim/trace"
	"tunesim/tuning"
)

// ClusterRun says t is a run on a cluster: its master is not a local one (local-cluster, whose
// executors are JVMs of their own, counts as a cluster), so that its tasks were launched and their
// results taken over RPC, and its executors started cold.
func ClusterRun(t *trace.Trace) bool {
	m := t.Attrs["master"]
	return m != "" && (!strings.HasPrefix(m, "local") || strings.HasPrefix(m, "local-cluster"))
}

// splitClusterTasks splits the task spans of a cluster run whose task metrics the trace carries
// into what the executor did and what the driver did, as the simulator runs them: the executor's
// part is Spark's deserialize + run + result serialization time; the rest of the span (Spark's
// scheduler delay and getting-result time) is the driver launching the task and taking its
// result, which the log does not tell apart, so it is taken as half before the executor's part
// and half after. Each task's observation becomes its executor part's (plus the cold start for an
// executor's first task in the trace), and one observation per task of its driver parts is
// added. It returns the trace's spans with the task spans narrowed to their executor parts.
func splitClusterTasks(t *trace.Trace, obs []observation, gaps *gapSpans) ([]trace.Span, []observation) {
	spans := append([]trace.Span(nil), t.Spans...)
	first := map[int]int{} // executor -> its first task's span
	for i, s := range t.Spans {
		if s.Kind != trace.KindTask || !s.Counted() {
			continue
		}
		if j, ok := first[s.Executor]; !ok || s.Start < t.Spans[j].Start {
			first[s.Executor] = i
		}
	}
	var rpc []observation
	for k := range obs {
		o := &obs[k]
		if o.ref >= len(t.Spans) {
			continue // a scheduling gap
		}
		sp := t.Spans[o.ref]
		if sp.Kind != trace.KindTask || sp.Detail == nil {
			continue
		}
		d := sp.Detail
		dur := sp.Duration()
		exec := min(max(d.Deserialize+d.RunTime+d.ResultSerialize, 0), dur)
		launch := (dur - exec) / 2
		spans[o.ref].Start = sp.Start + launch
		spans[o.ref].End = sp.Start + launch + exec
		if first[sp.Executor] == o.ref {
			o.coldStart = 1
		}
		rpc = append(rpc, observation{label: LabelTaskRPC, taskRPC: 1,
			ref: gaps.add(sp.Start, sp.Start+launch), ref2: gaps.add(sp.Start+launch+exec, sp.End)})
	}
	return spans, append(obs, rpc...)
}

// clusterCosts sets the cluster cost that column op fitted (x seconds) in c, with its source:
// the tasks' driver side (launch + result) is split evenly between the two, which the log does
// not tell apart; the locality wait is Spark's default, which the runs used.
func clusterCosts(c *ClusterCosts, op tuning.Op, x float64, obs []observation) *ClusterCosts {
	if c == nil {
		c = &ClusterCosts{LocalityWait: &ClusterTerm{S: SparkLocalityWait, Source: SparkLocalityWaitSource}}
	}
	tasks, firsts := 0, 0
	for _, o := range obs {
		if o.taskRPC != 0 {
			tasks++
		}
		if o.coldStart != 0 {
			firsts++
		}
	}
	switch op {
	case opTaskRPC:
		src := fmt.Sprintf("calibrated: half of the driver's time per task (Spark's scheduler delay + getting result: each task's span less its executor's deserialize, run and result serialization times), %.3g ms fitted over %d tasks; the log does not say which part is the launch and which the result", 1000*x, tasks)
		c.TaskLaunch = &ClusterTerm{S: x / 2, Source: src, Samples: tasks}
		c.TaskResult = &ClusterTerm{S: x / 2, Source: src, Samples: tasks}
	case opColdStart:
		c.ExecutorColdStart = &ClusterTerm{S: x, Samples: firsts,
			Source: fmt.Sprintf("calibrated: what each executor's first task in the runs took beyond its operation's cost, fitted over %d executors' first tasks (about 0 when the runs had a warm-up, which warms the executors)", firsts)}
	}
	return c
}
