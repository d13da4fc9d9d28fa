package main

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"math"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// Every bad number a float flag can get exits 2 before anything runs, naming the flag and the
// range; the log is a real one, so a value that got through would run.
func TestBadNumbersExit2(t *testing.T) {
	log := filepath.Join("..", "..", "whatif", "testdata", "lr-text-serial")
	for _, tc := range []struct{ flag, value, in string }{
		{"scale-rows", "NaN", "> 0 and <= 1000000"},
		{"scale-rows", "nan", "> 0 and <= 1000000"},
		{"scale-rows", "+Inf", "> 0 and <= 1000000"},
		{"scale-rows", "-Inf", "> 0 and <= 1000000"},
		{"scale-rows", "1e300", "> 0 and <= 1000000"},
		{"scale-rows", "1e400", "> 0 and <= 1000000"}, // beyond float64: strconv's range error
		{"scale-rows", "0", "> 0 and <= 1000000"},
		{"scale-rows", "-3", "> 0 and <= 1000000"},
		{"scale-rows", "1000000.5", "> 0 and <= 1000000"},
		{"scale-rows", "ten", "> 0 and <= 1000000"},
		{"app-cpu", "NaN", "<= 9223372036 (CPU-seconds)"},
		{"app-cpu", "Inf", "CPU-seconds"},
		{"app-cpu", "0", "CPU-seconds"},
		{"app-cpu", "-1", "CPU-seconds"},
		{"app-cpu", "1e10", "CPU-seconds"}, // more than a time.Duration holds
	} {
		code, out, errOut := simulate(t, "whatif", log, "--parallelism", "1", "--"+tc.flag, tc.value)
		if code != 2 || out != "" || !strings.Contains(errOut, "--"+tc.flag) || !strings.Contains(errOut, tc.in) || !strings.Contains(errOut, strconv.Quote(tc.value)) {
			t.Errorf("--%s %s: exit %d, stdout %q, stderr %q; want 2 naming the flag, the value and %q", tc.flag, tc.value, code, out, errOut, tc.in)
		}
	}
	// The ends of the ranges are taken, and run.
	for _, args := range [][]string{{"--scale-rows", "1e6"}, {"--scale-rows", "1e-3"}, {"--app-cpu", "9223372036"}} {
		if code, _, errOut := simulate(t, append([]string{"whatif", log, "--parallelism", "1"}, args...)...); code != 0 {
			t.Errorf("%v: exit %d: %s", args, code, errOut)
		}
	}
}

func TestFloatRange(t *testing.T) {
	r := floatRange{Min: 0, MinOpen: true, Max: 2}
	closed := floatRange{Min: -1, Max: 1, MaxOpen: true}
	for _, tc := range []struct {
		r    floatRange
		s    string
		want float64
		ok   bool
	}{
		{r, "1", 1, true}, {r, "2", 2, true}, {r, "0x1p-2", 0.25, true}, {r, "5e-324", 5e-324, true},
		{r, "0", 0, false}, {r, "-0", 0, false}, {r, "2.0000000001", 0, false}, {r, "", 0, false},
		{r, "NaN", 0, false}, {r, "Inf", 0, false}, {r, "-Infinity", 0, false}, {r, "1e309", 0, false},
		{closed, "-1", -1, true}, {closed, "0", 0, true}, {closed, "1", 0, false}, {closed, "-1.5", 0, false},
	} {
		got, err := tc.r.parse(tc.s)
		if tc.ok != (err == nil) || got != tc.want {
			t.Errorf("%+v parse %q = %v, %v; want %v, ok %v", tc.r, tc.s, got, err, tc.want, tc.ok)
		}
		if err != nil && !strings.Contains(err.Error(), tc.r.String()) {
			t.Errorf("%q: error %q does not say the range", tc.s, err)
		}
	}
}

// FuzzFloatFlag: whatever --scale-rows gets, the parser either refuses it as bad usage (exit
// status 2, naming the flag) or holds the number strconv reads, finite and in the range.
func FuzzFloatFlag(f *testing.F) {
	for _, s := range []string{"1", "NaN", "-Inf", "1e300", "0", "1e6", "1e-300", "0x1p3", "1_0", " 2", "", "-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		w := newWhatifFlags(&cli{})
		err := w.f.parse([]string{"--scale-rows=" + s, "LOG"})
		if err != nil {
			var ee *exitError
			if !errors.As(err, &ee) || ee.code != 2 || !strings.Contains(err.Error(), "--scale-rows") {
				t.Fatalf("%q: %v, want a usage error naming --scale-rows", s, err)
			}
			if x, perr := strconv.ParseFloat(s, 64); perr == nil && scaleRowsRange.contains(x) {
				t.Fatalf("%q (%v) refused: %v", s, x, err)
			}
			return
		}
		x, perr := strconv.ParseFloat(s, 64)
		if perr != nil || *w.scale != x || math.IsNaN(x) || math.IsInf(x, 0) || !(x > 0 && x <= 1e6) {
			t.Fatalf("%q taken as %v (strconv: %v, %v)", s, *w.scale, x, perr)
		}
	})
}

// pflagFloat matches pflag's float flag methods (Float64, Float64VarP, Float32Slice, ...).
var pflagFloat = regexp.MustCompile(`^Float(32|64)(Slice)?(Var)?P?$`)

// No flag of any subcommand bypasses the rule: no file of the command declares a float flag
// with pflag's own Float64/Float32 family, which takes NaN and ±Inf.
func TestNoUncheckedFloatFlags(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(fset, file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(af, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok && pflagFloat.MatchString(sel.Sel.Name) {
				t.Errorf("%s: %s declares a float flag without floatRange (use flags.float)", fset.Position(sel.Pos()), sel.Sel.Name)
			}
			return true
		})
	}
}
