package costmodel

import (
	"fmt"
	"hash/maphash"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"
	"time"
)

// TestMeasureEstimatorKernels times, on this machine, Go kernels that do per row what the
// operations of the estimators beyond PCA and LinearRegression's normal equations do per row in
// Spark (a sparse dot product and gradient step, a sigmoid, tokenizing and hashing words, binning
// a value, a histogram update, a tree descent, sorting, a hash-map combine, random draws). Their
// per-unit times are the default profile's coefficients for those operations; each operation's
// source says which kernel it took. It runs only with -measure:
//
//	go test ./costmodel -run TestMeasureEstimatorKernels -measure -v
func TestMeasureEstimatorKernels(t *testing.T) {
	if !*measure {
		t.Skip("kernel timing runs only with -measure")
	}
	rng := rand.New(rand.NewPCG(3, 4))
	best := func(fn func()) float64 {
		b := time.Duration(1 << 62)
		for range 15 {
			s := time.Now()
			fn()
			b = min(b, time.Since(s))
		}
		return b.Seconds()
	}
	var sink float64
	report := func(term, name string, secs, units float64, what string) {
		fmt.Printf("%-10s %-18s %.3e s  (%.3f ms for %s)\n", term, name, secs/units, secs*1e3, what)
	}

	// Sparse rows: 20 non-zeros of 2^14 features, as hashed text; a dense gradient (128 KiB, in a
	// core's cache as a tuning's HashingTF sizes of 10^2 to 10^4 keep it).
	const rows, nnz, size = 4000, 20, 1 << 14
	idx := make([]int32, rows*nnz)
	val := make([]float64, rows*nnz)
	for i := range idx {
		idx[i], val[i] = rng.Int32N(size), rng.Float64()
	}
	coef, grad := make([]float64, size+1), make([]float64, size+1)
	for i := range coef {
		coef[i] = rng.NormFloat64() * 0.01
	}
	// The logistic gradient of a row: margin by a sparse dot, sigmoid, axpy into the gradient.
	dotAxpy := best(func() {
		for r := range rows {
			xi, xv := idx[r*nnz:(r+1)*nnz], val[r*nnz:(r+1)*nnz]
			m := coef[size]
			for j, c := range xi {
				m += coef[c] * xv[j]
			}
			mult := m * 0.5
			for j, c := range xi {
				grad[c] += mult * xv[j]
			}
		}
	})
	report("row_in_out", "sparse dot+axpy", dotAxpy, rows*nnz, "4000 rows x 20 non-zeros")
	sig := best(func() {
		for r := range rows {
			sink += 1 / (1 + math.Exp(-float64(r)*1e-4))
		}
	})
	report("row", "sigmoid", sig, rows, "4000 rows")
	dot := best(func() {
		for r := range rows {
			xi, xv := idx[r*nnz:(r+1)*nnz], val[r*nnz:(r+1)*nnz]
			m := 0.0
			for j, c := range xi {
				m += coef[c] * xv[j]
			}
			sink += m
		}
	})
	report("row_in_out", "sparse dot", dot, rows*nnz, "4000 rows x 20 non-zeros")

	// Per-column statistics of a row's non-zeros (Summarizer: mean, M2n, M2, L1, nnz, max, min).
	const stats = 6
	sums := make([]float64, stats*size)
	summ := best(func() {
		for r := range rows {
			for j, c := range idx[r*nnz : (r+1)*nnz] {
				summarize(sums[int(c)*stats:int(c)*stats+stats], val[r*nnz+j])
			}
		}
	})
	report("row_in", "summarize", summ, rows*nnz, "4000 rows x 20 non-zeros")
	// Standardizing a row's non-zeros into a block.
	block := make([]float64, rows*nnz)
	inv := make([]float64, size)
	for i := range inv {
		inv[i] = 1 + rng.Float64()
	}
	scale := best(func() {
		for i, c := range idx {
			block[i] = val[i] * inv[c]
		}
	})
	report("row_in", "scale", scale, rows*nnz, "80,000 non-zeros")

	// The same over dense rows of 100 features (a vector_assembler's, a scaler's).
	const feats = 100
	dense := make([]float64, rows*feats)
	for i := range dense {
		dense[i] = rng.Float64()
	}
	dsums := make([]float64, stats*feats)
	dsumm := best(func() {
		for r := range rows {
			for j, v := range dense[r*feats : (r+1)*feats] {
				summarize(dsums[j*stats:j*stats+stats], v)
			}
		}
	})
	report("row_in", "summarize dense", dsumm, rows*feats, "4000 rows x 100 features")
	dout := make([]float64, rows*feats)
	dscale := best(func() {
		for r := range rows {
			row, out := dense[r*feats:(r+1)*feats], dout[r*feats:(r+1)*feats]
			for j, v := range row {
				out[j] = v * inv[j]
			}
		}
	})
	report("row_in", "scale dense", dscale, rows*feats, "4000 rows x 100 features")

	// Text: 20 words a row over a 2,000-word vocabulary; split, lower-case, hash into counts.
	vocab := make([]string, 2000)
	for i := range vocab {
		vocab[i] = fmt.Sprintf("Word%04d", i)
	}
	texts := make([]string, rows)
	for r := range texts {
		w := make([]string, nnz)
		for j := range w {
			w[j] = vocab[rng.IntN(len(vocab))]
		}
		texts[r] = strings.Join(w, " ")
	}
	var words [][]string
	tok := best(func() {
		words = words[:0]
		for _, s := range texts {
			words = append(words, strings.Fields(strings.ToLower(s)))
		}
	})
	report("row_in", "tokenize", tok, rows*nnz, "4000 rows x 20 words")
	seed := maphash.MakeSeed()
	hash := best(func() {
		for _, ws := range words {
			tf := map[int]float64{}
			for _, w := range ws {
				tf[int(maphash.String(seed, w)%size)]++
			}
			sink += float64(len(tf))
		}
	})
	report("row_in", "hash tf", hash, rows*nnz, "4000 rows x 20 words")

	// Scores: a hash-map combine by score (combineByKey's map side), then a sort of the distinct
	// scores per record.
	scores := make([]float64, rows)
	for i := range scores {
		scores[i] = rng.Float64()
	}
	combine := best(func() {
		m := map[float64][2]int{}
		for i, s := range scores {
			c := m[s]
			c[i&1]++
			m[s] = c
		}
		sink += float64(len(m))
	})
	report("row", "combine by key", combine, rows, "4000 records")
	buf := make([]float64, rows)
	srt := best(func() {
		copy(buf, scores)
		sort.Float64s(buf)
	})
	report("row", "sort", srt, rows, "4000 records")

	// Trees: a value binned by binary search over 31 thresholds; a histogram update; one step down
	// a tree; a Poisson(1) draw.
	thr := make([]float64, 31)
	for i := range thr {
		thr[i] = float64(i+1) / 32
	}
	bins := make([]uint8, rows*feats)
	bin := best(func() {
		for i, v := range dense {
			bins[i] = uint8(sort.SearchFloat64s(thr, v))
		}
	})
	report("row_in", "bin (32 bins)", bin, rows*feats, "4000 rows x 100 features")
	const nodeStats = 2
	hist := make([]float64, feats*32*nodeStats)
	upd := best(func() {
		for r := range rows {
			label := r & 1
			for f, b := range bins[r*feats : (r+1)*feats] {
				hist[(f*32+int(b))*nodeStats+label] += 1
			}
		}
	})
	report("row_in_out", "histogram update", upd, rows*feats, "4000 rows x 100 features, 1 tree")
	// Best split: a cumulative sum and an impurity per bin and class.
	cum := make([]float64, len(hist))
	split := best(func() {
		for f := range feats {
			base := f * 32 * nodeStats
			acc := [nodeStats]float64{}
			for b := range 32 {
				for c := range nodeStats {
					acc[c] += hist[base+b*nodeStats+c]
					cum[base+b*nodeStats+c] = acc[c]
				}
				n := acc[0] + acc[1] + 1
				p := acc[0] / n
				sink += 1 - p*p - (1-p)*(1-p)
			}
		}
	})
	report("row_elems", "best split", split, float64(len(hist)), "100 features x 32 bins x 2 stats")
	// A full tree of depth 10 as arrays; descend by a binned feature.
	const depth = 10
	feat := make([]int, 1<<depth)
	cut := make([]uint8, 1<<depth)
	for i := range feat {
		feat[i], cut[i] = rng.IntN(feats), uint8(rng.IntN(32))
	}
	desc := best(func() {
		for r := range rows {
			node := 1
			for range depth {
				if bins[r*feats+feat[node]] <= cut[node] {
					node = 2 * node
				} else {
					node = 2*node + 1
				}
				node &= 1<<depth - 1
			}
			sink += float64(node)
		}
	})
	report("row_in_out", "tree descent", desc, rows*depth, "4000 rows x 10 levels")
	poisson := best(func() {
		for range rows {
			// Knuth's method for Poisson(1), as commons-math's sampler does for small means.
			l, k, p := math.Exp(-1), 0, 1.0
			for {
				p *= rng.Float64()
				if p <= l {
					break
				}
				k++
			}
			sink += float64(k)
		}
	})
	report("row_in", "poisson(1) draw", poisson, rows, "4000 draws")
	uni := best(func() {
		for range rows {
			sink += rng.Float64()
		}
	})
	report("row", "uniform draw", uni, rows, "4000 draws")

	// KMeans: a dense dot product of 30 features with each of 20 centers.
	const dim, k = 30, 20
	pts := dense[:rows*dim]
	centers := make([]float64, k*dim)
	for i := range centers {
		centers[i] = rng.Float64()
	}
	closest := best(func() {
		for r := range rows {
			p := pts[r*dim : (r+1)*dim]
			bestD, bestC := math.Inf(1), 0
			for c := range k {
				d := 0.0
				for j, v := range centers[c*dim : (c+1)*dim] {
					d += v * p[j]
				}
				if d < bestD {
					bestD, bestC = d, c
				}
			}
			sink += float64(bestC)
		}
	})
	report("row_in_out", "closest center", closest, rows*dim*k, "4000 rows x 30 features x 20 centers")
	if sink == 42 {
		fmt.Println()
	}
}

// summarize adds v to a column's Summarizer statistics s (sum, sum of squares, L1, count, max,
// min), as Spark's Summarizer does per non-zero.
func summarize(s []float64, v float64) {
	s[0] += v
	s[1] += v * v
	s[2] += math.Abs(v)
	s[3]++
	s[4] = math.Max(s[4], v)
	s[5] = math.Min(s[5], v)
}
