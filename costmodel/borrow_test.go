package costmodel_test

import (
	"math"
	"os"
	"path/filepath"
	"testing"

	"tunesim/costmodel"
	"tunesim/tuning"
)

// seedOps are the operations the seed's plan needs at 4 partitions (TestCheckNamesWhatIsNotPriced
// lists them); at 8 partitions it needs tree_reduce too.
var seedOps = []tuning.Op{"first", "sparse_check", "column_summary", "gramian", "pca_eigen", "lr_aggregate", "lr_solve", "lr_summary", "evaluate", "materialize", "source"}

// timesBuiltin is a profile whose operations ops cost k(op) times the built-in gonum's, every
// term, with fixed costs fixed(op) (nil: none).
func timesBuiltin(t *testing.T, name string, ops []tuning.Op, k func(tuning.Op) float64, fixed func(tuning.Op) float64) *costmodel.Profile {
	t.Helper()
	b := builtin(t)
	p := &costmodel.Profile{Name: name, Ops: map[tuning.Op]*costmodel.OpCost{}}
	for _, op := range ops {
		c := &costmodel.OpCost{Source: "calibrated"}
		for i := range c.Coeffs {
			c.Coeffs[i] = b.Ops[op].Coeffs[i] * k(op)
		}
		if fixed != nil {
			c.Coeffs[0] = fixed(op)
		}
		p.Ops[op] = c
	}
	return p
}

