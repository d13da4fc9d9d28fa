package main

import (
	"fmt"
	"math"
	"strconv"
	"time"
)

// maxSeconds is the longest time.Duration in whole seconds (about 292 years): a flag in seconds
// that becomes a time.Duration, or scales one, must stay below it.
const maxSeconds = float64(math.MaxInt64 / int64(time.Second))

// floatRange is the one rule for a float-valued flag: a finite number from Min to Max, each end
// included unless it is open. NaN, ±Inf and numbers strconv cannot hold are always refused.
type floatRange struct {
	Min, Max         float64
	MinOpen, MaxOpen bool
	// Unit follows a number in the message ("CPU-seconds"), if any.
	Unit string
}

// formatNumber prints x for a message: a whole number below 10^15 in full (9223372036), else
// strconv's shortest form.
func formatNumber(x float64) string {
	if x == math.Trunc(x) && math.Abs(x) < 1e15 {
		return strconv.FormatInt(int64(x), 10)
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// String is the allowed range in words: "a finite number > 0 and <= 1000000".
func (r floatRange) String() string {
	lo, hi := ">=", "<="
	if r.MinOpen {
		lo = ">"
	}
	if r.MaxOpen {
		hi = "<"
	}
	s := fmt.Sprintf("a finite number %s %s and %s %s", lo, formatNumber(r.Min), hi, formatNumber(r.Max))
	if r.Unit != "" {
		s += " (" + r.Unit + ")"
	}
	return s
}

// contains says whether x is in the range (never for NaN or ±Inf).
func (r floatRange) contains(x float64) bool {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return false
	}
	if x < r.Min || (r.MinOpen && x == r.Min) {
		return false
	}
	return x < r.Max || (!r.MaxOpen && x == r.Max)
}

// parse reads s as a number in the range; the error says what is allowed.
func (r floatRange) parse(s string) (float64, error) {
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || !r.contains(x) {
		return 0, fmt.Errorf("allowed is %s", r)
	}
	return x, nil
}

// floatValue is a pflag.Value holding a float flag checked against its range when it is set, so
// a bad value is a usage error (exit status 2) before anything runs.
type floatValue struct {
	p *float64
	r floatRange
}

func (v *floatValue) String() string { return strconv.FormatFloat(*v.p, 'g', -1, 64) }

// Type is what --help shows after the flag when its usage names no placeholder.
func (v *floatValue) Type() string { return "float" }

// Set parses and checks s; pflag puts the flag's name and s before the error.
func (v *floatValue) Set(s string) error {
	x, err := v.r.parse(s)
	if err != nil {
		return err
	}
	*v.p = x
	return nil
}

// float adds a float flag that refuses values outside r; its default need not be in r (a 0 that
// means "not given"). The usage gets the allowed range appended.
func (f *flags) float(name string, def float64, r floatRange, usage string) *float64 {
	p := new(float64)
	*p = def
	f.Var(&floatValue{p: p, r: r}, name, usage+"; allowed: "+r.String())
	return p
}

// The ranges of whatif's float flags. --scale-rows stops at 10^6: a scenario's 10^12 rows times
// it stays within int64, and the scaled tasks' times are checked against time.Duration's
// range where they are computed (whatif.ErrScaleOverflow). --app-cpu becomes a time.Duration.
var (
	scaleRowsRange = floatRange{Min: 0, MinOpen: true, Max: 1e6}
	appCPURange    = floatRange{Min: 0, MinOpen: true, Max: maxSeconds, Unit: "CPU-seconds"}
)
