package experiment

import (
	"reflect"
	"strings"
	"testing"
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
