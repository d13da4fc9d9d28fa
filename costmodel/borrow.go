package costmodel

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"tunesim/estimators"
	"tunesim/tuning"
)

// How a missing operation was priced (Borrowed.Rule), nearest first.
const (
	// BorrowProfile: the same operation in another profile (given with --borrow-from, or a
	// profile file beside this one), scaled by this profile's cost over that one's on the
	// plan's work both price.
	BorrowProfile = "profile"
	// BorrowOperation: an operation of the same kind in this profile, each term scaled by the
	// ratio the built-in profile gives between the two operations.
	BorrowOperation = "operation"
	// BorrowBuiltin: the built-in profile's own cost, scaled by this profile's calibrated
	// over built-in cost on the plan's work both price.
	BorrowBuiltin = "builtin"
)

// Borrowed says how a profile priced an operation it lacked: which operation, by which rule
// (BorrowProfile, BorrowOperation or BorrowBuiltin), from where, and by what factor.
type Borrowed struct {
	Op   tuning.Op `json:"op"`
	Rule string    `json:"rule"`
	// From names the source: the other profile, the operation of this profile, or the built-in
	// profile.
	From string `json:"from"`
	// Scale is the factor the source's per-unit costs were multiplied by (see the rules).
	Scale float64 `json:"scale"`
	// FixedS is the fixed cost per task or step the borrowed cost has, in seconds.
	FixedS float64 `json:"fixed_s,omitempty"`
	// Unscaled says the scale could not be measured (the two profiles price none of the plans'
	// work in common) and is 1: only from a profile given or beside (BorrowProfile); the
	// built-in's costs are not borrowed unscaled.
	Unscaled bool `json:"unscaled,omitempty"`
}

// String is the sentence the text reports print.
func (b Borrowed) String() string {
	scale := fmt.Sprintf("x %.3g", b.Scale)
	if b.Unscaled {
		scale = "unscaled (the two price none of the plan's work in common)"
	}
	var how string
	switch b.Rule {
	case BorrowProfile:
		how = fmt.Sprintf("the same operation in profile %s, %s: this profile's cost over that one's on the plan's work both price", b.From, scale)
	case BorrowOperation:
		how = fmt.Sprintf("%s of this profile: the built-in's cost of %s x %.3g, %s's calibrated over built-in cost", strings.TrimPrefix(b.From, "operation "), b.Op, b.Scale, strings.TrimPrefix(b.From, "operation "))
	default:
		how = fmt.Sprintf("%s, %s, this profile's calibrated over built-in cost on the plan's work both price", b.From, scale)
	}
	if b.FixedS > 0 {
		how += fmt.Sprintf("; %.3g s fixed per task or step", b.FixedS)
	}
	return fmt.Sprintf("borrowed: %s is not in the profile; priced from %s (--strict refuses instead)", b.Op, how)
}

// FillOptions say where Fill may borrow from.
type FillOptions struct {
	// Builtin is the reference profile (the gonum profile, whose terms calibrate fits): the
	// last resort, and what relates two operations of one profile.
	Builtin *Profile
	// Given are profiles the user named to borrow from, nearest first when ties; Beside are
	// profiles found beside this one (ProfilesBeside). Given ones are preferred.
	Given, Beside []*Profile
}

// Fill returns a copy of p that also prices every operation of the plans p lacks, and says how
// each was priced; p itself is unchanged, and a p that prices everything is returned as is.
// For each missing operation, in the order the plans need them (see Ops), the nearest source
// that prices it is used:
//
//  1. the same operation in another profile (o.Given, else o.Beside): of several, the one
//     whose cost is closest to p's on the plans' work both price (the smallest |log r|, r
//     being p's cost over its own; a profile sharing no work counts as r = 1 and comes last);
//     its coefficients times r;
//  2. an operation of the same kind in p: run by the same side (tasks or the driver), whose
//     built-in cost has every term the missing one's has (and p a non-zero coefficient for
//     each), the fewest other terms, then the closest built-in coefficients, then the name;
//     the missing operation's built-in terms times that operation's calibrated over built-in
//     ratio (the geometric mean over those terms), and that operation's fixed cost;
//  3. the built-in profile's cost: its terms times p's calibrated over built-in ratio of the
//     variable cost (fixed costs left out) on the plans' work both price, plus the median fixed
//     cost of p's operations of the same side. When they price none of it in common there is no
//     ratio, and the built-in's costs at face value would be another machine's: p (a
//     hand-written profile pricing a stray operation, say) is no relative of the built-in, and
//     nothing is borrowed by this rule.
//
// Operations no source prices are left out, for Check to refuse.
func (p *Profile) Fill(plans []*tuning.Plan, o FillOptions) (*Profile, []Borrowed) {
	var missing []tuning.Op
	seen := map[tuning.Op]bool{}
	for _, pl := range plans {
		for _, op := range Ops(pl) {
			if _, ok := p.Ops[op]; !ok && !seen[op] {
				seen[op] = true
				missing = append(missing, op)
			}
		}
	}
	if len(missing) == 0 {
		return p, nil
	}
	w := work{}
	for _, pl := range plans {
		w.add(pl)
	}
	q := *p
	q.Ops = make(map[tuning.Op]*OpCost, len(p.Ops)+len(missing))
	for op, c := range p.Ops {
		q.Ops[op] = c
	}
	var out []Borrowed
	for _, op := range missing {
		c, b, ok := p.borrow(op, w, o)
		if !ok {
			continue
		}
		q.Ops[op] = c
		out = append(out, b)
	}
	return &q, out
}

