package whatif

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"tunesim/sparklog"
)

// TestFitContentionRecoversTheLoad draws tasks whose slot times follow the contention model with
// known background threads and latency, and checks the fit finds them again.
func TestFitContentionRecoversTheLoad(t *testing.T) {
	for _, tc := range []struct {
		name    string
		cores   int
		threads float64
		latency float64 // seconds
	}{
		{"a busy fresh JVM", 2, 2.4, 0.0005},
		{"a warm JVM", 2, 1.1, 0.002},
		{"idle beside the tasks", 4, 0, 0.001},
		{"a big host", 8, 3, 0.003},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, uint64(tc.cores)))
			var obs []taskObs
			for range 2000 {
				m := float64(1 + rng.IntN(tc.cores))
				cpu := 0.001 + rng.Float64()*0.02
				slot := tc.latency + cpu*max(1, (m+tc.threads)/float64(tc.cores))
				slot *= 1 + 0.02*rng.NormFloat64() // clock noise
				obs = append(obs, taskObs{cpu: cpu, slot: slot, m: m})
			}
			c := fitContention(obs, tc.cores)
			if math.Abs(c.Threads-tc.threads) > 0.1 {
				t.Errorf("threads %.2f, want %.2f", c.Threads, tc.threads)
			}
			if d := math.Abs(c.Latency.Seconds() - tc.latency); d > 0.0005 {
				t.Errorf("latency %v, want %.4fs", c.Latency, tc.latency)
			}
		})
	}
}

// TestFitContentionNeedsTasks: too few tasks with CPU metrics infer nothing.
func TestFitContentionNeedsTasks(t *testing.T) {
	obs := make([]taskObs, minContentionTasks-1)
	for i := range obs {
		obs[i] = taskObs{cpu: 0.01, slot: 0.03, m: 2}
	}
	if c := fitContention(obs, 2); c.Threads != 0 || c.Latency != 0 {
		t.Errorf("fit of %d tasks: %+v, want none", len(obs), c)
	}
}

// TestConcurrencyArea checks the area under the running-tasks curve against a direct count on a
// fine grid, over random tasks.
func TestConcurrencyArea(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	ms := time.Millisecond
	var ts []sparklog.Task
	for range 50 {
		l := time.Duration(rng.IntN(1000)) * ms
		ts = append(ts, sparklog.Task{Launch: l, Finish: l + time.Duration(1+rng.IntN(200))*ms})
	}
	area := concurrencyArea(ts)
	for _, at := range []time.Duration{0, 100 * ms, 555 * ms, 1300 * ms} {
		want := 0.0
		for tick := time.Duration(0); tick < at; tick += ms {
			for _, tk := range ts {
				if tk.Launch <= tick && tick < tk.Finish {
					want += ms.Seconds()
				}
			}
		}
		if got := area(at); math.Abs(got-want) > 1e-9 {
			t.Errorf("area up to %v: %.4f, want %.4f", at, got, want)
		}
	}
}
