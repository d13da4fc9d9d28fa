package whatif

import (
	"fmt"
	"time"

	"tunesim/sim"
)

// Two serial logs of one tuning, at 3,000 and 12,000 rows, predict it at 48,000 rows: FitSizes
// fits each stage's fixed and per-record cost and the driver's growth across the two, and the
// larger log's plan, priced at 4x its data, is simulated like any other. The summarizer's tasks
// read one block whatever the size, so its cost is fitted per unit of data (the larger log's).
func ExampleFitSizes() {
	c := costs{Fixed: 20 * time.Millisecond, PerRecord: 10 * time.Microsecond, SummaryFixed: 30 * time.Millisecond,
		SummaryPerRow: 5 * time.Microsecond, GapFixed: 40 * time.Millisecond, GapPerRow: 2 * time.Microsecond}
	small, _ := Find(sized(3, 2, 3000, c, lrStage), syntheticInfo(), Hints{})
	large, _ := Find(sized(3, 2, 12000, c, lrStage), syntheticInfo(), Hints{})
	sizes, err := FitSizes([]*Tuning{small, large}, []string{"3k.log", "12k.log"})
	if err != nil {
		panic(err)
	}
	p, m, err := large.Plan(Options{ScaleRows: 4, Sizes: sizes})
	if err != nil {
		panic(err)
	}
	predicted, _ := sim.Run(p, m, sim.Options{})
	for _, f := range sizes.Stages {
		fmt.Printf("%s: %.1f ms + %.4g ms per %s\n", f.Name, 1e3*f.FixedS, 1e3*f.PerUnitS, f.Unit)
	}
	truth, _ := Find(sized(3, 2, 48000, c, lrStage), syntheticInfo(), Hints{})
	fmt.Printf("serial at 12,000 rows: %.3f s; predicted at 48,000: %.3f s; logged at 48,000: %.3f s\n",
		(large.End() - large.Start()).Seconds(), predicted.Makespan.Seconds(), (truth.End() - truth.Start()).Seconds())
	// Output:
	// collect at AreaUnderCurve.scala:44: 20.0 ms + 0.01 ms per record
	// treeAggregate at RDDLossFunction.scala:61: 20.0 ms + 0.01 ms per record
	// treeAggregate at Summarizer.scala:238: 30.0 ms + 60 ms per largest log's data
	// serial at 12,000 rows: 3.074 s; predicted at 48,000: 8.366 s; logged at 48,000: 8.366 s
}
