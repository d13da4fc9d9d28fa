package sim

import (
	"math"
	"testing"
)

// drain runs host h until every thread has finished and returns each thread's end by id.
func drain(t *testing.T, h *host) map[int32]int64 {
	t.Helper()
	ends := map[int32]int64{}
	for range 1000 {
		at, ok := h.next()
		if !ok {
			return ends
		}
		h.advance(at)
		for {
			id, done := h.popDone()
			if !done {
				break
			}
			ends[id] = at
		}
	}
	t.Fatal("the host never ran dry")
	return nil
}

// TestHostSharesAmongProcessesFirst checks processor sharing by process pools against closed
// forms: the cores go equally to the pools with threads, none taking more than a core per
// thread, and each pool's part equally to its threads.
func TestHostSharesAmongProcessesFirst(t *testing.T) {
	type th struct {
		pool int32
		work int64
	}
	tests := []struct {
		name    string
		cores   int
		pools   int
		threads []th
		want    []int64 // each thread's end, by index
	}{
		// One pool is plain processor sharing: 4 threads on 2 cores run at 1/2 until the short
		// one ends at 2000 (1000 of work), then 3 at 2/3: 2000 left each takes 3000 more.
		{"one pool", 2, 1, []th{{0, 3000}, {0, 3000}, {0, 3000}, {0, 1000}}, []int64{5000, 5000, 5000, 2000}},
		// The lone thread's process gets a core of its own (1000 of work by 1000); the other
		// three share the other core at 1/3 until then (333.3 done), then both cores at 2/3:
		// 2666.7 left takes 4000 more.
		{"a lone process gets its core", 2, 2, []th{{0, 3000}, {0, 3000}, {0, 3000}, {1, 1000}}, []int64{5000, 5000, 5000, 1000}},
		// Three processes of one thread each and a fourth of five threads on 4 cores: a core
		// each, so the five run at 1/5 while the others run (to 1000, 200 done), then at 4/5
		// with 4800 left: 6000 more.
		{"four processes on four cores", 4, 4, []th{{0, 1000}, {1, 1000}, {2, 1000}, {3, 5000}, {3, 5000}, {3, 5000}, {3, 5000}, {3, 5000}}, []int64{1000, 1000, 1000, 7000, 7000, 7000, 7000, 7000}},
		// A process with fewer threads than its equal part leaves the rest to the others:
		// 3 cores, pools of 1 and 4 threads: 1 core to the first, 2 to the four (1/2 each).
		{"what one cannot use goes to the others", 3, 2, []th{{0, 2000}, {1, 1000}, {1, 1000}, {1, 1000}, {1, 1000}}, []int64{2000, 2000, 2000, 2000, 2000}},
		// An idle pool takes nothing: one thread on a 2-core host of 3 pools runs at a full core.
		{"idle pools take nothing", 2, 3, []th{{2, 1500}}, []int64{1500}},
	}
	for _, tt := range tests {
		h := newHost(tt.cores, tt.pools)
		h.advance(0)
		for i, x := range tt.threads {
			h.add(int32(i), x.work, x.pool)
		}
		ends := drain(t, &h)
		for i, want := range tt.want {
			if got := ends[int32(i)]; math.Abs(float64(got-want)) > 1 {
				t.Errorf("%s: thread %d ends at %d, want %d", tt.name, i, got, want)
			}
		}
	}
}

// TestHostPoolsConserveWork checks, over random threads arriving at random times in random pools,
// that the host always runs min(cores, threads) cores' worth (sharing is work-conserving), no
// thread faster than a core, and no pool with threads below its equal part of the cores unless
// all its threads run at a full core; and that all the work is done no sooner than the cores allow.
func TestHostPoolsConserveWork(t *testing.T) {
	rng := uint64(7)
	next := func(n int) int {
		rng = rng*6364136223846793005 + 1442695040888963407
		return int(rng>>33) % n
	}
	check := func(trial int, h *host) {
		h.rates()
		used, threads, busy := 0.0, 0, 0
		for _, p := range h.pools {
			if len(p.run) > 0 {
				busy++
				threads += len(p.run)
				used += p.rate * float64(len(p.run))
				if p.rate > 1+1e-12 {
					t.Fatalf("trial %d: a thread runs at %.3f cores", trial, p.rate)
				}
			}
		}
		if want := float64(min(h.cores, threads)); math.Abs(used-want) > 1e-9 {
			t.Fatalf("trial %d: %d threads on %d cores use %.6f cores, want %.0f", trial, threads, h.cores, used, want)
		}
		for _, p := range h.pools {
			if len(p.run) > 0 && p.rate < 1-1e-12 && p.rate*float64(len(p.run)) < float64(h.cores)/float64(busy)-1e-9 {
				t.Fatalf("trial %d: a pool of %d threads gets %.3f of %d cores shared by %d pools", trial, len(p.run), p.rate*float64(len(p.run)), h.cores, busy)
			}
		}
	}
	for trial := range 300 {
		cores, pools := 1+next(4), 1+next(4)
		h := newHost(cores, pools)
		var total, now int64
		id := int32(0)
		for range 1 + next(20) {
			now += int64(next(800))
			if at, ok := h.next(); ok && at < now {
				now = at
			}
			h.advance(now)
			for {
				if _, done := h.popDone(); !done {
					break
				}
				check(trial, &h)
			}
			w := int64(1 + next(5000))
			total += w
			h.add(id, w, int32(next(pools)))
			id++
			check(trial, &h)
		}
		ends := drain(t, &h)
		var last int64
		for _, e := range ends {
			last = max(last, e)
		}
		if len(ends) > 0 && float64(last) < float64(total)/float64(cores)-float64(id) {
			t.Fatalf("trial %d: %d ns of work on %d cores ended by %d", trial, total, cores, last)
		}
	}
}
