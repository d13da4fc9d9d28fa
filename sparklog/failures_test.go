package sparklog

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"tunesim/sparkenv"
	"tunesim/trace"
)

// attempt is what a test expects of one task attempt read from a log.
type attempt struct {
	stage, stageAttempt, partition, attempt, executor int
	outcome                                           trace.Outcome
	reason                                            string // the reason's start
	speculative                                       bool
	startMs, endMs                                    int
}

func (a attempt) String() string {
	return fmt.Sprintf("stage %d.%d task %d.%d exec %d %q %q spec %v [%d, %d] ms", a.stage, a.stageAttempt, a.partition, a.attempt,
		a.executor, a.outcome, a.reason, a.speculative, a.startMs, a.endMs)
}

// attemptsOf lists a trace's task attempts as attempts (the reason cut to want's length), sorted.
func attemptsOf(tr *trace.Trace, want []attempt) []attempt {
	prefix := map[string]bool{}
	for _, w := range want {
		prefix[w.reason] = true
	}
	var out []attempt
	for _, s := range tr.Spans {
		if s.Kind != trace.KindTask {
			continue
		}
		r := s.Reason
		for p := range prefix {
			if p != "" && strings.HasPrefix(r, p) {
				r = p
			}
		}
		out = append(out, attempt{s.Stage, s.StageAttempt, s.Partition, s.Attempt, s.Executor, s.Outcome, r, s.Speculative,
			int(s.Start / time.Millisecond), int(s.End / time.Millisecond)})
	}
	sortAttempts(out)
	return out
}

func sortAttempts(as []attempt) {
	sort.Slice(as, func(i, j int) bool { return as[i].String() < as[j].String() })
}

// figures are the metrics a test checks, in milliseconds and counts.
type figures struct {
	busyMs, lostMs, slotTimeMs                            int
	failed, killed, lost, speculative, retries, fStg, fJb int
}

func figuresOf(m trace.Metrics) figures {
	ms := func(d time.Duration) int { return int(d / time.Millisecond) }
	return figures{ms(m.Busy), ms(m.Lost), ms(m.SlotTime), m.FailedTasks, m.KilledTasks, m.LostTasks, m.SpeculativeTasks,
		m.StageRetries, m.FailedStages, m.FailedJobs}
}

