package sparklog

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Follower reads an event log while Spark writes it: each Poll parses only the complete lines
// appended since the last one (it keeps its offset and the cut-short last line, never reading the
// log again from the start), and App gives the application as the lines so far make it. It reads
// one file, perhaps .inprogress (renamed to its final name when the application stops: the open
// file is read on to its end), or a rolling log's directory (each events_<n> file to its end once
// the next one appears; the log is complete when the appstatus marker loses its .inprogress),
// plain or compressed (Spark 4 compresses by default: the stream is decompressed on a goroutine
// that waits at the end of what is written until the next Poll).
type Follower struct {
	path    string // as given
	rolling bool
	// cur is the file being read, curPath its name when opened, n its number in a rolling log.
	cur     *os.File
	curPath string
	n       int64
	// partial is the last line read so far, without its newline; lineNo counts the lines of cur.
	partial []byte
	lineNo  int
	buf     []byte
	info    *Info
	c       *converter
	b       *appBuilder
	dec     eventDecoder
	// complete says the log is written to its end (renamed, or the rolling log's marker says so).
	complete bool
	// z decompresses a compressed current file (nil for a plain one).
	z *inflater
}

// Follow starts following the event log at path: a file (if it is X.inprogress and only X exists,
// X is read, and the other way round) or a rolling log's directory.
func Follow(path string) (*Follower, error) {
	f := &Follower{path: path, info: &Info{}, b: newAppBuilder(), n: -1}
	f.c = newConverter(discard{}, f.info)
	f.c.observe = f.b.add
	st, err := os.Stat(path)
	switch {
	case err == nil && st.IsDir():
		f.rolling = true
		if _, err := files(path); err != nil {
			return nil, err
		}
		return f, nil
	case err == nil:
	case errors.Is(err, os.ErrNotExist) && strings.HasSuffix(path, InProgress):
		path = strings.TrimSuffix(path, InProgress)
	case errors.Is(err, os.ErrNotExist):
		path += InProgress
	default:
		return nil, err
	}
	if err := f.open(path); err != nil {
		if errors.Is(err, os.ErrNotExist) && path != f.path {
			return nil, fmt.Errorf("%s: no such file, nor %s (start following once Spark has created the log)", f.path, filepath.Base(path))
		}
		return nil, err
	}
	return f, nil
}

// open makes path the file being read, decompressing it on a goroutine when it is compressed.
func (f *Follower) open(path string) error {
	c, inProgress, err := codecOfFile(path)
	if err != nil {
		return err
	}
	fh, err := os.Open(path)
	if err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	f.cur, f.curPath, f.partial, f.lineNo = fh, path, f.partial[:0], 0
	if c != CodecNone {
		f.z = inflate(fh, c)
	}
	f.info.Files = append(f.info.Files, path)
	f.info.InProgress = f.info.InProgress || inProgress
	return nil
}

// Poll reads what was appended since the last Poll and returns the number of events read. A
// malformed complete line is an error naming the file and line.
func (f *Follower) Poll() (int, error) {
	if f.complete {
		return 0, nil
	}
	before := f.info.Lines
	if f.rolling {
		if err := f.pollRolling(); err != nil {
			return f.info.Lines - before, err
		}
	} else if err := f.pollFile(); err != nil {
		return f.info.Lines - before, err
	}
	return f.info.Lines - before, nil
}

// pollFile reads the one file on, and takes it as complete when its .inprogress name is gone.
func (f *Follower) pollFile() error {
	if err := f.readOn(false); err != nil {
		return err
	}
	_, err := os.Stat(f.curPath)
	if strings.HasSuffix(f.curPath, InProgress) && !errors.Is(err, os.ErrNotExist) {
		return nil
	}
	// Complete, or renamed: what was written before the rename is all there is.
	if err := f.readOn(true); err != nil {
		return err
	}
	return f.finishFile()
}

// readOn reads the current file as far as it is written; final says it is complete, so that a
// compressed stream is read to its end.
func (f *Follower) readOn(final bool) error {
	if f.z == nil {
		return f.drain()
	}
	return f.z.run(f, final)
}

