package tuning

import (
	"reflect"
	"testing"

	"tunesim/scenarios"
)

// TestFitsRunSparksJobs checks plans against what Spark 4.0.1 ran: for each pipeline of
// spark/pipelines.py (and the lr-text run in whatif/testdata), one fit of its serial event log
// (spark/testdata/pipelines, whatif/testdata/lr-text-serial), read job by job — the stages of each
// job and the tasks of its first stage — and written down here; the scenario mirrors the
// pipeline's data (2 or 4 partitions), tuner and param map, with the iterations the fit took.
func TestFitsRunSparksJobs(t *testing.T) {
	tests := []struct {
		name     string
		scenario string
		paramMap int
		// stages and tasks per job, in order, as the log shows them.
		stages, tasks []int
	}{
		{
			// rf-tvs, jobs 13-23: the classes' two SQL jobs, take and aggregate at
			// DecisionTreeMetadata, findSplitsBySorting, five findBestSplits, MulticlassMetrics.
			"rf-tvs numTrees 10 maxDepth 5", `{"name": "rf-tvs", "seed": 1, "spark_version": "4",
				"cluster": {"local": true, "executors": 1, "cores_per_executor": 2, "host_cores": 2},
				"data": {"rows": 1000, "features": 10, "partitions": 2, "classes": 2},
				"pipeline": {"stages": ["vector_assembler", "random_forest_classifier"],
					"grid": {"rf.numTrees": [10, 20], "rf.maxDepth": [3, 5]},
					"evaluator": "multiclass_classification_evaluator"},
				"tuner": {"kind": "train_validation_split", "train_ratio": 0.75, "parallelism": 1}}`, 1,
			[]int{1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2},
			[]int{2, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2},
		},
		{
			// gbt-cv, jobs 17-40: take, aggregate, findSplitsBySorting, 10 trees x 2 levels of
			// findBestSplits, the RegressionEvaluator's treeAggregate at Statistics.scala.
			"gbt-cv maxDepth 2 maxIter 10", `{"name": "gbt-cv", "seed": 1, "spark_version": "4",
				"cluster": {"local": true, "executors": 1, "cores_per_executor": 2, "host_cores": 2},
				"data": {"rows": 1000, "features": 8, "partitions": 2},
				"pipeline": {"stages": ["vector_assembler", "gbt_regressor"],
					"grid": {"gbt.maxDepth": [2, 4], "gbt.maxIter": [5, 10]}},
				"tuner": {"kind": "cross_validator", "folds": 2, "parallelism": 1}}`, 1,
			append(append([]int{1, 1, 2}, repeat(2, 20)...), 1),
			append(append([]int{1, 2, 2}, repeat(2, 20)...), 2),
		},
		{
			// kmeans, jobs 24-39: preferBlockSolver's two SQL jobs, takeSample (2), two k-means||
			// rounds (sum, collect), countByValue, 2 Lloyd iterations, the cluster sizes' two SQL
			// jobs, computeClusterStats, the silhouette's two SQL jobs.
			"kmeans k 4", `{"name": "kmeans", "seed": 1, "spark_version": "4",
				"cluster": {"local": true, "executors": 1, "cores_per_executor": 2, "host_cores": 2},
				"data": {"rows": 1000, "features": 8, "partitions": 2},
				"pipeline": {"stages": ["vector_assembler", "kmeans"], "grid": {"kmeans.k": [2, 4, 8]},
					"params": {"kmeans.iterations": 2}},
				"tuner": {"kind": "cross_validator", "folds": 3, "parallelism": 1}}`, 1,
			[]int{1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 1, 1, 2, 1, 1},
			[]int{2, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 2, 2, 1},
		},
		{
			// lr-text (whatif/testdata/lr-text-serial), jobs 17-32: the Summarizer, 11 loss
			// evaluations, BinaryClassificationMetrics' four jobs.
			"lr-text numFeatures 100 regParam 0.01", `{"name": "lr-text", "seed": 1, "spark_version": "4",
				"cluster": {"local": true, "executors": 1, "cores_per_executor": 2, "host_cores": 2},
				"data": {"rows": 20000, "features": 20, "partitions": 4, "classes": 2},
				"pipeline": {"stages": ["tokenizer", "hashing_tf", "logistic_regression"],
					"grid": {"hashingTF.numFeatures": [100, 1000, 10000], "logreg.regParam": [0.1, 0.01]},
					"params": {"logreg.maxIter": 10, "logreg.iterations": 10}},
				"tuner": {"kind": "cross_validator", "folds": 3, "parallelism": 1}}`, 1,
			append(append([]int{1}, repeat(1, 11)...), 2, 2, 1, 1),
			append(append([]int{4}, repeat(4, 11)...), 4, 4, 4, 4),
		},
	}
	for _, tt := range tests {
		s, err := scenarios.Parse(tt.name, []byte(tt.scenario))
		if err != nil {
			t.Fatal(err)
		}
		p, err := New(s)
		if err != nil {
			t.Fatal(err)
		}
		var stages, tasks []int
		for _, st := range p.Fits[p.Rounds[0][tt.paramMap]].Steps {
			if st.Kind == StepJob {
				stages = append(stages, len(st.Stages))
				tasks = append(tasks, st.Stages[0].Tasks)
			}
		}
		if !reflect.DeepEqual(stages, tt.stages) || !reflect.DeepEqual(tasks, tt.tasks) {
			t.Errorf("%s: stages per job %v, first stages' tasks %v;\nSpark ran %v and %v", tt.name, stages, tasks, tt.stages, tt.tasks)
		}
	}
}

func repeat(v, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = v
	}
	return out
}