// failureCases are the hand-written logs of testdata/failures with what each holds, worked out
// by hand from the events (times in ms since the application started).
var failureCases = []struct {
	file     string
	attempts []attempt
	figures  figures
	execs    []trace.Executor
	stages   []string // stage spans: "id.attempt outcome reason-start"
	jobs     []string // job spans: "id outcome reason-start"
}{
	{
		file: "failed-retry.json",
		attempts: []attempt{
			{0, 0, 0, 0, 1, trace.OutcomeFailed, "java.lang.RuntimeException: boom on the first attempt", false, 100, 400},
			{0, 0, 1, 0, 2, trace.OutcomeSucceeded, "", false, 100, 600},
			{0, 0, 0, 1, 1, trace.OutcomeSucceeded, "", false, 450, 800},
			{1, 0, 0, 0, 2, trace.OutcomeFailed, "java.lang.IllegalStateException: bad row", false, 900, 1000},
			{1, 0, 0, 1, 1, trace.OutcomeFailed, "java.lang.IllegalStateException: bad row", false, 1010, 1100},
		},
		// busy 300+500+350+100+90; lost 300+100+90
		figures: figures{busyMs: 1340, lostMs: 490, failed: 3, fStg: 1, fJb: 1},
		execs:   []trace.Executor{{ID: 1, Host: "host-1", Slots: 2}, {ID: 2, Host: "host-2", Slots: 2}},
		stages:  []string{"0.0 ", "1.0 failed Job aborted due to stage failure: Task 0 in stage 1.0 failed 2 times"},
		jobs:    []string{"0 ", "1 failed Job aborted due to stage failure"},
	},
	{
		file: "speculative.json",
		attempts: []attempt{
			{0, 0, 0, 0, 1, trace.OutcomeSucceeded, "", false, 100, 300},
			{0, 0, 1, 0, 2, trace.OutcomeSucceeded, "", false, 100, 1000},
			{0, 0, 1, 1, 1, trace.OutcomeKilled, "TaskKilled (another attempt succeeded)", true, 600, 1000},
			{1, 0, 0, 0, 1, trace.OutcomeSucceeded, "", false, 1100, 1200},
			{1, 0, 1, 0, 2, trace.OutcomeKilled, "TaskKilled (another attempt succeeded)", false, 1100, 1601},
			{1, 0, 1, 1, 1, trace.OutcomeSucceeded, "", true, 1300, 1600},
		},
		// busy 200+900+400+100+501+300; lost 400+501
		figures: figures{busyMs: 2401, lostMs: 901, killed: 2, speculative: 2},
		execs:   []trace.Executor{{ID: 1, Host: "host-1", Slots: 1}, {ID: 2, Host: "host-2", Slots: 1}},
		stages:  []string{"0.0 ", "1.0 "},
		jobs:    []string{"0 ", "1 "},
	},
	{
		file: "executor-lost.json",
		attempts: []attempt{
			{0, 0, 0, 0, 1, trace.OutcomeLost, "Resubmitted (resubmitted due to lost executor)", false, 100, 200},
			{0, 0, 1, 0, 2, trace.OutcomeSucceeded, "", false, 100, 350},
			{0, 0, 2, 0, 3, trace.OutcomeSucceeded, "", false, 100, 400},
			{0, 0, 3, 0, 1, trace.OutcomeFailed, "ExecutorLostFailure (executor 1 exited caused by one of the running tasks) Reason: Container killed by YARN", false, 210, 500},
			{0, 0, 3, 1, 2, trace.OutcomeSucceeded, "", false, 510, 700},
			{0, 0, 0, 1, 3, trace.OutcomeSucceeded, "", false, 510, 650},
			{1, 0, 0, 0, 4, trace.OutcomeSucceeded, "", false, 710, 900},
			{1, 0, 1, 0, 2, trace.OutcomeFailed, "FetchFailed(BlockManagerId(3, host-3, 7337, None), shuffleId=0, mapIndex=0, mapId=5, reduceId=1, message=\njava.io.IOException", false, 710, 800},
			{0, 1, 0, 0, 2, trace.OutcomeSucceeded, "", false, 1000, 1100},
			{0, 1, 2, 0, 4, trace.OutcomeSucceeded, "", false, 1000, 1150},
			{1, 1, 1, 0, 4, trace.OutcomeSucceeded, "", false, 1160, 1300},
		},
		// busy 100+250+300+290+190+140+190+90+100+150+140; lost 100 (output lost) + 290 + 90;
		// the run spans [90, 1310]: executor 1 offers [90, 500], 2 all 1220, 3 [90, 780], 4 [700, 1310]
		figures: figures{busyMs: 1940, lostMs: 480, slotTimeMs: 410 + 1220 + 690 + 610, failed: 2, lost: 1, retries: 2, fStg: 1},
		execs: []trace.Executor{
			{ID: 1, Host: "host-1", Slots: 1, Removed: 500 * time.Millisecond, RemovedReason: "Container killed by YARN for exceeding physical memory limits. 4.5 GB of 4 GB physical memory used."},
			{ID: 2, Host: "host-2", Slots: 1},
			{ID: 3, Host: "host-3", Slots: 1, Removed: 780 * time.Millisecond, RemovedReason: "Executor heartbeat timed out after 120000 ms"},
			{ID: 4, Host: "host-4", Slots: 1, Added: 700 * time.Millisecond},
		},
		stages: []string{"0.0 ", "0.1 ", "1.0 failed org.apache.spark.shuffle.FetchFailedException", "1.1 "},
		jobs:   []string{"0 "},
	},
}

// spanSummaries lists a trace's stage and job spans as "id[.attempt] outcome reason" with each
// reason cut to the length of the matching expectation.
func spanSummaries(tr *trace.Trace, kind trace.Kind, want []string) []string {
	var out []string
	for _, s := range tr.Spans {
		if s.Kind != kind {
			continue
		}
		id := fmt.Sprint(s.Job)
		if kind == trace.KindStage {
			id = fmt.Sprintf("%d.%d", s.Stage, s.StageAttempt)
		}
		got := id + " " + string(s.Outcome)
		if s.Reason != "" {
			got += " " + s.Reason
		}
		for _, w := range want {
			if strings.HasPrefix(got, w) && len(w) > len(id)+2 {
				got = w
			}
		}
		out = append(out, strings.TrimSpace(got))
	}
	sort.Strings(out)
	return out
}

func trimAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strings.TrimSpace(s)
	}
	sort.Strings(out)
	return out
}

// checkFailureCase checks a trace read from one of the failure logs (or from what the writer made
// of it) against what the log holds.
func checkFailureCase(t *testing.T, name string, tr *trace.Trace, i int) {
	t.Helper()
	c := failureCases[i]
	want := append([]attempt(nil), c.attempts...)
	sortAttempts(want)
	got := attemptsOf(tr, want)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s: task attempts\n%v\nwant\n%v", name, got, want)
	}
	if g := figuresOf(tr.Metrics()); g != c.figures {
		t.Errorf("%s: figures %+v, want %+v", name, g, c.figures)
	}
	if fmt.Sprint(tr.Executors) != fmt.Sprint(c.execs) {
		t.Errorf("%s: executors\n%+v\nwant\n%+v", name, tr.Executors, c.execs)
	}
	if g, w := spanSummaries(tr, trace.KindStage, c.stages), trimAll(c.stages); fmt.Sprint(g) != fmt.Sprint(w) {
		t.Errorf("%s: stage attempts %q, want %q", name, g, w)
	}
	if g, w := spanSummaries(tr, trace.KindJob, c.jobs), trimAll(c.jobs); fmt.Sprint(g) != fmt.Sprint(w) {
		t.Errorf("%s: jobs %q, want %q", name, g, w)
	}
}

// TestFailuresInLogs reads hand-written logs of failed, killed, speculative and lost attempts,
// lost and added executors and retried stages, and checks every attempt, stage, job, executor
// and figure against what the log holds; Summarize, which streams into an accumulator, gives
// the same figures as the trace Read makes.
func TestFailuresInLogs(t *testing.T) {
	for i, c := range failureCases {
		path := filepath.Join("testdata/failures", c.file)
		tr, info, err := Read(path)
		if err != nil {
			t.Fatal(err)
		}
		checkFailureCase(t, c.file, tr, i)
		m, _, err := Summarize(path)
		if err != nil {
			t.Fatal(err)
		}
		if g, w := figuresOf(m), c.figures; g != w {
			t.Errorf("%s: Summarize's figures %+v, want %+v", c.file, g, w)
		}
		if m.Tasks != len(c.attempts) || info.Tasks != len(c.attempts) {
			t.Errorf("%s: %d tasks summarized, %d read, want %d attempts", c.file, m.Tasks, info.Tasks, len(c.attempts))
		}
		if len(info.Warnings) > 0 {
			t.Errorf("%s: warnings %q", c.file, info.Warnings)
		}
	}
}

