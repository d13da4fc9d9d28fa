package whatif

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"tunesim/sim"
	"tunesim/sparklog"
)

// costs are a synthetic tuning's true costs: a summarizer task of SummaryFixed + SummaryPerRow x
// the data's rows that reads one block whatever the size (its records say nothing of the size),
// LR and evaluator tasks of Fixed + PerRecord x their records, and driver gaps of GapFixed +
// GapPerRow x the data's rows.
type costs struct {
	Fixed, PerRecord, SummaryFixed, SummaryPerRow, GapFixed, GapPerRow time.Duration
}

// sized is the serial log of a CrossValidator over rows rows on one slot, its tasks and gaps
// priced by c: each fit a summarizer job over all the rows, an LR job over the fold's training
// part (rows x (folds-1)/folds) and an evaluator job over its validation part; the refit the first
// two over all the rows. stage renames the LR stage (another tuning's stages).
func sized(folds, maps int, rows int64, c costs, stage string) *sparklog.App {
	app := &sparklog.App{}
	id := 0
	gap := c.GapFixed + time.Duration(rows)*c.GapPerRow
	job := func(at time.Duration, name, det string, records int64, d time.Duration, persisted map[int]string) time.Duration {
		j := &sparklog.Job{ID: id, Submit: at, End: at + d, Succeeded: true, Props: map[string]string{},
			Stages: []*sparklog.Stage{{ID: id, Name: name, Details: det, NumTasks: 1, Submit: at, End: at + d, Persisted: persisted,
				Tasks: []sparklog.Task{{Launch: at, Finish: at + d, Records: records}}}}}
		app.Jobs = append(app.Jobs, j)
		id++
		return at + d
	}
	clock := job(0, "count at X.scala:1", "", rows, time.Millisecond, nil)
	fit := func(fold int, refit bool) {
		train, val := rows*int64(folds-1)/int64(folds), rows/int64(folds)
		persisted := map[int]string{100 + fold: fmt.Sprintf("train fold %d", fold)}
		if refit {
			train, persisted = rows, map[int]string{99: "data"}
		}
		clock = job(clock+gap, "treeAggregate at Summarizer.scala:238", estDetails, 1, c.SummaryFixed+time.Duration(rows)*c.SummaryPerRow, persisted)
		clock = job(clock+gap, stage, estDetails, train, c.Fixed+time.Duration(train)*c.PerRecord, persisted)
		if !refit {
			clock = job(clock+gap, "collect at AreaUnderCurve.scala:44", evalDetails, val, c.Fixed+time.Duration(val)*c.PerRecord, persisted)
		}
	}
	for f := 0; f < folds; f++ {
		for m := 0; m < maps; m++ {
			fit(f, false)
		}
	}
	fit(0, true)
	app.End = clock + time.Second
	return app
}

const lrStage = "treeAggregate at RDDLossFunction.scala:61"

func findSized(t *testing.T, folds, maps int, rows int64, c costs, stage string) *Tuning {
	t.Helper()
	tun, err := Find(sized(folds, maps, rows, c, stage), syntheticInfo(), Hints{})
	if err != nil {
		t.Fatalf("%d rows: %v", rows, err)
	}
	return tun
}

// serial is the serial replay's makespan of the tuning at f x its rows, priced by o.
func serial(t *testing.T, tun *Tuning, o Options) time.Duration {
	t.Helper()
	p, m, err := tun.Plan(o)
	if err != nil {
		t.Fatal(err)
	}
	mt, err := sim.Run(p, m, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return mt.Makespan
}

// Logs at two sizes of a tuning whose every cost is linear in the rows predict a third size
// exactly: the serial replay at 4x the larger equals the replay of the log made at that size,
// whichever order the logs come in; the larger log alone, which cannot see the driver's or the
// summarizer's growth, does not.
func TestSizesPredictAThirdSizeExactly(t *testing.T) {
	for _, tc := range []struct {
		name       string
		small, big int64
		f          float64
		c          costs
	}{
		{"all costs grow", 3000, 12000, 4, costs{20 * time.Millisecond, 10 * time.Microsecond, 30 * time.Millisecond, 5 * time.Microsecond, 40 * time.Millisecond, 2 * time.Microsecond}},
		{"fixed costs only in the driver", 6000, 12000, 8, costs{5 * time.Millisecond, 20 * time.Microsecond, 10 * time.Millisecond, 1 * time.Microsecond, 50 * time.Millisecond, 0}},
		{"sizes 10x apart, 2.5x beyond", 1200, 12000, 2.5, costs{50 * time.Millisecond, 1 * time.Microsecond, 5 * time.Millisecond, 30 * time.Microsecond, 10 * time.Millisecond, 4 * time.Microsecond}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := findSized(t, 3, 2, tc.small, tc.c, lrStage)
			b := findSized(t, 3, 2, tc.big, tc.c, lrStage)
			truth := serial(t, findSized(t, 3, 2, int64(float64(tc.big)*tc.f), tc.c, lrStage), Options{})
			for _, order := range [][]*Tuning{{a, b}, {b, a}} {
				s, err := FitSizes(order, []string{"first", "second"})
				if err != nil {
					t.Fatal(err)
				}
				if got := s.Logs[s.Largest].RelSize; got != 1 || s.Spread() != float64(tc.big)/float64(tc.small) {
					t.Fatalf("largest log's size %v, spread %v; want 1 and %v", got, s.Spread(), float64(tc.big)/float64(tc.small))
				}
				got := serial(t, order[s.Largest], Options{ScaleRows: tc.f, Sizes: s})
				if rel := math.Abs(got.Seconds()/truth.Seconds() - 1); rel > 1e-6 {
					t.Errorf("predicted %v at %gx, the log at that size replays in %v", got, tc.f, truth)
				}
			}
			alone := serial(t, b, Options{ScaleRows: tc.f})
			if tc.c.GapPerRow+tc.c.SummaryPerRow > 0 && alone >= truth {
				t.Errorf("the larger log alone predicts %v, want less than the truth %v (it cannot see the driver's growth)", alone, truth)
			}
		})
	}
}

