package estimators

// OpHashTF hashes a row's words into a sparse vector of term frequencies (HashingTF.transform:
// MurmurHash3 of each word modulo numFeatures).
const OpHashTF Op = "hash_tf"

// HashingTF is Spark ML's HashingTF (ml/feature/HashingTF.scala): a transformer whose sparse
// vectors of numFeatures entries (at most the row's words non-zero) run inside every later job's
// reading tasks. It sets the output column's size in its attributes, so the estimator after it
// needs no first() for it.
var HashingTF = NewTransformer(Unit{
	Name:    "hashing_tf",
	Prefix:  "hashingTF",
	Summary: "HashingTF: hashes words into sparse vectors of numFeatures inside every later reading task",
	PySpark: "pyspark.ml.feature.HashingTF",
	Spark:   "ml/feature/HashingTF.scala, mllib/feature/HashingTF.scala",
	Input:   Tokens,
	Params: []Param{
		{Name: "numFeatures", Doc: "the vectors' size", Default: 1 << 18, Int: true, Min: 1, Max: 1 << 30},
	},
	Ops: []OpSpec{
		{Op: OpHashTF, Terms: []string{"row_in"}, Shape: "fused into reads: Rows = rows read; In = words per row"},
	},
	Output: func(in Vec, v Values) Vec {
		n := v.Int("numFeatures")
		return Vec{Data: Vectors, Size: n, NNZ: min(in.NNZ, n), Sized: true}
	},
},
	// transform
	func(c Context, v Values) []Fused { return []Fused{{Op: OpHashTF, In: c.In.NNZ}} },
)
