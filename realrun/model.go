package realrun

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

// Model is a fitted Pipeline(PCA, LinearRegression): PCA's components (nil without PCA) and the
// regression on the projected features.
type Model struct {
	// PC is features x k: the top k principal components as columns, by falling variance.
	PC        *mat.Dense
	Coef      []float64
	Intercept float64
	// Logistic is a fitted LogisticRegression (nil for the regression pipeline).
	Logistic *LogisticModel
}

// Project is PCAModel.transform: z = PC^T x, without centring (Spark's PCAModel does not centre;
// LinearRegression's intercept absorbs the offset). Without PCA it returns x. z is reused when it
// has the right length.
func (m *Model) Project(x, z []float64) []float64 {
	if m.PC == nil {
		return x
	}
	_, k := m.PC.Dims()
	if len(z) != k {
		z = make([]float64, k)
	}
	blas64.Gemv(blas.Trans, 1, m.PC.RawMatrix(), blas64.Vector{N: len(x), Inc: 1, Data: x}, 0, blas64.Vector{N: k, Inc: 1, Data: z})
	return z
}

// Predict is the pipeline's prediction for a row; z is scratch space of length k (or nil).
func (m *Model) Predict(x, z []float64) float64 {
	z = m.Project(x, z)
	p := m.Intercept
	for j, v := range z {
		p += m.Coef[j] * v
	}
	return p
}

// PCA is the driver's step of PCA.fit (estimators.OpPCAEigen): the sample covariance G / (n-1) of the
// merged Gramian, its eigen-decomposition (Spark takes the SVD of the covariance; for a symmetric
// positive semi-definite matrix the two agree up to sign), and the eigenvectors of the k largest
// eigenvalues as the columns of a features x k matrix.
func PCA(g *Gramian, k int) (*mat.Dense, error) {
	f := g.G.N
	if k < 1 || k > f {
		return nil, fmt.Errorf("pca: k = %d for %d features", k, f)
	}
	if g.N < 2 {
		return nil, fmt.Errorf("pca: %d rows, need at least 2 for a covariance", g.N)
	}
	data := make([]float64, f*f)
	scale := 1 / float64(g.N-1)
	for i := range f {
		for j := i; j < f; j++ {
			data[i*f+j] = g.G.Data[i*f+j] * scale
		}
	}
	var es mat.EigenSym
	if !es.Factorize(mat.NewSymDense(f, data), true) {
		return nil, errors.New("pca: eigen-decomposition of the covariance did not converge")
	}
	var vecs mat.Dense
	es.VectorsTo(&vecs)
	// EigenSym sorts eigenvalues ascending: the top k are the last k columns, largest first.
	pc := mat.NewDense(f, k, nil)
	for c := range k {
		for i := range f {
			pc.Set(i, c, vecs.At(i, f-1-c))
		}
	}
	return pc, nil
}

// SolveLR is the driver's step of LinearRegression with the normal solver (estimators.OpLRSolve), as
// Spark's WeightedLeastSquares does it for LinearRegression's defaults (fitIntercept, standardization,
// elasticNetParam 0, so standardizeFeatures and standardizeLabel): the means of the aggregator are
// scaled by the features' and the label's population standard deviations, regParam / std(label) is
// added to the scaled a a^T's diagonal, the (k+1) x (k+1) system [[aaBar + lambda I, aBar], [aBar^T,
// 1]] [w; b] = [abBar; bBar] is solved by Cholesky, and w, b are scaled back. That is ridge
// regression on centred, standardized data whose objective is 1/(2n) ||y - X w - b||^2 +
// regParam/2 ||w||^2 in standardized units. A constant feature gets coefficient 0; a constant label
// gives zero coefficients and its mean as intercept, as Spark does.
func SolveLR(e *NormalEq, regParam float64) (coef []float64, intercept float64, err error) {
	k := e.K
	if e.WSum <= 0 {
		return nil, 0, errors.New("lr: no training rows")
	}
	w := e.WSum
	bBar := e.BSum / w
	bStd := math.Sqrt(math.Max(e.BBSum/w-bBar*bBar, 0))
	coef = make([]float64, k)
	if bStd == 0 {
		return coef, bBar, nil
	}
	aStd := make([]float64, k)
	for j := range k {
		a := e.ASum[j] / w
		aStd[j] = math.Sqrt(math.Max(e.AASum.Data[j*k+j]/w-a*a, 0))
	}
	scaled := func(v, s float64) float64 {
		if s == 0 {
			return 0
		}
		return v / s
	}
	n := k + 1
	aa := mat.NewSymDense(n, nil)
	ab := mat.NewVecDense(n, nil)
	lambda := regParam / bStd
	for i := range k {
		for j := i; j < k; j++ {
			aa.SetSym(i, j, scaled(e.AASum.Data[i*k+j]/w, aStd[i]*aStd[j]))
		}
		aa.SetSym(i, i, aa.At(i, i)+lambda)
		aa.SetSym(i, k, scaled(e.ASum[i]/w, aStd[i]))
		ab.SetVec(i, scaled(e.ABSum[i]/w, aStd[i]*bStd))
	}
	aa.SetSym(k, k, 1)
	ab.SetVec(k, bBar/bStd)
	var ch mat.Cholesky
	if !ch.Factorize(aa) {
		return nil, 0, fmt.Errorf("lr: the normal equations are not positive definite (regParam %g; Spark would fall back to L-BFGS)", regParam)
	}
	var x mat.VecDense
	if err := ch.SolveVecTo(&x, ab); err != nil {
		return nil, 0, fmt.Errorf("lr: cholesky solve: %w", err)
	}
	for j := range k {
		coef[j] = x.AtVec(j) * scaled(bStd, aStd[j])
	}
	return coef, x.AtVec(k) * bStd, nil
}
