// Package estimators is the table of the pipeline stages tunesim models — Spark ML's feature
// transformers, estimators and evaluators — each one unit in one file: its stage name, its params
// with their allowed values, its operations with the cost terms they depend on, and the Spark jobs
// it submits when a tuner fits it (or, for an evaluator, evaluates a model on the validation part).
//
// The table, Builtin, is explicit, the way database/sql registers drivers or Nomad its
// BuiltinSchedulers: adding an estimator is one new file here and its line in the table. Package
// scenarios consults the table to check a scenario's stages and params, package tuning turns a
// unit's jobs into a plan's steps, and package costmodel lists and checks the operations. This
// package imports none of them.
package estimators

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Op names an operation a cost model prices.
type Op string

// Kind is what a unit does in a pipeline.
type Kind uint8

// The kinds of unit.
const (
	// Transformer transforms rows; fitting it runs no Spark job (tokenizer, hashing_tf).
	Transformer Kind = iota
	// FeatureEstimator fits on the data (running jobs), then transforms rows for the stages
	// after it (pca, standard_scaler).
	FeatureEstimator
	// Predictor is a pipeline's last stage: it fits the model the evaluator scores.
	Predictor
	// Evaluator scores a model's predictions on the validation part.
	Evaluator
)

// Data is what a column holds: what a stage reads or writes.
type Data uint8

// The kinds of data.
const (
	Vectors Data = iota // a vector column, dense or sparse
	Text                // a text column: a scenario's data.features is then the words per row
	Tokens              // a column of words
	Columns             // numeric columns (data.features of them), before a vector_assembler
)

var dataNames = [...]string{"a vector column", "a text column", "a column of words", "numeric columns"}

func (d Data) String() string { return dataNames[d] }

// Vec describes the rows a stage reads or writes: what they hold, their size (a vector's size, a
// row's words or columns) and how many entries of a row are not zero (Size when dense).
type Vec struct {
	Data Data
	Size int
	NNZ  int
	// Sized says the column's ML attributes carry the vector size (PCA, HashingTF and
	// VectorAssembler set them), so an estimator needs no first() job to learn it.
	Sized bool
}

// Task says what a predictor predicts or an evaluator scores: an evaluator fits only predictors of
// its task.
type Task string

// The tasks.
const (
	Regression     Task = "regression"
	Classification Task = "classification"
	Clustering     Task = "clustering"
)

// Unit is one pipeline stage (or evaluator) as tunesim models it. A unit is made by its kind's
// constructor (NewTransformer, NewFeatureEstimator, NewPredictor, NewEvaluator), which takes the
// functions the kind needs, so that the compiler checks each kind has them.
type Unit struct {
	// Name is the stage's name in a scenario's pipeline.stages (or pipeline.evaluator).
	Name string
	// Kind is set by the unit's constructor.
	Kind Kind
	// Prefix starts its params' names in a scenario: "<prefix>.<param>".
	Prefix string
	// Summary says in a line what the unit is and what of Spark's work is modelled.
	Summary string
	// Spark names the Spark class and the source files the model of its jobs follows.
	Spark string
	// PySpark is the PySpark class the harness (spark/tune.py) builds for it, as module.Class
	// ("pyspark.ml.feature.Tokenizer"); "" when the harness builds none.
	PySpark string
	// Input is what the stage reads (unused for evaluators).
	Input Data
	// Task is what a predictor predicts, or what an evaluator scores (set by their constructors).
	Task   Task
	Params []Param
	// Ops are the operations its jobs and driver steps use, beyond the shared ones (SharedOps).
	Ops []OpSpec

	// Output is what the stage hands to the next one, given what it reads (nil: the same).
	Output func(in Vec, v Values) Vec
	// Check, when set, checks the unit's params against what it reads and each other, for one param
	// map; it returns the param at fault (its name without the prefix; "" for the stage itself),
	// what is wrong and what is allowed, or problem "" when all is well.
	Check func(c Context, v Values) (param, problem, allowed string)
	// The kind's functions, set by its constructor (NewTransformer, NewFeatureEstimator,
	// NewPredictor, NewEvaluator), which takes the ones the kind needs; see the methods of the
	// same names.
	fit              FitFunc
	transform        TransformFunc
	predict          PredictFunc
	defaultEvaluator func(classes int) string
	evaluate         EvaluateFunc
	// Iterative, when set, says which of a predictor's jobs a solver repeats once per iteration,
	// as many times as the data decide (maxIter bounds them): calibration counts them in Spark's
	// event logs to learn the iterations each param map takes.
	Iterative *Iterative
}

