package cpushare

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestRatesByHand checks rates worked out by hand.
func TestRatesByHand(t *testing.T) {
	for _, tt := range []struct {
		cores   int
		threads []int
		want    []float64
	}{
		{4, []int{2}, []float64{1}},
		{4, []int{8}, []float64{0.5}},
		{4, []int{0}, []float64{1}},
		// Two pools on 4 cores: 2 each, so 1 thread gets a core, 6 threads 3 cores (what the
		// one thread cannot use goes to the other pool).
		{4, []int{1, 6}, []float64{1, 0.5}},
		{4, []int{6, 6}, []float64{2.0 / 6, 2.0 / 6}},
		{2, []int{0, 3, 1}, []float64{1, 1.0 / 3, 1}},
		{3, []int{2, 2, 2}, []float64{0.5, 0.5, 0.5}},
	} {
		rate := make([]float64, len(tt.threads))
		Rates(tt.cores, tt.threads, rate, nil)
		for p := range rate {
			if math.Abs(rate[p]-tt.want[p]) > 1e-12 {
				t.Errorf("%d cores, threads %v: rates %v, want %v", tt.cores, tt.threads, rate, tt.want)
				break
			}
		}
	}
}

// TestRatesShareFairly checks, over many random hosts, that the host runs min(cores, threads)
// cores' worth (sharing is work-conserving), no thread faster than a core, and no pool with
// threads below its equal part of the cores unless all its threads run at a full core.
func TestRatesShareFairly(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var order []int
	for trial := range 5000 {
		cores, pools := 1+r.IntN(16), 1+r.IntN(5)
		threads := make([]int, pools)
		total, busy := 0, 0
		for p := range threads {
			if r.IntN(4) > 0 {
				threads[p] = r.IntN(20)
			}
			total += threads[p]
			if threads[p] > 0 {
				busy++
			}
		}
		rate := make([]float64, pools)
		order = Rates(cores, threads, rate, order)
		used := 0.0
		for p, n := range threads {
			used += rate[p] * float64(n)
			if rate[p] <= 0 || rate[p] > 1+1e-12 {
				t.Fatalf("trial %d: %v threads on %d cores: pool %d's threads run at %v cores", trial, threads, cores, p, rate[p])
			}
			if n > 0 && rate[p] < 1-1e-12 && rate[p]*float64(n) < float64(cores)/float64(busy)-1e-9 {
				t.Fatalf("trial %d: %v threads on %d cores: pool %d gets %.3f cores", trial, threads, cores, p, rate[p]*float64(n))
			}
		}
		if want := float64(min(cores, total)); math.Abs(used-want) > 1e-9 {
			t.Fatalf("trial %d: %v threads on %d cores use %.6f cores, want %.0f", trial, threads, cores, used, want)
		}
	}
}