// borrow prices op by the first rule that can.
func (p *Profile) borrow(op tuning.Op, w work, o FillOptions) (*OpCost, Borrowed, bool) {
	for _, group := range [][]*Profile{o.Given, o.Beside} {
		if r, rel := p.nearestProfile(op, group, w); rel != nil {
			c := scaled(rel.Ops[op], r, r)
			c.Source = fmt.Sprintf("borrowed from profile %s x %g", rel.label(), r)
			_, measured := ratio(p, rel, w, true)
			return c, Borrowed{Op: op, Rule: BorrowProfile, From: rel.label(), Scale: r, FixedS: c.Coeffs[0], Unscaled: !measured}, true
		}
	}
	if o.Builtin == nil {
		return nil, Borrowed{}, false
	}
	bm, ok := o.Builtin.Ops[op]
	if !ok {
		return nil, Borrowed{}, false
	}
	if rel, s := p.nearestOperation(op, o.Builtin); rel != "" {
		c := scaled(bm, s, 0)
		c.Coeffs[0] = p.Ops[rel].Coeffs[0]
		c.Source = fmt.Sprintf("borrowed from operation %s of this profile: built-in %s's terms x %g", rel, o.Builtin.label(), s)
		return c, Borrowed{Op: op, Rule: BorrowOperation, From: "operation " + string(rel), Scale: s, FixedS: c.Coeffs[0]}, true
	}
	r, measured := ratio(p, o.Builtin, w, false)
	if !measured {
		return nil, Borrowed{}, false
	}
	c := scaled(bm, r, 0)
	c.Coeffs[0] = p.medianFixed(op)
	c.Source = fmt.Sprintf("borrowed from built-in %s x %g", o.Builtin.label(), r)
	return c, Borrowed{Op: op, Rule: BorrowBuiltin, From: "built-in profile " + o.Builtin.label(), Scale: r, FixedS: c.Coeffs[0]}, true
}

// scaled is c with its variable terms times s and its fixed cost times fixed.
func scaled(c *OpCost, s, fixed float64) *OpCost {
	out := &OpCost{}
	out.Coeffs[0] = c.Coeffs[0] * fixed
	for k := 1; k < NumTerms; k++ {
		out.Coeffs[k] = c.Coeffs[k] * s
	}
	return out
}

// nearestProfile is the profile of group pricing op whose cost is closest to p's on the work
// both price, and p's cost over its own there (1 when they share none).
func (p *Profile) nearestProfile(op tuning.Op, group []*Profile, w work) (float64, *Profile) {
	best, bestR, bestD := (*Profile)(nil), 1.0, math.Inf(1)
	for _, rel := range group {
		if _, ok := rel.Ops[op]; !ok || rel == p {
			continue
		}
		r, ok := ratio(p, rel, w, true)
		d := math.Abs(math.Log(r))
		if !ok {
			r, d = 1, math.MaxFloat64
		}
		if best == nil || d < bestD {
			best, bestR, bestD = rel, r, d
		}
	}
	return bestR, best
}

// nearestOperation is the operation of p of op's kind (see Fill, rule 2) and its calibrated
// over built-in ratio on op's terms; "" when there is none.
func (p *Profile) nearestOperation(op tuning.Op, builtin *Profile) (tuning.Op, float64) {
	want := builtin.Ops[op].Coeffs
	side := driverOp(op)
	type cand struct {
		op    tuning.Op
		extra int
		dist  float64
		scale float64
	}
	var cands []cand
	for rel, pc := range p.Ops {
		bc, ok := builtin.Ops[rel]
		if !ok || driverOp(rel) != side || strings.HasPrefix(pc.Source, "borrowed") {
			continue
		}
		c := cand{op: rel, scale: 1}
		fits, logs, n := true, 0.0, 0
		for k := 1; k < NumTerms; k++ {
			switch {
			case want[k] > 0 && (bc.Coeffs[k] <= 0 || pc.Coeffs[k] <= 0):
				fits = false
			case want[k] > 0:
				logs += math.Log(pc.Coeffs[k] / bc.Coeffs[k])
				c.dist += math.Abs(math.Log(want[k] / bc.Coeffs[k]))
				n++
			case bc.Coeffs[k] > 0:
				c.extra++
			}
		}
		if !fits || (n == 0 && c.extra > 0) {
			continue
		}
		if n > 0 {
			c.scale = math.Exp(logs / float64(n))
		}
		cands = append(cands, c)
	}
	if len(cands) == 0 {
		return "", 0
	}
	best := slices.MinFunc(cands, func(a, b cand) int {
		return cmp.Or(cmp.Compare(a.extra, b.extra), cmp.Compare(a.dist, b.dist), cmp.Compare(a.op, b.op))
	})
	return best.op, best.scale
}

