package costmodel

import (
	"fmt"
	"testing"
	"time"
)

// TestCompileTrackAt checks the track's reading against values worked by hand: linear between
// points, flat before the first and after the last, the earlier point's where two share a Work.
func TestCompileTrackAt(t *testing.T) {
	s := time.Second
	track := CompileTrack{{Work: 1 * s, Compiled: 2 * s}, {Work: 3 * s, Compiled: 4 * s}, {Work: 3 * s, Compiled: 5 * s}, {Work: 5 * s, Compiled: 9 * s}}
	for _, tc := range []struct {
		track CompileTrack
		work  time.Duration
		want  time.Duration
	}{
		{nil, s, 0},
		{track, 0, 2 * s},
		{track, 1 * s, 2 * s},
		{track, 2 * s, 3 * s},
		{track, 3 * s, 4 * s},
		{track, 4 * s, 7 * s},
		{track, 5 * s, 9 * s},
		{track, 60 * s, 9 * s},
		{CompileTrack{{Work: 2 * s, Compiled: s}}, 7 * s, s},
	} {
		if got := tc.track.At(tc.work); got != tc.want {
			t.Errorf("%v.At(%v) = %v, want %v", tc.track, tc.work, got, tc.want)
		}
	}
}

// ExampleCompileDebt shows a fresh JVM's compile debt as whatif sets it: the serial replay's
// track of what the compilers had done against the work started, and the work each CPU-second
// they fall behind it costs.
func ExampleCompileDebt() {
	track := CompileTrack{
		{Work: 0, Compiled: 0},
		{Work: 4 * time.Second, Compiled: 2 * time.Second},
		{Work: 8 * time.Second, Compiled: 3 * time.Second},
	}
	d := CompileDebt{Track: track, Share: 0.57}
	// A parallel run that has started 6 s of work while its compilers did 1.5 s of CPU is behind
	// the serial pace by the difference; the work starting now owes Share times that.
	behind := d.Track.At(6*time.Second) - 1500*time.Millisecond
	fmt.Println(d.Track.At(6*time.Second), behind, time.Duration(d.Share*float64(behind)))
	// Output: 2.5s 1s 570ms
}
