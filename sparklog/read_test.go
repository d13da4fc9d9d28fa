package sparklog

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tunesim/trace"
)

// lineCounts counts a plain log's lines by event type, directly: the independent truth for the
// reader's job, stage and task counts.
func lineCounts(t *testing.T, paths ...string) map[string]int {
	t.Helper()
	n := map[string]int{}
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			for _, ev := range []string{evJobEnd, evStageCompleted, evTaskEnd} {
				if strings.Contains(sc.Text(), `"Event":"`+ev+`"`) {
					n[ev]++
				}
			}
		}
		f.Close()
	}
	return n
}

func countKinds(tr *trace.Trace) map[trace.Kind]int {
	n := map[trace.Kind]int{}
	for _, s := range tr.Spans {
		n[s.Kind]++
	}
	return n
}

// decompressTo writes the decompressed content of a fixture to a plain file for counting.
func decompressTo(t *testing.T, path string, c Codec) string {
	t.Helper()
	in, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out, err := readAllCodec(t, c, in)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "plain")
	if err := os.WriteFile(p, out, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSparkLogsCountsMatchTheirLines(t *testing.T) {
	const dir = "testdata/spark-events/"
	rolling := dir + "eventlog_v2_local-1795612175730/"
	tests := []struct {
		path  string
		plain []string // the same log, plain, for counting lines
	}{
		{dir + "local-1426533911241", []string{dir + "local-1426533911241"}},
		{dir + "eventlog_v2_local-1766844910796", []string{dir + "eventlog_v2_local-1766844910796/events_1_local-1766844910796"}},
		{dir + "local-1795612175730", []string{dir + "local-1795612175730"}},
		{dir + "local-1795612175730.zstd", []string{dir + "local-1795612175730"}},
		{dir + "local-1795612175730.lz4", []string{dir + "local-1795612175730"}},
		{dir + "local-1795612175730.snappy", []string{dir + "local-1795612175730"}},
		{rolling, []string{decompressTo(t, rolling+"events_1_local-1795612175730.lz4", CodecLZ4), decompressTo(t, rolling+"events_2_local-1795612175730.lz4", CodecLZ4)}},
	}
	for _, tt := range tests {
		want := lineCounts(t, tt.plain...)
		tr, info, err := Read(tt.path)
		if err != nil {
			t.Errorf("%s: %v", tt.path, err)
			continue
		}
		got := countKinds(tr)
		if got[trace.KindJob] != want[evJobEnd] || got[trace.KindStage] != want[evStageCompleted] || got[trace.KindTask] != want[evTaskEnd] {
			t.Errorf("%s: jobs/stages/tasks %d/%d/%d, the log's lines say %d/%d/%d", tt.path,
				got[trace.KindJob], got[trace.KindStage], got[trace.KindTask], want[evJobEnd], want[evStageCompleted], want[evTaskEnd])
		}
		if info.Jobs != got[trace.KindJob] || info.Tasks != got[trace.KindTask] || info.Stages != got[trace.KindStage] {
			t.Errorf("%s: info counts %d/%d/%d differ from the spans", tt.path, info.Jobs, info.Stages, info.Tasks)
		}
		if tr.Source != "spark" || tr.Attrs["app_id"] == "" || tr.Attrs["master"] == "" {
			t.Errorf("%s: source %q, attrs %v", tt.path, tr.Source, tr.Attrs)
		}
		// The summary streams the same log into an Accumulator: same figures as the whole trace.
		m, _, err := Summarize(tt.path)
		if err != nil {
			t.Fatal(err)
		}
		if tm := tr.Metrics(); m != tm {
			t.Errorf("%s: Summarize %+v, Read then Metrics %+v", tt.path, m, tm)
		}
		checkLanes(t, tt.path, tr)
	}
}

// checkLanes checks that no two tasks share an executor's lane at once and that lanes are
// packed from 0.
func checkLanes(t *testing.T, name string, tr *trace.Trace) {
	t.Helper()
	type lane struct{ ex, slot int }
	last := map[lane]time.Duration{}
	var tasks []trace.Span
	for _, s := range tr.Spans {
		if s.Kind == trace.KindTask {
			tasks = append(tasks, s)
		}
	}
	sortSpans(tasks)
	for _, s := range tasks {
		k := lane{s.Executor, s.Slot}
		if s.Slot < 0 {
			t.Fatalf("%s: task without a lane: %+v", name, s)
		}
		if end, ok := last[k]; ok && end > s.Start {
			t.Fatalf("%s: executor %d lane %d runs two tasks at once (%v > %v)", name, s.Executor, s.Slot, end, s.Start)
		}
		last[k] = s.End
	}
}

func sortSpans(ss []trace.Span) {
	for i := 1; i < len(ss); i++ {
		for j := i; j > 0 && (ss[j].Start < ss[j-1].Start || ss[j].Start == ss[j-1].Start && ss[j].End < ss[j-1].End); j-- {
			ss[j], ss[j-1] = ss[j-1], ss[j]
		}
	}
}

func TestSparkPiFigures(t *testing.T) {
	// Spark's rolling test log: job 0 from 1766844911851 to 1766844912185 (334 ms), tasks
	// 1766844912079-179 and 1766844912069-180 on the driver's 10 cores, app start 1766844910215.
	tr, info, err := Read("testdata/spark-events/eventlog_v2_local-1766844910796")
	if err != nil {
		t.Fatal(err)
	}
	m := tr.Metrics()
	if m.Makespan != 334*time.Millisecond || m.Busy != 211*time.Millisecond || m.Slots != 10 {
		t.Errorf("makespan %v busy %v slots %d, want 334ms 211ms 10", m.Makespan, m.Busy, m.Slots)
	}
	if info.EpochMs != 1766844910215 || info.SparkVersion != "4.2.0-SNAPSHOT" || info.AppID != "local-1766844910796" || info.InProgress || info.DriverHost != "192.168.1.109" {
		t.Errorf("info %+v", info)
	}
	if len(tr.Executors) != 1 || tr.Executors[0] != (trace.Executor{ID: 0, Host: "192.168.1.109", Slots: 10, HostCores: 10}) || tr.DriverCores != 10 {
		t.Errorf("executors %+v, driver cores %d", tr.Executors, tr.DriverCores)
	}
	for _, s := range tr.Spans {
		if s.Kind == trace.KindTask && s.Partition == 0 {
			want := trace.TaskDetail{Host: "192.168.1.109", RunTime: 53 * time.Millisecond, CPUTime: 50921000, Deserialize: 33 * time.Millisecond}
			if *s.Detail != want || s.Start != (1766844912069-1766844910215)*time.Millisecond || s.End-s.Start != 111*time.Millisecond {
				t.Errorf("task 0: %+v %+v", s, *s.Detail)
			}
			// Spark's UI: scheduler delay = 111 - 53 - 33 - 0 - 0 = 25 ms.
			if d := s.Detail.SchedulerDelay(s.Duration()); d != 25*time.Millisecond {
				t.Errorf("scheduler delay %v, want 25ms", d)
			}
			if s.Name != "reduce at SparkPi.scala:38" || s.Job != 0 || s.Stage != 0 || s.Fit != trace.None {
				t.Errorf("task 0 labels: %+v", s)
			}
		}
	}
}

func TestSpark12LogWithoutJobTimes(t *testing.T) {
	tr, info, err := Read("testdata/spark-events/local-1426533911241")
	if err != nil {
		t.Fatal(err)
	}
	// No "Submission Time"/"Completion Time" on the job: it spans its stage, 1426533936103 to
	// 1426533936579 after the app's start at 1426533910242.
	for _, s := range tr.Spans {
		if s.Kind == trace.KindJob && (s.Start != (1426533936103-1426533910242)*time.Millisecond || s.Duration() != 476*time.Millisecond || s.Name != "foreach at <console>:15") {
			t.Errorf("job span %+v", s)
		}
	}
	// local[*] without ExecutorAdded: the slots are the most tasks seen running at once (all 8
	// started before the first ended), said in a warning.
	if tr.Slots() != 8 || len(info.Warnings) != 1 || !strings.Contains(info.Warnings[0], "cores unknown") {
		t.Errorf("slots %d, warnings %q", tr.Slots(), info.Warnings)
	}
}

func TestFitsFromJobProperties(t *testing.T) {
	tr, info, err := Read("testdata/spark-events/local-1795612175730.zstd")
	if err != nil {
		t.Fatal(err)
	}
	var fits []trace.Span
	for _, s := range tr.Spans {
		if s.Kind == trace.KindFit {
			fits = append(fits, s)
		}
		if s.Kind == trace.KindTask && (s.Fit < 0 || s.Fit > 1 || s.ParamMap != 1) {
			t.Errorf("task without its fit: %+v", s)
		}
	}
	if len(fits) != 2 || fits[0].Name != "fit" || fits[0].Fold != 0 || fits[1].Name != "refit" || fits[1].Fold != trace.None {
		t.Fatalf("fits %+v", fits)
	}
	if tr.Fits != 2 || len(tr.ParamMaps) != 2 || tr.ParamMaps[1] != "lr.regParam=0.1" || info.Master != "local[2]" || tr.Slots() != 2 {
		t.Errorf("fits %d param maps %q master %q slots %d", tr.Fits, tr.ParamMaps, info.Master, tr.Slots())
	}
	// Each fit spans its jobs: fit 0 is job 0, fit 1 is job 1.
	for _, s := range tr.Spans {
		if s.Kind == trace.KindJob && (fits[s.Fit].Start != s.Start || fits[s.Fit].End != s.End) {
			t.Errorf("job %d %v-%v, its fit %v-%v", s.Job, s.Start, s.End, fits[s.Fit].Start, fits[s.Fit].End)
		}
	}
}

func TestJobGroupsMakeFits(t *testing.T) {
	log := strings.Join([]string{
		`{"Event":"SparkListenerApplicationStart","App Name":"a","App ID":"app-1","Timestamp":1000,"User":"u"}`,
		`{"Event":"SparkListenerJobStart","Job ID":0,"Submission Time":1000,"Stage Infos":[],"Stage IDs":[],"Properties":{"spark.jobGroup.id":"g1"}}`,
		`{"Event":"SparkListenerJobStart","Job ID":1,"Submission Time":1100,"Stage Infos":[],"Stage IDs":[],"Properties":{"spark.jobGroup.id":"g2"}}`,
		`{"Event":"SparkListenerJobEnd","Job ID":0,"Completion Time":1500,"Job Result":{"Result":"JobSucceeded"}}`,
		`{"Event":"SparkListenerJobStart","Job ID":2,"Submission Time":1600,"Stage Infos":[],"Stage IDs":[],"Properties":{"spark.jobGroup.id":"g1"}}`,
		`{"Event":"SparkListenerJobEnd","Job ID":1,"Completion Time":1700,"Job Result":{"Result":"JobSucceeded"}}`,
		`{"Event":"SparkListenerJobEnd","Job ID":2,"Completion Time":2000,"Job Result":{"Result":"JobSucceeded"}}`,
		`{"Event":"SparkListenerJobStart","Job ID":3,"Submission Time":2100,"Stage Infos":[],"Stage IDs":[]}`,
		`{"Event":"SparkListenerJobEnd","Job ID":3,"Completion Time":2200,"Job Result":{"Result":"JobSucceeded"}}`,
	}, "\n")
	tr, _, err := ReadFrom(strings.NewReader(log), "groups", CodecNone, false)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int][2]time.Duration{0: {0, 1000 * time.Millisecond}, 1: {100 * time.Millisecond, 700 * time.Millisecond}}
	n := 0
	for _, s := range tr.Spans {
		switch s.Kind {
		case trace.KindFit:
			n++
			if w := want[s.Fit]; s.Start != w[0] || s.End != w[1] {
				t.Errorf("fit %d: %v-%v, want %v-%v", s.Fit, s.Start, s.End, w[0], w[1])
			}
		case trace.KindJob:
			if wantFit := []int{0, 1, 0, trace.None}[s.Job]; s.Fit != wantFit {
				t.Errorf("job %d in fit %d, want %d", s.Job, s.Fit, wantFit)
			}
		}
	}
	if n != 2 {
		t.Errorf("%d fits, want 2", n)
	}
}

