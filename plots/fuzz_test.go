package plots

import (
	"encoding/binary"
	"path/filepath"
	"testing"
	"time"

	"tunesim/trace"
)

// fuzzTrace turns bytes into a trace with odd but possible shapes: any kinds, missing or huge
// identifiers, zero-length and reversed spans, executors that run nothing.
func fuzzTrace(b []byte) *trace.Trace {
	t := &trace.Trace{Source: "sim", Fits: int(int8(at(b, 0)))}
	for e := 0; e < int(at(b, 1)%4); e++ {
		t.Executors = append(t.Executors, trace.Executor{ID: e * int(at(b, 2)), Slots: int(at(b, 3) % 9)})
	}
	kinds := []trace.Kind{trace.KindTask, trace.KindDriver, trace.KindFit, trace.KindQueue, trace.KindJob, trace.KindStage}
	id := func(v byte) int {
		switch v % 8 {
		case 0:
			return trace.None
		case 1:
			return 1 << 20
		}
		return int(v % 16)
	}
	for i := 4; i+8 <= len(b); i += 8 {
		r := b[i : i+8]
		start := time.Duration(binary.LittleEndian.Uint16(r[5:])) * time.Microsecond
		end := start + time.Duration(int8(r[7]))*time.Millisecond
		t.Add(trace.Span{Kind: kinds[int(r[0])%len(kinds)], Name: []string{"fit", "refit", "task"}[int(r[0])%3],
			Fit: id(r[1]), ParamMap: id(r[2]), Fold: id(r[3]), Executor: id(r[4] >> 4), Slot: id(r[4]),
			Job: trace.None, Stage: trace.None, Partition: trace.None, Start: start, End: end})
	}
	return t
}

func at(b []byte, i int) byte {
	if i < len(b) {
		return b[i]
	}
	return 0
}

// FuzzTimeline draws traces made from random bytes: it must never panic, and it fails only for
// a trace without spans.
func FuzzTimeline(f *testing.F) {
	f.Add([]byte{3, 1, 0, 4, 0, 1, 2, 0, 0x11, 0, 10, 20})
	f.Add([]byte{16, 2, 1, 8, 2, 5, 5, 1, 0x22, 0, 0, 100, 1, 5, 5, 1, 0x22, 0, 0, 100, 4, 6, 6, 7, 0x31, 0, 9, 0xF0})
	f.Add([]byte{0, 0, 0, 0})
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		tr := fuzzTrace(b)
		err := Timeline(tr, filepath.Join(dir, "f.svg"), Options{Width: MinSize, Height: MinSize})
		if (err != nil) != (len(tr.Spans) == 0) {
			t.Fatalf("%d spans: error %v", len(tr.Spans), err)
		}
	})
}
