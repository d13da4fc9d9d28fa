package sparklog

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"tunesim/trace"
)

// Stream reads the event log at path — a file (plain, .zstd, .lz4 or .snappy, perhaps
// .inprogress) or a rolling log's directory — and sends its spans to sink as the log yields them:
// a task when it ends, a stage when it completes, a job when it ends, fits (from the jobs'
// properties) at the end. Task spans have Slot trace.None: lanes need every task of an executor
// (Read assigns them). Memory stays bounded by what is open at once (running tasks, unfinished
// jobs), whatever the log's length, unless sink keeps the spans.
//
// A malformed line is an error naming the file and line. The last line of a log in progress may
// be cut short: it is skipped and reported in Info.Warnings. Event types the reader does not use
// are skipped.
func Stream(path string, sink trace.Sink) (*Info, error) {
	fs, err := files(path)
	if err != nil {
		return nil, err
	}
	info := &Info{}
	c := newConverter(sink, info)
	for _, f := range fs {
		info.Files = append(info.Files, f.path)
		info.InProgress = info.InProgress || f.inProgress
		if err := c.file(f); err != nil {
			return info, err
		}
	}
	c.finish()
	return info, nil
}

// StreamFrom is Stream for a log that is not a file: name is what errors call it, codec how it
// is compressed, inProgress whether a cut-short last line is tolerated.
func StreamFrom(r io.Reader, name string, codec Codec, inProgress bool, sink trace.Sink) (*Info, error) {
	info := &Info{Files: []string{name}, InProgress: inProgress}
	c := newConverter(sink, info)
	if err := c.read(r, logFile{path: name, codec: codec, inProgress: inProgress}); err != nil {
		return info, err
	}
	c.finish()
	return info, nil
}

func (c *converter) file(f logFile) error {
	fh, err := os.Open(f.path)
	if err != nil {
		return err
	}
	defer fh.Close()
	return c.read(fh, f)
}

func (c *converter) read(r io.Reader, f logFile) error {
	dr, err := Decompress(f.codec, r)
	if err != nil {
		return fmt.Errorf("%s: %w", f.path, err)
	}
	defer dr.Close()
	var cut *Truncated
	dec := new(eventDecoder)
	events := 0
	lines, err := eachLine(dr, func(n int, line []byte, last bool) error {
		events++
		if cut != nil {
			return nil
		}
		err := c.line(line, dec)
		if err == nil {
			c.info.Lines++
			return nil
		}
		var syntax *json.SyntaxError
		if last && f.inProgress && (errors.As(err, &syntax) || errors.Is(err, io.ErrUnexpectedEOF) || isUnexpectedEnd(err)) {
			cut = &Truncated{File: f.path, Line: n, Err: err}
			return nil
		}
		return &lineError{file: f.path, line: n, err: err}
	})
	if err != nil {
		var le *lineError
		if errors.As(err, &le) {
			return err
		}
		if isCutShort(err) && f.inProgress {
			if cut == nil {
				cut = &Truncated{File: f.path, Line: lines, Err: err}
			}
		} else {
			return fmt.Errorf("%s: after line %d: %w", f.path, lines, err)
		}
	}
	if cut != nil {
		c.warn("%v", cut)
	}
	if events == 0 {
		if f.inProgress && c.info.Lines > 0 {
			// A rolling log's newest file, just opened: the files before it hold the events.
			c.warn("%s: %v (the newest file of a log in progress)", f.path, ErrEmpty)
			return nil
		}
		return fmt.Errorf("%s: %w", f.path, ErrEmpty)
	}
	return nil
}

// ErrEmpty is an event log file that holds no events (nothing, or blank lines only): Spark had
// not written to it, or it was cut to nothing. The error names the file.
var ErrEmpty = errors.New("an empty event log: the file holds no events")

func isUnexpectedEnd(err error) bool {
	return err != nil && err.Error() == "unexpected end of JSON input"
}

// line decodes one line with dec (into dec.ev: see eventDecoder) and folds it in.
func (c *converter) line(line []byte, dec *eventDecoder) error {
	typ, err := eventType(line)
	if err != nil {
		return err
	}
	if !knownEvents[typ] {
		if !validJSON(line) {
			var v any
			if err := json.Unmarshal(line, &v); err != nil {
				return err // the decoder's error says where
			}
		}
		c.info.Skipped++
		return nil
	}
	ev := &dec.ev
	if err := dec.decode(line, ev); err != nil {
		return fmt.Errorf("%s: %w", typ, err)
	}
	if err := c.handle(ev); err != nil {
		return err
	}
	if c.observe != nil {
		c.observe(c, ev)
	}
	return nil
}

