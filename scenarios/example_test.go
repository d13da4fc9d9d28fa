package scenarios_test

import (
	"fmt"

	"tunesim/scenarios"
)

// A scenario file is checked strictly: the error names the file, the field and what is allowed.
func ExampleParse() {
	_, err := scenarios.Parse("my.json", []byte(`{"name": "x", "tuner": {"kind": "cross_validator", "folds": 1, "parallelism": 2}}`))
	fmt.Println(err)
	s, _ := scenarios.Builtin("seed-tvs")
	for _, m := range s.Pipeline.Grid.ParamMaps()[3:5] {
		fmt.Println(m)
	}
	// Output:
	// my.json: cluster.executors: 0 is out of range; allowed: an integer from 1 to 1048576
	// pca.k=15 lr.regParam=0.03
	// pca.k=20 lr.regParam=0.001
}