// pollRolling reads the current events file on, moving to the next when one appears.
func (f *Follower) pollRolling() error {
	for {
		fs, err := files(f.path)
		if err != nil {
			return err
		}
		var next *logFile
		for i := range fs {
			if n := fileNumber(fs[i].path); n > f.n {
				next = &fs[i]
				break
			}
		}
		if f.cur != nil {
			if err := f.readOn(false); err != nil {
				return err
			}
			if next == nil && !fs[len(fs)-1].inProgress {
				// The marker says the application is done: re-check for bytes written before it.
				if err := f.readOn(true); err != nil {
					return err
				}
				return f.finishFile()
			}
			if next == nil {
				return nil
			}
			if err := f.readOn(true); err != nil { // the next file exists: this one is whole
				return err
			}
			if err := f.flushPartial(); err != nil {
				return err
			}
		} else if next == nil {
			return nil
		}
		if err := f.open(next.path); err != nil {
			return err
		}
		f.n = fileNumber(next.path)
	}
}

// fileNumber is n of a rolling log's events_<n>_<appId> file.
func fileNumber(path string) int64 {
	var n int64
	fmt.Sscanf(strings.TrimPrefix(filepath.Base(path), rollingFilePrefix), "%d", &n)
	return n
}

// drain reads the current file to its present end, folding in every complete line.
func (f *Follower) drain() error {
	if f.buf == nil {
		f.buf = make([]byte, 256<<10)
	}
	for {
		k, err := f.cur.Read(f.buf)
		if ferr := f.feed(f.buf[:k]); ferr != nil {
			return ferr
		}
		if err == io.EOF || (err == nil && k == 0) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", f.curPath, err)
		}
	}
}

// feed folds in every line data completes, keeping the rest for the next.
func (f *Follower) feed(data []byte) error {
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			if len(f.partial)+len(data) > maxLine {
				return fmt.Errorf("%s: line %d is longer than %d bytes", f.curPath, f.lineNo+1, maxLine)
			}
			f.partial = append(f.partial, data...)
			break
		}
		line := data[:i]
		if len(f.partial) > 0 {
			f.partial = append(f.partial, line...)
			line = f.partial
		}
		if err := f.fold(line); err != nil {
			return err
		}
		f.partial = f.partial[:0]
		data = data[i+1:]
	}
	return nil
}

// fold reads one line (of the current file) into the application.
func (f *Follower) fold(line []byte) error {
	f.lineNo++
	line = bytes.TrimRight(line, "\r")
	if len(bytes.TrimSpace(line)) == 0 {
		return nil
	}
	if err := f.c.line(line, &f.dec); err != nil {
		return &lineError{file: f.curPath, line: f.lineNo, err: err}
	}
	f.info.Lines++
	return nil
}

// flushPartial folds in a complete file's last line, which had no newline.
func (f *Follower) flushPartial() error {
	if len(f.partial) == 0 {
		return nil
	}
	err := f.fold(f.partial)
	f.partial = f.partial[:0]
	return err
}

// finishFile ends the log: its last line, if it lacks a newline, is read, or, cut short, warned of.
func (f *Follower) finishFile() error {
	if err := f.flushPartial(); err != nil {
		f.c.warn("%v", &Truncated{File: f.curPath, Line: f.lineNo, Err: errors.Unwrap(err)})
	}
	f.complete = true
	return nil
}

// Complete says the log is written to its end: the file lost its .inprogress name (or never had
// it), or a rolling log's marker says the application is done. Nothing more will be read.
func (f *Follower) Complete() bool { return f.complete }

// Ended says the application ended: its SparkListenerApplicationEnd was read, or the log is complete.
func (f *Follower) Ended() bool { return f.b.ended || f.complete }

// App is the application as the lines read so far make it, and what they say of it (executors
// settled as Read would settle them, without its warnings about a log cut short). The App's jobs
// are the Follower's own, updated by later Polls: use it before polling again.
func (f *Follower) App() (*App, *Info) {
	info := *f.info
	info.Files = append([]string(nil), f.info.Files...)
	info.Warnings = append([]string(nil), f.info.Warnings...)
	info.InProgress = !f.Ended()
	info.Executors, info.DriverCores = f.c.executors(false)
	return f.b.app(), &info
}

// Close closes the file being read (and stops its decompression).
func (f *Follower) Close() error {
	if f.z != nil {
		f.z.stop()
		f.z = nil
	}
	if f.cur == nil {
		return nil
	}
	err := f.cur.Close()
	f.cur = nil
	return err
}
