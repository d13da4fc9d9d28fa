package estimators

// OpScale scales (and with withMean centres) a row (StandardScalerModel.transform).
const OpScale Op = "scale"

// StandardScaler is Spark ML's StandardScaler (ml/feature/StandardScaler.scala, fit): fitting it
// runs a summary — from Spark 3 a SQL aggregation of Summarizer.metrics("mean", "std") taken with
// first() (SQLAggregate: a partial per partition and one final task, two jobs under adaptive
// execution); in Spark 2 a treeAggregate of MultivariateOnlineSummarizer — and its model scales
// every row inside every later reading task (with withMean the rows become dense).
var StandardScaler = NewFeatureEstimator(Unit{
	Name:    "standard_scaler",
	Prefix:  "scaler",
	Summary: "StandardScaler: a summary (mean, std; a SQL aggregation), then scales rows inside every later reading task",
	PySpark: "pyspark.ml.feature.StandardScaler",
	Spark:   "ml/feature/StandardScaler.scala (fit, StandardScalerModel.transform), ml/stat/Summarizer.scala",
	Input:   Vectors,
	Params: []Param{
		{Name: "withMean", Doc: "centre the rows (they become dense)", Choices: []string{"false", "true"}, DefaultChoice: "false"},
		{Name: "withStd", Doc: "scale to unit deviation", Choices: []string{"true", "false"}, DefaultChoice: "true"},
	},
	Ops: []OpSpec{
		{Op: OpScale, Terms: []string{"row_in"}, Shape: "fused into reads: Rows = rows read; In = numbers per row scaled (non-zeros, or features with withMean)"},
	},
	Output: func(in Vec, v Values) Vec {
		if v.Str("withMean") == "true" {
			return Vec{Data: Vectors, Size: in.Size, NNZ: in.Size, Sized: in.Sized}
		}
		return in
	},
},
	// fit
	func(b Builder, c Context, v Values) {
		if b.Version() < 3 {
			Summarize(b, c.In)
			return
		}
		e := int64(SummaryElems) * int64(c.In.Size)
		SQLAggregate(b, Stage{Op: OpSummarizer, Read: Split, In: c.In.NNZ, Elems: e}, e)
	},
	// transform
	func(c Context, v Values) []Fused {
		n := c.In.NNZ
		if v.Str("withMean") == "true" {
			n = c.In.Size
		}
		return []Fused{{Op: OpScale, In: n}}
	},
)
