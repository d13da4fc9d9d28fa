package experiment

import (
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"tunesim/scenarios"
)

// AtRows is s with rows rows of data (data.rows), named for its size ("seed-tvs at 20000 rows"),
// checked again: the partitions, folds and splits must still fit.
func AtRows(s *scenarios.Scenario, rows int64) (*scenarios.Scenario, error) {
	sc := *s
	sc.Data.Rows = rows
	sc.Name = fmt.Sprintf("%s at %d rows", s.Name, rows)
	if err := sc.Validate(sc.Name); err != nil {
		return nil, err
	}
	return &sc, nil
}

// ParseRows reads a list of data sizes, "5000,20000": whole numbers of rows from 1 to 10^12, each
// once, in the order given.
func ParseRows(v string) ([]int64, error) {
	var out []int64
	seen := map[int64]bool{}
	for _, f := range strings.Split(v, ",") {
		n, err := strconv.ParseInt(strings.TrimSpace(f), 10, 64)
		if err != nil || n < 1 || n > 1e12 {
			return nil, fmt.Errorf("%q is not a number of rows from 1 to 10^12", f)
		}
		if seen[n] {
			return nil, fmt.Errorf("%d appears twice", n)
		}
		seen[n] = true
		out = append(out, n)
	}
	return out, nil
}

// ScaledRows is rows times each factor of "4,16" (factors > 0, decimals allowed, each once),
// rounded to whole rows.
func ScaledRows(rows int64, factors string) ([]int64, error) {
	var out []int64
	seen := map[int64]bool{}
	for _, f := range strings.Split(factors, ",") {
		x, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || !(x > 0) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("%q is not a factor greater than 0", f)
		}
		r := math.Round(float64(rows) * x) // checked as a float: int64 of a larger one overflows
		if !(r >= 1 && r <= 1e12) {
			return nil, fmt.Errorf("%g x %d rows is %g rows: allowed are 1 to 10^12", x, rows, r)
		}
		n := int64(r)
		if seen[n] {
			return nil, fmt.Errorf("%q gives %d rows twice", factors, n)
		}
		seen[n] = true
		out = append(out, n)
	}
	return out, nil
}

// RowsError is a data size a scenario cannot take: AtRows's error at Rows rows. Its message is
// AtRows's, which names the scenario at that size.
type RowsError struct {
	Rows int64
	Err  error
}

// Error is AtRows's message.
func (e *RowsError) Error() string { return e.Err.Error() }

// Unwrap is AtRows's error.
func (e *RowsError) Unwrap() error { return e.Err }

// AtEachRows is s at each of rows (AtRows), in order, or s alone when rows is nil. A size s
// cannot take is a *RowsError.
func AtEachRows(s *scenarios.Scenario, rows []int64) ([]*scenarios.Scenario, error) {
	if rows == nil {
		return []*scenarios.Scenario{s}, nil
	}
	out := make([]*scenarios.Scenario, 0, len(rows))
	for _, n := range rows {
		sr, err := AtRows(s, n)
		if err != nil {
			return nil, &RowsError{Rows: n, Err: err}
		}
		out = append(out, sr)
	}
	return out, nil
}

// SizedPath is the file of what is drawn of the scenario at rows rows (AtRows): path with the
// size before its extension, as the scenario's name ends ("v.png" at 80000 rows ->
// "v-80000rows.png").
func SizedPath(path string, rows int64) string {
	ext := filepath.Ext(path)
	return fmt.Sprintf("%s-%drows%s", strings.TrimSuffix(path, ext), rows, ext)
}
