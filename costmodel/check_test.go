package costmodel_test

import (
	"errors"
	"strings"
	"testing"

	"tunesim/costmodel"
	"tunesim/estimators"
	"tunesim/scenarios"
	"tunesim/tuning"
)

func plan(t *testing.T, name string, edit func(*scenarios.Scenario)) *tuning.Plan {
	t.Helper()
	s, err := scenarios.Builtin(name)
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(s)
	}
	p, err := tuning.New(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestCheckNamesWhatIsNotPriced checks Check against what each plan needs, worked out from its
// jobs: the seed's eight operations with cached splits, count in Spark 2, tree_reduce from 6
// partitions, source in the refit's uncached reads.
func TestCheckNamesWhatIsNotPriced(t *testing.T) {
	load := func(name string) *costmodel.Profile {
		p, err := costmodel.Load(name, "")
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	thin, err := costmodel.Parse("thin", []byte(`{"name": "thin", "ops": {"first": {"fixed_s": 0.001}}}`))
	if err != nil {
		t.Fatal(err)
	}
	spark2 := func(s *scenarios.Scenario) { s.SparkVersion = "2" }
	tests := []struct {
		name    string
		profile *costmodel.Profile
		plan    *tuning.Plan
		missing []string
	}{
		{"default prices the seed", load("default"), plan(t, "seed-tvs", nil), nil},
		{"spark-polyglot prices 8 partitions", load("spark-polyglot"), plan(t, "seed-8-partitions", nil), nil},
		{"spark-polyglot prices Spark 2", load("spark-polyglot"), plan(t, "seed-tvs", spark2), nil},
		{"thin", thin, plan(t, "seed-tvs", nil), []string{"sparse_check", "column_summary", "gramian", "pca_eigen", "lr_aggregate", "lr_solve", "lr_summary", "evaluate", "materialize", "source"}},
	}
	for _, tt := range tests {
		err := tt.profile.Check(tt.plan)
		if len(tt.missing) == 0 {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		if !errors.Is(err, costmodel.ErrUnpriced) || !errors.Is(err, costmodel.ErrInvalid) {
			t.Errorf("%s: %v, want ErrUnpriced", tt.name, err)
			continue
		}
		for _, op := range tt.missing {
			if !strings.Contains(err.Error(), op+" (terms") {
				t.Errorf("%s: the error does not name %s: %v", tt.name, op, err)
			}
		}
		if strings.Contains(err.Error(), "first (terms") {
			t.Errorf("%s: names first(), which it prices: %v", tt.name, err)
		}
	}
}

// TestEveryOperationIsPricedByDefault: the default profile (gonum) and the built-in Spark profile
// price every operation a unit declares, with a stated source, on the cost terms the unit says it
// depends on.
func TestEveryOperationIsPricedByDefault(t *testing.T) {
	for _, name := range []string{"default", "spark-local"} {
		p, err := costmodel.Load(name, "")
		if err != nil {
			t.Fatal(err)
		}
		t.Run(name, func(t *testing.T) { pricesEveryOperation(t, p) })
	}
}

// pricesEveryOperation checks that p prices every operation a unit declares, with a source.
func pricesEveryOperation(t *testing.T, p *costmodel.Profile) {
	known := map[string]bool{}
	for _, n := range costmodel.TermNames {
		known[n] = true
	}
	for _, spec := range estimators.OpSpecs() {
		for _, term := range spec.Terms {
			if !known[term] {
				t.Errorf("%s depends on term %q; terms are %v", spec.Op, term, costmodel.TermNames)
			}
		}
		c, ok := p.Ops[spec.Op]
		if !ok {
			t.Errorf("%s does not price %s", p.Name, spec.Op)
			continue
		}
		if c.Source == "" {
			t.Errorf("%s: no source for its numbers", spec.Op)
		}
	}
}
