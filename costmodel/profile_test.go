package costmodel

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"tunesim/estimators"
	"tunesim/tuning"
)

func TestTermsAndSeconds(t *testing.T) {
	sh := tuning.Shape{Rows: 1000, In: 100, Out: 20}
	want := [NumTerms]float64{1, 1000, 1000 * 100, 1000 * 100 * 100, 1000 * 100 * 20, 1000 * 20 * 20, 100 * 100 * 100, 20 * 20 * 20}
	if got := Terms(sh); got != want {
		t.Errorf("Terms = %v, want %v", got, want)
	}
	c := Coeffs{0.001, 0, 0, 1e-9, 0, 0, 0, 1e-6}
	if got, want := c.Seconds(sh), 0.001+10*1e-3+8e-3; math.Abs(got-want) > 1e-15 {
		t.Errorf("Seconds = %v, want %v", got, want)
	}
}

func TestDefaultProfilePricesEveryOperation(t *testing.T) {
	p, err := Load("default", "")
	if err != nil {
		t.Fatal(err)
	}
	sh := tuning.Shape{Rows: 4000, In: 100, Out: 40}
	// The Gramian of 4000 rows of 100 features is what the profile's number was timed on.
	if got := p.Task(tuning.TaskRef{Op: estimators.OpGramian, Shape: sh}); got < 5*time.Millisecond || got > 50*time.Millisecond {
		t.Errorf("gramian of 4000 x 100 priced at %v", got)
	}
	for _, op := range []tuning.Op{estimators.OpColumnSummary, estimators.OpLRAggregate, estimators.OpEvaluate, estimators.OpMaterialize} {
		if p.Task(tuning.TaskRef{Op: op, Shape: sh}) <= 0 {
			t.Errorf("%s is free in the default profile", op)
		}
	}
	for _, op := range estimators.DriverOps() {
		if p.Driver(tuning.DriverRef{Op: op, Shape: sh}) <= 0 {
			t.Errorf("driver %s is free in the default profile", op)
		}
	}
	for op, c := range p.Ops {
		if c.Source == "" {
			t.Errorf("%s has no source", op)
		}
	}
}

func TestProfileRoundTrip(t *testing.T) {
	p, err := Load("default", "")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "p.json")
	if err := p.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	q, err := Load(path, "")
	if err != nil {
		t.Fatal(err)
	}
	sh := tuning.Shape{Rows: 77, In: 9, Out: 3}
	for _, op := range append(append([]tuning.Op(nil), estimators.TaskOps()...), estimators.DriverOps()...) {
		if p.Task(tuning.TaskRef{Op: op, Shape: sh}) != q.Task(tuning.TaskRef{Op: op, Shape: sh}) {
			t.Errorf("%s priced differently after a round trip", op)
		}
	}
	// A relative path resolves against the scenario's directory.
	if _, err := Load("p.json", filepath.Dir(path)); err != nil {
		t.Errorf("relative profile path: %v", err)
	}
}

func TestBadProfiles(t *testing.T) {
	tests := []struct{ name, json, want string }{
		{"unknown op", `{"name":"x","ops":{"gramain":{}},"overheads":{}}`, "gramain"},
		{"unknown term", `{"name":"x","ops":{"gramian":{"row_in3_s":1}},"overheads":{}}`, "row_in3_s"},
		{"negative", `{"name":"x","ops":{"gramian":{"fixed_s":-1}},"overheads":{}}`, "fixed_s"},
		{"negative overhead", `{"name":"x","ops":{},"overheads":{"job_submit_s":-2}}`, "overheads"},
		{"unknown top-level", `{"name":"x","opps":{}}`, "opps"},
		{"not json", `{`, "p.json"},
	}
	for _, tt := range tests {
		_, err := Parse("p.json", []byte(tt.json))
		if err == nil || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want ErrInvalid mentioning %q", tt.name, err, tt.want)
		}
	}
	if _, err := Load("no-such-profile", ""); err == nil || !strings.Contains(err.Error(), "gonum") {
		t.Errorf("missing profile: %v (should list the built-ins)", err)
	}
}

// The gonum profile's former name, default, still loads it.
func TestDefaultIsGonum(t *testing.T) {
	d, err := Load(DefaultAlias, "")
	if err != nil {
		t.Fatal(err)
	}
	g, err := Load(Gonum, "")
	if err != nil {
		t.Fatal(err)
	}
	if d.Name != "gonum" || !reflect.DeepEqual(d.Ops, g.Ops) {
		t.Errorf("default loads %q, want the gonum profile", d.Name)
	}
	for _, n := range BuiltinNames() {
		if n == DefaultAlias {
			t.Errorf("built-ins %v list the alias default", BuiltinNames())
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"gonum", "spark-local"} {
		b, err := os.ReadFile("profiles/" + name + ".json")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"name":"x","ops":{"gramian":{"fixed_s":1e308}},"overheads":{}}`))
	f.Add([]byte(`{"name":"c","ops":{},"overheads":{},"cluster":{"task_launch":{"s":0.01,"source":"x"},"locality_wait":{"s":3,"source":"y"}}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := Parse("fuzz.json", b)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v is not ErrInvalid", err)
			}
			return
		}
		for _, op := range estimators.TaskOps() {
			if d := p.Task(tuning.TaskRef{Op: op, Shape: tuning.Shape{Rows: 10, In: 3, Out: 2}}); d < 0 {
				t.Fatalf("%s priced negative: %v", op, d)
			}
		}
		if c := p.Cluster(); c.TaskLaunch < 0 || c.TaskResult < 0 || c.ExecutorColdStart < 0 || c.LocalityWait < 0 {
			t.Fatalf("cluster costs negative: %+v", c)
		}
	})
}