// One log's Sizes price a what-if as Tuning.Scale does: the same fits, and no driver growth.
func TestSizesOfOneLogAreScale(t *testing.T) {
	b := findSized(t, 3, 2, 12000, costs{20 * time.Millisecond, 10 * time.Microsecond, 30 * time.Millisecond, 5 * time.Microsecond, 40 * time.Millisecond, 2 * time.Microsecond}, lrStage)
	s, err := FitSizes([]*Tuning{b}, []string{"b"})
	if err != nil {
		t.Fatal(err)
	}
	got, want := s.Scale(3), b.Scale(3)
	if !reflect.DeepEqual(got.Fits, want.Fits) {
		t.Errorf("fits %+v, Scale's %+v", got.Fits, want.Fits)
	}
	for op, perSize := range got.driver {
		if perSize != 0 {
			t.Errorf("driver %s grows %v a size from one log", op, perSize)
		}
	}
	if !strings.Contains(s.Confidence(), "logs of one size") {
		t.Errorf("confidence %q does not say the logs are of one size", s.Confidence())
	}
}

// Logs of different tunings are refused, naming what differs.
func TestSizesRefuseDifferentTunings(t *testing.T) {
	c := costs{Fixed: 10 * time.Millisecond, PerRecord: time.Microsecond, SummaryFixed: time.Millisecond, GapFixed: time.Millisecond}
	base := findSized(t, 3, 2, 3000, c, lrStage)
	for _, tc := range []struct {
		name, want string
		other      *Tuning
	}{
		{"param maps", "param maps 2 vs 3", findSized(t, 3, 3, 3000, c, lrStage)},
		{"folds", "folds 3 vs 2", findSized(t, 2, 2, 3000, c, lrStage)},
		{"tuner", "tuner CrossValidator vs TrainValidationSplit", findSized(t, 1, 2, 3000, c, lrStage)},
		{"stages", `stages only in the second: "treeAggregate at Other.scala:1"`, findSized(t, 3, 2, 3000, c, "treeAggregate at Other.scala:1")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := FitSizes([]*Tuning{base, tc.other}, []string{"a", "b"})
			if !errors.Is(err, ErrDifferentTunings) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v; want ErrDifferentTunings naming %q", err, tc.want)
			}
		})
	}
	if _, err := FitSizes([]*Tuning{base, findSized(t, 3, 2, 9000, c, lrStage)}, []string{"a", "b"}); err != nil {
		t.Errorf("the same tuning at another size: %v", err)
	}
}

// Two serial logs of one GeneralizedLinearRegression CrossValidator, one in local[2] and one on a
// standalone 2 x 2 cluster (the fixtures of whatif and of the CLI's several-logs tests): the same
// tuning, but not runs of the same work, so no fit across them, at one size or several.
func TestSizesRefuseLogsOfOtherClusters(t *testing.T) {
	local, err := find(t, "../cmd/simulate/testdata/glr-cv/local-4p-1796489027669.zstd", Hints{})
	if err != nil {
		t.Fatal(err)
	}
	sa22, err := find(t, "testdata/sa22-glr-serial", Hints{})
	if err != nil {
		t.Fatal(err)
	}
	if err := SameTuning(local, sa22); err != nil {
		t.Fatalf("the two logs are not of the same tuning, so the test checks nothing: %v", err)
	}
	_, err = FitSizes([]*Tuning{local, sa22}, []string{"local", "sa22"})
	if err == nil || !strings.Contains(err.Error(), "sa22 ran on 2 executors x 2 cores, local on local[2]") {
		t.Errorf("error %v; want the two clusters named", err)
	}
}

// A what-if past ExtrapolationLimit x the largest log is flagged, one within it is not.
func TestSizesFlagExtrapolationPastTheLimit(t *testing.T) {
	c := costs{Fixed: 10 * time.Millisecond, PerRecord: time.Microsecond, SummaryFixed: time.Millisecond, GapFixed: time.Millisecond}
	s, err := FitSizes([]*Tuning{findSized(t, 3, 2, 3000, c, lrStage), findSized(t, 3, 2, 12000, c, lrStage)}, []string{"a", "b"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		f      float64
		beyond bool
	}{{0.5, false}, {4, false}, {ExtrapolationLimit, false}, {ExtrapolationLimit * 1.01, true}, {1000, true}} {
		e := s.Extrapolation(tc.f)
		if e.Beyond != tc.beyond || (e.Warning != "") != tc.beyond {
			t.Errorf("%gx: beyond %v, warning %q; want beyond %v", tc.f, e.Beyond, e.Warning, tc.beyond)
		}
		var b strings.Builder
		e.Write(&b)
		if strings.Contains(b.String(), "WARNING") != tc.beyond || !strings.Contains(b.String(), "how sure") {
			t.Errorf("%gx: printed\n%s", tc.f, b.String())
		}
	}
}

// A factor that is not a finite number > 0 is refused.
func TestPlanRefusesBadScale(t *testing.T) {
	b := findSized(t, 3, 2, 3000, costs{Fixed: time.Millisecond}, lrStage)
	for _, f := range []float64{-1, math.NaN(), math.Inf(1), math.Inf(-1)} {
		if _, _, err := b.Plan(Options{ScaleRows: f}); err == nil {
			t.Errorf("scale %v: no error", f)
		}
	}
}