func TestBadLinesAndCutShortLogs(t *testing.T) {
	good := `{"Event":"SparkListenerApplicationStart","App Name":"a","App ID":"app-1","Timestamp":1000,"User":"u"}`
	job := `{"Event":"SparkListenerJobStart","Job ID":0,"Submission Time":1000,"Stage Infos":[],"Stage IDs":[]}`
	end := `{"Event":"SparkListenerJobEnd","Job ID":0,"Completion Time":1500,"Job Result":{"Result":"JobSucceeded"}}`
	tests := []struct {
		name       string
		file       string // its name says whether it is in progress
		content    string
		err        string // "" for success
		warning    string
		jobs, lins int
	}{
		{"unknown events are skipped", "app", good + "\n" + `{"Event":"org.example.MyEvent","x":[1,2]}` + "\n" + job + "\n" + end + "\n", "", "", 1, 4},
		{"cut last line in progress", "app.inprogress", good + "\n" + job + "\n" + end + "\n" + `{"Event":"SparkListenerJobStart","Job I`, "", "line 4: cut short", 1, 3},
		{"cut last line of a finished log", "app", good + "\n" + job + "\n" + end + "\n" + `{"Event":"SparkListenerJobStart","Job I`, "app: line 4", "", 0, 0},
		{"malformed line in the middle", "app.inprogress", good + "\n{not json}\n" + job + "\n", "app.inprogress: line 2", "", 0, 0},
		{"malformed unknown event", "app", good + "\n" + `{"Event":"org.example.MyEvent","x":[1,2}` + "\n", "app: line 2", "", 0, 0},
		{"wrong type", "app", good + "\n" + `{"Event":"SparkListenerJobStart","Job ID":"zero"}` + "\n", "app: line 2", "", 0, 0},
		{"missing field", "app", `{"Event":"SparkListenerTaskEnd","Stage ID":0}` + "\n", `app: line 1: SparkListenerTaskEnd without "Task Info"`, "", 0, 0},
		{"no event field", "app", `{"Job ID":0}` + "\n", "app: line 1", "", 0, 0},
		{"unfinished job reported", "app.inprogress", good + "\n" + job + "\n", "", "started but never ended: 1 jobs", 0, 2},
		{"blank lines and CRLF", "app", good + "\r\n\r\n" + job + "\r\n" + end, "", "", 1, 3},
	}
	for _, tt := range tests {
		dir := t.TempDir()
		p := filepath.Join(dir, tt.file)
		if err := os.WriteFile(p, []byte(tt.content), 0o644); err != nil {
			t.Fatal(err)
		}
		tr, info, err := Read(p)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s: error %v, want one with %q", tt.name, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if got := countKinds(tr)[trace.KindJob]; got != tt.jobs || info.Lines != tt.lins {
			t.Errorf("%s: %d jobs from %d lines, want %d from %d", tt.name, got, info.Lines, tt.jobs, tt.lins)
		}
		if w := strings.Join(info.Warnings, "\n"); (tt.warning == "") != (w == "") || !strings.Contains(w, tt.warning) {
			t.Errorf("%s: warnings %q, want %q", tt.name, w, tt.warning)
		}
	}
}

