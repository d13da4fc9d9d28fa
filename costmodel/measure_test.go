package costmodel

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

var measure = flag.Bool("measure", false, "time the kernels behind the default profile's coefficients and print them")

// TestMeasureKernels times, on this machine, the per-row kernels that the default profile's
// coefficients come from (gonum's BLAS, the same kernels the real runs use). It runs only with
// -measure: go test ./costmodel -run TestMeasureKernels -measure -v
func TestMeasureKernels(t *testing.T) {
	if !*measure {
		t.Skip("kernel timing runs only with -measure")
	}
	const rows, f, k = 4000, 100, 40
	rng := rand.New(rand.NewPCG(1, 2))
	x := make([]float64, rows*f)
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	best := func(fn func()) float64 {
		b := time.Duration(1 << 62)
		for r := 0; r < 15; r++ {
			s := time.Now()
			fn()
			b = min(b, time.Since(s))
		}
		return b.Seconds()
	}
	// Gramian: a symmetric rank-1 update of f x f per row.
	g := blas64.Symmetric{N: f, Stride: f, Uplo: 'U', Data: make([]float64, f*f)}
	gram := best(func() {
		for r := 0; r < rows; r++ {
			blas64.Syr(1, blas64.Vector{N: f, Inc: 1, Data: x[r*f : (r+1)*f]}, g)
		}
	})
	// Column summary: running sums and squares per column.
	sum, sq := make([]float64, f), make([]float64, f)
	colsum := best(func() {
		for r := 0; r < rows; r++ {
			for j, v := range x[r*f : (r+1)*f] {
				sum[j] += v
				sq[j] += v * v
			}
		}
	})
	// Projection: a k x f matrix-vector product per row (PCA's transform).
	pc := mat.NewDense(k, f, x[:k*f])
	out := make([]float64, k)
	proj := best(func() {
		for r := 0; r < rows; r++ {
			blas64.Gemv('N', 1, pc.RawMatrix(), blas64.Vector{N: f, Inc: 1, Data: x[r*f : (r+1)*f]}, 0, blas64.Vector{N: k, Inc: 1, Data: out})
		}
	})
	// Normal equations: a rank-1 update of (k+1) x (k+1) per row.
	a := blas64.Symmetric{N: k + 1, Stride: k + 1, Uplo: 'U', Data: make([]float64, (k+1)*(k+1))}
	ne := best(func() {
		for r := 0; r < rows; r++ {
			blas64.Syr(1, blas64.Vector{N: k + 1, Inc: 1, Data: x[r*f : r*f+k+1]}, a)
		}
	})
	// Eigen-decomposition of f x f and Cholesky of (k+1) x (k+1).
	cov := mat.NewSymDense(f, nil)
	for i := 0; i < f; i++ {
		for j := i; j < f; j++ {
			cov.SetSym(i, j, g.Data[i*f+j]/rows)
		}
	}
	var es mat.EigenSym
	eig := best(func() { es.Factorize(cov, true) })
	spd := mat.NewSymDense(k+1, nil)
	for i := 0; i <= k; i++ {
		for j := i; j <= k; j++ {
			spd.SetSym(i, j, a.Data[i*(k+1)+j])
		}
		spd.SetSym(i, i, spd.At(i, i)+1)
	}
	var ch mat.Cholesky
	chol := best(func() { ch.Factorize(spd) })
	// Materializing a cached partition copies its rows; the uncached source regenerates them.
	dst := make([]float64, len(x))
	cp := best(func() { copy(dst, x) })
	gen := best(func() {
		for i := range dst {
			dst[i] = rng.NormFloat64()
		}
	})
	fmt.Printf("row_in  copy         %.3e s  (%.3f ms)\n", cp/(rows*f), cp*1e3)
	fmt.Printf("row_in  generate     %.3e s  (%.3f ms)\n", gen/(rows*f), gen*1e3)
	fmt.Printf("row_in2 gramian      %.3e s  (%.3f ms / %d rows x %d^2)\n", gram/(rows*f*f), gram*1e3, rows, f)
	fmt.Printf("row_in  column sum   %.3e s  (%.3f ms)\n", colsum/(rows*f), colsum*1e3)
	fmt.Printf("row_in_out project   %.3e s  (%.3f ms, k=%d)\n", proj/(rows*f*k), proj*1e3, k)
	fmt.Printf("row_out2 normal eq   %.3e s  (%.3f ms, k+1=%d)\n", ne/(rows*(k+1)*(k+1)), ne*1e3, k+1)
	fmt.Printf("in3 eigen            %.3e s  (%.3f ms, %d^3)\n", eig/(f*f*f), eig*1e3, f)
	fmt.Printf("out3 cholesky        %.3e s  (%.3f ms, %d^3)\n", chol/float64((k+1)*(k+1)*(k+1)), chol*1e3, k+1)
}