// withoutTunesimEvents copies a log without the writer's own events (the trace's header and
// driver-side spans), so that what is read back comes from Spark's events alone.
func withoutTunesimEvents(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out bytes.Buffer
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if !strings.Contains(sc.Text(), `"Event":"org.tunesim.`) {
			out.Write(sc.Bytes())
			out.WriteByte('\n')
		}
	}
	p := path + ".spark-only"
	if err := os.WriteFile(p, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestFailuresRoundTrip writes each failure log's trace with the writer and reads it back, with
// and without tunesim's own events: every attempt's outcome, reason, attempt and speculative
// flag, every stage attempt, failed job and executor that came or went comes back from Spark's
// events alone.
func TestFailuresRoundTrip(t *testing.T) {
	for i, c := range failureCases {
		orig, info, err := Read(filepath.Join("testdata/failures", c.file))
		if err != nil {
			t.Fatal(err)
		}
		orig.Attrs["start_unix_ms"] = fmt.Sprint(info.EpochMs)
		out := filepath.Join(t.TempDir(), "again")
		if err := WriteFile(out, orig, CodecNone, WriteOptions{}); err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{out, withoutTunesimEvents(t, out)} {
			back, binfo, err := Read(p)
			if err != nil {
				t.Fatal(err)
			}
			checkFailureCase(t, c.file+" written and read back from "+filepath.Base(p), back, i)
			if len(binfo.Warnings) > 0 {
				t.Errorf("%s: warnings %q", p, binfo.Warnings)
			}
		}
	}
}

// TestReasonsRoundTrip checks that every task end reason the reader words, the writer turns back
// into Spark's fields, and that free-text reasons become the reason their outcome allows.
func TestReasonsRoundTrip(t *testing.T) {
	yes, no := true, false
	loss := "Container killed"
	n := func(v int) *int { return &v }
	mapID := int64(5)
	cases := []struct {
		outcome trace.Outcome
		reason  endReason
	}{
		{trace.OutcomeFailed, endReason{Reason: reasonException, ClassName: "java.lang.RuntimeException", Description: "boom: at row 3"}},
		{trace.OutcomeFailed, endReason{Reason: reasonException, ClassName: "java.lang.OutOfMemoryError"}},
		{trace.OutcomeKilled, endReason{Reason: reasonKilled, KillReason: "another attempt succeeded"}},
		{trace.OutcomeKilled, endReason{Reason: reasonKilled, KillReason: "Stage cancelled: Job 3 cancelled"}},
		{trace.OutcomeFailed, endReason{Reason: reasonExecutorLost, ExecutorID: "7", ExitCausedByApp: &yes, LossReason: &loss}},
		{trace.OutcomeFailed, endReason{Reason: reasonExecutorLost, ExecutorID: "7", ExitCausedByApp: &no}},
		{trace.OutcomeFailed, endReason{Reason: reasonFetchFailed, BlockManager: &blockManagerID{"3", "host-3", 7337}, ShuffleID: n(0), MapID: &mapID,
			MapIndex: n(2), ReduceID: n(1), Message: "java.io.IOException: closed\nsecond line"}},
		{trace.OutcomeFailed, endReason{Reason: reasonFetchFailed, ShuffleID: n(4), MapID: &mapID, ReduceID: n(0)}},
		{trace.OutcomeKilled, endReason{Reason: reasonCommitDenied, CommitJobID: n(2), PartitionID: n(9), AttemptNumber: n(1)}},
		{trace.OutcomeFailed, endReason{Reason: reasonResultLost}},
		{trace.OutcomeLost, endReason{Reason: reasonResubmitted}},
		{trace.OutcomeFailed, endReason{Reason: reasonUnknown}},
	}
	for _, c := range cases {
		text := reasonText(&c.reason)
		b, err := json.Marshal(endReasonOf(c.outcome, text))
		if err != nil {
			t.Fatal(err)
		}
		var back endReason
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if got := reasonText(&back); got != text {
			t.Errorf("%s: %q written as %s reads back as %q", c.reason.Reason, text, b, got)
		}
		if o := taskOutcome(&taskInfo{}, &back); o != c.outcome {
			t.Errorf("%s: outcome %q, want %q", c.reason.Reason, o, c.outcome)
		}
	}
	for _, c := range []struct {
		outcome trace.Outcome
		text    string
		want    string
	}{
		{trace.OutcomeFailed, "the model diverged", `{"Reason":"ExceptionFailure","Class Name":"the model diverged","Description":""`},
		{trace.OutcomeFailed, "", `{"Reason":"UnknownReason"}`},
		{trace.OutcomeKilled, "cancelled by the user", `{"Reason":"TaskKilled","Kill Reason":"cancelled by the user"`},
		{trace.OutcomeKilled, "", `{"Reason":"TaskKilled","Kill Reason":"unknown reason"`},
		{trace.OutcomeLost, "executor gone", `{"Reason":"Resubmitted"}`},
		{trace.OutcomeSucceeded, "ignored", `{"Reason":"Success"}`},
	} {
		b, _ := json.Marshal(endReasonOf(c.outcome, c.text))
		if !strings.HasPrefix(string(b), c.want) {
			t.Errorf("outcome %q reason %q written as %s, want it to start %s", c.outcome, c.text, b, c.want)
		}
	}
}

// TestOutcomeFromFlags checks the outcome of a task whose end reason the log leaves out (logs of
// old or foreign writers): Task Info's Killed and Failed flags say it.
func TestOutcomeFromFlags(t *testing.T) {
	for _, c := range []struct {
		ti   taskInfo
		r    *endReason
		want trace.Outcome
	}{
		{taskInfo{}, nil, trace.OutcomeSucceeded},
		{taskInfo{Failed: true}, nil, trace.OutcomeFailed},
		{taskInfo{Killed: true}, &endReason{}, trace.OutcomeKilled},
		{taskInfo{Failed: true}, &endReason{Reason: reasonSuccess}, trace.OutcomeSucceeded}, // the reason wins
		{taskInfo{}, &endReason{Reason: "SomeFutureReason"}, trace.OutcomeFailed},
	} {
		if got := taskOutcome(&c.ti, c.r); got != c.want {
			t.Errorf("%+v %+v: %q, want %q", c.ti, c.r, got, c.want)
		}
	}
}

// TestPerfettoMarksFailures checks that the Perfetto export names, colours and annotates the
// attempts that did not count, and only those.
func TestPerfettoMarksFailures(t *testing.T) {
	tr, _, err := Read("testdata/failures/executor-lost.json")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WritePerfetto(&buf, tr); err != nil {
		t.Fatal(err)
	}
	var ct chromeTrace
	var raw struct {
		TraceEvents []struct {
			Cname string `json:"cname"`
		} `json:"traceEvents"`
	}
	if err := json.Unmarshal(buf.Bytes(), &ct); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(buf.Bytes(), &raw); err != nil {
		t.Fatal(err)
	}
	marked := map[string]int{}
	for i, e := range ct.TraceEvents {
		if e.Ph != "X" || e.Cat != "task" {
			continue
		}
		o, _ := e.Args["outcome"].(string)
		r, _ := e.Args["reason"].(string)
		if o == "" {
			if raw.TraceEvents[i].Cname != "" || r != "" || strings.HasPrefix(e.Name, "FAILED") {
				t.Errorf("a counted task is marked: %q %+v", e.Name, e.Args)
			}
			continue
		}
		if !strings.HasPrefix(e.Name, strings.ToUpper(o)+" ") || r == "" || raw.TraceEvents[i].Cname != outcomeColor(trace.Outcome(o)) {
			t.Errorf("a %s task: name %q reason %q cname %q", o, e.Name, r, raw.TraceEvents[i].Cname)
		}
		marked[o]++
	}
	if marked["failed"] != 2 || marked["lost"] != 1 {
		t.Errorf("marked %v, want 2 failed and 1 lost", marked)
	}
}

// realFailures is a real Spark 4.0.1 log with failures (make-failure-fixture.py): a failed
// attempt and its retry, executors killed in a map and a reduce stage, their lost output
// resubmitted, replacement executors, fetch failures and retried stages.
const realFailures = "testdata/failures/app-20261129173324-0000"

// rawTruth is what a log's lines say of failures, worked out from the JSON directly (not by the
// reader): task ends by reason, the milliseconds of those that did not count, stage attempts
// after the first and those that failed, and when executors came and went.
type rawTruth struct {
	tasks, failed, killed, lost, retries, failedStages int
	lostMs                                             int64
	added, removed                                     map[string]int64
	removedWhy                                         map[string]string
}

func truthOf(t *testing.T, path string) rawTruth {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	tr := rawTruth{added: map[string]int64{}, removed: map[string]int64{}, removedWhy: map[string]string{}}
	var start int64
	jobs := 0
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var ev map[string]any
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatal(err)
		}
		num := func(m any, k string) int64 { v, _ := m.(map[string]any)[k].(float64); return int64(v) }
		switch ev["Event"] {
		case "SparkListenerApplicationStart":
			start = num(ev, "Timestamp")
		case "SparkListenerJobStart":
			jobs++
		case "SparkListenerExecutorAdded":
			if jobs > 0 {
				tr.added[ev["Executor ID"].(string)] = num(ev, "Timestamp") - start
			}
		case "SparkListenerExecutorRemoved":
			tr.removed[ev["Executor ID"].(string)] = num(ev, "Timestamp") - start
			tr.removedWhy[ev["Executor ID"].(string)] = ev["Removed Reason"].(string)
		case "SparkListenerStageCompleted":
			si := ev["Stage Info"].(map[string]any)
			if num(si, "Stage Attempt ID") > 0 {
				tr.retries++
			}
			if _, ok := si["Failure Reason"]; ok {
				tr.failedStages++
			}
		case "SparkListenerTaskEnd":
			ti := ev["Task Info"]
			d := num(ti, "Finish Time") - num(ti, "Launch Time")
			switch ev["Task End Reason"].(map[string]any)["Reason"] {
			case "Success":
				tr.tasks++
			case "Resubmitted": // the task's earlier end, counted there
				tr.lost++
				tr.lostMs += d
			case "TaskKilled", "TaskCommitDenied":
				tr.tasks++
				tr.killed++
				tr.lostMs += d
			default:
				tr.tasks++
				tr.failed++
				tr.lostMs += d
			}
		}
	}
	return tr
}

