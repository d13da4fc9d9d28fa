package realrun_test

import (
	"context"
	"fmt"

	"tunesim/realrun"
	"tunesim/scenarios"
)

// Run a small TrainValidationSplit for real at parallelism 2: the tuner picks the param map with
// the smallest validation RMSE, and the trace holds every fit, the refit included.
func ExampleRun() {
	s, err := scenarios.Load("testdata/small-tvs.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := realrun.Run(context.Background(), s, realrun.Options{Parallelism: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	m := res.Trace.Metrics()
	fmt.Printf("best: %v, RMSE %.3f\n", s.Pipeline.Grid.ParamMaps()[res.Best], res.BestMetric)
	fmt.Printf("%d fits, %d jobs, %d tasks on %d slots\n", m.Fits, m.Jobs, m.Tasks, m.Slots)
	// Output:
	// best: pca.k=9 lr.regParam=1, RMSE 1.009
	// 7 fits, 55 jobs, 123 tasks on 3 slots
}
