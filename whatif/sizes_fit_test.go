package whatif

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"tunesim/sparklog"
)

// tuningOf is a one-fit tuning whose stages' tasks read the records given, by stage name.
func tuningOf(records map[string][]int64) *Tuning {
	var job sparklog.Job
	for name, rs := range records {
		st := &sparklog.Stage{Name: name}
		for i, r := range rs {
			st.Tasks = append(st.Tasks, sparklog.Task{Index: i, Records: r, Finish: time.Millisecond})
		}
		job.Stages = append(job.Stages, st)
	}
	return &Tuning{Fits: []Fit{{Jobs: []*sparklog.Job{&job}}}}
}

// A cached DataFrame read a columnar batch at a time counts its batches as records, a batch or two
// a partition at any size: the bytes its tasks read tell the data's size instead.
func TestRelativeSizeFromBytes(t *testing.T) {
	withBytes := func(records map[string][]int64, bytes map[string]int64) *Tuning {
		tun := tuningOf(records)
		for _, st := range tun.Fits[0].Jobs[0].Stages {
			for k := range st.Tasks {
				st.Tasks[k].Bytes = bytes[st.Name]
			}
		}
		return tun
	}
	a := withBytes(map[string][]int64{"idf": {1, 1}, "eval": {1}, "classes": {4}}, map[string]int64{"idf": 65000, "eval": 33000, "classes": 520})
	b := withBytes(map[string][]int64{"idf": {1, 1}, "eval": {1}, "classes": {4}}, map[string]int64{"idf": 260000, "eval": 132000, "classes": 520})
	if got := relativeSize(a, b); got != 4 {
		t.Errorf("relative size %v, want 4 (the bytes' growth)", got)
	}
	if got := relativeSize(b, a); got != 0.25 {
		t.Errorf("relative size the other way %v, want 0.25", got)
	}
}

// The data's relative size is told by the stages that read it record by record, however many
// stages read a block, a sample or an aggregate whose records barely grow.
func TestRelativeSizeWeighsTheDataStages(t *testing.T) {
	for _, tc := range []struct {
		name string
		a, b map[string][]int64
		want float64
	}{
		{"one data stage among aggregates",
			map[string][]int64{"data": {3000, 1500}, "blocks": {1, 1}, "classes": {2, 2}, "sample": {1, 1}, "first": {1}},
			map[string][]int64{"data": {12000, 6000}, "blocks": {2, 1}, "classes": {2, 2}, "sample": {3, 2}, "first": {2}},
			4},
		{"two data stages", map[string][]int64{"x": {1000}, "y": {1000}, "agg": {5}}, map[string][]int64{"x": {3000}, "y": {3000}, "agg": {5}}, 3},
		{"weights split evenly", map[string][]int64{"x": {100}, "y": {100}}, map[string][]int64{"x": {200}, "y": {400}}, 3},
		{"no records in common", map[string][]int64{"x": {100}}, map[string][]int64{"y": {400}}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := relativeSize(tuningOf(tc.a), tuningOf(tc.b)); got != tc.want {
				t.Errorf("relative size %v, want %v", got, tc.want)
			}
		})
	}
}

// Over random tunings, a data stage that reads more records than all the others together
// decides the relative size exactly, whatever the other stages read.
func TestRelativeSizeRandomAggregates(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 500 {
		ratio := float64(1+r.IntN(20)) / 2
		base := int64(1000 + r.IntN(5000))
		a := map[string][]int64{"data": {base}}
		b := map[string][]int64{"data": {int64(float64(base) * ratio)}}
		for k := range r.IntN(8) {
			name := string(rune('a' + k))
			a[name], b[name] = []int64{int64(1 + r.IntN(int(base)/10))}, []int64{int64(1 + r.IntN(100))}
		}
		if got := relativeSize(tuningOf(a), tuningOf(b)); math.Abs(got/(float64(b["data"][0])/float64(base))-1) > 1e-12 {
			t.Fatalf("case %d: relative size %v, want the data stage's %v", i, got, ratio)
		}
	}
}