func builtin(t *testing.T) *costmodel.Profile {
	t.Helper()
	b, err := costmodel.Load(costmodel.Gonum, "")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func constant(k float64) func(tuning.Op) float64 { return func(tuning.Op) float64 { return k } }

func without(ops []tuning.Op, drop tuning.Op) []tuning.Op {
	var out []tuning.Op
	for _, op := range ops {
		if op != drop {
			out = append(out, op)
		}
	}
	return out
}

// near says a and b agree to 1e-12 relative.
func near(a, b float64) bool { return math.Abs(a-b) <= 1e-12*math.Max(math.Abs(a), math.Abs(b)) }

// TestFillPricesWhatIsMissing checks each rule of Fill against costs worked out by hand from the
// built-in profile: a profile whose costs are k times the built-in's must price what it lacks at k
// times the built-in's, whichever rule prices it, and say which rule and source it used.
func TestFillPricesWhatIsMissing(t *testing.T) {
	b := builtin(t)
	eight := plan(t, "seed-8-partitions", nil)
	four := plan(t, "seed-tvs", nil)
	all := append(append([]tuning.Op{}, seedOps...), "tree_reduce")
	const k = 3.5
	// Fixed costs of the nine task operations: 0.01 s, but 0.2 s for gramian and 0.001 s for
	// materialize; the driver's 0.5 s. Their median over the task operations is 0.01 s.
	fixed := func(op tuning.Op) float64 {
		switch op {
		case "pca_eigen", "lr_solve":
			return 0.5
		case "gramian":
			return 0.2
		case "materialize":
			return 0.001
		}
		return 0.01
	}
	tests := []struct {
		name    string
		p       *costmodel.Profile
		o       costmodel.FillOptions
		plan    *tuning.Plan
		op      tuning.Op
		rule    string
		from    string
		scale   float64
		coeffs  func(b costmodel.Coeffs) costmodel.Coeffs
		wantFix float64
	}{
		{
			name: "k x built-in: tree_reduce from the built-in at k x", p: timesBuiltin(t, "k", seedOps, constant(k), nil),
			o: costmodel.FillOptions{Builtin: b}, plan: eight, op: "tree_reduce", rule: costmodel.BorrowBuiltin, from: "built-in profile gonum", scale: k,
		},
		{
			name: "fixed costs leave the scale alone; the fixed cost is the tasks' median", p: timesBuiltin(t, "k", seedOps, constant(k), fixed),
			o: costmodel.FillOptions{Builtin: b}, plan: eight, op: "tree_reduce", rule: costmodel.BorrowBuiltin, from: "built-in profile gonum", scale: k, wantFix: 0.01,
		},
		{
			// evaluate and lr_summary are both one term, row_in_out, in the built-in; lr_summary
			// is 2x the built-in here, the rest 7x: evaluate takes lr_summary's 2x and its fixed cost.
			name: "evaluate from lr_summary of the same profile",
			p: timesBuiltin(t, "mixed", without(seedOps, "evaluate"), func(op tuning.Op) float64 {
				if op == "lr_summary" {
					return 2
				}
				return 7
			}, fixed),
			o: costmodel.FillOptions{Builtin: b}, plan: four, op: "evaluate", rule: costmodel.BorrowOperation, from: "operation lr_summary", scale: 2, wantFix: 0.01,
		},
		{
			// first() has no terms in the built-in: its relative is sparse_check, a take(1) too.
			name: "first from sparse_check: the fixed cost alone",
			p:    timesBuiltin(t, "k", without(seedOps, "first"), constant(k), func(op tuning.Op) float64 { return map[tuning.Op]float64{"sparse_check": 0.004}[op] }),
			o:    costmodel.FillOptions{Builtin: b}, plan: four, op: "first", rule: costmodel.BorrowOperation, from: "operation sparse_check", scale: 1, wantFix: 0.004,
			coeffs: func(costmodel.Coeffs) costmodel.Coeffs { return costmodel.Coeffs{} },
		},
		{
			// The relative is 2k x the built-in, so this profile is half of it: its tree_reduce
			// halved is k x the built-in's again.
			name: "tree_reduce from a given profile, scaled to this one",
			p:    timesBuiltin(t, "k", seedOps, constant(k), nil),
			o:    costmodel.FillOptions{Builtin: b, Given: []*costmodel.Profile{timesBuiltin(t, "double", all, constant(2*k), nil)}},
			plan: eight, op: "tree_reduce", rule: costmodel.BorrowProfile, from: "double", scale: 0.5,
		},
		{
			name: "the nearest of the given profiles",
			p:    timesBuiltin(t, "k", seedOps, constant(k), nil),
			o: costmodel.FillOptions{Builtin: b, Given: []*costmodel.Profile{
				timesBuiltin(t, "far", all, constant(10*k), nil), timesBuiltin(t, "close", all, constant(1.25*k), nil), timesBuiltin(t, "lacks it", seedOps, constant(k), nil)}},
			plan: eight, op: "tree_reduce", rule: costmodel.BorrowProfile, from: "close", scale: 0.8,
		},
		{
			name: "given before beside, however close",
			p:    timesBuiltin(t, "k", seedOps, constant(k), nil),
			o: costmodel.FillOptions{Builtin: b, Given: []*costmodel.Profile{timesBuiltin(t, "given", all, constant(4*k), nil)},
				Beside: []*costmodel.Profile{timesBuiltin(t, "beside", all, constant(k), nil)}},
			plan: eight, op: "tree_reduce", rule: costmodel.BorrowProfile, from: "given", scale: 0.25,
		},
		{
			name: "beside when none is given",
			p:    timesBuiltin(t, "k", seedOps, constant(k), nil),
			o:    costmodel.FillOptions{Builtin: b, Beside: []*costmodel.Profile{timesBuiltin(t, "beside", all, constant(k), nil)}},
			plan: eight, op: "tree_reduce", rule: costmodel.BorrowProfile, from: "beside", scale: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(tt.p.Ops)
			q, borrowed := tt.p.Fill([]*tuning.Plan{tt.plan}, tt.o)
			if len(tt.p.Ops) != before {
				t.Errorf("Fill changed the profile it was given: %d ops, had %d", len(tt.p.Ops), before)
			}
			if err := q.Check(tt.plan); err != nil {
				t.Fatalf("the filled profile does not price the plan: %v", err)
			}
			var got *costmodel.Borrowed
			for i := range borrowed {
				if borrowed[i].Op == tt.op {
					got = &borrowed[i]
				}
			}
			if got == nil {
				t.Fatalf("%s not among the borrowed %+v", tt.op, borrowed)
			}
			if got.Rule != tt.rule || got.From != tt.from || !near(got.Scale, tt.scale) || !near(got.FixedS, tt.wantFix) {
				t.Errorf("borrowed %+v, want rule %s from %q scale %g fixed %g", *got, tt.rule, tt.from, tt.scale, tt.wantFix)
			}
			want := costmodel.Coeffs{}
			if tt.coeffs != nil {
				want = tt.coeffs(b.Ops[tt.op].Coeffs)
			} else {
				k := k
				if tt.rule == costmodel.BorrowOperation {
					k = tt.scale
				}
				for i := 1; i < costmodel.NumTerms; i++ {
					want[i] = k * b.Ops[tt.op].Coeffs[i]
				}
			}
			want[0] = tt.wantFix
			for i, c := range q.Ops[tt.op].Coeffs {
				if !near(c, want[i]) {
					t.Errorf("%s_s = %g, want %g", costmodel.TermNames[i], c, want[i])
				}
			}
		})
	}
}

