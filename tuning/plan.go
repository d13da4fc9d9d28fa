// Package tuning derives, from a Scenario alone, what Spark's tuner submits: the fits (param map x
// fold) in the order the tuner queues them, each an ordered list of steps — Spark jobs of stages of
// tasks over a split's partitions, or driver-side work — plus the data splits they read, the fold
// barriers of CrossValidator, and the final refit of the best param map on the whole data set.
//
// A Plan holds no durations and no clock: package costmodel prices its steps, and packages sim and
// realrun execute it.
package tuning

import (
	"fmt"

	"tunesim/estimators"
	"tunesim/scenarios"
)

// None marks an absent index (the refit's fold).
const None = -1

// Plan is what a tuning run submits.
type Plan struct {
	Scenario  *scenarios.Scenario
	ParamMaps []scenarios.ParamMap
	// Splits are the data sets jobs read; Split 0 is always the full, uncached data.
	Splits []Split
	// Rounds lists, per fold (one round for TrainValidationSplit), the indices of its fits in
	// queue order. A round starts only when every fit of the previous one has finished.
	Rounds [][]int
	// Fits are all fits, rounds first in order, the refit last.
	Fits []Fit
	// Parallelism is the tuner's thread count.
	Parallelism int
}

// Refit is the final fit of the best param map on the full data.
func (p *Plan) Refit() *Fit { return &p.Fits[len(p.Fits)-1] }

// Split is a data set: its rows per partition and whether Spark caches it.
type Split struct {
	Name string
	// Fold is the CrossValidator fold it belongs to, or None.
	Fold int
	// Cached splits are materialized by the first task that reads each partition; uncached ones
	// are computed from the source by every task.
	Cached bool
	// Validation says the split is a validation part (the complement of the training part).
	Validation bool
	// Rows per partition (Spark's random splits keep the source's partitioning).
	Rows []int64
}

// TotalRows sums the split's partitions.
func (s Split) TotalRows() int64 {
	var n int64
	for _, r := range s.Rows {
		n += r
	}
	return n
}

// Fit is one model fit (and, except for the refit, its evaluation).
type Fit struct {
	Index    int
	ParamMap int
	// Fold is the round the fit belongs to; None for the refit.
	Fold  int
	Refit bool
	// K is the size of the vectors the pipeline's predictor reads (PCA's k after a PCA).
	K     int
	Steps []Step
}

// StepKind tells a Spark job from driver-side work.
type StepKind uint8

// Step kinds.
const (
	StepJob    StepKind = iota // a Spark job: stages of tasks on executor slots
	StepDriver                 // work on the fit's own driver thread
)

// Step is one thing a fit does, in order.
type Step struct {
	Kind StepKind
	// Op names the job (its first stage's operation) or the driver work.
	Op Op
	// Split is the index in Plan.Splits that the job reads (jobs only).
	Split int
	// Stages of a job, in order; each waits for the previous one.
	Stages []Stage
	// Shape of driver work (driver steps only).
	Shape Shape
}

// Jobs is how many Spark jobs the plan's fits run, the refit's included.
func (p *Plan) Jobs() int {
	n := 0
	for i := range p.Fits {
		n += p.Fits[i].Jobs()
	}
	return n
}

// Jobs is how many Spark jobs the fit runs: its steps of kind StepJob.
func (f *Fit) Jobs() int {
	n := 0
	for _, st := range f.Steps {
		if st.Kind == StepJob {
			n++
		}
	}
	return n
}

// Tasks counts the tasks of a job step.
func (s Step) Tasks() int {
	n := 0
	for _, st := range s.Stages {
		n += st.Tasks
	}
	return n
}

// Stage is a stage of a job: Tasks tasks running Op.
type Stage struct {
	Op    Op
	Tasks int
	// ReadsSplit says the stage's tasks read partitions of the job's split (task i reads
	// partition i), from its source or the tuner's cache, through Fused; a treeAggregate reduce
	// stage reads shuffled partial results instead.
	ReadsSplit bool
	// Take says the stage is a take(1)/first(): its one task stops after the first row.
	Take bool
	// Cached says the stage's tasks read a copy of the split's rows that the fit cached in an
	// earlier job (LogisticRegression's standardized blocks, a forest's binned points): the
	// split's rows per partition, without reading the source or running transforms.
	Cached bool
	// In, Out and Elems are the dimensions of the task's work (see Shape).
	In, Out int
	Elems   int64
	// Partials is, for a stage that reads neither, how many partial aggregates (or shuffled
	// records) all its tasks merge together.
	Partials int
	// Fused is per-row work run inside a reading task besides Op: the transforms of the
	// pipeline's earlier stages (a tokenizer, a scaler's model) and the stage's own extras.
	Fused []estimators.Fused
}

// RowsRead is the rows task i of stage st reads of split sp: the first row only for a take(1),
// which stops after it, else the partition's.
func (st Stage) RowsRead(sp *Split, i int) int64 {
	if st.Take {
		return 1
	}
	return sp.Rows[i]
}