// The functions of a unit's kind.
type (
	// FitFunc appends the jobs and driver steps of fitting a stage.
	FitFunc = func(b Builder, c Context, v Values)
	// TransformFunc is the per-row work of a stage's transformer or fitted model, which Spark runs
	// inside every later job's tasks that read the data.
	TransformFunc = func(c Context, v Values) []Fused
	// PredictFunc is a fitted predictor's work when the evaluator scores it.
	PredictFunc = func(c Context, v Values) Prediction
	// EvaluateFunc appends the jobs of scoring a model's predictions.
	EvaluateFunc = func(b Builder, p Prediction, v Values)
)

// NewTransformer is a unit of kind Transformer: its fit runs no job; transform is its per-row work.
func NewTransformer(u Unit, transform TransformFunc) *Unit {
	u.Kind, u.transform = Transformer, transform
	return &u
}

// NewFeatureEstimator is a unit of kind FeatureEstimator: fit's jobs, then transform's per-row work
// in the stages after it.
func NewFeatureEstimator(u Unit, fit FitFunc, transform TransformFunc) *Unit {
	u.Kind, u.fit, u.transform = FeatureEstimator, fit, transform
	return &u
}

// NewPredictor is a unit of kind Predictor of task: fit's jobs, predict's work when the evaluator
// scores the model, and the evaluator it gets when a scenario names none (defaultEvaluator, given
// the label's classes).
func NewPredictor(u Unit, task Task, fit FitFunc, predict PredictFunc, defaultEvaluator func(classes int) string) *Unit {
	u.Kind, u.Task, u.fit, u.predict, u.defaultEvaluator = Predictor, task, fit, predict, defaultEvaluator
	return &u
}

// NewEvaluator is a unit of kind Evaluator that scores predictors of task with evaluate's jobs.
func NewEvaluator(u Unit, task Task, evaluate EvaluateFunc) *Unit {
	u.Kind, u.Task, u.evaluate = Evaluator, task, evaluate
	return &u
}

// Fit appends the jobs and driver steps of fitting the stage (FeatureEstimator, Predictor;
// nothing for the others).
func (u *Unit) Fit(b Builder, c Context, v Values) {
	if u.fit != nil {
		u.fit(b, c, v)
	}
}

// Transform is the per-row work of the stage's transformer or fitted model, which Spark runs
// inside every later job's tasks that read the data (Transformer, FeatureEstimator; nil for the
// others).
func (u *Unit) Transform(c Context, v Values) []Fused {
	if u.transform == nil {
		return nil
	}
	return u.transform(c, v)
}

// Predict is a fitted predictor's work when the evaluator scores it (Predictor; none for the
// others).
func (u *Unit) Predict(c Context, v Values) Prediction {
	if u.predict == nil {
		return Prediction{}
	}
	return u.predict(c, v)
}

// DefaultEvaluator names the evaluator a predictor gets when the scenario names none, given the
// label's classes ("" for the other kinds).
func (u *Unit) DefaultEvaluator(classes int) string {
	if u.defaultEvaluator == nil {
		return ""
	}
	return u.defaultEvaluator(classes)
}

// Evaluate appends the jobs of scoring a model's predictions (Evaluator; nothing for the others).
func (u *Unit) Evaluate(b Builder, p Prediction, v Values) {
	if u.evaluate != nil {
		u.evaluate(b, p, v)
	}
}

// Iterative describes an iterative solver's repeated jobs.
type Iterative struct {
	// Param is the unit's model input (without the prefix) that says how many iterations a fit
	// takes ("iterations"), and Bound the Spark param that bounds them ("maxIter"), which a
	// Param of 0 stands for.
	Param, Bound string
	// Site is how Spark names a repeated job: the start of the name of its result stage (its call
	// site), e.g. "treeAggregate at RDDLossFunction.scala".
	Site string
	// Extra is the jobs at Site a fit runs beyond one per iteration (L-BFGS evaluates the loss
	// once at the start).
	Extra int
}

// Iterations is the iterations a fit took, given the jobs at Site it ran; ok is false when it
// ran none (the solver was not used: LinearRegression's normal equations). At least 1: a
// scenario's 0 means maxIter.
func (it *Iterative) Iterations(jobs int) (n int, ok bool) {
	if jobs == 0 {
		return 0, false
	}
	return max(jobs-it.Extra, 1), true
}

// Prediction is what scoring a fitted model costs per row, for its evaluator.
type Prediction struct {
	// Fused is the model's per-row work, run inside the evaluator's tasks that read the
	// validation part (after the pipeline's transforms).
	Fused []Fused
	// In and Out are the shape of the evaluator's own per-row operation when the predictor sets
	// it: a regression evaluator after the normal-equation LinearRegression prices projection and
	// prediction in its "evaluate" op, as it always has (In, Out: features before and after a
	// PCA); after KMeans, In is a row's non-zeros and Out its features. Zero otherwise.
	In, Out int
	// Classes is the label's classes (0 for regression and clustering), K the clusters.
	Classes, K int
}

