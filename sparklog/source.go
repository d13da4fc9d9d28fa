package sparklog

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Rolling event logs (spark.eventLog.rolling.enabled, Spark's RollingEventLogFilesWriter) are a
// directory eventlog_v2_<appId>/ of events_<n>_<appId>[.compact][.codec] files, read in order of n,
// and an empty appstatus_<appId>[.inprogress] marker.
const (
	rollingDirPrefix  = "eventlog_v2_"
	rollingFilePrefix = "events_"
	appStatusPrefix   = "appstatus_"
)

// maxLine bounds one line of a log, so that a corrupt or hostile file cannot exhaust memory.
const maxLine = 512 << 20

// logFile is one file of a log, in reading order.
type logFile struct {
	path       string
	codec      Codec
	inProgress bool
}

// files lists the files of the log at path: the file itself, or a rolling log's event files.
func files(path string) ([]logFile, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		c, inProgress, err := codecOfFile(path)
		if err != nil {
			return nil, err
		}
		return []logFile{{path: path, codec: c, inProgress: inProgress}}, nil
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return nil, err
	}
	type indexed struct {
		n       int64
		compact bool
		f       logFile
	}
	var evs []indexed
	inProgress := false
	logs := 0
	var others []string
	for _, e := range entries {
		name := e.Name()
		switch {
		case strings.HasPrefix(name, appStatusPrefix):
			inProgress = strings.HasSuffix(name, InProgress)
		case strings.HasPrefix(name, rollingFilePrefix) && !e.IsDir():
			num, _, ok := strings.Cut(strings.TrimPrefix(name, rollingFilePrefix), "_")
			n, err := strconv.ParseInt(num, 10, 64)
			if !ok || err != nil {
				return nil, fmt.Errorf("%s: %q is not named events_<n>_<appId>", path, name)
			}
			p := filepath.Join(path, name)
			c, ip, err := codecOfFile(p)
			if err != nil {
				return nil, err
			}
			evs = append(evs, indexed{n: n, compact: strings.HasSuffix(strings.TrimSuffix(name, InProgress), ".compact") || strings.Contains(name, ".compact."), f: logFile{path: p, codec: c, inProgress: ip}})
		case !e.IsDir() && !strings.HasPrefix(name, "."):
			logs++
			others = append(others, name)
		}
	}
	if len(evs) == 0 {
		if logs == 1 {
			// A directory holding one plain event log (spark.eventLog.dir of one application).
			return files(filepath.Join(path, others[0]))
		}
		if logs > 0 {
			return nil, fmt.Errorf("%s: a directory without events_<n>_<appId> files (a rolling log's); it holds %d other files (%s): name one event log", path, logs, shortList(others, 5))
		}
		return nil, fmt.Errorf("%s: an empty directory, not an event log", path)
	}
	sort.Slice(evs, func(i, j int) bool { return evs[i].n < evs[j].n })
	// A compacted file holds what its predecessors held: read from the last one on.
	first := 0
	for i, e := range evs {
		if e.compact {
			first = i
		}
	}
	var out []logFile
	for i, e := range evs[first:] {
		if i > 0 && e.n == evs[first+i-1].n {
			return nil, fmt.Errorf("%s: two event files numbered %d", path, e.n)
		}
		out = append(out, e.f)
	}
	if inProgress {
		out[len(out)-1].inProgress = true
	}
	return out, nil
}

// codecOfFile is CodecOf, falling back on the file's first bytes when its extension is not one
// Spark gives (Spark's own test logs have none; a user may have renamed one).
func codecOfFile(path string) (Codec, bool, error) {
	c, inProgress, err := CodecOf(path)
	if err == nil {
		if c != CodecNone || !hasExt(path) {
			return c, inProgress, nil
		}
	}
	f, ferr := os.Open(path)
	if ferr != nil {
		return "", inProgress, ferr
	}
	defer f.Close()
	head := make([]byte, 16)
	n, _ := io.ReadFull(f, head)
	if s, ok := sniff(head[:n]); ok {
		return s, inProgress, nil
	}
	if err != nil {
		return "", inProgress, err
	}
	return CodecNone, inProgress, nil
}

func hasExt(path string) bool {
	base := strings.TrimSuffix(filepath.Base(path), InProgress)
	return strings.Contains(base, ".")
}

// sniff recognizes a codec by its magic bytes, or plain JSON by its first character.
func sniff(head []byte) (Codec, bool) {
	switch {
	case isLZ4Block(head):
		return CodecLZ4, true
	case isSnappyStream(head):
		return CodecSnappy, true
	case bytes.HasPrefix(head, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		return CodecZstd, true
	case len(bytes.TrimLeft(head, " \t\r\n")) > 0 && bytes.TrimLeft(head, " \t\r\n")[0] == '{':
		return CodecNone, true
	}
	return "", false
}

// Truncated reports that a log in progress ended inside a line (or inside a compressed block);
// the lines before it were read.
type Truncated struct {
	File string
	Line int
	Err  error
}

// Error says where the log was cut.
func (t *Truncated) Error() string {
	return fmt.Sprintf("%s: line %d: cut short while the application was running (%v); read the lines before it", t.File, t.Line, t.Err)
}

// lineError is a problem with one line: the file, the 1-based line number and what is wrong.
type lineError struct {
	file string
	line int
	err  error
}

func (e *lineError) Error() string { return fmt.Sprintf("%s: line %d: %v", e.file, e.line, e.err) }
func (e *lineError) Unwrap() error { return e.err }

// lineReaders recycles eachLine's read buffers, so that reading a short log (a small rolling
// file, a fuzzer's input) does not cost allocating and clearing a buffer sized for long ones.
var lineReaders = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, 256<<10) }}

// eachLine calls fn with every non-empty line of r (decompressed), numbered from 1. Lines may be
// of any length up to maxLine. The last line may lack its newline. A read error after some
// lines is returned as is; the caller decides whether a cut-short stream is tolerable.
func eachLine(r io.Reader, fn func(n int, line []byte, last bool) error) (int, error) {
	br := lineReaders.Get().(*bufio.Reader)
	br.Reset(r)
	defer func() {
		br.Reset(nil)
		lineReaders.Put(br)
	}()
	var long []byte
	inLong := false
	n := 0
	for {
		chunk, err := br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			if len(long)+len(chunk) > maxLine {
				return n, fmt.Errorf("line %d is longer than %d bytes", n+1, maxLine)
			}
			long = append(long, chunk...)
			inLong = true
			continue
		}
		line := chunk
		if inLong {
			long = append(long, chunk...)
			line = long
		}
		if len(line) > 0 {
			n++
			last := err != nil // no newline: the stream ended (or failed) inside this line
			if len(bytes.TrimSpace(line)) > 0 {
				if ferr := fn(n, bytes.TrimRight(line, "\r\n"), last); ferr != nil {
					return n, ferr
				}
			}
		}
		if inLong {
			inLong = false
			long = long[:0]
			if cap(long) > 4<<20 {
				long = nil // let a one-off huge line go
			}
		}
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
}

// isCutShort says whether err means a stream ended early (a log still being written).
func isCutShort(err error) bool {
	return errors.Is(err, io.ErrUnexpectedEOF)
}

// shortList is names joined by ", ", the first n of them and how many more.
func shortList(names []string, n int) string {
	if len(names) <= n {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:n], ", ") + fmt.Sprintf(" and %d more", len(names)-n)
}
