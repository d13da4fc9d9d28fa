package whatif

import (
	"slices"
	"testing"

	"tunesim/sparklog"
)

func TestFromJob(t *testing.T) {
	app := func() *sparklog.App {
		a := &sparklog.App{}
		for id := range 6 {
			a.Jobs = append(a.Jobs, &sparklog.Job{ID: id})
		}
		// RDD 1 unpersisted after job 1, RDD 2 after job 3, RDD 3 after the last job.
		a.Unpersists = []sparklog.Unpersist{{RDD: 1, JobsBefore: 2}, {RDD: 2, JobsBefore: 4}, {RDD: 3, JobsBefore: 6}}
		return a
	}
	tests := []struct {
		first       int
		wantIDs     []int
		wantUnp     []sparklog.Unpersist
		wantDropped int
	}{
		{0, []int{0, 1, 2, 3, 4, 5}, []sparklog.Unpersist{{RDD: 1, JobsBefore: 2}, {RDD: 2, JobsBefore: 4}, {RDD: 3, JobsBefore: 6}}, 0},
		{2, []int{2, 3, 4, 5}, []sparklog.Unpersist{{RDD: 1, JobsBefore: 0}, {RDD: 2, JobsBefore: 2}, {RDD: 3, JobsBefore: 4}}, 2},
		{3, []int{3, 4, 5}, []sparklog.Unpersist{{RDD: 2, JobsBefore: 1}, {RDD: 3, JobsBefore: 3}}, 3},
		{9, nil, []sparklog.Unpersist{{RDD: 3, JobsBefore: 0}}, 6},
	}
	for _, tc := range tests {
		a := app()
		n := FromJob(a, tc.first)
		var ids []int
		for _, j := range a.Jobs {
			ids = append(ids, j.ID)
		}
		if n != tc.wantDropped || !slices.Equal(ids, tc.wantIDs) || !slices.Equal(a.Unpersists, tc.wantUnp) {
			t.Errorf("FromJob(%d) = %d, jobs %v, unpersists %v; want %d, %v, %v", tc.first, n, ids, a.Unpersists, tc.wantDropped, tc.wantIDs, tc.wantUnp)
		}
		// Every unpersist still counts the jobs before it among the jobs kept.
		for _, u := range a.Unpersists {
			if u.JobsBefore < 0 || u.JobsBefore > len(a.Jobs) {
				t.Errorf("FromJob(%d): unpersist %v outside the %d jobs kept", tc.first, u, len(a.Jobs))
			}
		}
	}
}
