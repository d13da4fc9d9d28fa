package scenarios

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
)

func TestNumericFields(t *testing.T) {
	fields := NumericFields()
	for path, integer := range map[string]bool{"cluster.executors": true, "cluster.host_cores": true, "seed": true, "data.rows": true, "data.skew": false, "noise.task_cv": false, "tuner.parallelism": true} {
		if got, ok := fields[path]; !ok || got != integer {
			t.Errorf("NumericFields()[%q] = %v, %v; want %v, true", path, got, ok, integer)
		}
	}
	for _, path := range []string{"name", "cluster.local", "pipeline.grid", "cluster.hosts", "spark_version"} {
		if _, ok := fields[path]; ok {
			t.Errorf("NumericFields() holds %q, not a number", path)
		}
	}
}

func TestParseVary(t *testing.T) {
	for _, tc := range []struct {
		path, spec string
		want       []float64
		err        string // part of the error; "" for none
	}{
		{"cluster.executors", "2:8:2", []float64{2, 4, 6, 8}, ""},
		{"cluster.executors", "2:7:2", []float64{2, 4, 6}, ""},
		{"cluster.executors", "3:3", []float64{3}, ""},
		{"noise.task_cv", "0:0.3:0.1", []float64{0, 0.1, 0.2, 0.3}, ""},
		{"data.rows", "1000,20000", []float64{1000, 20000}, ""},
		{"data.rows", " 1000 , 20000", []float64{1000, 20000}, ""},
		{"cluster.driver_cores", "1,2", []float64{1, 2}, ""},
		{"cluster.nope", "1:2", nil, `"cluster.nope" is not a numeric scenario field`},
		{"cluster.local", "0,1", nil, "is not a numeric scenario field"},
		{"pipeline.grid", "1", nil, "is not a numeric scenario field"},
		{"cluster.executors", "1.5,2", nil, "cluster.executors holds integers, not 1.5"},
		{"cluster.executors", "4:2", nil, "A <= B and STEP > 0"},
		{"cluster.executors", "1:4:0", nil, "A <= B and STEP > 0"},
		{"cluster.executors", "1:2:3:4", nil, "at most 3 parts"},
		{"cluster.executors", "1:x", nil, `"x" is not a number`},
		{"cluster.executors", "1,NaN", nil, `"NaN" is not a number`},
		{"cluster.executors", "2,2", nil, "2 is listed twice"},
		{"cluster.executors", "1:100000", nil, "100000 values; at most 1000"},
	} {
		v, err := ParseVary(tc.path, tc.spec)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseVary(%q, %q): %v, want an error saying %q", tc.path, tc.spec, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseVary(%q, %q): %v", tc.path, tc.spec, err)
			continue
		}
		if v.Field != tc.path || !reflect.DeepEqual(v.Values, tc.want) {
			t.Errorf("ParseVary(%q, %q) = %s %v, want %s %v", tc.path, tc.spec, v.Field, v.Values, tc.path, tc.want)
		}
	}
}

// TestWithField checks that setting a field changes that field and nothing else, and that an
// out-of-range value is invalid input naming the field.
func TestWithField(t *testing.T) {
	s, err := Builtin("seed-tvs")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path string
		x    float64
		edit func(*Scenario)
	}{
		{"cluster.executors", 4, func(s *Scenario) { s.Cluster.Executors = 4 }},
		{"cluster.driver_cores", 3, func(s *Scenario) { s.Cluster.DriverCores = 3 }},
		{"data.skew", 0.25, func(s *Scenario) { s.Data.Skew = 0.25 }},
		{"seed", 7, func(s *Scenario) { s.Seed = 7 }},
	} {
		got, err := s.WithField(tc.path, tc.x, "edited")
		if err != nil {
			t.Fatalf("%s=%g: %v", tc.path, tc.x, err)
		}
		want := *s
		tc.edit(&want)
		if !reflect.DeepEqual(got, &want) {
			t.Errorf("%s=%g: got %+v, want %+v", tc.path, tc.x, got, want)
		}
	}
	for _, tc := range []struct {
		path    string
		x       float64
		err     string
		invalid bool
	}{
		{"cluster.executors", 0, "edited: cluster.executors: 0 is out of range", true},
		{"cluster.executors", 1 << 60, "edited: cluster.executors: 1.152921504606847e+18 is out of range", true},
		{"seed", -1, "edited: seed: -1 is out of range; allowed: an integer from 0 to 2^53", true},
		{"data.skew", math.NaN(), "edited: data.skew: NaN is not a finite number", true},
		{"tuner.train_ratio", math.Inf(1), "edited: tuner.train_ratio: +Inf is not a finite number", true},
		{"noise.task_cv", math.Inf(-1), "edited: noise.task_cv: -Inf is not a finite number", true},
		{"cluster.executors", math.NaN(), "edited: cluster.executors: NaN is not a finite number", true},
		{"seed", math.Inf(1), "edited: seed: +Inf is not a finite number", true},
		{"cluster.nope", 1, "edited: no field cluster.nope in a scenario", false},
		{"cluster.local", 1, "edited: cluster.local is not a number", false},
	} {
		_, err := s.WithField(tc.path, tc.x, "edited")
		if err == nil || !strings.HasPrefix(err.Error(), tc.err) || errors.Is(err, ErrInvalid) != tc.invalid {
			t.Errorf("%s=%g: %v, want an error saying %q (invalid input: %v)", tc.path, tc.x, err, tc.err, tc.invalid)
		}
	}
}