// Context is what a unit's functions know of the fit: what the stage reads, the scenario's data
// as read from its source, and the label's classes.
type Context struct {
	In     Vec
	Source Vec
	// Classes is the scenario's data.classes (0 when its labels are not classes).
	Classes int
	// Version is the Spark major version (2, 3 or 4).
	Version int
	// Rows is the scenario's data.rows (a fit reads a part of them: Builder.Rows).
	Rows int64
	// Fused are the earlier stages' transforms that run inside the stage's reading tasks.
	Fused []Fused
}

// FusedOp returns the transform op among c.Fused.
func (c Context) FusedOp(op Op) (Fused, bool) {
	for _, f := range c.Fused {
		if f.Op == op {
			return f, true
		}
	}
	return Fused{}, false
}

// OpSpec is one operation of a unit.
type OpSpec struct {
	Op Op
	// Driver says it runs on the fit's thread, not in tasks.
	Driver bool
	// Terms are the cost terms (costmodel.TermNames) its cost is expected to depend on.
	Terms []string
	// Shape says what a task's (or driver step's) Rows, In, Out and Elems mean for it.
	Shape string
}

// Fused is per-row work of a transform run inside a task that reads the data: Spark pipelines a
// DataFrame's transforms into the stage that reads it. Its shape is the task's rows with In, Out
// and Elems.
type Fused struct {
	Op      Op
	In, Out int
	Elems   int64
}

// Builtin is the table of every unit tunesim models, in the order their operations are listed.
var Builtin = []*Unit{
	PCA,
	LinearRegression,
	RegressionEvaluator,
	LogisticRegression,
	BinaryEvaluator,
	MulticlassEvaluator,
	Tokenizer,
	HashingTF,
	VectorAssembler,
	StandardScaler,
	RandomForestClassifier,
	RandomForestRegressor,
	GBTClassifier,
	GBTRegressor,
	ClusteringEvaluator,
	KMeans,
}

// Lookup returns the unit named name.
func Lookup(name string) (*Unit, bool) {
	for _, u := range Builtin {
		if u.Name == name {
			return u, true
		}
	}
	return nil, false
}

// Names lists the units of kinds, sorted.
func Names(kinds ...Kind) []string {
	var names []string
	for _, u := range Builtin {
		for _, k := range kinds {
			if u.Kind == k {
				names = append(names, u.Name)
			}
		}
	}
	sort.Strings(names)
	return names
}

// Quoted is names as a scenario writes them: "a", "b" or "c".
func Quoted(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	switch len(q) {
	case 0:
		return "none"
	case 1:
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

// Param returns the unit's param named name (without the prefix).
func (u *Unit) Param(name string) (*Param, bool) {
	for i := range u.Params {
		if u.Params[i].Name == name {
			return &u.Params[i], true
		}
	}
	return nil, false
}

// ParamNames lists the unit's params as a scenario names them ("<prefix>.<name>").
func (u *Unit) ParamNames() []string {
	var n []string
	for _, p := range u.Params {
		n = append(n, u.Prefix+"."+p.Name)
	}
	return n
}

// OpSpecs is every operation: the shared ones and each unit's, in table order, each once.
func OpSpecs() []OpSpec { return append([]OpSpec(nil), opSpecs()...) }

var opSpecs = sync.OnceValue(func() []OpSpec {
	seen := map[Op]bool{}
	var out []OpSpec
	add := func(specs []OpSpec) {
		for _, s := range specs {
			if !seen[s.Op] {
				seen[s.Op] = true
				out = append(out, s)
			}
		}
	}
	add(sharedFirst)
	add(treeOps)
	for _, u := range Builtin {
		add(u.Ops)
	}
	add(sharedLast)
	return out
})

// TaskOps lists every task operation, and DriverOps every driver operation, in OpSpecs order.
func TaskOps() []Op { return opsWhere(false) }

// DriverOps lists every driver operation in OpSpecs order.
func DriverOps() []Op { return opsWhere(true) }

func opsWhere(driver bool) []Op {
	var ops []Op
	for _, s := range opSpecs() {
		if s.Driver == driver {
			ops = append(ops, s.Op)
		}
	}
	return ops
}

// Spec returns the operation's spec.
func Spec(op Op) (OpSpec, bool) {
	for _, s := range opSpecs() {
		if s.Op == op {
			return s, true
		}
	}
	return OpSpec{}, false
}
