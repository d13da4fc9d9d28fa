package scenarios

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
)

// MaxVaryValues bounds how many values ParseVary may list or a range may hold.
const MaxVaryValues = 1000

// Vary is a numeric scenario field and the values to give it in turn (a sweep over the field).
type Vary struct {
	// Field is the field's JSON path, e.g. "cluster.executors".
	Field  string
	Values []float64
}

// NumericFields maps the JSON path of every number in a scenario (e.g. "cluster.executors") to
// whether it holds integers.
func NumericFields() map[string]bool {
	out := map[string]bool{}
	var walk func(t reflect.Type, prefix string)
	walk = func(t reflect.Type, prefix string) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" || name == "-" || !f.IsExported() {
				continue
			}
			switch f.Type.Kind() {
			case reflect.Struct:
				walk(f.Type, prefix+name+".")
			case reflect.Int, reflect.Int64, reflect.Uint64:
				out[prefix+name] = true
			case reflect.Float64:
				out[prefix+name] = false
			}
		}
	}
	walk(reflect.TypeOf(Scenario{}), "")
	return out
}

// ParseVary reads the values of the numeric field path (one of NumericFields): "A:B" (every
// value from A to B), "A:B:STEP" or "a,b,c". The values must suit the field (whole numbers for an
// integer field), each once, at most MaxVaryValues of them. The error says what is wrong with
// spec, not what is allowed.
func ParseVary(path, spec string) (*Vary, error) {
	integer, known := NumericFields()[path]
	if !known {
		return nil, fmt.Errorf("%q is not a numeric scenario field", path)
	}
	var values []float64
	var err error
	if strings.Contains(spec, ":") {
		values, err = parseRange(spec)
	} else {
		values, err = parseList(spec)
	}
	if err != nil {
		return nil, err
	}
	seen := map[float64]bool{}
	for _, x := range values {
		if integer && x != math.Trunc(x) {
			return nil, fmt.Errorf("%s holds integers, not %s", path, FormatValue(x))
		}
		if seen[x] {
			return nil, fmt.Errorf("%s is listed twice", FormatValue(x))
		}
		seen[x] = true
	}
	return &Vary{Field: path, Values: values}, nil
}

// parseNumber reads a finite number.
func parseNumber(p string) (float64, error) {
	x, err := strconv.ParseFloat(p, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, fmt.Errorf("%q is not a number", p)
	}
	return x, nil
}

// parseRange reads "A:B" or "A:B:STEP": A, A+STEP, ... up to B (STEP 1 when not given), each
// rounded to 12 significant digits.
func parseRange(spec string) ([]float64, error) {
	parts := strings.Split(spec, ":")
	if len(parts) > 3 {
		return nil, fmt.Errorf("a range has at most 3 parts")
	}
	nums := make([]float64, len(parts))
	for i, p := range parts {
		x, err := parseNumber(p)
		if err != nil {
			return nil, err
		}
		nums[i] = x
	}
	lo, hi, step := nums[0], nums[1], 1.0
	if len(nums) == 3 {
		step = nums[2]
	}
	if step <= 0 || hi < lo {
		return nil, fmt.Errorf("a range A:B:STEP needs A <= B and STEP > 0")
	}
	n := math.Floor((hi-lo)/step+1e-9) + 1
	if n > MaxVaryValues {
		return nil, fmt.Errorf("%.0f values; at most %d", n, MaxVaryValues)
	}
	var values []float64
	for i := 0; i < int(n); i++ {
		// Rounded to 12 significant digits, so 0.1 steps give 0.3, not 0.30000000000000004.
		x, _ := strconv.ParseFloat(strconv.FormatFloat(lo+float64(i)*step, 'g', 12, 64), 64)
		values = append(values, x)
	}
	return values, nil
}

// parseList reads "a,b,c".
func parseList(spec string) ([]float64, error) {
	var values []float64
	for _, p := range strings.Split(spec, ",") {
		x, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("%q is not a number", p)
		}
		values = append(values, x)
	}
	if len(values) > MaxVaryValues {
		return nil, fmt.Errorf("%d values; at most %d", len(values), MaxVaryValues)
	}
	return values, nil
}

// FormatValue prints a field's value as a scenario file would hold it (2, 0.25).
func FormatValue(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// WithField returns a copy of s with the numeric field at JSON path set to x, checked as a
// scenario file is; file names the copy in errors, as Validate's does. A value out of the
// field's range (NaN and ±Inf always are) is an error wrapping ErrInvalid; so is a copy that
// does not validate.
func (s *Scenario) WithField(path string, x float64, file string) (*Scenario, error) {
	out := *s // the field is a number: setting it touches nothing s shares with the copy
	f := reflect.ValueOf(&out).Elem()
	for _, name := range strings.Split(path, ".") {
		f = fieldByJSONName(f, name)
		if !f.IsValid() {
			return nil, fmt.Errorf("%s: no field %s in a scenario", file, path)
		}
	}
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil, &FieldError{File: file, Path: path, Problem: FormatValue(x) + " is not a finite number", Allowed: "a finite number in the field's range"}
	}
	switch f.Kind() {
	case reflect.Int, reflect.Int64:
		if math.Abs(x) > 1<<53 {
			return nil, &FieldError{File: file, Path: path, Problem: FormatValue(x) + " is out of range"}
		}
		f.SetInt(int64(x))
	case reflect.Uint64:
		if x < 0 || x > 1<<53 {
			return nil, &FieldError{File: file, Path: path, Problem: FormatValue(x) + " is out of range", Allowed: "an integer from 0 to 2^53"}
		}
		f.SetUint(uint64(x))
	case reflect.Float64:
		f.SetFloat(x)
	default:
		return nil, fmt.Errorf("%s: %s is not a number", file, path)
	}
	if err := out.Validate(file); err != nil {
		return nil, err
	}
	return &out, nil
}

// fieldByJSONName is the field of struct value s whose JSON name is name (invalid if none).
func fieldByJSONName(s reflect.Value, name string) reflect.Value {
	if s.Kind() != reflect.Struct {
		return reflect.Value{}
	}
	for i := 0; i < s.NumField(); i++ {
		if tag, _, _ := strings.Cut(s.Type().Field(i).Tag.Get("json"), ","); tag == name {
			return s.Field(i)
		}
	}
	return reflect.Value{}
}
