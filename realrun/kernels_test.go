package realrun

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// The independent truth: whole-matrix computations that share nothing with the kernels but gonum.

// directPCA is the top k right singular vectors of the whole centred matrix (features x k).
func directPCA(t testing.TB, x *mat.Dense, k int) *mat.Dense {
	t.Helper()
	n, f := x.Dims()
	c := mat.DenseCopyOf(x)
	for j := range f {
		m := stat.Mean(mat.Col(nil, j, x), nil)
		for i := range n {
			c.Set(i, j, c.At(i, j)-m)
		}
	}
	var svd mat.SVD
	if !svd.Factorize(c, mat.SVDThin) {
		t.Fatal("svd failed")
	}
	var v mat.Dense
	svd.VTo(&v)
	return mat.DenseCopyOf(v.Slice(0, f, 0, k))
}

// directRidge solves ridge regression on standardized, centred features and label (population
// standard deviations), with penalty regParam / std(y), directly on the whole matrix, and scales
// the solution back: LinearRegression's objective with standardization, solved another way.
func directRidge(t testing.TB, z *mat.Dense, y []float64, regParam float64) ([]float64, float64) {
	t.Helper()
	n, k := z.Dims()
	mu, sd := make([]float64, k), make([]float64, k)
	for j := range k {
		col := mat.Col(nil, j, z)
		mu[j] = stat.Mean(col, nil)
		sd[j] = stat.PopStdDev(col, nil)
	}
	ym := stat.Mean(y, nil)
	ys := stat.PopStdDev(y, nil)
	zs := mat.NewDense(n, k, nil)
	zs.Apply(func(i, j int, v float64) float64 { return (v - mu[j]) / sd[j] }, z)
	yv := mat.NewVecDense(n, nil)
	for i, v := range y {
		yv.SetVec(i, (v-ym)/ys)
	}
	var a mat.Dense
	a.Mul(zs.T(), zs)
	a.Scale(1/float64(n), &a)
	for j := range k {
		a.Set(j, j, a.At(j, j)+regParam/ys)
	}
	var b, w mat.VecDense
	b.MulVec(zs.T(), yv)
	b.ScaleVec(1/float64(n), &b)
	if err := w.SolveVec(&a, &b); err != nil {
		t.Fatalf("direct solve: %v", err)
	}
	coef := make([]float64, k)
	icpt := ym
	for j := range k {
		coef[j] = w.AtVec(j) * ys / sd[j]
		icpt -= coef[j] * mu[j]
	}
	return coef, icpt
}

// directRMSE is sqrt(mean((y - (z coef + intercept))^2)) over the whole matrix.
func directRMSE(z *mat.Dense, y, coef []float64, icpt float64) float64 {
	var pred mat.VecDense
	pred.MulVec(z, mat.NewVecDense(len(coef), coef))
	var sse float64
	for i, v := range y {
		e := v - pred.AtVec(i) - icpt
		sse += e * e
	}
	return math.Sqrt(sse / float64(len(y)))
}

// project is x times the components (or x without PCA).
func project(x, pc *mat.Dense) *mat.Dense {
	if pc == nil {
		return x
	}
	var z mat.Dense
	z.Mul(x, pc)
	return &z
}

// partitioned runs the kernels as the tasks and the driver do: one partial per partition of split
// s, merged in partition order.
type partitioned struct {
	d *Data
	s int
}

func (p partitioned) each(fn func(x []float64, y float64)) func() {
	return func() {
		for part := range len(p.d.Offsets) - 1 {
			p.d.Materialize(p.s, part).Each(fn)
		}
	}
}

func (p partitioned) gramian() *Gramian {
	var sum *Summary
	for part := range len(p.d.Offsets) - 1 {
		s := NewSummary(p.d.Features)
		p.d.Materialize(p.s, part).Each(func(x []float64, _ float64) { s.Add(x) })
		if sum == nil {
			sum = s
		} else {
			sum.Merge(s)
		}
	}
	var g *Gramian
	for part := range len(p.d.Offsets) - 1 {
		gp := NewGramian(sum.Mean())
		p.d.Materialize(p.s, part).Each(func(x []float64, _ float64) { gp.Add(x) })
		if g == nil {
			g = gp
		} else {
			g.Merge(gp)
		}
	}
	return g
}

func (p partitioned) normalEq(m *Model, k int) *NormalEq {
	var e *NormalEq
	for part := range len(p.d.Offsets) - 1 {
		ep := NewNormalEq(k)
		p.d.Materialize(p.s, part).Each(func(x []float64, y float64) { ep.Add(m.Project(x, nil), y) })
		if e == nil {
			e = ep
		} else {
			e.Merge(ep)
		}
	}
	return e
}

func (p partitioned) residuals(m *Model) *Residuals {
	r := &Residuals{}
	for part := range len(p.d.Offsets) - 1 {
		rp := &Residuals{}
		p.d.Materialize(p.s, part).Each(func(x []float64, y float64) { rp.Add(m.Predict(x, nil), y) })
		r.Merge(rp)
	}
	return r
}

