package costmodel

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"tunesim/atomicfile"
	"tunesim/estimators"
	"tunesim/tuning"
)

// TermNames are the terms of every operation's linear model, in order: a fixed cost, and costs per
// row, per row x input feature, per row x input feature², per row x input x output feature, per row
// x output feature², per input feature³, per output feature³, per element of the partial result a
// task builds (allocating, filling and sending a gradient or histograms), and per row x element
// (for "rows" a reduce task counts the partial aggregates it merges). Their JSON keys are the
// names with "_s" (seconds per unit). What a shape's In, Out and Elems mean for an operation is
// in its estimators.OpSpec.
var TermNames = []string{"fixed", "row", "row_in", "row_in2", "row_in_out", "row_out2", "in3", "out3", "elems", "row_elems"}

// NumTerms is len(TermNames).
const NumTerms = 10

// Terms is the value of each term for a shape; a duration is the dot product with Coeffs.
func Terms(sh tuning.Shape) [NumTerms]float64 {
	r, i, o, e := float64(sh.Rows), float64(sh.In), float64(sh.Out), float64(sh.Elems)
	return [NumTerms]float64{1, r, r * i, r * i * i, r * i * o, r * o * o, i * i * i, o * o * o, e, r * e}
}

// Coeffs are an operation's seconds per unit of each term, in TermNames order.
type Coeffs [NumTerms]float64

// Seconds is the modelled duration of a shape, in seconds.
func (c Coeffs) Seconds(sh tuning.Shape) float64 {
	t := Terms(sh)
	var s float64
	for i := range c {
		s += c[i] * t[i]
	}
	return s
}

// OpCost is one operation's model and where its numbers come from.
type OpCost struct {
	Coeffs Coeffs
	// Source says how the coefficients were obtained.
	Source string
	// R2 and Samples describe a calibration fit (zero when not fitted).
	R2      float64
	Samples int
	// Residual is the root-mean-square residual of the fit, in seconds.
	Residual float64
}

// MarshalJSON writes the coefficients under their term keys, zeros left out.
func (c OpCost) MarshalJSON() ([]byte, error) {
	m := map[string]any{}
	for i, n := range TermNames {
		if c.Coeffs[i] != 0 {
			m[n+"_s"] = c.Coeffs[i]
		}
	}
	if c.Source != "" {
		m["source"] = c.Source
	}
	if c.Samples > 0 {
		m["r2"], m["samples"], m["rms_residual_s"] = c.R2, c.Samples, c.Residual
	}
	return json.Marshal(m)
}

// UnmarshalJSON reads an operation strictly: unknown keys and negative coefficients are errors.
func (c *OpCost) UnmarshalJSON(b []byte) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := m[k]
		var err error
		switch k {
		case "source":
			err = json.Unmarshal(v, &c.Source)
		case "r2":
			err = json.Unmarshal(v, &c.R2)
		case "samples":
			err = json.Unmarshal(v, &c.Samples)
		case "rms_residual_s":
			err = json.Unmarshal(v, &c.Residual)
		default:
			i := termIndex(strings.TrimSuffix(k, "_s"))
			if i < 0 || !strings.HasSuffix(k, "_s") {
				return fmt.Errorf("unknown key %q (allowed: %s_s, source, r2, samples, rms_residual_s)", k, strings.Join(TermNames, "_s, "))
			}
			if err = json.Unmarshal(v, &c.Coeffs[i]); err == nil && (c.Coeffs[i] < 0 || math.IsNaN(c.Coeffs[i])) {
				return fmt.Errorf("%s = %v: allowed are seconds >= 0", k, c.Coeffs[i])
			}
		}
		if err != nil {
			return fmt.Errorf("%s: %w", k, err)
		}
	}
	return nil
}

func termIndex(name string) int {
	for i, n := range TermNames {
		if n == name {
			return i
		}
	}
	return -1
}

