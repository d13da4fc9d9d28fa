package sparklog

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sync/atomic"
)

// inflater decompresses a file being written on a goroutine of its own: the decoder reads
// through a tail, which at the end of what is written tells the Follower it is idle and waits for
// the next Poll to wake it, or, once the file is complete, ends the stream.
type inflater struct {
	t       *tail
	out     chan []byte
	done    chan error
	waiting bool // the tail is idle, waiting to be woken
	ended   bool
}

// tail is a reader of a file being appended to that waits at its end instead of ending.
type tail struct {
	f        *os.File
	wake     chan struct{}
	idle     chan struct{}
	quit     chan struct{}
	finished atomic.Bool // the file is complete: its end is the stream's
}

// errStopped ends a decompression the Follower closed.
var errStopped = errors.New("stopped following")

func (t *tail) Read(p []byte) (int, error) {
	for {
		n, err := t.f.Read(p)
		if n > 0 || (err != nil && err != io.EOF) {
			return n, err
		}
		if t.finished.Load() {
			return 0, io.EOF
		}
		select {
		case t.idle <- struct{}{}:
		case <-t.quit:
			return 0, errStopped
		}
		select {
		case <-t.wake:
		case <-t.quit:
			return 0, errStopped
		}
	}
}

// inflate starts decompressing f with codec c.
func inflate(f *os.File, c Codec) *inflater {
	z := &inflater{t: &tail{f: f, wake: make(chan struct{}), idle: make(chan struct{}), quit: make(chan struct{})},
		out: make(chan []byte), done: make(chan error, 1)}
	go func() {
		dr, err := Decompress(c, z.t)
		if err != nil {
			z.done <- err
			return
		}
		defer dr.Close()
		buf := make([]byte, 256<<10)
		for {
			n, err := dr.Read(buf)
			if n > 0 {
				select {
				case z.out <- append([]byte(nil), buf[:n]...):
				case <-z.t.quit:
					z.done <- errStopped
					return
				}
			}
			if err != nil {
				z.done <- err
				return
			}
		}
	}()
	return z
}

// run feeds f what the decoder gives until it waits for more bytes, or, final (the file is
// complete), until the stream ends: cut short, that is a warning, as when reading a log in progress.
func (z *inflater) run(f *Follower, final bool) error {
	if z.ended {
		return nil
	}
	if final {
		z.t.finished.Store(true)
	}
	// The tail must look at the file once after this call began: an idle it signalled before
	// (at the end of what was written then) is no word on what is written now.
	woke := false
	if z.waiting {
		z.waiting, woke = false, true
		z.t.wake <- struct{}{}
	}
	for {
		select {
		case b := <-z.out:
			if err := f.feed(b); err != nil {
				return err
			}
		case <-z.t.idle:
			if !woke {
				woke = true
				z.t.wake <- struct{}{}
				continue
			}
			z.waiting = true
			if !final {
				return nil
			}
			z.waiting = false
			z.t.wake <- struct{}{} // finished is set: the tail ends the stream
		case err := <-z.done:
			z.ended = true
			switch {
			case err == io.EOF:
				return nil
			case isCutShort(err) || isUnexpectedEnd(err):
				f.c.warn("%v", &Truncated{File: f.curPath, Line: f.lineNo + 1, Err: err})
				return nil
			}
			return fmt.Errorf("%s: after line %d: %w", f.curPath, f.lineNo, err)
		}
	}
}

// stop ends the decompression.
func (z *inflater) stop() { close(z.t.quit) }
