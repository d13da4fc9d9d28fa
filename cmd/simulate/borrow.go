package main

import (
	"fmt"

	"tunesim/costmodel"
	"tunesim/scenarios"
	"tunesim/tuning"
)

// pricingFlags say what a command does with an operation its --profile does not price: borrow
// it from the nearest calibrated relative (costmodel.Profile.Fill), or, with --strict, refuse.
type pricingFlags struct {
	strict bool
	borrow []string
}

func (pf *pricingFlags) add(f *flags) {
	f.BoolVar(&pf.strict, "strict", false, "refuse (exit 2) a profile that does not price every operation the scenario needs, instead of borrowing the missing ones")
	f.StringArrayVar(&pf.borrow, "borrow-from", nil, "profile `NAME|FILE` to borrow missing operations from first (repeat for several); then the profiles beside --profile's file, then the profile's own related operations, then the built-in gonum profile")
}

// fill prices the operations of the scenarios' plans that p lacks (see costmodel.Profile.Fill),
// unless --strict; what it borrowed is returned for the report. The plans' checks are the
// caller's.
func (pf pricingFlags) fill(p *costmodel.Profile, dir string, plans []*tuning.Plan) (*costmodel.Profile, []costmodel.Borrowed, error) {
	if pf.strict {
		if len(pf.borrow) > 0 {
			return nil, nil, badUsage("--borrow-from with --strict: --strict borrows nothing; give one or the other")
		}
		return p, nil, nil
	}
	builtin, err := costmodel.Load(costmodel.Gonum, "")
	if err != nil {
		return nil, nil, err
	}
	o := costmodel.FillOptions{Builtin: builtin}
	for _, name := range pf.borrow {
		q, err := costmodel.Load(name, dir)
		if err != nil {
			return nil, nil, badInput(fmt.Errorf("--borrow-from: %w", err))
		}
		o.Given = append(o.Given, q)
	}
	// Look beside the file only when something is missing: reading a directory is not free.
	for _, pl := range plans {
		if p.Check(pl) != nil {
			o.Beside = costmodel.ProfilesBeside(p)
			break
		}
	}
	q, borrowed := p.Fill(plans, o)
	return q, borrowed, nil
}

// borrowedNotes are the report lines saying what was borrowed.
func borrowedNotes(bs []costmodel.Borrowed) []string {
	var notes []string
	for _, b := range bs {
		notes = append(notes, "note: "+b.String())
	}
	return notes
}

// plansOf derives the plan of each scenario; problems are bad input.
func plansOf(scens []*scenarios.Scenario) ([]*tuning.Plan, error) {
	var plans []*tuning.Plan
	for _, s := range scens {
		pl, err := tuning.New(s)
		if err != nil {
			return nil, badInput(err)
		}
		plans = append(plans, pl)
	}
	return plans, nil
}
