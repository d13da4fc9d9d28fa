package plots

import (
	"strconv"
	"strings"
	"testing"
)

// TestLogTicksReadAsPowersOfTen checks that every labelled tick of a log axis reads as a short
// number whose value is its tick's, not as 10^k's floating-point error.
func TestLogTicksReadAsPowersOfTen(t *testing.T) {
	labelled := 0
	for _, tk := range (logTicks{}).Ticks(3e-8, 0.05) {
		if tk.Label == "" {
			continue
		}
		labelled++
		v, err := strconv.ParseFloat(tk.Label, 64)
		if err != nil || len(tk.Label) > 6 || strings.Contains(tk.Label, "999") {
			t.Errorf("tick %g labelled %q", tk.Value, tk.Label)
		}
		if d := v/tk.Value - 1; d > 1e-9 || d < -1e-9 {
			t.Errorf("label %q of a tick at %g", tk.Label, tk.Value)
		}
	}
	if labelled < 5 {
		t.Errorf("%d labelled ticks from 3e-8 to 0.05, want one per power of ten", labelled)
	}
}