// A compressed log in progress ends inside a block: what was decompressed is read, and the cut
// is a warning.
func TestCompressedLogInProgress(t *testing.T) {
	// The log, then events of a type the reader skips, all different so that every codec makes
	// several blocks and the cut falls past the log's spans.
	plain := bytes.NewBuffer(sampleLog(t))
	for i := 0; plain.Len() < 600000; i++ {
		fmt.Fprintf(plain, "{\"Event\":\"org.example.Filler\",\"n\":%d,\"h\":\"%x\"}\n", i, uint32(i)*2654435761)
	}
	for _, c := range []Codec{CodecZstd, CodecLZ4, CodecSnappy} {
		var buf bytes.Buffer
		w, _ := Compress(c, &buf)
		w.Write(plain.Bytes())
		w.Close()
		cut := buf.Bytes()[:buf.Len()*2/3]
		dir := t.TempDir()
		p := filepath.Join(dir, "local-1"+c.Ext()+InProgress)
		os.WriteFile(p, cut, 0o644)
		tr, info, err := Read(p)
		if err != nil {
			t.Errorf("%s: %v", c, err)
			continue
		}
		if len(info.Warnings) == 0 || !strings.Contains(strings.Join(info.Warnings, " "), "cut short") || !info.InProgress {
			t.Errorf("%s: warnings %q", c, info.Warnings)
		}
		if len(tr.Spans) == 0 {
			t.Errorf("%s: nothing read before the cut", c)
		}
		// The same bytes under a finished log's name are an error.
		q := filepath.Join(dir, "local-2"+c.Ext())
		os.WriteFile(q, cut, 0o644)
		if _, _, err := Read(q); err == nil {
			t.Errorf("%s: a finished log cut short reads without error", c)
		}
	}
}

