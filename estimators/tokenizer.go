package estimators

// OpTokenize splits a row's text into lower-case words (Tokenizer.createTransformFunc).
const OpTokenize Op = "tokenize"

// Tokenizer is Spark ML's Tokenizer (ml/feature/Tokenizer.scala): a transformer, so fitting it
// runs nothing; its work runs inside every later job's tasks that read the data, per row over
// its words (the scenario's data.features).
var Tokenizer = NewTransformer(Unit{
	Name:    "tokenizer",
	Prefix:  "tokenizer",
	Summary: "Tokenizer: splits text into words inside every later reading task",
	PySpark: "pyspark.ml.feature.Tokenizer",
	Spark:   "ml/feature/Tokenizer.scala",
	Input:   Text,
	Ops: []OpSpec{
		{Op: OpTokenize, Terms: []string{"row_in"}, Shape: "fused into reads: Rows = rows read; In = words per row"},
	},
	Output: func(in Vec, v Values) Vec { return Vec{Data: Tokens, Size: in.Size, NNZ: in.NNZ} },
},
	// transform
	func(c Context, v Values) []Fused { return []Fused{{Op: OpTokenize, In: c.In.NNZ}} },
)
