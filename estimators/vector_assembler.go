package estimators

// OpAssemble gathers a row's numeric columns into one vector (VectorAssembler.assemble).
const OpAssemble Op = "assemble"

// VectorAssembler is Spark ML's VectorAssembler (ml/feature/VectorAssembler.scala): a transformer
// that gathers the data.features numeric columns into a vector inside every later reading task,
// and sets the vector's size in the column's attributes.
var VectorAssembler = NewTransformer(Unit{
	Name:    "vector_assembler",
	Prefix:  "assembler",
	Summary: "VectorAssembler: gathers numeric columns into a vector inside every later reading task",
	PySpark: "pyspark.ml.feature.VectorAssembler",
	Spark:   "ml/feature/VectorAssembler.scala",
	Input:   Columns,
	Ops: []OpSpec{
		{Op: OpAssemble, Terms: []string{"row_in"}, Shape: "fused into reads: Rows = rows read; In = columns"},
	},
	Output: func(in Vec, v Values) Vec { return Vec{Data: Vectors, Size: in.Size, NNZ: in.NNZ, Sized: true} },
},
	// transform
	func(c Context, v Values) []Fused { return []Fused{{Op: OpAssemble, In: c.In.Size}} },
)
