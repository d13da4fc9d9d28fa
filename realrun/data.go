package realrun

import (
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"

	"tunesim/estimators"
	"tunesim/scenarios"
	"tunesim/tuning"
)

// Data is a seeded synthetic regression data set laid out as a plan's splits: row r (numbered over
// the whole data set) has features x_j = Scales[j] * N(0,1) and target y = Intercept + Coef . x +
// NoiseStd * N(0,1). Every row is generated from its own seeded stream, so a partition (or one row
// of it) can be recomputed at any time, in any order, with the same values — as Spark recomputes an
// uncached RDD's partition from its lineage.
//
// Feature scales fall geometrically (exp(-3j/features)), so the covariance has a clear spectrum and
// PCA's k decides how much of the signal reaches LinearRegression: the grid's fits differ for a reason.
//
// For a classifier (Classes > 0) the label is that target, with NoiseStd 0.25, cut into Classes
// equally likely classes 0, 1, ... at the quantiles of its normal distribution.
type Data struct {
	Features int
	Seed     uint64
	// Scales, Coef, Intercept and NoiseStd define the rows (see Data).
	Scales    []float64
	Coef      []float64
	Intercept float64
	NoiseStd  float64
	// Classes is the label's classes for a classifier (0: the target itself); Cuts are the
	// Classes-1 targets where the next class starts.
	Classes int
	Cuts    []float64
	// Offsets[p] is the global index of partition p's first row; Offsets[len] is the row count.
	Offsets []int64
	// splits[s][p] holds the partition-local row indices (ascending) of split s in partition p;
	// nil for split 0 (the whole partition).
	splits [][][]int32
}

// seed salts, so that the streams of rows, coefficients and splits never coincide.
const (
	saltRow   = 0x9e3779b97f4a7c15
	saltCoef  = 0xbf58476d1ce4e5b9
	saltSplit = 0x94d049bb133111eb
)

// NewData lays out the data of plan p with seed: the source partitions of p.Splits[0] and, for
// every other split, which rows of each partition it holds, with exactly the plan's row counts.
// TrainValidationSplit holds out the first val rows of a seeded permutation of each partition;
// CrossValidator puts the row at position j of that permutation in fold j mod folds (Spark's
// splits are random per partition too; their counts only approximate the ratio, the plan's are exact).
func NewData(p *tuning.Plan, seed uint64) *Data {
	s := p.Scenario
	f := s.Data.Features
	d := &Data{Features: f, Seed: seed, NoiseStd: 1}
	rng := rand.New(rand.NewPCG(seed, saltCoef))
	d.Scales = make([]float64, f)
	d.Coef = make([]float64, f)
	for j := range f {
		d.Scales[j] = math.Exp(-3 * float64(j) / float64(f))
		d.Coef[j] = rng.NormFloat64()
	}
	d.Intercept = 3 * rng.NormFloat64()
	if pl := s.Units(); pl.Predictor().Task == estimators.Classification {
		d.NoiseStd = 0.25 // labels a classifier can learn
		v := d.NoiseStd * d.NoiseStd
		for j := range f {
			v += d.Coef[j] * d.Coef[j] * d.Scales[j] * d.Scales[j]
		}
		target := distuv.Normal{Mu: d.Intercept, Sigma: math.Sqrt(v)}
		d.Classes = pl.Classes
		for c := 1; c < d.Classes; c++ {
			d.Cuts = append(d.Cuts, target.Quantile(float64(c)/float64(d.Classes)))
		}
	}
	src := p.Splits[0].Rows
	d.Offsets = make([]int64, len(src)+1)
	for i, r := range src {
		d.Offsets[i+1] = d.Offsets[i] + r
	}
	// perm[p] is partition p's seeded permutation; the splits take positions of it.
	perm := make([][]int32, len(src))
	for i, r := range src {
		pr := rand.New(rand.NewPCG(seed^saltSplit, uint64(i)))
		perm[i] = make([]int32, r)
		for j, v := range pr.Perm(int(r)) {
			perm[i][j] = int32(v)
		}
	}
	folds := s.Tuner.Rounds()
	d.splits = make([][][]int32, len(p.Splits))
	for si, sp := range p.Splits {
		if si == 0 {
			continue
		}
		d.splits[si] = make([][]int32, len(sp.Rows))
		for part := range sp.Rows {
			var rows []int32
			for j, r := range perm[part] {
				var inVal bool
				if s.Tuner.Kind == scenarios.CrossValidator {
					inVal = j%folds == sp.Fold
				} else {
					inVal = int64(j) < src[part]-p.Splits[1].Rows[part]
				}
				if inVal == sp.Validation {
					rows = append(rows, r)
				}
			}
			slices.Sort(rows)
			d.splits[si][part] = rows
		}
	}
	return d
}

