package realrun

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"tunesim/estimators"
	"tunesim/tuning"
)

// ErrNotRunnable is wrapped by Runnable's error: the plan needs work realrun has no Go kernels for.
var ErrNotRunnable = errors.New("not runnable for real")

// kernels are the operations realrun runs: PCA, LinearRegression's normal equations and
// RegressionEvaluator, reading and merging, and LogisticRegression with
// MulticlassClassificationEvaluator (logistic.go).
var kernels = append([]tuning.Op{
	estimators.OpFirst, estimators.OpSparseCheck, estimators.OpCount, estimators.OpColumnSummary,
	estimators.OpGramian, estimators.OpLRAggregate, estimators.OpLRSummary, estimators.OpEvaluate,
	estimators.OpTreeReduce, estimators.OpPCAEigen, estimators.OpLRSolve,
}, logisticKernels...)

// Runnable says whether realrun has Go kernels for all of the plan's work, before anything runs:
// an estimator without them (tunesim's simulator models it from Spark's jobs, but only Spark runs
// it) is refused with the way to calibrate it from Spark instead.
func Runnable(p *tuning.Plan) error {
	var missing []string
	add := func(op tuning.Op) {
		if !slices.Contains(kernels, op) && !slices.Contains(missing, string(op)) {
			missing = append(missing, string(op))
		}
	}
	for _, f := range p.Fits {
		for _, st := range f.Steps {
			if st.Kind == tuning.StepDriver {
				add(st.Op)
				continue
			}
			for _, stage := range st.Stages {
				add(stage.Op)
				for _, fu := range stage.Fused {
					add(fu.Op)
				}
			}
		}
	}
	if len(missing) == 0 {
		return logisticRunnable(p)
	}
	s := p.Scenario
	return fmt.Errorf("%w: scenario %s (stages %s) needs operations realrun has no Go kernels for (%s): calibrate it from Spark instead (simulate spark -s %s --event-dir DIR, then simulate calibrate -s %s --from-eventlog LOG -o profile.json)",
		ErrNotRunnable, s.Name, strings.Join(s.Pipeline.Stages, " -> "), strings.Join(missing, ", "), s.Name, s.Name)
}
