package whatif

import (
	"errors"
	"math"
	"testing"
	"time"

	"tunesim/sparklog"
)

// A row factor is refused exactly when the extrapolated tasks' sum would pass time.Duration's
// range: the sum is the measured time plus the per-record cost x records x (factor-1), a closed
// form for tasks that lie on the fitted line.
func TestScaleCheckRefusesAnOverflowingFactor(t *testing.T) {
	const fixed, per = 3 * time.Millisecond, 2 * time.Microsecond
	var tasks []sparklog.Task
	var measured time.Duration
	var records int64
	for i, rec := range []int64{1000, 2000, 3000, 4500} {
		d := fixed + time.Duration(rec)*per
		tasks = append(tasks, sparklog.Task{Index: i, Finish: d, Records: rec})
		measured, records = measured+d, records+rec
	}
	st := &sparklog.Stage{Name: "treeAggregate at X.scala:1", Tasks: tasks}
	tun := &Tuning{Fits: []Fit{{Jobs: []*sparklog.Job{{Stages: []*sparklog.Stage{st}}}}}}
	// The factor at which the sum reaches the longest time.Duration.
	edge := (time.Duration(math.MaxInt64).Seconds()-measured.Seconds())/(per.Seconds()*float64(records)) + 1
	for _, tc := range []struct {
		factor float64
		ok     bool
	}{
		{0.5, true}, {4, true}, {1e6, true}, {edge * 0.999, true},
		{edge * 1.001, false}, {1e300, false}, {math.MaxFloat64, false},
	} {
		err := tun.Scale(tc.factor).check(tun)
		if tc.ok != (err == nil) || (err != nil && !errors.Is(err, ErrScaleOverflow)) {
			t.Errorf("factor %g (edge %g): %v, want ok %v", tc.factor, edge, err, tc.ok)
		}
	}
}

// Predict refuses a factor that is not a finite number > 0 before fitting anything.
func TestPredictRefusesABadRowFactor(t *testing.T) {
	tun, err := find(t, "testdata/lr-text-serial", Hints{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []float64{math.NaN(), math.Inf(1), math.Inf(-1), -2, 1e300} {
		if _, err := tun.Predict(Options{ScaleRows: f}, CPUOptions{}); err == nil {
			t.Errorf("scale rows %g: no error", f)
		}
	}
}