// PartitionRows is the number of rows split s holds in partition part.
func (d *Data) PartitionRows(s, part int) int {
	if s == 0 || d.splits[s] == nil {
		return int(d.Offsets[part+1] - d.Offsets[part])
	}
	return len(d.splits[s][part])
}

// rowID is the global index of the i-th row of split s in partition part.
func (d *Data) rowID(s, part, i int) int64 {
	if s == 0 || d.splits[s] == nil {
		return d.Offsets[part] + int64(i)
	}
	return d.Offsets[part] + int64(d.splits[s][part][i])
}

// rowGen generates rows; it reuses its stream, so each goroutine needs its own.
type rowGen struct {
	d   *Data
	src *rand.PCG
	rng *rand.Rand
}

func (d *Data) newGen() *rowGen {
	src := rand.NewPCG(0, 0)
	return &rowGen{d: d, src: src, rng: rand.New(src)}
}

// row fills x with row id's features and returns its target.
func (g *rowGen) row(id int64, x []float64) float64 {
	d := g.d
	g.src.Seed(d.Seed^saltRow, uint64(id))
	y := d.Intercept
	for j := range x {
		x[j] = d.Scales[j] * g.rng.NormFloat64()
		y += d.Coef[j] * x[j]
	}
	y += d.NoiseStd * g.rng.NormFloat64()
	if d.Classes > 0 {
		c, _ := slices.BinarySearch(d.Cuts, y)
		return float64(c)
	}
	return y
}

// Row returns row id (numbered over the whole data set): its features and target.
func (d *Data) Row(id int64) ([]float64, float64) {
	x := make([]float64, d.Features)
	y := d.newGen().row(id, x)
	return x, y
}

// Block is rows of a partition, stored row-major: what a cached partition holds.
type Block struct {
	Features int
	X        []float64 // len(Y) x Features
	Y        []float64
}

// Len is the block's row count.
func (b *Block) Len() int { return len(b.Y) }

// Each calls fn with every row in order; x is only valid during the call.
func (b *Block) Each(fn func(x []float64, y float64)) {
	f := b.Features
	for i, y := range b.Y {
		fn(b.X[i*f:(i+1)*f:(i+1)*f], y)
	}
}

// Materialize computes split s's rows in partition part and stores them in a Block (the work of
// estimators.OpMaterialize when s is cached, of estimators.OpSource for split 0 as a whole).
func (d *Data) Materialize(s, part int) *Block {
	n := d.PartitionRows(s, part)
	b := &Block{Features: d.Features, X: make([]float64, n*d.Features), Y: make([]float64, n)}
	g := d.newGen()
	f := d.Features
	for i := range n {
		b.Y[i] = g.row(d.rowID(s, part, i), b.X[i*f:(i+1)*f])
	}
	return b
}

// stream calls fn with the first limit rows (all when limit < 0) of split s in partition part,
// computing each as it goes without storing the partition: an uncached read (estimators.OpSource).
func (d *Data) stream(s, part, limit int, fn func(x []float64, y float64)) {
	n := d.PartitionRows(s, part)
	if limit >= 0 && limit < n {
		n = limit
	}
	g := d.newGen()
	x := make([]float64, d.Features)
	for i := range n {
		y := g.row(d.rowID(s, part, i), x)
		fn(x, y)
	}
}

// Matrix is the whole of split s as one matrix and target vector, in partition order: the
// independent truth the tests compare the partitioned kernels against.
func (d *Data) Matrix(s int) (*mat.Dense, []float64) {
	var xs, ys []float64
	for part := range len(d.Offsets) - 1 {
		b := d.Materialize(s, part)
		xs = append(xs, b.X...)
		ys = append(ys, b.Y...)
	}
	if len(ys) == 0 {
		return nil, nil
	}
	return mat.NewDense(len(ys), d.Features, xs), ys
}
