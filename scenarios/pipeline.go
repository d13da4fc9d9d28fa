package scenarios

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"tunesim/estimators"
)

// Setting is one param fixed for every param map (pipeline.params): a number, or a string when
// IsStr; or, for an input of the model that is not a Spark param (such as the iterations a solver
// takes, which calibrate learns from Spark runs), a number per param map in grid order (PerMap).
type Setting struct {
	Name  string
	Num   float64
	Str   string
	IsStr bool
	// PerMap, when set, holds the value of each param map, in grid order (Grid.ParamMaps).
	PerMap []float64
}

// Settings are fixed params; their JSON form is an object whose key order is kept.
type Settings []Setting

// UnmarshalJSON reads the object of name -> number or string.
func (st *Settings) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return &FieldError{Path: "pipeline.params", Problem: "not an object", Allowed: `an object of param name -> number, string or list of numbers (one per param map), e.g. {"logreg.maxIter": 100, "lr.solver": "l-bfgs"}`}
	}
	var out Settings
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		name := tok.(string)
		path := "pipeline.params." + name
		if seen[name] {
			return &FieldError{Path: path, Problem: "given twice"}
		}
		seen[name] = true
		var raw any
		if err := dec.Decode(&raw); err != nil {
			return &FieldError{Path: path, Problem: "not a number or a string", Allowed: "a number or a string"}
		}
		switch v := raw.(type) {
		case json.Number:
			f, err := v.Float64()
			if err != nil {
				return &FieldError{Path: path, Problem: fmt.Sprintf("%s is not a number", v)}
			}
			out = append(out, Setting{Name: name, Num: f})
		case string:
			out = append(out, Setting{Name: name, Str: v, IsStr: true})
		case []any:
			per := make([]float64, len(v))
			for i, e := range v {
				n, ok := e.(json.Number)
				f, err := n.Float64()
				if !ok || err != nil {
					return &FieldError{Path: fmt.Sprintf("%s[%d]", path, i), Problem: "not a number", Allowed: "a list of numbers, one per param map"}
				}
				per[i] = f
			}
			out = append(out, Setting{Name: name, PerMap: per})
		default:
			return &FieldError{Path: path, Problem: "not a number or a string", Allowed: "a number, a string or a list of numbers (one per param map)"}
		}
	}
	*st = out
	return nil
}

