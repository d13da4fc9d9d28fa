package experiment

import (
	"context"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"tunesim/costmodel"
	"tunesim/scenarios"
	"tunesim/trace"
)

// fakeMeasurer hands out runs whose makespan is makespan[p] (seconds), recording what it was asked.
type fakeMeasurer struct {
	makespan map[int]float64
	// best is the best param map of each call, in order (0 when the list runs out).
	best   []int
	calls  []string
	warmed bool
}

func (f *fakeMeasurer) Source() string { return "real" }

func (f *fakeMeasurer) WarmUp(context.Context, *scenarios.Scenario) error {
	f.calls = append(f.calls, "warm-up")
	f.warmed = true
	return nil
}

func (f *fakeMeasurer) Measure(_ context.Context, s *scenarios.Scenario, p int) (*Measurement, error) {
	n := len(f.calls)
	f.calls = append(f.calls, "p"+string(rune('0'+p)))
	best := 0
	if n < len(f.best) {
		best = f.best[n]
	}
	plan, err := PlanOf(s, p, best)
	if err != nil {
		return nil, err
	}
	return &Measurement{Trace: fakeTrace(p, f.makespan[p]), Plan: plan, Best: best,
		BestParams: plan.ParamMaps[best].Map(), BestMetric: 1}, nil
}

// fakeTrace is a run of one fit span lasting makespan seconds on 2 host cores and 8 slots.
func fakeTrace(p int, makespan float64) *trace.Trace {
	return &trace.Trace{Source: "real", Parallelism: p, Executors: []trace.Executor{{Slots: 8, HostCores: 2}},
		Spans: []trace.Span{{Kind: trace.KindFit, Fit: 0, Start: 0, End: time.Duration(makespan * float64(time.Second))}}}
}

// quietCampaign runs a campaign of m on the seed, watched on a host that stays idle.
func quietCampaign(t *testing.T, m Measurer, ps []int, runs int) (*Measured, error) {
	_, probe := newHostScript(t)
	c := &Campaign{Measurer: m, Scenario: seed(t), Parallelisms: ps, Runs: runs, Probe: probe}
	return c.Run(context.Background())
}