func closeRel(a, b, tol float64) bool {
	return math.Abs(a-b) <= tol*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

// TestPCAMatchesSVD compares the components from partitioned summaries and Gramians with the
// right singular vectors of the whole centred matrix, up to sign.
func TestPCAMatchesSVD(t *testing.T) {
	tests := []struct {
		scenario string
		k        []int
	}{
		{"testdata/small-tvs.json", []int{1, 4, 12}},
		{"testdata/small-cv.json", []int{3, 10}},
		{"seed-tvs", []int{15, 75}},
	}
	for _, tt := range tests {
		p := plan(t, tt.scenario)
		d := NewData(p, 2)
		x, _ := d.Matrix(1)
		g := partitioned{d, 1}.gramian()
		for _, k := range tt.k {
			pc, err := PCA(g, k)
			if err != nil {
				t.Fatal(err)
			}
			want := directPCA(t, x, k)
			for c := range k {
				dot := mat.Dot(pc.ColView(c), want.ColView(c))
				if math.Abs(math.Abs(dot)-1) > 1e-8 {
					t.Errorf("%s k=%d: component %d has |cos| %.12f with the SVD's", tt.scenario, k, c, math.Abs(dot))
				}
			}
		}
	}
}

// TestSolveLRMatchesDirectSolve compares the normal-equation solve with a direct ridge solve on
// the whole projected matrix, and the residual sums' RMSE with a direct computation.
func TestSolveLRMatchesDirectSolve(t *testing.T) {
	tests := []struct {
		scenario string
		k        int // 0: no PCA
		reg      []float64
	}{
		{"testdata/small-tvs.json", 4, []float64{0, 0.001, 0.1, 10}},
		{"testdata/small-tvs.json", 0, []float64{0, 1}},
		{"testdata/small-cv.json", 0, []float64{0, 0.3, 3}},
		{"seed-tvs", 40, []float64{0.01}},
	}
	for _, tt := range tests {
		p := plan(t, tt.scenario)
		d := NewData(p, 9)
		train, val := partitioned{d, 1}, partitioned{d, 2}
		x, y := d.Matrix(1)
		xv, yv := d.Matrix(2)
		m := &Model{}
		k := d.Features
		if tt.k > 0 {
			k = tt.k
			var err error
			if m.PC, err = PCA(train.gramian(), k); err != nil {
				t.Fatal(err)
			}
		}
		ne := train.normalEq(m, k)
		for _, reg := range tt.reg {
			coef, icpt, err := SolveLR(ne, reg)
			if err != nil {
				t.Fatal(err)
			}
			wantCoef, wantIcpt := directRidge(t, project(x, m.PC), y, reg)
			for j := range coef {
				if !closeRel(coef[j], wantCoef[j], 1e-7) {
					t.Errorf("%s k=%d reg=%g: coef[%d] = %.10g, direct %.10g", tt.scenario, k, reg, j, coef[j], wantCoef[j])
				}
			}
			if !closeRel(icpt, wantIcpt, 1e-7) {
				t.Errorf("%s k=%d reg=%g: intercept %.10g, direct %.10g", tt.scenario, k, reg, icpt, wantIcpt)
			}
			fit := &Model{PC: m.PC, Coef: coef, Intercept: icpt}
			got, want := val.residuals(fit).RMSE(), directRMSE(project(xv, m.PC), yv, coef, icpt)
			if !closeRel(got, want, 1e-10) {
				t.Errorf("%s k=%d reg=%g: RMSE %.12g, direct %.12g", tt.scenario, k, reg, got, want)
			}
		}
	}
}

// TestMergeOrderDoesNotMatter checks that merging partials in a tree gives what one pass gives.
func TestMergeOrderDoesNotMatter(t *testing.T) {
	p := plan(t, "testdata/small-cv.json")
	d := NewData(p, 4)
	one := NewNormalEq(d.Features)
	partitioned{d, 0}.each(func(x []float64, y float64) { one.Add(x, y) })()
	tree := partitioned{d, 0}.normalEq(&Model{}, d.Features)
	a, b, _ := SolveLR(one, 0.1)
	c, e, _ := SolveLR(tree, 0.1)
	for j := range a {
		if !closeRel(a[j], c[j], 1e-10) {
			t.Errorf("coef[%d]: one pass %g, merged %g", j, a[j], c[j])
		}
	}
	if !closeRel(b, e, 1e-10) || one.N != tree.N {
		t.Errorf("intercept %g vs %g, rows %d vs %d", b, e, one.N, tree.N)
	}
}

// TestSolveLREdgeCases: a constant label gives zero coefficients and its mean, as Spark does; a
// constant feature gets coefficient 0 when regParam > 0.
func TestSolveLREdgeCases(t *testing.T) {
	e := NewNormalEq(2)
	for i := range 10 {
		e.Add([]float64{float64(i), 1}, 4)
	}
	coef, icpt, err := SolveLR(e, 0)
	if err != nil || coef[0] != 0 || coef[1] != 0 || icpt != 4 {
		t.Errorf("constant label: %v %v %v", coef, icpt, err)
	}
	e = NewNormalEq(2)
	for i := range 10 {
		e.Add([]float64{float64(i), 1}, 2*float64(i)+1)
	}
	coef, icpt, err = SolveLR(e, 0.5)
	if err != nil || coef[1] != 0 || coef[0] <= 0 || math.IsNaN(icpt) {
		t.Errorf("constant feature: %v %v %v", coef, icpt, err)
	}
	if _, _, err := SolveLR(NewNormalEq(3), 1); err == nil {
		t.Error("no rows: want an error")
	}
	if _, err := PCA(NewGramian(make([]float64, 3)), 2); err == nil {
		t.Error("PCA of no rows: want an error")
	}
}