func TestRollingDirectories(t *testing.T) {
	plain := strings.SplitAfter(string(sampleLog(t)), "\n")
	dir := filepath.Join(t.TempDir(), "eventlog_v2_local-1")
	os.MkdirAll(dir, 0o755)
	// Files 1..3 (numbered 1, 2, 10 so that text order would be wrong), each with its codec;
	// a compacted file 2 makes file 1 unread.
	write := func(name string, c Codec, lines []string) {
		var buf bytes.Buffer
		w, _ := Compress(c, &buf)
		io.WriteString(w, strings.Join(lines, ""))
		w.Close()
		os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644)
	}
	third := len(plain) / 3
	write("events_1_local-1.zstd", CodecZstd, plain[:third])
	write("events_2_local-1.snappy", CodecSnappy, plain[third:2*third])
	write("events_10_local-1", CodecNone, plain[2*third:])
	os.WriteFile(filepath.Join(dir, "appstatus_local-1.inprogress"), nil, 0o644)
	tr, info, err := Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	want, _, _ := Read("testdata/spark-events/local-1795612175730")
	if len(tr.Spans) != len(want.Spans) || len(info.Files) != 3 || !strings.HasSuffix(info.Files[2], "events_10_local-1") || !info.InProgress {
		t.Errorf("%d spans from %q (in progress %v), want %d", len(tr.Spans), info.Files, info.InProgress, len(want.Spans))
	}
	os.Rename(filepath.Join(dir, "events_2_local-1.snappy"), filepath.Join(dir, "events_2_local-1.compact.snappy"))
	_, info, err = Read(dir)
	if err != nil || len(info.Files) != 2 {
		t.Errorf("with a compacted file: %q, %v", info.Files, err)
	}
	// Directories that are not rolling logs.
	empty := t.TempDir()
	if _, _, err := Read(empty); err == nil || !strings.Contains(err.Error(), "empty directory") {
		t.Errorf("empty directory: %v", err)
	}
	// A directory holding one plain log (Spark 3's default) reads as that log; two do not.
	one, err := os.ReadFile("testdata/spark-events/local-1795612175730")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(empty, "local-1795612175730"), one, 0o644)
	if tr, _, err := Read(empty); err != nil || len(tr.Spans) != len(want.Spans) {
		t.Errorf("directory of one log: %v", err)
	}
	os.WriteFile(filepath.Join(empty, "app-1"), nil, 0o644)
	if _, _, err := Read(empty); err == nil || !strings.Contains(err.Error(), "name one event log") || !strings.Contains(err.Error(), "app-1") {
		t.Errorf("directory of logs: %v", err)
	}
}

func TestIsEventLog(t *testing.T) {
	dir := t.TempDir()
	tr := &trace.Trace{Source: "sim", Executors: []trace.Executor{{ID: 0, Slots: 1}}}
	traceFile := filepath.Join(dir, "t.json")
	if err := tr.WriteFile(traceFile); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]bool{
		traceFile: false,
		"testdata/spark-events/local-1426533911241":             true,
		"testdata/spark-events/local-1795612175730.lz4":         true,
		"testdata/spark-events/eventlog_v2_local-1766844910796": true,
	} {
		if got, err := IsEventLog(path); err != nil || got != want {
			t.Errorf("IsEventLog(%s) = %v, %v", path, got, err)
		}
	}
}
