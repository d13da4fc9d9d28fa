package sim

import (
	"math"

	"tunesim/costmodel"
	"tunesim/scenarios"
)

// mix is SplitMix64's finalizer: a bijective scramble of 64 bits.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// noise draws a task's duration factor. It depends only on the seed, the replica and the task's
// identity (fit, step, stage, partition), never on the parallelism or on the order of events, so
// runs at different parallelisms of the same replica see the same task durations (common random
// numbers): their speedups compare scheduling, not luck.
type noise struct {
	sigma float64 // of the underlying normal
	base  uint64
}

func newNoise(cv float64, seed uint64, replica int) noise {
	return noise{sigma: math.Sqrt(math.Log1p(cv * cv)), base: mix(mix(seed) ^ uint64(replica))}
}

// factor is a lognormal draw with mean 1 and the noise's coefficient of variation.
func (n noise) factor(fit, step, stage, part int) float64 {
	if n.sigma == 0 {
		return 1
	}
	h := mix(n.base ^ uint64(fit))
	h = mix(h ^ uint64(step)<<32 ^ uint64(stage))
	h = mix(h ^ uint64(part))
	// Box-Muller from two 53-bit uniforms in (0, 1].
	u1 := (float64(h>>11) + 1) / (1 << 53)
	u2 := float64(mix(h)>>11) / (1 << 53)
	z := math.Sqrt(-2*math.Log(u1)) * math.Cos(2*math.Pi*u2)
	return math.Exp(n.sigma*z - n.sigma*n.sigma/2)
}

// Variable is a cost model that knows how much its task durations vary: a profile calibrated from
// real runs measures it.
type Variable interface {
	TaskCV() float64
}

// TaskCV is the coefficient of variation of task durations a simulation of s with model m uses:
// the scenario's noise.task_cv when set, else the model's own (see Variable), else 0.
func TaskCV(s *scenarios.Scenario, m costmodel.Model) float64 {
	if s.Noise.TaskCV > 0 {
		return s.Noise.TaskCV
	}
	if v, ok := m.(Variable); ok {
		return v.TaskCV()
	}
	return 0
}