// medianFixed is the median fixed cost of p's own operations run by op's side (tasks or the
// driver), 0 when it has none.
func (p *Profile) medianFixed(op tuning.Op) float64 {
	var fs []float64
	for rel, c := range p.Ops {
		if driverOp(rel) == driverOp(op) && !strings.HasPrefix(c.Source, "borrowed") {
			fs = append(fs, c.Coeffs[0])
		}
	}
	if len(fs) == 0 {
		return 0
	}
	sort.Float64s(fs)
	if n := len(fs); n%2 == 0 {
		return (fs[n/2-1] + fs[n/2]) / 2
	}
	return fs[len(fs)/2]
}

func driverOp(op tuning.Op) bool {
	s, _ := estimators.Spec(op)
	return s.Driver
}

// work is, per operation, the sum of each term (Terms) over every unit of work of some plans
// priced by it: a task's operation, its input or a fused transform, or a driver step. A linear
// profile's cost of it all is the dot product with its coefficients.
type work map[tuning.Op]*[NumTerms]float64

// add counts the plan's work as the simulator prices it (a cached partition stored once).
func (w work) add(p *tuning.Plan) {
	put := func(op tuning.Op, sh tuning.Shape) {
		t := w[op]
		if t == nil {
			t = new([NumTerms]float64)
			w[op] = t
		}
		for k, v := range Terms(sh) {
			t[k] += v
		}
	}
	stored := map[[2]int]bool{}
	for _, f := range p.Fits {
		for _, step := range f.Steps {
			if step.Kind == tuning.StepDriver {
				put(step.Op, step.Shape)
				continue
			}
			sp := &p.Splits[step.Split]
			for si := range step.Stages {
				st := &step.Stages[si]
				for i := range st.Tasks {
					put(st.Op, st.TaskShape(sp, i))
					if !st.ReadsSplit {
						continue
					}
					switch {
					case !sp.Cached:
						put(estimators.OpSource, p.SourceShape(st, step.Split, i))
					case !stored[[2]int{step.Split, i}]:
						stored[[2]int{step.Split, i}] = true
						put(estimators.OpMaterialize, p.BlockShape(step.Split, i))
					}
					for _, fu := range st.Fused {
						put(fu.Op, st.FusedShape(fu, sp, i))
					}
				}
			}
		}
	}
}

// ratio is a's cost over b's of the work whose operations both price (a's own, not borrowed),
// with the fixed costs when withFixed (else the variable terms only); false when either is zero.
func ratio(a, b *Profile, w work, withFixed bool) (float64, bool) {
	var sa, sb float64
	// In the operations' order: a sum in map order would differ in its last bits run to run.
	for _, op := range slices.Sorted(maps.Keys(w)) {
		t := w[op]
		ca, okA := a.Ops[op]
		cb, okB := b.Ops[op]
		if !okA || !okB || strings.HasPrefix(ca.Source, "borrowed") {
			continue
		}
		for k := range NumTerms {
			if k == 0 && !withFixed {
				continue
			}
			sa += ca.Coeffs[k] * t[k]
			sb += cb.Coeffs[k] * t[k]
		}
	}
	if sb <= 0 || sa <= 0 || math.IsInf(sa/sb, 0) {
		return 1, false
	}
	return sa / sb, true
}

// ProfilesBeside reads the other profiles in the directory of the profile file p was loaded
// from, sorted by file name: JSON files that parse as profiles (others are not profiles and are
// skipped, as are files over 4 MiB). A built-in p has none.
func ProfilesBeside(p *Profile) []*Profile {
	path := p.fileLabel
	if strings.HasPrefix(path, "built-in profile ") {
		return nil
	}
	self, err := os.Stat(path)
	if err != nil {
		return nil
	}
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil {
		return nil
	}
	var out []*Profile
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		other := filepath.Join(filepath.Dir(path), e.Name())
		info, err := os.Stat(other)
		if err != nil || os.SameFile(info, self) || info.Size() > 4<<20 {
			continue
		}
		b, err := os.ReadFile(other)
		if err != nil {
			continue
		}
		if q, err := Parse(other, b); err == nil && len(q.Ops) > 0 {
			out = append(out, q)
		}
	}
	return out
}
