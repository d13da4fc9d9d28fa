package estimators

import (
	"strings"
	"testing"
)

// TestTableIsConsistent checks what the rest of tunesim relies on: unique stage names, each kind's
// functions not nil, params named once, every op declared once across the table.
func TestTableIsConsistent(t *testing.T) {
	names := map[string]bool{}
	ops := map[Op]string{}
	for _, op := range sharedFirst {
		ops[op.Op] = "shared"
	}
	for _, op := range sharedLast {
		ops[op.Op] = "shared"
	}
	for _, op := range treeOps {
		ops[op.Op] = "trees"
	}
	for _, u := range Builtin {
		if names[u.Name] {
			t.Errorf("unit %q twice", u.Name)
		}
		names[u.Name] = true
		if u.Prefix == "" || strings.Contains(u.Prefix, ".") || u.Summary == "" || u.Spark == "" {
			t.Errorf("%s: prefix %q, summary %q, Spark %q: each must be set (a prefix without dots)", u.Name, u.Prefix, u.Summary, u.Spark)
		}
		// Each kind's constructor takes the functions it needs (the compiler checks there are
		// as many); none may be nil, and a predictor's default evaluator scores its task.
		switch u.Kind {
		case Predictor:
			if u.fit == nil || u.predict == nil || u.defaultEvaluator == nil || u.Task == "" {
				t.Errorf("%s: a predictor needs fit, predict, a default evaluator and a Task", u.Name)
			} else if ev, ok := Lookup(u.DefaultEvaluator(2)); !ok || ev.Kind != Evaluator || ev.Task != u.Task {
				t.Errorf("%s: default evaluator %q does not evaluate %s", u.Name, u.DefaultEvaluator(2), u.Task)
			}
		case Evaluator:
			if u.evaluate == nil || u.Task == "" {
				t.Errorf("%s: an evaluator needs evaluate and a Task", u.Name)
			}
		case FeatureEstimator:
			if u.fit == nil || u.transform == nil {
				t.Errorf("%s: a feature estimator needs fit and transform", u.Name)
			}
		case Transformer:
			if u.transform == nil {
				t.Errorf("%s: a transformer needs transform", u.Name)
			}
		}
		params := map[string]bool{}
		for _, p := range u.Params {
			if params[p.Name] {
				t.Errorf("%s: param %s twice", u.Name, p.Name)
			}
			params[p.Name] = true
			if len(p.Choices) > 0 {
				if p.CheckStr(p.DefaultChoice) != "" && !p.Required {
					t.Errorf("%s.%s: default %q is not among its choices %v", u.Prefix, p.Name, p.DefaultChoice, p.Choices)
				}
			} else if !p.Required {
				if problem := p.CheckNum(p.Default); problem != "" {
					t.Errorf("%s.%s: its default: %s (allowed: %s)", u.Prefix, p.Name, problem, p.Allowed())
				}
			}
		}
		for _, op := range u.Ops {
			if by, dup := ops[op.Op]; dup {
				t.Errorf("op %s declared by %s and %s", op.Op, by, u.Name)
			}
			ops[op.Op] = u.Name
			if len(op.Terms) == 0 || op.Shape == "" {
				t.Errorf("%s: op %s says no terms or shape", u.Name, op.Op)
			}
		}
	}
	if got, want := len(OpSpecs()), len(ops); got != want {
		t.Errorf("OpSpecs lists %d ops, the table declares %d", got, want)
	}
}

// TestParamChecks checks the range rules against values worked out by hand.
func TestParamChecks(t *testing.T) {
	k := Param{Name: "k", Int: true, Min: 1}
	reg := Param{Name: "regParam", Min: 0}
	share := Param{Name: "elasticNetParam", Min: 0, Max: 1}
	solver := Param{Name: "solver", Choices: []string{"auto", "l-bfgs"}, DefaultChoice: "auto"}
	tests := []struct {
		p    Param
		v    float64
		s    string
		isS  bool
		fail bool
	}{
		{k, 3, "", false, false}, {k, 2.5, "", false, true}, {k, 0, "", false, true},
		{reg, 0, "", false, false}, {reg, -0.1, "", false, true}, {reg, 1e9, "", false, false},
		{share, 1, "", false, false}, {share, 1.01, "", false, true},
		{solver, 0, "L-BFGS", true, false}, {solver, 0, "normal", true, true}, {solver, 1, "", false, true},
		{k, 0, "x", true, true},
	}
	for _, tt := range tests {
		var problem string
		if tt.isS {
			problem = tt.p.CheckStr(tt.s)
		} else {
			problem = tt.p.CheckNum(tt.v)
		}
		if (problem != "") != tt.fail {
			t.Errorf("%s = %v %q: problem %q, want a failure: %v", tt.p.Name, tt.v, tt.s, problem, tt.fail)
		}
	}
}