// MarshalJSON writes the settings as an object in their order.
func (st Settings) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, s := range st {
		if i > 0 {
			buf.WriteByte(',')
		}
		k, _ := json.Marshal(s.Name)
		buf.Write(k)
		buf.WriteByte(':')
		var v []byte
		var err error
		switch {
		case s.IsStr:
			v, err = json.Marshal(s.Str)
		case s.PerMap != nil:
			v, err = json.Marshal(s.PerMap)
		default:
			v, err = json.Marshal(s.Num)
		}
		if err != nil {
			return nil, err
		}
		buf.Write(v)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// paramSource gives a param map's values, then the pipeline's fixed ones (a per-param-map one's
// value for the map).
type paramSource struct {
	m     ParamMap
	fixed Settings
	grid  Grid
}

// Num implements estimators.Source.
func (ps paramSource) Num(name string) (float64, bool) {
	if v, ok := ps.m.Get(name); ok {
		return v, true
	}
	for _, s := range ps.fixed {
		switch {
		case s.Name != name || s.IsStr:
		case s.PerMap != nil:
			if i := ps.grid.Index(ps.m); i >= 0 && i < len(s.PerMap) {
				return s.PerMap[i], true
			}
			return 0, false
		default:
			return s.Num, true
		}
	}
	return 0, false
}

// count is how many param maps the grid has, or MaxParamMaps+1 when more.
func (g Grid) count() int {
	n := 1
	for _, p := range g {
		n *= len(p.Values)
		if n > MaxParamMaps {
			return MaxParamMaps + 1
		}
	}
	return n
}

// Index is the position of param map m among the grid's (ParamMaps), found from its values
// (maps that are equal in every value take the first one's); -1 when m is not one of them.
func (g Grid) Index(m ParamMap) int {
	i := 0
	for _, p := range g {
		v, ok := m.Get(p.Name)
		pos := slices.Index(p.Values, v)
		if !ok || pos < 0 {
			return -1
		}
		i = i*len(p.Values) + pos
	}
	return i
}

// Str implements estimators.Source.
func (ps paramSource) Str(name string) (string, bool) {
	for _, s := range ps.fixed {
		if s.Name == name && s.IsStr {
			return s.Str, true
		}
	}
	return "", false
}

// Source is where the units of the pipeline find their params' values in param map m.
func (p Pipeline) Source(m ParamMap) estimators.Source { return paramSource{m, p.Params, p.Grid} }

// Units is the scenario's pipeline as the estimators it names; the scenario must be valid.
func (s *Scenario) Units() estimators.Pipeline {
	p, _ := s.units(func(string, string, string) error { return ErrInvalid })
	return p
}

// units resolves the stage and evaluator names; bad words an error.
func (s *Scenario) units(bad func(path, problem, allowed string) error) (estimators.Pipeline, error) {
	pl := estimators.Pipeline{Features: s.Data.Features, Classes: s.Data.Classes, Version: s.version(), Rows: s.Data.Rows}
	stages := estimators.Quoted(estimators.Names(estimators.Transformer, estimators.FeatureEstimator, estimators.Predictor))
	if len(s.Pipeline.Stages) == 0 {
		return pl, bad("pipeline.stages", "no stages", "a list of stages ending with a predictor, e.g. [\"pca\", \"linear_regression\"]; stages: "+stages)
	}
	for i, name := range s.Pipeline.Stages {
		path := fmt.Sprintf("pipeline.stages[%d]", i)
		u, ok := estimators.Lookup(name)
		if !ok || u.Kind == estimators.Evaluator {
			return pl, bad(path, fmt.Sprintf("%q is not a modelled stage", name), stages)
		}
		last := i == len(s.Pipeline.Stages)-1
		switch {
		case last && u.Kind != estimators.Predictor:
			return pl, bad(path, fmt.Sprintf("%q is not a predictor; a pipeline ends with one", name), estimators.Quoted(estimators.Names(estimators.Predictor)))
		case !last && u.Kind == estimators.Predictor:
			return pl, bad(path, fmt.Sprintf("predictor %q before the last stage", name), "a predictor as the last stage only; before it "+estimators.Quoted(estimators.Names(estimators.Transformer, estimators.FeatureEstimator)))
		}
		pl.Stages = append(pl.Stages, u)
	}
	pred := pl.Predictor()
	if pl.Classes == 0 && pred.Task == estimators.Classification {
		pl.Classes = 2
	}
	name := s.Pipeline.Evaluator
	if name == "" {
		name = pred.DefaultEvaluator(pl.Classes)
	}
	ev, ok := estimators.Lookup(name)
	var fit []string
	for _, n := range estimators.Names(estimators.Evaluator) {
		if u, _ := estimators.Lookup(n); u.Task == pred.Task {
			fit = append(fit, n)
		}
	}
	if !ok || ev.Kind != estimators.Evaluator || ev.Task != pred.Task {
		return pl, bad("pipeline.evaluator", fmt.Sprintf("%q does not evaluate %s %s", name, pred.Task, pred.Name), estimators.Quoted(fit))
	}
	pl.Evaluator = ev
	return pl, nil
}

// version is the Spark major version as a number.
func (s *Scenario) version() int {
	switch s.SparkVersion {
	case "2":
		return 2
	case "3":
		return 3
	}
	return 4
}

func (s *Scenario) validatePipeline(bad func(path, problem, allowed string) error) error {
	pl, err := s.units(bad)
	if err != nil {
		return err
	}
	if pl.Classes < 0 || pl.Classes > 1000 {
		return bad("data.classes", fmt.Sprintf("%d is out of range", pl.Classes), "an integer from 2 to 1000 (0: 2 for a classifier)")
	}
	if pl.Predictor().Task == estimators.Classification && pl.Classes < 2 {
		return bad("data.classes", fmt.Sprintf("%d classes for classifier %s", pl.Classes, pl.Predictor().Name), "an integer from 2 to 1000")
	}
	units := append(append([]*estimators.Unit(nil), pl.Stages...), pl.Evaluator)
	known := func() string {
		var n []string
		for _, u := range units {
			n = append(n, u.ParamNames()...)
		}
		if len(n) == 0 {
			return "none (the pipeline's stages have no params)"
		}
		return strings.Join(n, ", ")
	}
	find := func(name string) (*estimators.Unit, *estimators.Param) {
		prefix, pname, _ := strings.Cut(name, ".")
		for _, u := range units {
			if u.Prefix == prefix {
				if p, ok := u.Param(pname); ok {
					return u, p
				}
			}
		}
		return nil, nil
	}
	given := map[string]bool{}
	for _, p := range s.Pipeline.Grid {
		path := "pipeline.grid." + p.Name
		_, par := find(p.Name)
		if par == nil {
			return bad(path, "unknown param", known())
		}
		if len(par.Choices) > 0 || par.Model {
			return bad(path, "not searchable in the grid", "set it in pipeline.params: "+par.Allowed())
		}
		if len(p.Values) == 0 {
			return bad(path, "no values", "a non-empty list: "+par.Allowed())
		}
		for i, v := range p.Values {
			if problem := par.CheckNum(v); problem != "" {
				return bad(fmt.Sprintf("%s[%d]", path, i), problem, par.Allowed())
			}
		}
		given[p.Name] = true
	}
	for _, st := range s.Pipeline.Params {
		path := "pipeline.params." + st.Name
		_, par := find(st.Name)
		if par == nil {
			return bad(path, "unknown param", known())
		}
		if given[st.Name] {
			return bad(path, "also in pipeline.grid", "a param in the grid or in params, not both")
		}
		problem := ""
		switch {
		case st.IsStr:
			problem = par.CheckStr(st.Str)
		case st.PerMap != nil:
			if !par.Model {
				return bad(path, "a list", par.Allowed()+" (a list, one value per param map, is for an input of the model such as iterations)")
			}
			if n := s.Pipeline.Grid.count(); len(st.PerMap) != n {
				return bad(path, fmt.Sprintf("%d values for %d param maps", len(st.PerMap), n), "one value per param map, in grid order")
			}
			for i, v := range st.PerMap {
				if problem := par.CheckNum(v); problem != "" {
					return bad(fmt.Sprintf("%s[%d]", path, i), problem, par.Allowed())
				}
			}
		default:
			problem = par.CheckNum(st.Num)
		}
		if problem != "" {
			return bad(path, problem, par.Allowed())
		}
		given[st.Name] = true
	}
	for _, u := range units {
		for _, p := range u.Params {
			if full := u.Prefix + "." + p.Name; p.Required && !given[full] {
				return bad("pipeline.grid", fmt.Sprintf("%s stage without %s", u.Name, full), fmt.Sprintf("a %q list (Spark's %s has no default)", full, u.Name))
			}
		}
	}
	n := 1
	for _, p := range s.Pipeline.Grid {
		n *= len(p.Values)
		if n > MaxParamMaps {
			return bad("pipeline.grid", "more than "+fmt.Sprint(MaxParamMaps)+" param maps", fmt.Sprintf("at most %d", MaxParamMaps))
		}
	}
	// Checks against the data and the other params, param map by param map.
	for _, m := range s.Pipeline.Grid.ParamMaps() {
		var fail error
		c, _ := pl.Walk(s.Pipeline.Source(m), func(u *estimators.Unit, c estimators.Context, v estimators.Values) bool {
			fail = s.checkUnit(bad, u, c, v, m)
			return fail == nil
		})
		if fail == nil {
			fail = s.checkUnit(bad, pl.Evaluator, c, pl.Evaluator.Values(s.Pipeline.Source(m)), m)
		}
		if fail != nil {
			return fail
		}
	}
	return nil
}

// checkUnit runs u's own check in param map m, naming the param at fault where it can.
func (s *Scenario) checkUnit(bad func(path, problem, allowed string) error, u *estimators.Unit, c estimators.Context, v estimators.Values, m ParamMap) error {
	if u.Check == nil {
		return nil
	}
	param, problem, allowed := u.Check(c, v)
	if problem == "" {
		return nil
	}
	if param == "" {
		if u.Kind == estimators.Evaluator {
			return bad("pipeline.evaluator", u.Name+": "+problem, allowed)
		}
		return bad("pipeline.stages", u.Name+": "+problem, allowed)
	}
	full := u.Prefix + "." + param
	if val, ok := m.Get(full); ok {
		for _, p := range s.Pipeline.Grid {
			if p.Name == full {
				for i, x := range p.Values {
					if x == val {
						return bad(fmt.Sprintf("pipeline.grid.%s[%d]", full, i), problem, allowed)
					}
				}
			}
		}
	}
	for _, st := range s.Pipeline.Params {
		if st.Name == full {
			return bad("pipeline.params."+full, problem, allowed)
		}
	}
	return bad("pipeline.stages", fmt.Sprintf("%s: %s (default %s)", u.Name, problem, full), allowed)
}
