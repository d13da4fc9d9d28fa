package costmodel

import (
	"fmt"
	"strings"

	"tunesim/estimators"
	"tunesim/tuning"
)

// ErrUnpriced is wrapped by Check's error: a plan needs an operation the profile does not price.
// It is an ErrInvalid (bad input: the profile does not fit the scenario).
var ErrUnpriced = fmt.Errorf("%w: an operation the plan needs is not priced", ErrInvalid)

// Checker is a Model that can tell, before a run, whether it prices every operation of a plan.
type Checker interface {
	Check(p *tuning.Plan) error
}

// Ops lists the operations a plan needs priced, in the order they first appear: each stage's,
// reading a split (source when uncached, materialize when cached), the transforms fused into its
// tasks, and every driver step's.
func Ops(p *tuning.Plan) []tuning.Op {
	seen := map[tuning.Op]bool{}
	var ops []tuning.Op
	need := func(op tuning.Op) {
		if !seen[op] {
			seen[op] = true
			ops = append(ops, op)
		}
	}
	for _, f := range p.Fits {
		for _, st := range f.Steps {
			if st.Kind == tuning.StepDriver {
				need(st.Op)
				continue
			}
			for _, stage := range st.Stages {
				need(stage.Op)
				if stage.ReadsSplit {
					if p.Splits[st.Split].Cached {
						need(estimators.OpMaterialize)
					} else {
						need(estimators.OpSource)
					}
				}
				for _, fu := range stage.Fused {
					need(fu.Op)
				}
			}
		}
	}
	return ops
}

// Check refuses a plan whose operations the profile does not all price, rather than letting them
// cost nothing: the error names each missing operation, the cost terms it depends on, and how to
// get its numbers.
func (p *Profile) Check(plan *tuning.Plan) error {
	var missing []string
	for _, op := range Ops(plan) {
		if _, ok := p.Ops[op]; ok {
			continue
		}
		terms := "?"
		if spec, ok := estimators.Spec(op); ok {
			terms = strings.Join(spec.Terms, ", ")
		}
		missing = append(missing, fmt.Sprintf("%s (terms %s)", op, terms))
	}
	if len(missing) == 0 {
		return nil
	}
	name := "scenario"
	if plan.Scenario != nil {
		name = plan.Scenario.Name
	}
	return fmt.Errorf("%w: cost profile %s does not price %d operations %s's plan needs: %s. "+
		"Calibrate them from runs of the scenario — from Spark's event logs (simulate spark -s %s --event-dir DIR, then simulate calibrate -s %s --from-eventlog LOG -o profile.json), or from real runs (simulate calibrate -s %s -o profile.json) where tunesim has Go kernels for them — "+
		"or add them to the profile's \"ops\" with the source of their numbers",
		ErrUnpriced, p.label(), len(missing), name, strings.Join(missing, "; "), name, name, name)
}

// label names the profile in messages: its name, or the file it came from.
func (p *Profile) label() string {
	switch {
	case p.Name != "":
		return p.Name
	case p.fileLabel != "":
		return p.fileLabel
	}
	return "(unnamed)"
}
