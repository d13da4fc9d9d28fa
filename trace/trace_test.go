package trace

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

func task(exec, slot int, start, end time.Duration) Span {
	return Span{Kind: KindTask, Name: "gramian", Fit: 0, Job: 0, Stage: 0, Partition: 0, Executor: exec, Slot: slot, Start: start, End: end}
}

func TestMetricsClosedForm(t *testing.T) {
	// 2 slots over 10 s: one busy 10 s, the other 4 s; two fits of 6 s and 4 s.
	tr := &Trace{Source: "test", Executors: []Executor{{ID: 0, Slots: 2}}, Spans: []Span{
		task(0, 0, 0, 10*time.Second),
		task(0, 1, 2*time.Second, 6*time.Second),
		{Kind: KindFit, Start: 0, End: 6 * time.Second},
		{Kind: KindFit, Start: 6 * time.Second, End: 10 * time.Second},
	}}
	m := tr.Metrics()
	if m.Makespan != 10*time.Second || m.Busy != 14*time.Second || m.Tasks != 2 || m.Fits != 2 {
		t.Fatalf("metrics %+v", m)
	}
	if u := m.Utilization(); math.Abs(u-0.7) > 1e-12 {
		t.Errorf("utilization %v, want 0.7", u)
	}
	if i := m.IdleCoreSeconds(); math.Abs(i-6) > 1e-12 {
		t.Errorf("idle core-seconds %v, want 6", i)
	}
	if f := m.MeanConcurrentFits(); math.Abs(f-1) > 1e-12 {
		t.Errorf("mean concurrent fits %v, want 1", f)
	}
	if s := Speedup(20*time.Second, m.Makespan); s != 2 {
		t.Errorf("speedup %v, want 2", s)
	}
}

func TestConcurrencySteps(t *testing.T) {
	tr := &Trace{Spans: []Span{
		{Kind: KindFit, Start: 0, End: 4},
		{Kind: KindFit, Start: 1, End: 3},
		{Kind: KindFit, Start: 3, End: 5}, // starts as the second ends: never 3 at once
		{Kind: KindTask, Start: 0, End: 9},
	}}
	want := []Step{{0, 1}, {1, 2}, {4, 1}, {5, 0}}
	if got := tr.Concurrency(KindFit); !reflect.DeepEqual(got, want) {
		t.Errorf("Concurrency = %v, want %v", got, want)
	}
	if got := tr.MaxConcurrency(KindFit); got != 2 {
		t.Errorf("MaxConcurrency = %d, want 2", got)
	}
}

func TestJSONRoundTrip(t *testing.T) {
	tr := &Trace{Source: "sim", Scenario: "s", Parallelism: 3, Seed: 9, Fits: 2, ParamMaps: []string{"a", "b"},
		Executors: []Executor{{ID: 0, Host: "h", Slots: 2, HostCores: 2}}, Attrs: map[string]string{"k": "v"},
		Spans: []Span{task(0, 1, 5, 7), {Kind: KindDriver, Name: "pca_eigen", Fit: 1, ParamMap: 1, Fold: None, Job: None, Stage: None, Partition: None, Executor: None, Slot: 1, Start: 7, End: 9}}}
	var b bytes.Buffer
	if err := tr.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	back, err := ReadJSON(&b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(tr, back) {
		t.Errorf("round trip:\n%+v\n%+v", tr, back)
	}
}

func TestReadJSONRejects(t *testing.T) {
	for _, in := range []string{`{"spans":[]}`, `{"source":"x","bogus":1}`, `{"source":"x","spans":[{"kind":"task","start_ns":5,"end_ns":1}]}`, `{"source":`} {
		if _, err := ReadJSON(strings.NewReader(in)); err == nil {
			t.Errorf("accepted %s", in)
		}
	}
}

func FuzzReadJSON(f *testing.F) {
	f.Add([]byte(`{"source":"sim","executors":[{"id":0,"slots":1}],"spans":[{"kind":"task","start_ns":0,"end_ns":3}]}`))
	f.Add([]byte(`{"source":"x"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		tr, err := ReadJSON(bytes.NewReader(b))
		if err != nil {
			return
		}
		m := tr.Metrics()
		if m.Makespan < 0 || m.Busy < 0 {
			t.Fatalf("negative metrics %+v from an accepted trace", m)
		}
	})
}

func TestQuantileAndSpread(t *testing.T) {
	s := NewSpread([]float64{5, 1, 4, 2, 3})
	if s.P50 != 3 || math.Abs(s.P10-1.4) > 1e-12 || math.Abs(s.P90-4.6) > 1e-12 {
		t.Errorf("spread %+v, want p10 1.4, p50 3, p90 4.6", s)
	}
	if one := NewSpread([]float64{7}); one != (Spread{7, 7, 7}) {
		t.Errorf("one value: %+v", one)
	}
}

func TestResultJSONAndRecommend(t *testing.T) {
	runs := func(mk ...float64) []Metrics {
		var out []Metrics
		for _, v := range mk {
			out = append(out, Metrics{Makespan: time.Duration(v * 1e9), Slots: 1})
		}
		return out
	}
	serial := []time.Duration{10e9, 10e9, 10e9}
	results := []Result{
		Summarize(1, runs(10, 10, 10), serial),
		Summarize(2, runs(5.2, 5.1, 5.3), serial),
		Summarize(4, runs(5, 5, 5), serial),
		Summarize(8, runs(4.99, 5, 5), serial),
	}
	if r := Recommend(results); r != 2 {
		t.Errorf("Recommend = %d, want 2 (5.2 is within 5%% of 5)", r)
	}
	// The best median is 5 (P=4; P=8's median is 5 too): within 1% only 4 and 8, within 0 the same.
	for _, tc := range []struct {
		tol  float64
		want int
	}{{0.05, 2}, {0.01, 4}, {0, 4}, {1, 1}} {
		if r := RecommendWithin(results, tc.tol); r != tc.want {
			t.Errorf("RecommendWithin(%g) = %d, want %d", tc.tol, r, tc.want)
		}
	}
	if RecommendWithin(nil, 0.05) != 0 {
		t.Error("RecommendWithin of no results is not 0")
	}
	if got, want := RuleWithin(0.01), "recommended: the smallest parallelism whose median makespan is within 1% of the best"; got != want {
		t.Errorf("RuleWithin(0.01) = %q, want %q", got, want)
	}
	b, err := json.Marshal(results[1])
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"parallelism":2`, `"makespan_s":5.2`, `"makespan_s_p10":`, `"speedup_p90":`, `"idle_core_s":`, `"mean_concurrent_fits":`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("%s lacks %s", b, key)
		}
	}
	var back Result
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back != results[1] {
		t.Errorf("JSON round trip: %+v, want %+v", back, results[1])
	}
	one, _ := json.Marshal(Summarize(3, runs(4), serial[:1]))
	if strings.Contains(string(one), "_p10") {
		t.Errorf("a single run has spread fields: %s", one)
	}
}
