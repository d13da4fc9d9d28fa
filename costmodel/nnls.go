package costmodel

import (
	"errors"
	"math"

	"gonum.org/v1/gonum/mat"
)

// NNLS solves min ||A x - b|| subject to x >= 0 by Lawson and Hanson's active-set method, with the
// unconstrained subproblems solved by gonum's QR-based least squares. Columns of A that are all
// zero get x = 0. Columns are scaled to unit norm inside, so terms of very different sizes (a
// fixed cost next to rows x features²) are solved alike; A is not modified.
func NNLS(a *mat.Dense, b []float64) ([]float64, error) {
	m, n := a.Dims()
	if len(b) != m {
		return nil, errors.New("nnls: b does not match A's rows")
	}
	norms := make([]float64, n)
	scaled := mat.DenseCopyOf(a)
	for j := range n {
		norms[j] = mat.Norm(scaled.ColView(j), 2)
		if norms[j] > 0 {
			for i := range m {
				scaled.Set(i, j, scaled.At(i, j)/norms[j])
			}
		}
	}
	x, err := nnls(scaled, b)
	if err != nil {
		return nil, err
	}
	for j := range x {
		if norms[j] > 0 {
			x[j] /= norms[j]
		}
	}
	return x, nil
}

func nnls(a *mat.Dense, b []float64) ([]float64, error) {
	m, n := a.Dims()
	bv := mat.NewVecDense(m, append([]float64(nil), b...))
	x := make([]float64, n)
	passive := make([]bool, n)
	w := mat.NewVecDense(n, nil)
	resid := mat.NewVecDense(m, nil)
	// gradient w = A^T (b - A x)
	gradient := func() {
		xv := mat.NewVecDense(n, x)
		resid.MulVec(a, xv)
		resid.SubVec(bv, resid)
		w.MulVec(a.T(), resid)
	}
	scale := mat.Norm(a, math.Inf(1)) * mat.Norm(bv, math.Inf(1))
	tol := 1e-12 * math.Max(scale, 1e-300) * float64(max(m, n))
	for iter := 0; iter < 3*n+30; iter++ {
		gradient()
		j, best := -1, tol
		for i := range n {
			if !passive[i] && w.AtVec(i) > best {
				j, best = i, w.AtVec(i)
			}
		}
		if j < 0 {
			return x, nil
		}
		passive[j] = true
		for inner := 0; inner < 3*n+30; inner++ {
			z, err := lsqOn(a, bv, passive)
			if err != nil {
				return nil, err
			}
			ok := true
			for i := range n {
				if passive[i] && z[i] <= 0 {
					ok = false
				}
			}
			if ok {
				copy(x, z)
				break
			}
			// Step from x toward z as far as feasibility allows, then drop the zeroed columns.
			alpha := math.Inf(1)
			for i := range n {
				if passive[i] && z[i] <= 0 {
					if d := x[i] - z[i]; d > 0 {
						alpha = math.Min(alpha, x[i]/d)
					}
				}
			}
			if math.IsInf(alpha, 1) {
				alpha = 0
			}
			for i := range n {
				if passive[i] {
					x[i] += alpha * (z[i] - x[i])
					if x[i] <= 1e-15*math.Abs(z[i])+1e-300 {
						x[i], passive[i] = 0, false
					}
				}
			}
		}
	}
	return x, nil
}

// lsqOn solves least squares over the passive columns; the others are 0.
func lsqOn(a *mat.Dense, b *mat.VecDense, passive []bool) ([]float64, error) {
	m, n := a.Dims()
	var cols []int
	for i := range n {
		if passive[i] {
			cols = append(cols, i)
		}
	}
	sub := mat.NewDense(m, len(cols), nil)
	for k, c := range cols {
		for r := range m {
			sub.Set(r, k, a.At(r, c))
		}
	}
	var zs mat.VecDense
	if err := zs.SolveVec(sub, b); err != nil {
		// A rank-deficient set: fall back to the minimum-norm solution through the SVD.
		var svd mat.SVD
		if !svd.Factorize(sub, mat.SVDThin) {
			return nil, errors.New("nnls: SVD failed")
		}
		var x mat.Dense
		svd.SolveTo(&x, b, svd.Rank(1e-12))
		zs = *mat.VecDenseCopyOf(x.ColView(0))
	}
	z := make([]float64, n)
	for k, c := range cols {
		z[c] = zs.AtVec(k)
	}
	return z, nil
}
