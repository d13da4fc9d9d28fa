package realrun

import (
	"context"
	"errors"
	"math"
	"sort"
	"testing"
	"testing/synctest"
	"time"

	"gonum.org/v1/gonum/mat"

	"tunesim/estimators"
	"tunesim/scenarios"
	"tunesim/trace"
	"tunesim/tuning"
)

func load(t testing.TB, path string) *scenarios.Scenario {
	t.Helper()
	s, err := scenarios.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// small scenarios that run in well under a second each, even with -race.
var smallScenarios = []string{"testdata/small-tvs.json", "testdata/small-cv.json", "testdata/small-cv-pca.json"}

// serialLoop is the tuner done directly: for every fold and param map, PCA by SVD of the whole
// centred training matrix, ridge by a direct solve, RMSE on the whole validation matrix; the mean
// over folds per param map, and the first smallest.
func serialLoop(t *testing.T, p *tuning.Plan, seed uint64) ([]float64, int) {
	t.Helper()
	d := NewData(p, seed)
	metrics := make([]float64, len(p.ParamMaps))
	for round := range p.Rounds {
		x, y := d.Matrix(1 + 2*round)
		xv, yv := d.Matrix(2 + 2*round)
		for m, pm := range p.ParamMaps {
			var pc *mat.Dense
			if k, ok := pm.Get(estimators.ParamPCAK); ok {
				pc = directPCA(t, x, int(k))
			}
			reg, _ := pm.Get(estimators.ParamLRRegParam)
			coef, icpt := directRidge(t, project(x, pc), y, reg)
			metrics[m] += directRMSE(project(xv, pc), yv, coef, icpt) / float64(len(p.Rounds))
		}
	}
	best := 0
	for m, v := range metrics {
		if v < metrics[best] {
			best = m
		}
	}
	return metrics, best
}

// TestBestMatchesSerialLoop runs each small scenario for real and checks every param map's metric
// and the chosen one against the direct serial loop, and the refit against a direct fit on the
// whole data.
func TestBestMatchesSerialLoop(t *testing.T) {
	for _, path := range smallScenarios {
		s := load(t, path)
		res, err := Run(context.Background(), s, Options{})
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		p, _ := tuning.New(s)
		want, best := serialLoop(t, p, s.Seed)
		for m := range want {
			if !closeRel(res.Metrics[m], want[m], 1e-9) {
				t.Errorf("%s: param map %d: RMSE %.12g, serial loop %.12g", path, m, res.Metrics[m], want[m])
			}
		}
		if res.Best != best || res.BestMetric != res.Metrics[best] {
			t.Errorf("%s: best %d (%g), serial loop %d (%g)", path, res.Best, res.BestMetric, best, want[best])
		}
		if got := p.ParamMaps[best].Map(); len(got) != len(res.BestParams) {
			t.Errorf("%s: best params %v, want %v", path, res.BestParams, got)
		}
		// The refit: the best param map on the whole, uncached data.
		d := NewData(p, s.Seed)
		x, y := d.Matrix(0)
		var pc *mat.Dense
		if k, ok := p.ParamMaps[best].Get(estimators.ParamPCAK); ok {
			// The direct components, each column's sign aligned with the run's.
			pc = directPCA(t, x, int(k))
			for c := range int(k) {
				if mat.Dot(pc.ColView(c), res.Model.PC.ColView(c)) < 0 {
					for i := range d.Features {
						pc.Set(i, c, -pc.At(i, c))
					}
				}
			}
		}
		reg, _ := p.ParamMaps[best].Get(estimators.ParamLRRegParam)
		coef, icpt := directRidge(t, project(x, pc), y, reg)
		for j := range coef {
			if !closeRel(res.Model.Coef[j], coef[j], 1e-6) {
				t.Errorf("%s: refit coef[%d] = %.10g, direct %.10g", path, j, res.Model.Coef[j], coef[j])
			}
		}
		if !closeRel(res.Model.Intercept, icpt, 1e-6) {
			t.Errorf("%s: refit intercept %.10g, direct %.10g", path, res.Model.Intercept, icpt)
		}
	}
}

// TestResultsDoNotDependOnParallelism: partials merge in a fixed order, so the metrics are the same
// bits at every parallelism.
func TestResultsDoNotDependOnParallelism(t *testing.T) {
	s := load(t, "testdata/small-cv.json")
	var first []float64
	for _, p := range []int{1, 2, 5} {
		res, err := Run(context.Background(), s, Options{Parallelism: p})
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = res.Metrics
			continue
		}
		for m := range first {
			if res.Metrics[m] != first[m] {
				t.Errorf("parallelism %d: param map %d: %v, at 1: %v", p, m, res.Metrics[m], first[m])
			}
		}
	}
}

