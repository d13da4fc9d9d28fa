package sparklog

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"tunesim/trace"
)

// Chrome's trace event format (the JSON that ui.perfetto.dev and chrome://tracing open): every
// span is one complete event ("ph":"X") with a start and a duration in microseconds, on a
// process and a thread named by metadata events ("ph":"M").
//
// Layout: process 1 is the driver, with a thread per tuner thread (fit spans and their driver
// steps, Slot being the thread) and lanes for queue waits, jobs and stages (packed so that no two
// events of a lane overlap); process 2+N is executor N, with a thread per task slot.

type perfettoEvent struct {
	Name string   `json:"name"`
	Cat  string   `json:"cat,omitempty"`
	Ph   string   `json:"ph"`
	Ts   float64  `json:"ts"`
	Dur  *float64 `json:"dur,omitempty"`
	Pid  int      `json:"pid"`
	Tid  int      `json:"tid"`
	// Cname is a colour chrome://tracing reserves (see outcomeColor).
	Cname string         `json:"cname,omitempty"`
	Args  map[string]any `json:"args,omitempty"`
}

const (
	driverPid = 1
	// Thread ids on the driver: tuner threads from 0, then lanes of each kind from these bases.
	queueTid = 10000
	jobTid   = 20000
	stageTid = 30000
	fitTid   = 40000 // fits whose thread the trace does not say
)

func micros(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }

// spanName says what a span is, with its fit, job and stage, its attempt when not the first,
// and, in capitals first, its outcome when its work did not count ("FAILED ...").
func spanName(t *trace.Trace, s trace.Span) string {
	var b strings.Builder
	if s.Fit != trace.None {
		fmt.Fprintf(&b, "fit %d ", s.Fit)
	}
	if s.Job != trace.None && s.Kind != trace.KindFit {
		fmt.Fprintf(&b, "job %d ", s.Job)
	}
	if s.Stage != trace.None && (s.Kind == trace.KindTask || s.Kind == trace.KindStage) {
		fmt.Fprintf(&b, "stage %d ", s.Stage)
	}
	if s.Kind == trace.KindTask && s.Partition != trace.None {
		fmt.Fprintf(&b, "task %d ", s.Partition)
	}
	switch {
	case s.Kind == trace.KindStage && s.StageAttempt != 0:
		fmt.Fprintf(&b, "attempt %d ", s.StageAttempt)
	case s.Kind == trace.KindTask:
		if s.Attempt != 0 {
			fmt.Fprintf(&b, "attempt %d ", s.Attempt)
		}
		if s.StageAttempt != 0 {
			fmt.Fprintf(&b, "(stage attempt %d) ", s.StageAttempt)
		}
	}
	if s.Speculative {
		b.WriteString("speculative ")
	}
	name := s.Name
	if s.Kind == trace.KindFit && s.ParamMap >= 0 && s.ParamMap < len(t.ParamMaps) {
		name = strings.TrimSpace(name + " " + t.ParamMaps[s.ParamMap])
	}
	if name == "" {
		name = string(s.Kind)
	}
	if b.Len() > 0 {
		name = strings.TrimSpace(b.String()) + ": " + name
	}
	if !s.Counted() {
		name = strings.ToUpper(string(s.Outcome)) + " " + name
	}
	return name
}

func spanArgs(t *trace.Trace, s trace.Span) map[string]any {
	a := map[string]any{"kind": string(s.Kind)}
	put := func(k string, v int) {
		if v != trace.None {
			a[k] = v
		}
	}
	put("fit", s.Fit)
	put("param_map", s.ParamMap)
	put("fold", s.Fold)
	put("job", s.Job)
	put("stage", s.Stage)
	put("partition", s.Partition)
	if s.ParamMap >= 0 && s.ParamMap < len(t.ParamMaps) {
		a["params"] = t.ParamMaps[s.ParamMap]
	}
	if d := s.Detail; d != nil {
		ms := func(x time.Duration) float64 { return float64(x) / float64(time.Millisecond) }
		a["run_ms"], a["cpu_ms"], a["gc_ms"] = ms(d.RunTime), ms(d.CPUTime), ms(d.GC)
		a["deserialize_ms"], a["result_serialize_ms"], a["getting_result_ms"] = ms(d.Deserialize), ms(d.ResultSerialize), ms(d.GettingResult)
		a["scheduler_delay_ms"] = ms(d.SchedulerDelay(s.Duration()))
		if d.Host != "" {
			a["host"] = d.Host
		}
	}
	if s.Attempt != 0 {
		a["attempt"] = s.Attempt
	}
	if s.StageAttempt != 0 {
		a["stage_attempt"] = s.StageAttempt
	}
	if s.Speculative {
		a["speculative"] = true
	}
	if !s.Counted() {
		a["outcome"] = string(s.Outcome)
		if s.Reason != "" {
			a["reason"] = s.Reason
		}
	}
	return a
}

// outcomeColor is the colour chrome://tracing gives an attempt that did not count (one of its
// reserved colour names): red for a failure, grey for a kill, dark for a lost output; "" for the
// default (Perfetto's UI colours by name, where the name's prefix marks the outcome).
func outcomeColor(o trace.Outcome) string {
	switch o {
	case trace.OutcomeFailed:
		return "terrible"
	case trace.OutcomeKilled:
		return "grey"
	case trace.OutcomeLost:
		return "black"
	}
	return ""
}