// OverheadCosts is the JSON form of Overheads, in seconds, with its provenance.
type OverheadCosts struct {
	JobSubmitS   float64 `json:"job_submit_s"`
	StageSubmitS float64 `json:"stage_submit_s"`
	JobDriverS   float64 `json:"job_driver_s"`
	// BackgroundThreads is Overheads.BackgroundThreads.
	BackgroundThreads int `json:"background_threads,omitempty"`
	// FitSetupS is Overheads.FitSetup.
	FitSetupS float64 `json:"fit_setup_s,omitempty"`
	// JobBackgroundCPUS is Overheads.JobBackground.
	JobBackgroundCPUS float64 `json:"job_background_cpu_s,omitempty"`
	// ExecutorJobBackgroundCPUS is Overheads.ExecutorBackground.
	ExecutorJobBackgroundCPUS float64 `json:"executor_job_background_cpu_s,omitempty"`
	// ExecutorBackgroundThreads is Overheads.ExecutorBackgroundThreads.
	ExecutorBackgroundThreads int    `json:"executor_background_threads,omitempty"`
	Source                    string `json:"source,omitempty"`
}

// Profile is a Model given by per-operation linear costs; it is what a profile file holds.
type Profile struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// Host describes the machine the numbers were measured on.
	Host     string                `json:"host,omitempty"`
	Ops      map[tuning.Op]*OpCost `json:"ops"`
	Overhead OverheadCosts         `json:"overheads"`
	// CV is the coefficient of variation of task durations around the model that calibration
	// measured: tasks of one shape still differ (caches, the garbage collector, the OS), and a
	// stage waits for its slowest task. Simulations draw task noise with it unless the scenario
	// sets noise.task_cv.
	CV float64 `json:"task_cv,omitempty"`
	// ClusterCosts is what a cluster adds (nil: nothing; see ClusterCosts).
	ClusterCosts *ClusterCosts `json:"cluster,omitempty"`
	// Scheduling is how the hosts divide their cores among more threads than cores (nil:
	// processor sharing; see HostScheduling).
	Scheduling *HostScheduling `json:"host_scheduling,omitempty"`
	fileLabel  string
}

// Task implements Model: a profile prices the task's operation and shape.
func (p *Profile) Task(t tuning.TaskRef) time.Duration { return p.price(t.Op, t.Shape) }

// Driver implements Model: a profile prices the step's operation and shape.
func (p *Profile) Driver(d tuning.DriverRef) time.Duration { return p.price(d.Op, d.Shape) }

func (p *Profile) price(op tuning.Op, sh tuning.Shape) time.Duration {
	c, ok := p.Ops[op]
	if !ok {
		return 0
	}
	return seconds(c.Coeffs.Seconds(sh))
}

// TaskCV is the variation of task durations the profile measured (see sim.Variable).
func (p *Profile) TaskCV() float64 { return p.CV }

// Overheads implements Model.
func (p *Profile) Overheads() Overheads {
	return Overheads{
		JobSubmit:         seconds(p.Overhead.JobSubmitS),
		StageSubmit:       seconds(p.Overhead.StageSubmitS),
		JobDriver:         seconds(p.Overhead.JobDriverS),
		JobBackground:     seconds(p.Overhead.JobBackgroundCPUS),
		FitSetup:          seconds(p.Overhead.FitSetupS),
		BackgroundThreads: max(p.Overhead.BackgroundThreads, 1),

		ExecutorBackground:        seconds(p.Overhead.ExecutorJobBackgroundCPUS),
		ExecutorBackgroundThreads: max(p.Overhead.ExecutorBackgroundThreads, 1),
	}
}

// seconds converts to a Duration, saturating at the longest one.
func seconds(s float64) time.Duration {
	ns := math.Round(s * 1e9)
	if ns >= math.MaxInt64 {
		return math.MaxInt64
	}
	return time.Duration(ns)
}

