package estimators

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Param is a param of a unit: a Spark param, searched over in a scenario's pipeline.grid or fixed
// in its pipeline.params, or (Model) an input of the model that is not a Spark param, such as the
// iterations a solver is expected to take, fixed in pipeline.params only.
type Param struct {
	// Name is the param's name without the unit's prefix, as Spark spells it (e.g. "regParam").
	Name string
	// Doc says what it is, briefly.
	Doc string
	// Choices, when set, make the param a string with these allowed values, fixed in
	// pipeline.params (a grid holds numbers); DefaultChoice is then its default.
	Choices       []string
	DefaultChoice string
	// Default is a number's value when the scenario does not give one (Spark's default).
	Default float64
	// Required says the param has no default: the scenario must give it (pca.k).
	Required bool
	// Int says the value is a whole number.
	Int bool
	// Min and Max bound the value (inclusive); Max 0 means no upper bound but MaxInt for an
	// integer.
	Min, Max float64
	// Model marks an input of the model that is not a Spark param: pipeline.params only.
	Model bool
}

// MaxInt bounds an integer param without a Max of its own: Spark's IntParam is a Java int, and
// a larger value would overflow the int the model takes it as.
const MaxInt = math.MaxInt32

// max is the param's upper bound (inclusive), and whether it has one.
func (p *Param) max() (float64, bool) {
	switch {
	case p.Max > 0:
		return p.Max, true
	case p.Int:
		return MaxInt, true
	}
	return 0, false
}

// Allowed says what values the param takes.
func (p *Param) Allowed() string {
	if len(p.Choices) > 0 {
		return Quoted(p.Choices) + " (a string, in pipeline.params)"
	}
	kind := "a number"
	if p.Int {
		kind = "an integer"
	}
	hi, bounded := p.max()
	switch {
	case bounded && p.Min == hi:
		return fmt.Sprintf("%s: %s", kind, num(p.Min))
	case bounded:
		return fmt.Sprintf("%s from %s to %s", kind, num(p.Min), num(hi))
	}
	return fmt.Sprintf("a finite number >= %s", num(p.Min))
}

// num prints x as a scenario would hold it, a whole number below 10^15 in full (2147483647).
func num(x float64) string {
	if x == math.Trunc(x) && math.Abs(x) < 1e15 {
		return strconv.FormatInt(int64(x), 10)
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// CheckNum checks a number against the param's kind and range; it returns what is wrong, or "".
func (p *Param) CheckNum(v float64) string {
	switch {
	case len(p.Choices) > 0:
		return fmt.Sprintf("%s is a number; the param takes a string", num(v))
	case math.IsNaN(v) || math.IsInf(v, 0):
		return fmt.Sprintf("%s is not a finite number", num(v))
	case p.Int && v != math.Trunc(v):
		return fmt.Sprintf("%s is not a whole number", num(v))
	}
	if hi, bounded := p.max(); v < p.Min || (bounded && v > hi) {
		return fmt.Sprintf("%s is out of range", num(v))
	}
	return ""
}

// CheckStr checks a string value; it returns what is wrong, or "".
func (p *Param) CheckStr(s string) string {
	if len(p.Choices) == 0 {
		return fmt.Sprintf("%q is a string; the param takes a number", s)
	}
	for _, c := range p.Choices {
		if strings.EqualFold(c, s) {
			return ""
		}
	}
	return fmt.Sprintf("%q is not one of its values", s)
}

// Source gives a param's value in one param map: the map's own (the grid's), else the scenario's
// fixed one (pipeline.params); names are full ("<prefix>.<param>").
type Source interface {
	Num(name string) (float64, bool)
	Str(name string) (string, bool)
}

// Values are a unit's param values in one param map, with Spark's defaults for those not given.
type Values struct {
	u   *Unit
	src Source
}

// Values binds the unit to the values src gives.
func (u *Unit) Values(src Source) Values { return Values{u, src} }

// Num is the number param name (without the prefix) has.
func (v Values) Num(name string) float64 {
	p := v.param(name)
	if x, ok := v.src.Num(v.u.Prefix + "." + name); ok {
		return x
	}
	return p.Default
}

// Int is Num as an int.
func (v Values) Int(name string) int { return int(v.Num(name)) }

// Str is the string param name (without the prefix) has, in lower case.
func (v Values) Str(name string) string {
	p := v.param(name)
	if s, ok := v.src.Str(v.u.Prefix + "." + name); ok {
		return strings.ToLower(s)
	}
	return strings.ToLower(p.DefaultChoice)
}

// Given says whether the scenario gives param name a value.
func (v Values) Given(name string) bool {
	full := v.u.Prefix + "." + name
	_, n := v.src.Num(full)
	_, s := v.src.Str(full)
	return n || s
}

func (v Values) param(name string) *Param {
	p, ok := v.u.Param(name)
	if !ok {
		panic(fmt.Sprintf("estimators: unit %s has no param %q", v.u.Name, name))
	}
	return p
}

// NoValues is a Source that gives nothing: every param takes its default.
type NoValues struct{}

// Num implements Source.
func (NoValues) Num(string) (float64, bool) { return 0, false }

// Str implements Source.
func (NoValues) Str(string) (string, bool) { return "", false }