// checkAgainstTruth checks a trace read from a log against what the log's lines say.
func checkAgainstTruth(t *testing.T, name string, tr *trace.Trace, want rawTruth) {
	t.Helper()
	m := tr.Metrics()
	got := [6]int{m.Tasks, m.FailedTasks, m.KilledTasks, m.LostTasks, m.StageRetries, m.FailedStages}
	if w := [6]int{want.tasks, want.failed, want.killed, want.lost, want.retries, want.failedStages}; got != w {
		t.Errorf("%s: tasks, failed, killed, lost, stage retries, failed stages = %v, want %v", name, got, w)
	}
	if m.Lost != time.Duration(want.lostMs)*time.Millisecond {
		t.Errorf("%s: lost %v, want %d ms", name, m.Lost, want.lostMs)
	}
	byID := map[string]trace.Executor{}
	for _, e := range tr.Executors {
		byID[fmt.Sprint(e.ID)] = e
	}
	for id, at := range want.added {
		if e := byID[id]; e.Added != time.Duration(at)*time.Millisecond {
			t.Errorf("%s: executor %s added at %v, want %d ms", name, id, e.Added, at)
		}
	}
	for id, at := range want.removed {
		if e := byID[id]; e.Removed != time.Duration(at)*time.Millisecond || e.RemovedReason != want.removedWhy[id] {
			t.Errorf("%s: executor %s removed at %v (%q), want %d ms (%q)", name, id, e.Removed, e.RemovedReason, at, want.removedWhy[id])
		}
	}
}

