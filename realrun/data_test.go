package realrun

import (
	"math"
	"slices"
	"testing"

	"tunesim/scenarios"
	"tunesim/tuning"
)

// plan loads a scenario (a built-in name or a testdata file) and derives its plan.
func plan(t testing.TB, nameOrPath string) *tuning.Plan {
	t.Helper()
	s, err := scenarios.Load(nameOrPath)
	if err != nil {
		t.Fatal(err)
	}
	p, err := tuning.New(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// rowsOf lists the global row ids of split s in partition part.
func rowsOf(d *Data, s, part int) []int64 {
	n := d.PartitionRows(s, part)
	ids := make([]int64, n)
	for i := range n {
		ids[i] = d.rowID(s, part, i)
	}
	return ids
}

// TestSplitsMatchThePlan checks that every split holds exactly the plan's rows per partition, that
// each round's training and validation parts are disjoint and make up the partition, and that
// CrossValidator's validation parts are disjoint over folds and cover every row.
func TestSplitsMatchThePlan(t *testing.T) {
	for _, name := range []string{"testdata/small-tvs.json", "testdata/small-cv.json", "seed-cv"} {
		p := plan(t, name)
		d := NewData(p, 3)
		for si, sp := range p.Splits {
			for part, want := range sp.Rows {
				if got := d.PartitionRows(si, part); int64(got) != want {
					t.Errorf("%s: split %s partition %d holds %d rows, plan says %d", name, sp.Name, part, got, want)
				}
			}
		}
		for part := range p.Splits[0].Rows {
			all := rowsOf(d, 0, part)
			seenVal := map[int64]int{}
			for round := range p.Rounds {
				train, val := rowsOf(d, 1+2*round, part), rowsOf(d, 2+2*round, part)
				union := slices.Concat(train, val)
				slices.Sort(union)
				if !slices.Equal(union, all) {
					t.Errorf("%s: round %d partition %d: train and validation do not make up the partition", name, round, part)
				}
				for _, id := range val {
					seenVal[id]++
				}
			}
			if len(p.Rounds) > 1 {
				for _, id := range all {
					if seenVal[id] != 1 {
						t.Errorf("%s: partition %d: row %d validates in %d folds, want 1", name, part, id, seenVal[id])
						break
					}
				}
			}
		}
	}
}

// TestRowsAreReproducible checks that a row is the same however it is computed: alone, streamed
// from the source, or materialized in a cached split.
func TestRowsAreReproducible(t *testing.T) {
	p := plan(t, "testdata/small-tvs.json")
	d := NewData(p, 5)
	for part := range p.Splits[0].Rows {
		b := d.Materialize(1, part)
		i := 0
		d.stream(1, part, -1, func(x []float64, y float64) {
			bx := b.X[i*d.Features : (i+1)*d.Features]
			rx, ry := d.Row(d.rowID(1, part, i))
			if !slices.Equal(x, bx) || !slices.Equal(x, rx) || y != b.Y[i] || y != ry {
				t.Fatalf("partition %d row %d differs between stream, block and Row", part, i)
			}
			i++
		})
		if i != b.Len() {
			t.Fatalf("partition %d: streamed %d rows, block has %d", part, i, b.Len())
		}
		n := 0
		d.stream(1, part, 1, func([]float64, float64) { n++ })
		if n != 1 {
			t.Errorf("take(1) streamed %d rows", n)
		}
	}
	if a, b := NewData(p, 5), NewData(p, 6); slices.Equal(a.Coef, b.Coef) {
		t.Error("seeds 5 and 6 give the same coefficients")
	}
}

// TestDataIsLinearPlusNoise checks the generator against its own definition: the true model leaves
// residuals of the noise's size and no more.
func TestDataIsLinearPlusNoise(t *testing.T) {
	p := plan(t, "seed-tvs")
	d := NewData(p, 1)
	x, y := d.Matrix(0)
	rows, _ := x.Dims()
	var sse float64
	for i := range rows {
		pred := d.Intercept
		for j := range d.Features {
			pred += d.Coef[j] * x.At(i, j)
		}
		sse += (y[i] - pred) * (y[i] - pred)
	}
	if rmse := math.Sqrt(sse / float64(rows)); math.Abs(rmse-d.NoiseStd) > 0.05*d.NoiseStd {
		t.Errorf("RMSE of the true model %.4f, want about the noise %.4f", rmse, d.NoiseStd)
	}
}