// lanes packs spans (indices into spans) so that no two in a lane overlap, lowest lane first.
func lanes(spans []trace.Span, idx []int) map[int]int {
	sort.SliceStable(idx, func(a, b int) bool { return spans[idx[a]].Start < spans[idx[b]].Start })
	var free []time.Duration
	out := map[int]int{}
	for _, i := range idx {
		s := spans[i]
		k := 0
		for k < len(free) && free[k] > s.Start {
			k++
		}
		if k == len(free) {
			free = append(free, 0)
		}
		free[k] = s.End
		out[i] = k
	}
	return out
}

// WritePerfetto writes t as Chrome/Perfetto trace JSON: one complete event per task and per
// driver-side span (fits, driver steps, queue waits, jobs, stages), a process per executor plus
// the driver, a thread per slot.
func WritePerfetto(w io.Writer, t *trace.Trace) error {
	var evs []perfettoEvent
	meta := func(name string, pid, tid int, key string, value any) {
		evs = append(evs, perfettoEvent{Name: name, Ph: "M", Pid: pid, Tid: tid, Args: map[string]any{key: value}})
	}
	title := fmt.Sprintf("driver (%s", t.Source)
	if t.Scenario != "" {
		title += " " + t.Scenario
	}
	if t.Parallelism > 0 {
		title += fmt.Sprintf(", parallelism %d", t.Parallelism)
	}
	meta("process_name", driverPid, 0, "name", title+")")
	meta("process_sort_index", driverPid, 0, "sort_index", 0)
	for _, e := range t.Executors {
		name := fmt.Sprintf("executor %d", e.ID)
		if e.Host != "" {
			name += " (" + e.Host + ")"
		}
		meta("process_name", 2+e.ID, 0, "name", name)
		meta("process_sort_index", 2+e.ID, 0, "sort_index", 1+e.ID)
	}
	// Which lanes each driver-side span goes on.
	byKind := map[trace.Kind][]int{}
	fitThread := map[int]int{}
	for i, s := range t.Spans {
		if s.Kind == trace.KindFit && s.Slot >= 0 {
			fitThread[s.Fit] = s.Slot
		}
		if s.Kind != trace.KindTask {
			byKind[s.Kind] = append(byKind[s.Kind], i)
		}
	}
	var unthreaded []int
	for _, i := range byKind[trace.KindFit] {
		if t.Spans[i].Slot < 0 {
			unthreaded = append(unthreaded, i)
		}
	}
	fitLane := lanes(t.Spans, unthreaded)
	for i, k := range fitLane {
		fitThread[t.Spans[i].Fit] = fitTid + k
	}
	tid := map[int]int{}
	named := map[[2]int]string{}
	for kind, base := range map[trace.Kind]int{trace.KindQueue: queueTid, trace.KindJob: jobTid, trace.KindStage: stageTid} {
		for i, k := range lanes(t.Spans, byKind[kind]) {
			tid[i] = base + k
			named[[2]int{driverPid, base + k}] = fmt.Sprintf("%ss %d", kind, k)
		}
	}
	var orphans []int // driver steps without a thread or a fit with one
	for _, kind := range []trace.Kind{trace.KindFit, trace.KindDriver} {
		for _, i := range byKind[kind] {
			s := t.Spans[i]
			switch th, ok := fitThread[s.Fit]; {
			case s.Slot >= 0:
				tid[i] = s.Slot
			case ok:
				tid[i] = th
			default:
				orphans = append(orphans, i)
			}
		}
	}
	for i, k := range lanes(t.Spans, orphans) {
		tid[i] = fitTid + len(fitLane) + 1000 + k
	}
	for i, s := range t.Spans {
		pid, th := driverPid, tid[i]
		if s.Kind == trace.KindTask {
			pid, th = 2+s.Executor, s.Slot
			if _, ok := named[[2]int{pid, th}]; !ok {
				named[[2]int{pid, th}] = fmt.Sprintf("slot %d", th)
			}
		} else if _, ok := named[[2]int{pid, th}]; !ok {
			if th >= fitTid {
				named[[2]int{pid, th}] = fmt.Sprintf("fits %d", th-fitTid)
			} else {
				named[[2]int{pid, th}] = fmt.Sprintf("tuner thread %d", th)
			}
		}
		dur := micros(s.Duration())
		evs = append(evs, perfettoEvent{Name: spanName(t, s), Cat: string(s.Kind), Ph: "X", Ts: micros(s.Start), Dur: &dur,
			Pid: pid, Tid: th, Cname: outcomeColor(s.Outcome), Args: spanArgs(t, s)})
	}
	keys := make([][2]int, 0, len(named))
	for k := range named {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(a, b int) bool {
		if keys[a][0] != keys[b][0] {
			return keys[a][0] < keys[b][0]
		}
		return keys[a][1] < keys[b][1]
	})
	for _, k := range keys {
		meta("thread_name", k[0], k[1], "name", named[k])
		meta("thread_sort_index", k[0], k[1], "sort_index", k[1])
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if _, err := io.WriteString(w, `{"displayTimeUnit":"ms","traceEvents":[`+"\n"); err != nil {
		return err
	}
	for i, e := range evs {
		if i > 0 {
			if _, err := io.WriteString(w, ","); err != nil {
				return err
			}
		}
		if err := enc.Encode(e); err != nil {
			return fmt.Errorf("writing perfetto trace: %w", err)
		}
	}
	_, err := io.WriteString(w, "]}\n")
	return err
}
