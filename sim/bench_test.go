package sim

import (
	"container/heap"
	"math/rand/v2"
	"testing"
	"time"

	"tunesim/costmodel"
	"tunesim/scenarios"
	"tunesim/trace"
)

// benchPlan is cluster-mid (10 executors x 4 slots, 40 partitions, 5-fold CV) at parallelism 4,
// priced by the default profile.
func benchPlan(b *testing.B) Priced {
	return builtinPriced(b, "cluster-mid", func(s *scenarios.Scenario) { s.Noise.TaskCV = 0.2 })
}

// BenchmarkEventLoop times the simulator on cluster-mid and reports the events it handles per
// second (stale host events skipped by version are not counted) and tasks per second.
func BenchmarkEventLoop(b *testing.B) {
	bp := benchPlan(b)
	p, prof := bp.Plan, bp.Model
	var events, tasks int64
	var elapsed time.Duration
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		acc := trace.NewAccumulator(p.Scenario.Cluster.Slots())
		s, err := newSim(p, prof, Options{Seed: 1, Replica: i}, acc)
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if err := s.run(); err != nil {
			b.Fatal(err)
		}
		elapsed += time.Since(start)
		events += s.handled
		tasks += int64(acc.Metrics().Tasks)
	}
	b.ReportMetric(float64(events)/elapsed.Seconds(), "events/s")
	b.ReportMetric(float64(tasks)/elapsed.Seconds(), "tasks/s")
}

// holdEvent and holdQueue are the classic "hold" model on container/heap: the floor an event loop
// in Go is compared with.
type holdEvent struct {
	at  int64
	seq uint64
}

type holdQueue []holdEvent

func (q holdQueue) Len() int { return len(q) }
func (q holdQueue) Less(i, j int) bool {
	return q[i].at < q[j].at || (q[i].at == q[j].at && q[i].seq < q[j].seq)
}
func (q holdQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *holdQueue) Push(x any)   { *q = append(*q, x.(holdEvent)) }
func (q *holdQueue) Pop() any {
	o := *q
	e := o[len(o)-1]
	*q = o[:len(o)-1]
	return e
}

// BenchmarkBareHeap is the hold loop with 1024 pending events: each pop schedules one new event.
// Compare its events/s with BenchmarkEventLoop's.
func BenchmarkBareHeap(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	q := make(holdQueue, 0, 1024)
	var seq uint64
	for i := 0; i < 1024; i++ {
		seq++
		heap.Push(&q, holdEvent{at: r.Int64N(1_000_000), seq: seq})
	}
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		e := heap.Pop(&q).(holdEvent)
		seq++
		heap.Push(&q, holdEvent{at: e.at + 1 + r.Int64N(1_000_000), seq: seq})
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "events/s")
}

// BenchmarkSweepSeed is `simulate sweep` on the seed scenario: parallelism 1..16, one replica.
func BenchmarkSweepSeed(b *testing.B) {
	s, err := scenarios.Builtin(scenarios.Default)
	if err != nil {
		b.Fatal(err)
	}
	prof, _ := costmodel.Load("default", "")
	ps := make([]int, 16)
	for i := range ps {
		ps[i] = i + 1
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := Sweep(s, prof, SweepOptions{Parallelisms: ps, Replicas: 1, Seed: 1, Workers: 1}); err != nil {
			b.Fatal(err)
		}
	}
}
