package estimators

// OpForestPredict is a fitted forest's prediction of a row: each tree descended to a leaf.
const OpForestPredict Op = "forest_predict"

// RandomForestClassifier is Spark ML's RandomForestClassifier and RandomForestRegressor is its
// RandomForestRegressor (ml/classification/RandomForestClassifier.scala,
// ml/regression/RandomForestRegressor.scala, train, over ml/tree/impl/RandomForest.scala, run):
//
//   - the classifier first finds the label's classes (Classifier.getNumClasses: a max over the
//     labels, as a SQL aggregation, when the column's attributes do not say: two jobs under
//     adaptive execution; the first fit of a run shows a third, its take, which later fits do not);
//   - DecisionTreeMetadata.buildMetadata: take(1) for the vector size, an aggregate counting the
//     rows;
//   - findSplits: a sample of max(maxBins², 10000) rows, grouped by feature and sorted into the
//     bins' thresholds (groupByKey, collectAsMap);
//   - the binned, bagged points (TreePoint.convertToTreeRDD, BaggedPoint.convertToBaggedRDD),
//     cached MEMORY_AND_DISK by the first findBestSplits job;
//   - findBestSplits, once per group of nodes (selectNodesToSplit): every tree's nodes of a level
//     while their histograms fit in maxMemoryInMB, so about maxDepth jobs, more when memory binds;
//     each is a map stage building histograms and a reduceByKey stage choosing splits.
//
// The training summary is lazy (no job). Predictions descend every tree.
var RandomForestClassifier = randomForest("random_forest_classifier", Classification)

// RandomForestRegressor is RandomForestClassifier's regression twin (variance impurity: three
// numbers per bin; no class-finding job).
var RandomForestRegressor = randomForest("random_forest_regressor", Regression)

func randomForest(name string, task Task) *Unit {
	classification := task == Classification
	class, module := "RandomForestRegressor", "pyspark.ml.regression"
	src := "ml/regression/RandomForestRegressor.scala"
	evaluator := func(int) string { return RegressionEvaluator.Name }
	if classification {
		class, module, src = "RandomForestClassifier", "pyspark.ml.classification", "ml/classification/RandomForestClassifier.scala"
		evaluator = classifierEvaluator
	}
	forestOf := func(c Context, v Values, rows int64) forest {
		stats := 3
		if classification {
			stats = max(c.Classes, 2)
		}
		return newForest(c, v, v.Int("numTrees"), stats, classification, rows)
	}
	u := NewPredictor(Unit{
		Name:    name,
		Prefix:  "rf",
		Summary: class + ": metadata (take(1), count) and split-finding jobs, then one findBestSplits job (histograms, then reduceByKey) per group of nodes, about maxDepth",
		PySpark: module + "." + class,
		Spark:   src + ", ml/tree/impl/RandomForest.scala (run, findSplits, selectNodesToSplit, findBestSplits), ml/tree/impl/DecisionTreeMetadata.scala",
		Input:   Vectors,
		Params: treeParams(Param{Name: "numTrees", Doc: "trees in the forest", Default: 20, Int: true, Min: 1},
			"auto"),
		Check: func(c Context, v Values) (string, string, string) {
			return forestOf(c, v, c.Rows).check(1)
		},
	},
		task,
		// fit
		func(b Builder, c Context, v Values) {
			f := forestOf(c, v, b.Rows())
			if classification {
				labelClassesJob(b)
			}
			f.metadataJobs(b, c)
			f.levelJobs(b, Split, f.binning(f.trees))
		},
		// predict
		func(c Context, v Values) Prediction {
			return Prediction{Fused: []Fused{{Op: OpForestPredict, In: v.Int("numTrees"), Out: max(v.Int("maxDepth"), 1)}}, Classes: c.Classes}
		},
		evaluator,
	)
	if classification {
		u.Ops = []OpSpec{
			{Op: OpForestPredict, Terms: []string{"row_in_out"}, Shape: "fused into the evaluator's reads: Rows = rows read; In = trees, Out = levels descended (maxDepth)"},
			{Op: OpLabelMax, Terms: []string{"fixed", "row"}, Shape: "Rows = the partition's rows"},
		}
	}
	return u
}

// OpLabelMax is the largest label of a partition: Classifier.getNumClasses' max over the labels.
const OpLabelMax Op = "label_max"

// labelClassesJob appends Classifier.getNumClasses' max over the labels (ml/classification/
// Classifier.scala, DatasetUtils.getNumClasses) for a label column without a class count in its
// attributes: a SQL aggregation.
func labelClassesJob(b Builder) {
	SQLAggregate(b, Stage{Op: OpLabelMax, Read: Split}, 1)
}