// Names of built-in profiles.
const (
	// Gonum prices the Go kernels of `simulate real` (gonum seconds, not Spark's): the profile of
	// real runs and the terms calibration fits.
	Gonum = "gonum"
	// DefaultAlias is Gonum's former name, which still loads it.
	DefaultAlias = "default"
)

// ErrInvalid is wrapped by every error about a profile's content.
var ErrInvalid = errors.New("invalid cost profile")

//go:embed profiles/*.json
var builtinFS embed.FS

// BuiltinNames lists the embedded profiles.
func BuiltinNames() []string {
	entries, _ := builtinFS.ReadDir("profiles")
	var names []string
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".json"))
	}
	return names
}

// Load returns the built-in profile of that name or reads the profile file at that path (relative
// paths resolved against dir, the scenario file's directory, when not found as given). The name
// DefaultAlias is the built-in gonum profile's former name and still names it.
func Load(nameOrPath, dir string) (*Profile, error) {
	if nameOrPath == DefaultAlias {
		nameOrPath = Gonum
	}
	if b, err := builtinFS.ReadFile("profiles/" + nameOrPath + ".json"); err == nil && !strings.ContainsAny(nameOrPath, "/\\.") {
		return Parse("built-in profile "+nameOrPath, b)
	}
	path := nameOrPath
	if _, err := os.Stat(path); err != nil && dir != "" && !filepath.IsAbs(path) {
		path = filepath.Join(dir, path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: cost profile %q is neither a built-in (%s) nor a readable file: %w", ErrInvalid, nameOrPath, strings.Join(BuiltinNames(), ", "), err)
	}
	return Parse(path, b)
}

// Parse reads a profile strictly; label names it in errors.
func Parse(label string, b []byte) (*Profile, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	p := &Profile{}
	if err := dec.Decode(p); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrInvalid, label, err)
	}
	for op := range p.Ops {
		if !knownOp(op) {
			return nil, fmt.Errorf("%w: %s: ops.%s: unknown operation (allowed: %s)", ErrInvalid, label, op, opList())
		}
	}
	if p.CV < 0 || p.CV > 10 || math.IsNaN(p.CV) {
		return nil, fmt.Errorf("%w: %s: task_cv %v: allowed are 0 to 10", ErrInvalid, label, p.CV)
	}
	o := p.Overhead
	for _, f := range []struct {
		name string
		k    int
	}{{"background_threads", o.BackgroundThreads}, {"executor_background_threads", o.ExecutorBackgroundThreads}} {
		if f.k < 0 || f.k > 64 {
			return nil, fmt.Errorf("%w: %s: overheads: %s %d: allowed are 0 to 64", ErrInvalid, label, f.name, f.k)
		}
	}
	for _, v := range []float64{o.JobSubmitS, o.StageSubmitS, o.JobDriverS, o.JobBackgroundCPUS, o.FitSetupS, o.ExecutorJobBackgroundCPUS} {
		if v < 0 || math.IsNaN(v) {
			return nil, fmt.Errorf("%w: %s: overheads: %v: allowed are seconds >= 0", ErrInvalid, label, v)
		}
	}
	if err := p.ClusterCosts.check(); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrInvalid, label, err)
	}
	if err := p.Scheduling.check(); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrInvalid, label, err)
	}
	p.fileLabel = label
	return p, nil
}

func knownOp(op tuning.Op) bool {
	_, ok := estimators.Spec(op)
	return ok
}

func opList() string {
	var s []string
	for _, o := range estimators.OpSpecs() {
		s = append(s, string(o.Op))
	}
	return strings.Join(s, ", ")
}

// MarshalIndent is the profile's file form.
func (p *Profile) MarshalIndent() ([]byte, error) {
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encoding profile %s: %w", p.Name, err)
	}
	return append(b, '\n'), nil
}

// WriteFile writes the profile atomically.
func (p *Profile) WriteFile(path string) error {
	b, err := p.MarshalIndent()
	if err != nil {
		return err
	}
	return atomicfile.WriteBytes(path, b)
}
