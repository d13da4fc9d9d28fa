package realrun_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"tunesim/costmodel"
	"tunesim/realrun"
	"tunesim/scenarios"
	"tunesim/sim"
	"tunesim/trace"
	"tunesim/tuning"
)

// key is what a span says about the work, leaving out when and (for tasks) on which slot; without
// ids, also which job, stage and tuner thread, which in parallel runs depend on timing.
func key(s trace.Span, withIDs bool) string {
	k := fmt.Sprintf("%s %s fit=%d map=%d fold=%d", s.Kind, s.Name, s.Fit, s.ParamMap, s.Fold)
	if withIDs {
		k += fmt.Sprintf(" job=%d stage=%d part=%d", s.Job, s.Stage, s.Partition)
	}
	if withIDs && s.Kind != trace.KindTask {
		k += fmt.Sprintf(" exec=%d slot=%d", s.Executor, s.Slot)
	}
	return k
}

func keys(t *trace.Trace, withIDs bool) []string {
	var out []string
	for _, s := range t.Spans {
		out = append(out, key(s, withIDs))
	}
	slices.Sort(out)
	return out
}

// TestSameSpansAsTheSimulation runs scenarios for real and simulates the same plan (with the
// refit of the param map the real run chose): serially, the two traces hold the same spans — kind,
// operation, fit, job, stage and partition ids, tuner thread — and only their times differ. In
// parallel, job ids and tuner threads follow the race between fits, so the spans match without them.
func TestSameSpansAsTheSimulation(t *testing.T) {
	prof, err := costmodel.Load("default", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"testdata/small-tvs.json", "testdata/small-cv.json", "testdata/small-cv-pca.json"} {
		for _, par := range []int{1, 3} {
			s, err := scenarios.Load(path)
			if err != nil {
				t.Fatal(err)
			}
			res, err := realrun.Run(context.Background(), s, realrun.Options{Parallelism: par})
			if err != nil {
				t.Fatal(err)
			}
			sc := *s
			sc.Tuner.Parallelism = par
			p, err := tuning.New(&sc)
			if err != nil {
				t.Fatal(err)
			}
			st, err := sim.Trace(p.WithRefit(res.Best), prof, sim.Options{Seed: s.Seed})
			if err != nil {
				t.Fatal(err)
			}
			withIDs := par == 1
			got, want := keys(res.Trace, withIDs), keys(st, withIDs)
			if !slices.Equal(got, want) {
				for i := range min(len(got), len(want)) {
					if got[i] != want[i] {
						t.Errorf("%s P=%d: %d spans, simulation %d; first difference: real %q, sim %q", path, par, len(got), len(want), got[i], want[i])
						break
					}
				}
				if len(got) != len(want) {
					t.Errorf("%s P=%d: %d spans, simulation %d", path, par, len(got), len(want))
				}
			}
			if g, w := res.Trace.Metrics(), st.Metrics(); g.Tasks != w.Tasks || g.Jobs != w.Jobs || g.Stages != w.Stages || g.Fits != w.Fits || g.Slots != w.Slots {
				t.Errorf("%s P=%d: real metrics %+v, simulated %+v", path, par, g, w)
			}
		}
	}
}
