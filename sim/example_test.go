package sim_test

import (
	"fmt"
	"log"

	"tunesim/costmodel"
	"tunesim/scenarios"
	"tunesim/sim"
	"tunesim/trace"
	"tunesim/tuning"
)

// Simulate the seed scenario at parallelism 1 and 3 and compare the makespans.
func Example() {
	s, err := scenarios.Builtin("seed-tvs")
	if err != nil {
		log.Fatal(err)
	}
	prof, err := costmodel.Load(s.Cost.Profile, s.Dir)
	if err != nil {
		log.Fatal(err)
	}
	var serial trace.Metrics
	for _, p := range []int{1, 3} {
		s.Tuner.Parallelism = p
		plan, err := tuning.New(s)
		if err != nil {
			log.Fatal(err)
		}
		m, err := sim.Run(plan, prof, sim.Options{Seed: s.Seed})
		if err != nil {
			log.Fatal(err)
		}
		if p == 1 {
			serial = m
		}
		fmt.Printf("parallelism %d: %d fits, %d jobs, %d tasks, speedup %.1f\n", p, m.Fits, m.Jobs, m.Tasks, trace.Speedup(serial.Makespan, m.Makespan))
	}
	// Output:
	// parallelism 1: 17 fits, 135 jobs, 219 tasks, speedup 1.0
	// parallelism 3: 17 fits, 135 jobs, 219 tasks, speedup 2.3
}

// Sweep simulates every parallelism, with replicas, and Recommend picks one.
func ExampleSweep() {
	s, _ := scenarios.Builtin("seed-tvs")
	prof, _ := costmodel.Load("default", "")
	results, err := sim.Sweep(s, prof, sim.SweepOptions{Parallelisms: []int{1, 2, 4, 8}, Replicas: 3, Seed: 1})
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range results {
		fmt.Printf("%d: %.1fx\n", r.Parallelism, r.Speedup.P50)
	}
	fmt.Println("recommended:", trace.Recommend(results))
	// Output:
	// 1: 1.0x
	// 2: 1.8x
	// 4: 3.2x
	// 8: 3.3x
	// recommended: 4
}