// A slope drawn through noise alone is dropped as often as a one-sided test at twice the
// standard error allows (about 2.3%); a real one, five standard errors strong, is kept, and
// without the test the least-squares slope always stands.
func TestLineKeepsOnlySignificantSlopes(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	const trials, n = 2000, 40
	keptNoise, keptReal, keptPlain := 0, 0, 0
	for range trials {
		var noise, real line
		for k := range n {
			x := 0.25
			if k%2 == 1 {
				x = 1
			}
			e := r.NormFloat64() * 0.01
			noise.add(0, x, 0.05+e)
			// the slope's standard error is 0.01/sqrt(sxx), sxx = n/4 x 0.75^2
			real.add(0, x, 0.05+5*0.01/math.Sqrt(n/4*0.5625)*x+e)
		}
		if _, b := noise.fit(true); b > 0 {
			keptNoise++
		}
		if _, b := real.fit(true); b > 0 {
			keptReal++
		}
		if _, b := noise.fit(false); b > 0 || noise.slope() <= 0 {
			keptPlain++
		}
	}
	if rate := float64(keptNoise) / trials; rate > 0.05 {
		t.Errorf("noise kept as a slope in %.1f%% of trials, want about 2.3%%", 100*rate)
	}
	if rate := float64(keptReal) / trials; rate < 0.9 {
		t.Errorf("a 5-standard-error slope kept in %.1f%% of trials, want nearly all", 100*rate)
	}
	if keptPlain != trials {
		t.Errorf("without the test, the slope stood (or was rightly 0 when negative) in %d of %d trials", keptPlain, trials)
	}
}

// A stage that reads blocks (one at the smaller size, two at 4x) is priced per unit of data, not
// per record: logs at two sizes of a tuning whose costs are all linear in the rows still predict
// a third size exactly.
func TestSizesPriceBlockStagesBySize(t *testing.T) {
	c := costs{20 * time.Millisecond, 10 * time.Microsecond, 30 * time.Millisecond, 5 * time.Microsecond, 40 * time.Millisecond, 2 * time.Microsecond}
	blocks := func(tun *Tuning, rows int64) *Tuning {
		for _, f := range tun.Fits {
			for _, j := range f.Jobs {
				for _, st := range j.Stages {
					if st.Name == "treeAggregate at Summarizer.scala:238" {
						for k := range st.Tasks {
							st.Tasks[k].Records = max(1, rows/6000) // 1 block at 3000 rows, 2 at 12000
						}
					}
				}
			}
		}
		return tun
	}
	a := blocks(findSized(t, 3, 2, 3000, c, lrStage), 3000)
	b := blocks(findSized(t, 3, 2, 12000, c, lrStage), 12000)
	truth := serial(t, findSized(t, 3, 2, 48000, c, lrStage), Options{})
	s, err := FitSizes([]*Tuning{a, b}, []string{"a", "b"})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range s.Stages {
		if want := map[bool]string{true: UnitSize, false: UnitRecord}[f.Name == "treeAggregate at Summarizer.scala:238"]; f.Unit != want {
			t.Errorf("stage %s priced per %s, want per %s", f.Name, f.Unit, want)
		}
	}
	if got := serial(t, b, Options{ScaleRows: 4, Sizes: s}); math.Abs(got.Seconds()/truth.Seconds()-1) > 1e-6 {
		t.Errorf("predicted %v at 4x, the log at that size replays in %v", got, truth)
	}
}

// The confidence says how much of the largest log's time showed growth, and warns when less than
// half of it did.
func TestSizesConfidenceWarnsWhenLittleGrew(t *testing.T) {
	logs := []SizeLog{{Log: "small", RelSize: 0.25}, {Log: "large", RelSize: 1}}
	for _, tc := range []struct {
		name        string
		grew, fixed float64
		warn        bool
		share       string
	}{
		{"most grew", 3, 1, false, "75%"},
		{"a quarter grew", 1, 3, true, "25%"},
		{"none grew", 0, 4, true, "0%"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &Sizes{Logs: logs, Largest: 1,
				Stages: []CostFit{{Name: "grows", MeasuredS: tc.grew, PerUnitS: 1e-3, PerUnitSE: 1e-4}},
				Driver: []CostFit{{Name: "fixed", MeasuredS: tc.fixed}}}
			c := s.Confidence()
			if strings.Contains(c, "WARNING") != tc.warn || !strings.Contains(c, "found for "+tc.share) {
				t.Errorf("confidence %q; want a warning %v and the share %s", c, tc.warn, tc.share)
			}
			e := s.Extrapolation(4)
			if want := tc.grew / (tc.grew + tc.fixed); e.GrowthShown == nil || *e.GrowthShown != want || e.GrowthUnseen != tc.warn {
				t.Errorf("extrapolation growth shown %v, unseen %v; want %v, %v", e.GrowthShown, e.GrowthUnseen, want, tc.warn)
			}
		})
	}
}