// TestFillLeavesWhatNoSourcePrices: without a built-in profile or relatives nothing is borrowed,
// and Check refuses as before; a profile that prices the whole plan comes back as it was.
func TestFillLeavesWhatNoSourcePrices(t *testing.T) {
	eight := plan(t, "seed-8-partitions", nil)
	p := timesBuiltin(t, "k", seedOps, constant(2), nil)
	q, borrowed := p.Fill([]*tuning.Plan{eight}, costmodel.FillOptions{})
	if len(borrowed) != 0 || q.Check(eight) == nil {
		t.Errorf("with no source: borrowed %+v, Check %v; want nothing borrowed and a refusal", borrowed, q.Check(eight))
	}
	// A profile pricing only first(), which costs nothing in the built-in: no ratio to measure,
	// so the built-in's costs are not borrowed at face value, and Check refuses as before.
	thin, err := costmodel.Parse("thin", []byte(`{"name": "thin", "ops": {"first": {"fixed_s": 0.001}}}`))
	if err != nil {
		t.Fatal(err)
	}
	q, borrowed = thin.Fill([]*tuning.Plan{eight}, costmodel.FillOptions{Builtin: builtin(t)})
	for _, b := range borrowed {
		if b.Rule == costmodel.BorrowBuiltin {
			t.Errorf("thin: borrowed %+v from the built-in with no ratio to scale it by", b)
		}
	}
	if q.Check(eight) == nil {
		t.Errorf("thin: Check accepts it; want the operations it lacks refused")
	}
	full := builtin(t)
	if q, borrowed := full.Fill([]*tuning.Plan{eight}, costmodel.FillOptions{Builtin: full}); q != full || len(borrowed) != 0 {
		t.Errorf("a profile pricing everything: borrowed %+v, same profile %v", borrowed, q == full)
	}
}

// TestProfilesBeside reads the profiles in the file's directory, not itself nor other JSON.
func TestProfilesBeside(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	self := write("a.json", `{"name": "a", "ops": {"first": {"fixed_s": 0.001}}}`)
	write("b.json", `{"name": "b", "ops": {"tree_reduce": {"fixed_s": 0.002}}}`)
	write("scenario.json", `{"name": "seed", "data": {"rows": 10}}`)
	write("notes.txt", `{"name": "c", "ops": {"first": {"fixed_s": 0.001}}}`)
	p, err := costmodel.Load(self, "")
	if err != nil {
		t.Fatal(err)
	}
	got := costmodel.ProfilesBeside(p)
	if len(got) != 1 || got[0].Name != "b" {
		t.Errorf("beside %s: %d profiles %v, want b only", self, len(got), got)
	}
	if bp := builtin(t); len(costmodel.ProfilesBeside(bp)) != 0 {
		t.Error("a built-in profile has profiles beside it")
	}
}
