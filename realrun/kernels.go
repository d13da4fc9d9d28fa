package realrun

import (
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
)

// The partial aggregates of Spark's treeAggregate jobs. A task folds its partition's rows into one
// (row by row, as Spark's seqOp does), a tree_reduce task or the driver merges several (combOp).
// Merging in a fixed order gives the same bits whatever the timing of the run.

// partial is any of the aggregates below, for the scheduler, which merges without knowing which.
type partial interface {
	mergeAny(partial)
}

// Count is what count() and take(1)/first() return: rows seen, and the vector size of the first.
type Count struct {
	N        int64
	Features int
}

// Add counts a row.
func (c *Count) Add(x []float64) {
	if c.N == 0 {
		c.Features = len(x)
	}
	c.N++
}

// Merge adds o's rows.
func (c *Count) Merge(o *Count) {
	if c.N == 0 {
		c.Features = o.Features
	}
	c.N += o.N
}

func (c *Count) mergeAny(o partial) { c.Merge(o.(*Count)) }

// Summary is RowMatrix's column summary (the part of MultivariateOnlineSummarizer PCA needs):
// count, and per column the sum and the sum of squares.
type Summary struct {
	N          int64
	Sum, SumSq []float64
}

// NewSummary is an empty summary of f columns.
func NewSummary(f int) *Summary {
	return &Summary{Sum: make([]float64, f), SumSq: make([]float64, f)}
}

// Add folds in a row.
func (s *Summary) Add(x []float64) {
	s.N++
	for j, v := range x {
		s.Sum[j] += v
		s.SumSq[j] += v * v
	}
}

// Merge folds in another summary.
func (s *Summary) Merge(o *Summary) {
	s.N += o.N
	for j := range s.Sum {
		s.Sum[j] += o.Sum[j]
		s.SumSq[j] += o.SumSq[j]
	}
}

func (s *Summary) mergeAny(o partial) { s.Merge(o.(*Summary)) }

// Mean is the column means (zeros when empty).
func (s *Summary) Mean() []float64 {
	m := make([]float64, len(s.Sum))
	if s.N > 0 {
		for j, v := range s.Sum {
			m[j] = v / float64(s.N)
		}
	}
	return m
}

// Gramian is the covariance partial sum of RowMatrix.computeCovariance (Spark 3+): per row, a
// symmetric rank-1 update with the row centred by the column means (BLAS spr in Spark, syr here).
type Gramian struct {
	N    int64
	Mean []float64
	// G holds sum (x-mean)(x-mean)^T in its upper triangle.
	G   blas64.Symmetric
	buf []float64
}

// NewGramian is an empty Gramian centred at mean.
func NewGramian(mean []float64) *Gramian {
	f := len(mean)
	return &Gramian{Mean: mean, G: blas64.Symmetric{N: f, Stride: f, Uplo: blas.Upper, Data: make([]float64, f*f)}, buf: make([]float64, f)}
}

// Add folds in a row.
func (g *Gramian) Add(x []float64) {
	g.N++
	for j, v := range x {
		g.buf[j] = v - g.Mean[j]
	}
	blas64.Syr(1, blas64.Vector{N: len(x), Inc: 1, Data: g.buf}, g.G)
}

// Merge folds in another Gramian with the same mean.
func (g *Gramian) Merge(o *Gramian) {
	g.N += o.N
	addUpper(g.G, o.G)
}

// addUpper adds the upper triangle of src to dst's.
func addUpper(dst, src blas64.Symmetric) {
	n := dst.N
	for i := range n {
		row, orow := dst.Data[i*dst.Stride+i:i*dst.Stride+n], src.Data[i*src.Stride+i:i*src.Stride+n]
		for j := range row {
			row[j] += orow[j]
		}
	}
}

func (g *Gramian) mergeAny(o partial) { g.Merge(o.(*Gramian)) }

// NormalEq is WeightedLeastSquares' Aggregator with unit weights over k features and the label:
// count, sum of weights, the label's sum and sum of squares, and per feature the sums of a, a a^T
// (upper triangle) and a b.
type NormalEq struct {
	K           int
	N           int64
	WSum        float64
	BSum, BBSum float64
	ASum, ABSum []float64
	AASum       blas64.Symmetric
}

// NewNormalEq is an empty aggregator over k features.
func NewNormalEq(k int) *NormalEq {
	return &NormalEq{K: k, ASum: make([]float64, k), ABSum: make([]float64, k),
		AASum: blas64.Symmetric{N: k, Stride: k, Uplo: blas.Upper, Data: make([]float64, k*k)}}
}

// Add folds in a row of features a and label b.
func (e *NormalEq) Add(a []float64, b float64) {
	e.N++
	e.WSum++
	e.BSum += b
	e.BBSum += b * b
	for j, v := range a {
		e.ASum[j] += v
		e.ABSum[j] += v * b
	}
	blas64.Syr(1, blas64.Vector{N: e.K, Inc: 1, Data: a}, e.AASum)
}

// Merge folds in another aggregator.
func (e *NormalEq) Merge(o *NormalEq) {
	e.N += o.N
	e.WSum += o.WSum
	e.BSum += o.BSum
	e.BBSum += o.BBSum
	for j := range e.ASum {
		e.ASum[j] += o.ASum[j]
		e.ABSum[j] += o.ABSum[j]
	}
	addUpper(e.AASum, o.AASum)
}

func (e *NormalEq) mergeAny(o partial) { e.Merge(o.(*NormalEq)) }

// Residuals are RegressionMetrics' sums over (prediction, label) pairs, for the training summary
// and the evaluator.
type Residuals struct {
	N                  int64
	SSE, SAE           float64
	SumY, SumYY        float64
	SumPred, SumPredSq float64
}

// Add folds in one prediction and its label.
func (r *Residuals) Add(pred, y float64) {
	e := y - pred
	r.N++
	r.SSE += e * e
	r.SAE += math.Abs(e)
	r.SumY += y
	r.SumYY += y * y
	r.SumPred += pred
	r.SumPredSq += pred * pred
}

// Merge folds in other sums.
func (r *Residuals) Merge(o *Residuals) {
	r.N += o.N
	r.SSE += o.SSE
	r.SAE += o.SAE
	r.SumY += o.SumY
	r.SumYY += o.SumYY
	r.SumPred += o.SumPred
	r.SumPredSq += o.SumPredSq
}

func (r *Residuals) mergeAny(o partial) { r.Merge(o.(*Residuals)) }

// RMSE is RegressionEvaluator's default metric: sqrt(SSE / n) (NaN when empty).
func (r *Residuals) RMSE() float64 {
	if r.N == 0 {
		return math.NaN()
	}
	return math.Sqrt(r.SSE / float64(r.N))
}

// R2 is the coefficient of determination 1 - SSE / SST (NaN when empty or constant).
func (r *Residuals) R2() float64 {
	n := float64(r.N)
	sst := r.SumYY - r.SumY*r.SumY/n
	if r.N == 0 || sst <= 0 {
		return math.NaN()
	}
	return 1 - r.SSE/sst
}