// TestLimitsAndOrder checks, on the trace and on the run's own counters, that the slot pool never
// runs more tasks than it has slots and a slot runs one task at a time, that at most parallelism
// fits run at once, that folds are barriers and the refit comes last, and that each cached
// partition is built once.
func TestLimitsAndOrder(t *testing.T) {
	for _, path := range smallScenarios {
		for _, par := range []int{1, 2, 5} {
			s := load(t, path)
			res, err := Run(context.Background(), s, Options{Parallelism: par})
			if err != nil {
				t.Fatal(err)
			}
			tr := res.Trace
			slots := s.Cluster.Slots()
			name := path + " P=" + itoa(par)
			if res.MaxRunningTasks > slots || tr.MaxConcurrency(trace.KindTask) > slots {
				t.Errorf("%s: %d tasks ran at once (trace: %d) on %d slots", name, res.MaxRunningTasks, tr.MaxConcurrency(trace.KindTask), slots)
			}
			if res.MaxRunningFits > par || tr.MaxConcurrency(trace.KindFit) > par {
				t.Errorf("%s: %d fits ran at once (trace: %d), parallelism %d", name, res.MaxRunningFits, tr.MaxConcurrency(trace.KindFit), par)
			}
			checkLanes(t, name, tr)
			checkRounds(t, name, tr, s)
			p, _ := tuning.New(s)
			cached := 0
			for _, sp := range p.Splits {
				if sp.Cached {
					cached += len(sp.Rows)
				}
			}
			if len(res.Materialized) != cached {
				t.Errorf("%s: %d cached partitions built, want %d (each once)", name, len(res.Materialized), cached)
			}
			if tr.Source != "real" || tr.DriverCores < 1 || len(tr.Executors) != s.Cluster.Executors || tr.Fits != len(p.Fits) {
				t.Errorf("%s: trace header %+v", name, tr)
			}
		}
	}
}

// checkLanes: no two tasks overlap on one slot, no two driver or fit spans on one tuner thread.
func checkLanes(t *testing.T, name string, tr *trace.Trace) {
	t.Helper()
	type lane struct {
		kind       trace.Kind
		exec, slot int
	}
	byLane := map[lane][]trace.Span{}
	for _, s := range tr.Spans {
		switch s.Kind {
		case trace.KindTask, trace.KindFit:
			byLane[lane{s.Kind, s.Executor, s.Slot}] = append(byLane[lane{s.Kind, s.Executor, s.Slot}], s)
		}
	}
	for l, spans := range byLane {
		sort.Slice(spans, func(i, j int) bool { return spans[i].Start < spans[j].Start })
		for i := 1; i < len(spans); i++ {
			if spans[i].Start < spans[i-1].End {
				t.Errorf("%s: %v overlaps on lane %v: %+v and %+v", name, l.kind, l, spans[i-1], spans[i])
				return
			}
		}
	}
}

// checkRounds: every fit of a fold ends before any fit of the next starts; the refit starts after
// them all; fits start in queue order within a round.
func checkRounds(t *testing.T, name string, tr *trace.Trace, s *scenarios.Scenario) {
	t.Helper()
	rounds := s.Tuner.Rounds()
	end := make([]time.Duration, rounds)
	start := make([]time.Duration, rounds)
	for i := range start {
		start[i] = math.MaxInt64
	}
	var refit *trace.Span
	fits := map[int]trace.Span{}
	for _, sp := range tr.Spans {
		if sp.Kind != trace.KindFit {
			continue
		}
		if sp.Fold == trace.None {
			refit = &sp
			continue
		}
		fits[sp.Fit] = sp
		end[sp.Fold] = max(end[sp.Fold], sp.End)
		start[sp.Fold] = min(start[sp.Fold], sp.Start)
	}
	for f := 1; f < rounds; f++ {
		if start[f] < end[f-1] {
			t.Errorf("%s: fold %d starts at %v before fold %d ends at %v", name, f, start[f], f-1, end[f-1])
		}
	}
	if refit == nil || refit.Start < end[rounds-1] || refit.Slot != 0 {
		t.Errorf("%s: refit %+v, last fold ends at %v", name, refit, end[rounds-1])
	}
	for i := 1; i < len(fits); i++ {
		if fits[i].Fold == fits[i-1].Fold && fits[i].Start < fits[i-1].Start {
			t.Errorf("%s: fit %d starts before fit %d", name, i, i-1)
		}
	}
}

// TestCancelStopsCleanly cancels a run after its first fit: the run ends with the context's error
// and leaves no goroutine behind (synctest fails the test if one stays blocked).
func TestCancelStopsCleanly(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := load(t, "testdata/small-cv.json")
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		_, err := Run(ctx, s, Options{Parallelism: 2, Progress: func(done, total int) {
			if done == 1 {
				cancel()
			}
		}})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	})
}

// TestRunNeedsAGoodScenario: bad options and scenarios are errors, not panics.
func TestRunNeedsAGoodScenario(t *testing.T) {
	s := load(t, "testdata/small-tvs.json")
	if _, err := Run(context.Background(), s, Options{Parallelism: -1}); err == nil {
		t.Error("parallelism -1: want an error")
	}
	bad := *s
	bad.Data.Partitions = 0
	if _, err := Run(context.Background(), &bad, Options{}); err == nil {
		t.Error("0 partitions: want an error")
	}
}

func itoa(n int) string {
	b := []byte{}
	for {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
		if n == 0 {
			return string(b)
		}
	}
}