// TestRealSparkLogWithFailures reads a real Spark log with failures and checks its attempts,
// stage retries and executors against the log's lines; written and read back (with and without
// tunesim's events), every attempt comes back as it was.
func TestRealSparkLogWithFailures(t *testing.T) {
	want := truthOf(t, realFailures)
	if want.failed == 0 || want.lost == 0 || want.retries == 0 || len(want.added) == 0 || len(want.removed) == 0 {
		t.Fatalf("the fixture lacks a case: %+v", want)
	}
	orig, info, err := Read(realFailures)
	if err != nil {
		t.Fatal(err)
	}
	checkAgainstTruth(t, realFailures, orig, want)
	if m, _, err := Summarize(realFailures); err != nil || figuresOf(m) != figuresOf(orig.Metrics()) {
		t.Errorf("Summarize: %+v (%v), Read: %+v", figuresOf(m), err, figuresOf(orig.Metrics()))
	}
	orig.Attrs["start_unix_ms"] = fmt.Sprint(info.EpochMs)
	out := filepath.Join(t.TempDir(), "again")
	if err := WriteFile(out, orig, CodecNone, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	all := attemptsOf(orig, nil)
	for _, p := range []string{out, withoutTunesimEvents(t, out)} {
		back, _, err := Read(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := attemptsOf(back, nil); fmt.Sprint(got) != fmt.Sprint(all) {
			t.Errorf("%s: attempts read back\n%v\nwant\n%v", filepath.Base(p), got, all)
		}
		checkAgainstTruth(t, "written and read back from "+filepath.Base(p), back, want)
	}
}

// TestHistoryServerShowsFailures writes the failure logs' traces with the writer and opens them
// in Spark's own History Server: Spark's reader takes every task attempt as the trace has it
// (status, attempt, speculative, error), every stage attempt and job with its status, and every
// executor removed with its reason.
func TestHistoryServerShowsFailures(t *testing.T) {
	if !sparkenv.LongTests() {
		t.Skipf("runs real Spark for minutes: set %s=all to run it (.ci/run does)", sparkenv.LongTestsVar)
	}
	env, err := sparkenv.Find()
	if err != nil {
		t.Skipf("no Spark to start a History Server with: %v", err)
	}
	dir := t.TempDir()
	logs := map[string]*trace.Trace{}
	var ids []string
	for i, f := range []string{"failed-retry.json", "speculative.json", "executor-lost.json", filepath.Base(realFailures)} {
		tr, _, err := Read(filepath.Join("testdata/failures", f))
		if err != nil {
			t.Fatal(err)
		}
		id := fmt.Sprintf("tunesim-failures-%d", i)
		if err := WriteFile(filepath.Join(dir, id), tr, CodecNone, WriteOptions{AppID: id}); err != nil {
			t.Fatal(err)
		}
		logs[id] = tr
		ids = append(ids, id)
	}
	base, out := startHistoryServer(t, env, dir, ids)
	status := map[trace.Outcome]string{trace.OutcomeSucceeded: "SUCCESS", trace.OutcomeLost: "SUCCESS", trace.OutcomeFailed: "FAILED", trace.OutcomeKilled: "KILLED"}
	for _, id := range ids {
		tr := logs[id]
		var jobs []struct {
			JobID  int    `json:"jobId"`
			Status string `json:"status"`
		}
		if err := getJSON(base+"/"+id+"/jobs", &jobs); err != nil {
			t.Fatalf("%s: %v\n%s", id, err, out.tail())
		}
		var stages []struct {
			StageID   int    `json:"stageId"`
			AttemptID int    `json:"attemptId"`
			Status    string `json:"status"`
		}
		if err := getJSON(base+"/"+id+"/stages", &stages); err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		var got, want []string
		for _, j := range jobs {
			got = append(got, fmt.Sprintf("job %d %s", j.JobID, j.Status))
		}
		for _, s := range stages {
			got = append(got, fmt.Sprintf("stage %d.%d %s", s.StageID, s.AttemptID, s.Status))
			var tasks []struct {
				Index       int    `json:"index"`
				Attempt     int    `json:"attempt"`
				ExecutorID  string `json:"executorId"`
				Status      string `json:"status"`
				Speculative bool   `json:"speculative"`
				Error       string `json:"errorMessage"`
			}
			if err := getJSON(fmt.Sprintf("%s/%s/stages/%d/%d/taskList?length=100000", base, id, s.StageID, s.AttemptID), &tasks); err != nil {
				t.Fatalf("%s: %v", id, err)
			}
			for _, k := range tasks {
				e := ""
				if k.Error != "" {
					e, _, _ = strings.Cut(k.Error, "\n")
				}
				got = append(got, fmt.Sprintf("task %d.%d %d.%d exec %s %s spec %v %s", s.StageID, s.AttemptID, k.Index, k.Attempt, k.ExecutorID, k.Status, k.Speculative, e))
			}
		}
		for _, s := range tr.Spans {
			switch s.Kind {
			case trace.KindJob:
				st := "SUCCEEDED"
				if !s.Counted() {
					st = "FAILED"
				}
				want = append(want, fmt.Sprintf("job %d %s", s.Job, st))
			case trace.KindStage:
				st := "COMPLETE"
				if !s.Counted() {
					st = "FAILED"
				}
				want = append(want, fmt.Sprintf("stage %d.%d %s", s.Stage, s.StageAttempt, st))
			case trace.KindTask:
				e := ""
				if s.Outcome == trace.OutcomeFailed || s.Outcome == trace.OutcomeKilled {
					e, _, _ = strings.Cut(s.Reason, "\n")
				}
				if m := killedText.FindStringSubmatch(s.Reason); m != nil {
					e, _, _ = strings.Cut(m[1], "\n") // the UI shows a kill's reason alone
				}
				want = append(want, fmt.Sprintf("task %d.%d %d.%d exec %d %s spec %v %s", s.Stage, s.StageAttempt, s.Partition, s.Attempt, s.Executor, status[s.Outcome], s.Speculative, e))
			}
		}
		sort.Strings(got)
		sort.Strings(want)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: the History Server shows\n%s\nthe trace has\n%s", id, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		var execs []struct {
			ID       string `json:"id"`
			IsActive bool   `json:"isActive"`
			Reason   string `json:"removeReason"`
		}
		if err := getJSON(base+"/"+id+"/allexecutors", &execs); err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		removed := map[string]string{}
		for _, e := range execs {
			if !e.IsActive {
				removed[e.ID] = e.Reason
			}
		}
		for _, e := range tr.Executors {
			if r, ok := removed[fmt.Sprint(e.ID)]; ok != (e.Removed > 0) || r != e.RemovedReason {
				t.Errorf("%s: executor %d removed %v (%q), the trace says %v (%q)", id, e.ID, ok, r, e.Removed > 0, e.RemovedReason)
			}
		}
	}
}
