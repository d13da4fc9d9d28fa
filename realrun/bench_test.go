package realrun

import (
	"context"
	"testing"
)

// BenchmarkRealSeedSerial is the real serial run of the seed scenario (seed-tvs at parallelism 1:
// 16 fits and the refit over 10,000 x 100 in 2 partitions), so later changes to the kernels or
// the scheduling can be compared: go test -bench RealSeedSerial -run '^$' ./realrun
// It also reports the run's makespan as the trace measured it (ms/makespan).
func BenchmarkRealSeedSerial(b *testing.B) {
	s := load(b, "seed-tvs")
	var total float64
	n := 0
	for b.Loop() {
		res, err := Run(context.Background(), s, Options{Parallelism: 1})
		if err != nil {
			b.Fatal(err)
		}
		total += res.Trace.Metrics().Makespan.Seconds() * 1000
		n++
	}
	b.ReportMetric(total/float64(n), "ms/makespan")
}
