package experiment

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"tunesim/scenarios"
)

func TestSizes(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want []int64
		err  string
	}{
		{"5000,20000", []int64{5000, 20000}, ""},
		{" 7 ", []int64{7}, ""},
		{"5000,5000", nil, "twice"},
		{"0", nil, "from 1"},
		{"1e3", nil, "not a number"},
	} {
		got, err := ParseRows(tt.in)
		if !reflect.DeepEqual(got, tt.want) || (err == nil) != (tt.err == "") || (err != nil && !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("ParseRows(%q) = %v, %v; want %v, %q", tt.in, got, err, tt.want, tt.err)
		}
	}
	for _, tt := range []struct {
		rows int64
		in   string
		want []int64
		err  string
	}{
		{20000, "4,16", []int64{80000, 320000}, ""},
		{1000, "0.5,1,2.5", []int64{500, 1000, 2500}, ""},
		{10, "0.01", nil, "0 rows"},
		{1000, "-2", nil, "greater than 0"},
		{1000, "2,2.0004", nil, "twice"},
		{1000, "NaN", nil, "greater than 0"},
		{1000, "Inf", nil, "greater than 0"},
		{1000, "1e9", []int64{1e12}, ""},
		{1000, "2e9", nil, "2e+12 rows: allowed are 1 to 10^12"},
		{1000, "1e300", nil, "1e+303 rows: allowed are 1 to 10^12"},
		{1000, "1e400", nil, "greater than 0"},
	} {
		got, err := ScaledRows(tt.rows, tt.in)
		if !reflect.DeepEqual(got, tt.want) || (err == nil) != (tt.err == "") || (err != nil && !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("ScaledRows(%d, %q) = %v, %v; want %v, %q", tt.rows, tt.in, got, err, tt.want, tt.err)
		}
	}
	s := seed(t)
	big, err := AtRows(s, 40000)
	if err != nil || big.Data.Rows != 40000 || big.Name != "seed-tvs at 40000 rows" || s.Data.Rows != 10000 {
		t.Errorf("AtRows: %+v, %v (the original now %d rows)", big, err, s.Data.Rows)
	}
	if _, err := AtRows(s, 1); err == nil || !strings.Contains(err.Error(), "data.partitions") {
		t.Errorf("1 row in 2 partitions: %v, want an error naming data.partitions", err)
	}
}

func TestAtEachRows(t *testing.T) {
	s := seed(t)
	for _, tt := range []struct {
		rows  []int64
		names []string
		err   string
		bad   int64
	}{
		{nil, []string{"seed-tvs"}, "", 0},
		{[]int64{20000, 40000}, []string{"seed-tvs at 20000 rows", "seed-tvs at 40000 rows"}, "", 0},
		{[]int64{20000, 1, 2}, nil, "seed-tvs at 1 rows: data.partitions", 1},
	} {
		got, err := AtEachRows(s, tt.rows)
		var re *RowsError
		if tt.err != "" {
			if !errors.As(err, &re) || re.Rows != tt.bad || !strings.HasPrefix(err.Error(), tt.err) || !errors.Is(err, scenarios.ErrInvalid) {
				t.Errorf("AtEachRows(%v): %v; want a *RowsError at %d rows saying %q", tt.rows, err, tt.bad, tt.err)
			}
			continue
		}
		var names []string
		for _, sr := range got {
			names = append(names, sr.Name)
		}
		if err != nil || !reflect.DeepEqual(names, tt.names) {
			t.Errorf("AtEachRows(%v) = %q, %v; want %q", tt.rows, names, err, tt.names)
		}
	}
}

// TestSizedPath checks the picture file of each size against the size its scenario is named for.
func TestSizedPath(t *testing.T) {
	s := seed(t)
	for _, tt := range []struct {
		path string
		rows int64
		want string
	}{
		{"v.png", 80000, "v-80000rows.png"},
		{"out/dir.x/v.svg", 500, "out/dir.x/v-500rows.svg"},
		{"v", 300, "v-300rows"},
	} {
		sr, err := AtRows(s, tt.rows)
		if err != nil {
			t.Fatal(err)
		}
		if got := SizedPath(tt.path, tt.rows); got != tt.want || !strings.HasSuffix(sr.Name, fmt.Sprintf(" at %d rows", tt.rows)) {
			t.Errorf("SizedPath(%q, %d) = %q (scenario %q); want %q", tt.path, tt.rows, got, sr.Name, tt.want)
		}
	}
}