// Read reads the whole event log at path into a Trace: Source "spark" (or the source of the trace
// this package wrote the log from), Attrs app_id, app_name, spark_version and master, executors
// and their slots, and every span, tasks with slot lanes assigned per executor by interval
// packing (each task on the lowest lane free when it starts).
func Read(path string) (*trace.Trace, *Info, error) {
	var t trace.Trace
	info, err := Stream(path, &t)
	if err != nil {
		return nil, info, err
	}
	return assemble(&t, info), info, nil
}

// ReadFrom is Read for a log that is not a file (see StreamFrom).
func ReadFrom(r io.Reader, name string, codec Codec, inProgress bool) (*trace.Trace, *Info, error) {
	var t trace.Trace
	info, err := StreamFrom(r, name, codec, inProgress, &t)
	if err != nil {
		return nil, info, err
	}
	return assemble(&t, info), info, nil
}

// assemble fills in the trace's header from info and packs the tasks into slot lanes.
func assemble(t *trace.Trace, info *Info) *trace.Trace {
	spans := t.Spans
	if h := info.header; h != nil {
		*t = *h
	} else {
		*t = trace.Trace{Source: "spark", Executors: info.Executors, DriverCores: info.DriverCores,
			Fits: info.Fits, ParamMaps: info.ParamMaps}
	}
	t.Spans = spans
	if t.Attrs == nil {
		t.Attrs = map[string]string{}
	}
	for k, v := range map[string]string{"app_id": info.AppID, "app_name": info.AppName, "spark_version": info.SparkVersion, "master": info.Master} {
		if _, ok := t.Attrs[k]; !ok && v != "" {
			t.Attrs[k] = v
		}
	}
	lanes := PackSlots(t.Spans)
	for i := range t.Executors {
		e := &t.Executors[i]
		if n := lanes[e.ID]; n > e.Slots {
			info.Warnings = append(info.Warnings, fmt.Sprintf("executor %d: up to %d tasks at once on %d slots (the log's times overlap); lanes past the slots are drawn as extra slots", e.ID, n, e.Slots))
		}
	}
	return t
}

// PackSlots assigns each task span's Slot per executor by interval packing: tasks in order of
// start, each on the lowest lane free at its start (a lane frees when its task ends, so a task
// may start the instant another ends on the same lane). It returns the lanes used per executor,
// which is the most tasks running at once there.
func PackSlots(spans []trace.Span) map[int]int {
	byExec := map[int][]int{}
	for i, s := range spans {
		if s.Kind == trace.KindTask {
			byExec[s.Executor] = append(byExec[s.Executor], i)
		}
	}
	used := map[int]int{}
	for ex, idx := range byExec {
		sort.SliceStable(idx, func(a, b int) bool {
			sa, sb := spans[idx[a]], spans[idx[b]]
			if sa.Start != sb.Start {
				return sa.Start < sb.Start
			}
			return sa.End < sb.End
		})
		var free []int64 // per lane, when it becomes free
		for _, i := range idx {
			s := &spans[i]
			lane := -1
			for k, f := range free {
				if f <= int64(s.Start) {
					lane = k
					break
				}
			}
			if lane < 0 {
				lane = len(free)
				free = append(free, 0)
			}
			free[lane] = int64(s.End)
			s.Slot = lane
		}
		used[ex] = len(free)
	}
	return used
}

// Summarize streams the log at path into a trace.Accumulator, in memory bounded by what is open
// at once, and returns its metrics (with the log's slots) and what the log says.
func Summarize(path string) (trace.Metrics, *Info, error) {
	acc := trace.NewAccumulator(0)
	info, err := Stream(path, acc)
	if err != nil {
		return trace.Metrics{}, info, err
	}
	acc.SetExecutors(info.TraceExecutors())
	return acc.Metrics(), info, nil
}

// TraceExecutors are the executors of the trace the log makes: those of the trace it was written
// from (when this package wrote it), else those the log names.
func (i *Info) TraceExecutors() []trace.Executor {
	if i.header != nil {
		return i.header.Executors
	}
	return i.Executors
}

// IsEventLog says whether path looks like a Spark event log rather than a tunesim trace JSON: a
// directory (a rolling log), a compressed or .inprogress file, or JSON lines whose first object
// starts with an "Event" field.
func IsEventLog(path string) (bool, error) {
	st, err := os.Stat(path)
	if err != nil {
		return false, err
	}
	if st.IsDir() {
		return true, nil
	}
	c, inProgress, err := codecOfFile(path)
	if err != nil {
		return false, err
	}
	if c != CodecNone || inProgress {
		return true, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	head := make([]byte, 64)
	n, _ := io.ReadFull(f, head)
	trimmed := strings.TrimLeft(string(head[:n]), " \t\r\n")
	return strings.HasPrefix(strings.ReplaceAll(trimmed, " ", ""), `{"Event"`), nil
}
