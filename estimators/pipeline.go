package estimators

// Pipeline is a scenario's pipeline as units: its stages in order (the last a Predictor), the
// evaluator that scores it, and what its data is.
type Pipeline struct {
	Stages    []*Unit
	Evaluator *Unit
	// Features is the scenario's data.features: vector size, numeric columns or words per row,
	// as the first stage reads them.
	Features int
	// Classes is the scenario's data.classes.
	Classes int
	// Version is the Spark major version.
	Version int
	// Rows is the scenario's data.rows.
	Rows int64
}

// Source is the data as the first stage reads it from the source.
func (p Pipeline) Source() Vec {
	d := Vectors
	if len(p.Stages) > 0 {
		d = p.Stages[0].Input
	}
	return Vec{Data: d, Size: p.Features, NNZ: p.Features}
}

// Predictor is the pipeline's last stage.
func (p Pipeline) Predictor() *Unit { return p.Stages[len(p.Stages)-1] }

// Walk calls visit for each stage in order with what it reads (and the earlier stages'
// transforms that run inside its reading tasks) and its values in one param map; it stops at the
// first visit that returns false. It returns the predictor's context and values.
func (p Pipeline) Walk(src Source, visit func(u *Unit, c Context, v Values) bool) (Context, Values) {
	c := Context{In: p.Source(), Source: p.Source(), Classes: p.Classes, Version: p.Version, Rows: p.Rows}
	var v Values
	for i, u := range p.Stages {
		v = u.Values(src)
		if visit != nil && !visit(u, c, v) {
			return c, v
		}
		if i == len(p.Stages)-1 {
			break
		}
		next := c
		next.Fused = append([]Fused(nil), c.Fused...)
		next.Fused = append(next.Fused, u.Transform(c, v)...)
		if u.Output != nil {
			next.In = u.Output(c.In, v)
		}
		c = next
	}
	return c, v
}
