package scenarios

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
)

// FuzzVary: whatever --vary PATH=SPEC gets, ParseVary refuses it or gives finite values, at most
// MaxVaryValues of them; each either sets the field (a copy that validates and holds the value)
// or is refused as invalid input naming the field.
func FuzzVary(f *testing.F) {
	for _, s := range []string{
		"cluster.executors=1:4", "data.skew=0,0.5,NaN", "noise.task_cv=0:2:0.25", "data.rows=1e300",
		"tuner.train_ratio=-Inf,0.5", "seed=1:1e308:1e-300", "cluster.host_cores=1,2,2", "data.skew=:",
	} {
		f.Add(s)
	}
	base, err := Builtin("seed-tvs")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, in string) {
		path, spec, _ := strings.Cut(in, "=")
		v, err := ParseVary(path, spec)
		if err != nil {
			return
		}
		if len(v.Values) > MaxVaryValues {
			t.Fatalf("%q: %d values", in, len(v.Values))
		}
		for i, x := range v.Values {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				t.Fatalf("%q: value %d is %v", in, i, x)
			}
			if i > 3 {
				continue // the first few are enough to set
			}
			s, err := base.WithField(path, x, "fuzz")
			if err != nil {
				if !errors.Is(err, ErrInvalid) || !strings.HasPrefix(err.Error(), "fuzz: ") {
					t.Fatalf("%s=%v: %v, want invalid input naming the scenario and a field", path, x, err)
				}
				continue
			}
			if err := s.Validate("fuzz"); err != nil {
				t.Fatalf("%s=%v: the copy does not validate: %v", path, x, err)
			}
			if got := fieldValue(t, s, path); got != x {
				t.Fatalf("%s=%v: the copy holds %v", path, x, got)
			}
		}
	})
}

// fieldValue is the number at JSON path in s.
func fieldValue(t *testing.T, s *Scenario, path string) float64 {
	f := reflect.ValueOf(s).Elem()
	for _, name := range strings.Split(path, ".") {
		f = fieldByJSONName(f, name)
	}
	switch f.Kind() {
	case reflect.Int, reflect.Int64:
		return float64(f.Int())
	case reflect.Uint64:
		return float64(f.Uint())
	case reflect.Float64:
		return f.Float()
	}
	t.Fatalf("%s is not a number", path)
	return 0
}