func seed(t *testing.T) *scenarios.Scenario {
	t.Helper()
	s, err := scenarios.Load("seed-tvs")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestCampaignRunsRoundRobinAfterTheWarmUp(t *testing.T) {
	f := &fakeMeasurer{makespan: map[int]float64{1: 1, 3: 0.5}}
	var progress []int
	_, probe := newHostScript(t)
	c := &Campaign{Measurer: f, Scenario: seed(t), Parallelisms: []int{1, 3}, Runs: 2, Probe: probe, Progress: func(done, total int) {
		if total != 4 {
			t.Errorf("progress total %d, want 4", total)
		}
		progress = append(progress, done)
	}}
	ms, err := c.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// Every other round backwards: a drift that speeds the runs up (a warming JVM) touches both
	// parallelisms alike over the rounds.
	if want := []string{"warm-up", "p1", "p3", "p3", "p1"}; !reflect.DeepEqual(f.calls, want) {
		t.Errorf("calls %v, want %v", f.calls, want)
	}
	if want := []int{1, 2, 3, 4}; !reflect.DeepEqual(progress, want) {
		t.Errorf("progress %v, want %v", progress, want)
	}
	if len(ms.Runs) != 2 || len(ms.Runs[0]) != 2 || ms.Runs[1][0].Trace.Parallelism != 3 {
		t.Fatalf("runs per parallelism: %d, %d", len(ms.Runs[0]), len(ms.Runs[1]))
	}
}

func TestResultsSpeedupReference(t *testing.T) {
	tests := []struct {
		ps          []int
		wantSpeedup []float64
		wantNote    string
	}{
		{[]int{1, 2, 4}, []float64{1, 1.6, 2}, ""},
		{[]int{4, 2}, []float64{1.25, 1}, "speedup is over parallelism 2"},
	}
	for _, tt := range tests {
		f := &fakeMeasurer{makespan: map[int]float64{1: 1.6, 2: 1, 4: 0.8}}
		ms, err := quietCampaign(t, f, tt.ps, 3)
		if err != nil {
			t.Fatal(err)
		}
		results, note := ms.Results()
		for i, r := range results {
			if r.Parallelism != tt.ps[i] || r.Runs != 3 || math.Abs(r.Speedup.P50-tt.wantSpeedup[i]) > 1e-12 {
				t.Errorf("%v: result %d: parallelism %d, %d runs, speedup %g; want %d, 3, %g", tt.ps, i, r.Parallelism, r.Runs, r.Speedup.P50, tt.ps[i], tt.wantSpeedup[i])
			}
		}
		if (tt.wantNote == "") != (note == "") || !strings.Contains(note, tt.wantNote) {
			t.Errorf("%v: note %q, want %q", tt.ps, note, tt.wantNote)
		}
	}
}

func TestDisagreementsCountsOtherBestParamMaps(t *testing.T) {
	f := &fakeMeasurer{makespan: map[int]float64{1: 1, 2: 1}, best: []int{0, 3, 0, 3, 5}}
	ms, err := quietCampaign(t, f, []int{1, 2}, 2)
	if err != nil {
		t.Fatal(err)
	}
	// best[0] goes to the warm-up's call slot: the runs chose 3, 0, 3, 5, and 0 and 5 differ from 3.
	if got := ms.Disagreements(); got != 2 {
		t.Errorf("Disagreements() = %d, want 2", got)
	}
}

func TestOnHostOf(t *testing.T) {
	s := seed(t) // local[8] on 8 host cores
	tests := []struct {
		name      string
		executors []trace.Executor
		driver    int
		want      scenarios.Cluster
	}{
		{"local run on 2 cores", []trace.Executor{{Slots: 8, HostCores: 2}}, 2,
			scenarios.Cluster{Local: true, Executors: 1, CoresPerExecutor: 8, HostCores: 2}},
		{"host cores unknown", []trace.Executor{{Slots: 8}}, 0,
			scenarios.Cluster{Local: true, Executors: 1, CoresPerExecutor: 8, HostCores: 8}},
		{"two executors on one host", []trace.Executor{{Host: "h", Slots: 2, HostCores: 4}, {Host: "h", Slots: 3, HostCores: 4}}, 4,
			scenarios.Cluster{Local: true, Executors: 1, CoresPerExecutor: 5, HostCores: 4}},
	}
	for _, tt := range tests {
		got := OnHostOf(s, &trace.Trace{Executors: tt.executors, DriverCores: tt.driver})
		if !reflect.DeepEqual(got.Cluster, tt.want) {
			t.Errorf("%s: cluster %+v, want %+v", tt.name, got.Cluster, tt.want)
		}
	}
	if s.Cluster.HostCores != 8 {
		t.Errorf("OnHostOf changed its argument: host cores %d", s.Cluster.HostCores)
	}
}

func TestCompareErrorsAgainstTheMeasurement(t *testing.T) {
	f := &fakeMeasurer{makespan: map[int]float64{1: 0.5, 2: 0.4}}
	s := seed(t)
	ms, err := quietCampaign(t, f, []int{1, 2}, 1)
	if err != nil {
		t.Fatal(err)
	}
	prof, err := costmodel.Load("default", "")
	if err != nil {
		t.Fatal(err)
	}
	v, err := Compare(s, prof, "default", ms, "real")
	if err != nil {
		t.Fatal(err)
	}
	if v.Against != "real" || v.Runs != 1 || len(v.Rows) != 2 || v.Host != "2 host cores, 8 slots" {
		t.Fatalf("validation %+v", v)
	}
	for i, r := range v.Rows {
		real := []float64{0.5, 0.4}[i]
		if r.RealS != real || math.Abs(r.ErrorPct-100*(r.SimulatedS-real)/real) > 1e-9 {
			t.Errorf("row %d: real %g, simulated %g, error %g%%", i, r.RealS, r.SimulatedS, r.ErrorPct)
		}
	}
}
