package costmodel

import (
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