// TaskShape is the shape of task i of stage st of a job reading split sp.
func (st Stage) TaskShape(sp *Split, i int) Shape {
	if st.ReadsSplit || st.Cached {
		return Shape{Rows: st.RowsRead(sp, i), In: st.In, Out: st.Out, Elems: st.Elems}
	}
	// A reduce task merges its share of the partial aggregates.
	share := (st.Partials + st.Tasks - 1 - i) / st.Tasks
	return Shape{Rows: int64(share), In: st.In, Out: st.Out, Elems: st.Elems}
}

// FusedShape is the shape of fused work f in task i of stage st reading split sp: its rows read.
func (st Stage) FusedShape(f estimators.Fused, sp *Split, i int) Shape {
	return Shape{Rows: st.RowsRead(sp, i), In: f.In, Out: f.Out, Elems: f.Elems}
}

// SourceShape is what computing partition part of an uncached split from its source costs a task
// of stage st: every feature of the rows it reads (one for a take(1)).
func (p *Plan) SourceShape(st *Stage, split, part int) Shape {
	f := p.Scenario.Data.Features
	return Shape{Rows: st.RowsRead(&p.Splits[split], part), In: f, Out: f}
}

// BlockShape is what storing partition part of a cached split costs the task that first reads
// it: every row and feature (a take(1) builds the whole block too, as Spark's block manager
// stores a partition whole).
func (p *Plan) BlockShape(split, part int) Shape {
	f := p.Scenario.Data.Features
	return Shape{Rows: p.Splits[split].Rows[part], In: f, Out: f}
}

// TaskRef is one task of a plan, as a cost model sees it: where it sits (fit, step, stage and
// partition, indices into Plan.Fits, Fit.Steps, Step.Stages and the stage's tasks) and what it
// does (its operation and shape). A model of operations prices Op and Shape; a model measured
// from a run (an event log) prices the task that ran at that place.
type TaskRef struct {
	Fit, Step, Stage, Part int
	Op                     Op
	Shape                  Shape
	// Extra marks a part of the task's work besides its own operation: reading its input
	// (source, materialize) or a transform fused into it. A model measured per task has it in
	// the task's time already.
	Extra bool
}

// DriverRef is one driver step of a plan: its place (fit and step) and its operation and shape.
type DriverRef struct {
	Fit, Step int
	Op        Op
	Shape     Shape
}

// Shape is what a cost depends on: rows processed (or partial aggregates merged), input features
// and output features (PCA's k, or LinearRegression's feature count), and the numbers of the
// partial result a task builds or merges (a gradient, histograms); what each means for an
// operation is in its estimators.OpSpec.
type Shape struct {
	Rows    int64
	In, Out int
	Elems   int64
}

// Op names an operation a cost model prices; each is declared by a unit of package estimators
// (estimators.OpSpecs lists them).
type Op = estimators.Op

// New derives the Plan of a scenario at its tuner.parallelism.
func New(s *scenarios.Scenario) (*Plan, error) {
	if err := s.Validate("scenario " + s.Name); err != nil {
		return nil, err
	}
	p := &Plan{Scenario: s, ParamMaps: s.Pipeline.Grid.ParamMaps(), Parallelism: s.Tuner.Parallelism}
	source := PartitionRows(s.Data.Rows, s.Data.Partitions, s.Data.Skew)
	p.Splits = append(p.Splits, Split{Name: "full", Fold: None, Rows: source})
	rounds := s.Tuner.Rounds()
	pl := s.Units()
	for f := 0; f < rounds; f++ {
		train, val := splitRows(s, source, f)
		ti := len(p.Splits)
		name := "train"
		if rounds > 1 {
			name = fmt.Sprintf("train[fold %d]", f)
		}
		p.Splits = append(p.Splits,
			Split{Name: name, Fold: f, Cached: true, Rows: train},
			Split{Name: "validation" + name[len("train"):], Fold: f, Cached: true, Validation: true, Rows: val})
		var round []int
		for m := range p.ParamMaps {
			fit := Fit{Index: len(p.Fits), ParamMap: m, Fold: f}
			p.build(pl, &fit, ti, ti+1)
			round = append(round, fit.Index)
			p.Fits = append(p.Fits, fit)
		}
		p.Rounds = append(p.Rounds, round)
	}
	// The refit's param map is the best one, known only after evaluation; its shape is that of
	// param map 0 until an executor that evaluates for real says otherwise (see WithRefit).
	refit := Fit{Index: len(p.Fits), ParamMap: 0, Fold: None, Refit: true}
	p.build(pl, &refit, 0, None)
	p.Fits = append(p.Fits, refit)
	return p, nil
}

// WithRefit returns a copy of the plan whose refit fits param map m.
func (p *Plan) WithRefit(m int) *Plan {
	q := *p
	q.Fits = append([]Fit(nil), p.Fits...)
	r := &q.Fits[len(q.Fits)-1]
	r.ParamMap = m
	q.build(p.Scenario.Units(), r, 0, None)
	return &q
}

// WithParallelism returns a copy of the plan whose tuner runs n fits at once (its scenario's
// tuner.parallelism says so too); fits and steps are shared with p.
func (p *Plan) WithParallelism(n int) *Plan {
	q := *p
	sc := *p.Scenario
	sc.Tuner.Parallelism = n
	q.Scenario, q.Parallelism = &sc, n
	return &q
}
