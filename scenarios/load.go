package scenarios

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
)

// ErrInvalid is wrapped by every error that is the input's fault (unreadable, malformed or out of
// range), so callers can tell bad input from a failure while running.
var ErrInvalid = errors.New("invalid scenario")

// FieldError is an invalid value: the file, the JSON path of the field, and what is allowed.
type FieldError struct {
	File    string // file name, or "built-in NAME"
	Path    string // e.g. "tuner.parallelism"
	Problem string // what is wrong, e.g. "0 is out of range"
	Allowed string // what is allowed
}

func (e *FieldError) Error() string {
	msg := fmt.Sprintf("%s: %s: %s", e.File, e.Path, e.Problem)
	if e.Allowed != "" {
		msg += "; allowed: " + e.Allowed
	}
	return msg
}

// Unwrap makes every FieldError an ErrInvalid.
func (e *FieldError) Unwrap() error { return ErrInvalid }

// LoadFile reads and validates a scenario file.
func LoadFile(path string) (*Scenario, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	s, err := Parse(path, b)
	if err != nil {
		return nil, err
	}
	s.Dir = filepath.Dir(path)
	return s, nil
}

// Load resolves a built-in scenario name or a file path.
func Load(nameOrPath string) (*Scenario, error) {
	if s, err := Builtin(nameOrPath); err == nil {
		return s, nil
	}
	if _, err := os.Stat(nameOrPath); err != nil && !strings.ContainsAny(nameOrPath, "/.") {
		return nil, fmt.Errorf("%w: %q is neither a built-in scenario (%s) nor a file", ErrInvalid, nameOrPath, strings.Join(BuiltinNames(), ", "))
	}
	return LoadFile(nameOrPath)
}

// Parse decodes and validates a scenario from JSON; file names it in errors.
func Parse(file string, b []byte) (*Scenario, error) {
	generic, err := decodeOne(file, b, "a scenario file")
	if err != nil {
		return nil, err
	}
	var s Scenario
	if err := decodeChecked(file, b, generic, &s, ""); err != nil {
		return nil, err
	}
	s.setDefaults()
	if err := s.Validate(file); err != nil {
		return nil, err
	}
	return &s, nil
}

// decodeOne decodes b as one JSON value (numbers kept as written), for checkFields; holds says
// what the file holds, in the error when it has more than one value.
func decodeOne(file string, b []byte, holds string) (any, error) {
	var generic any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&generic); err != nil {
		return nil, syntaxError(file, b, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: %s: more than one JSON value; %s holds one object", ErrInvalid, file, holds)
	}
	return generic, nil
}

// decodeChecked decodes b into v (a pointer to a struct), whose JSON generic is: unknown keys are
// refused (checkFields), and a value of the wrong type is a FieldError naming its field (under
// path) and the type wanted.
func decodeChecked(file string, b []byte, generic, v any, path string) error {
	if err := checkFields(file, generic, reflect.TypeOf(v).Elem(), path); err != nil {
		return err
	}
	err := json.Unmarshal(b, v)
	if err == nil {
		return nil
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return &FieldError{File: file, Path: join(path, te.Field), Problem: fmt.Sprintf("a JSON %s where %s is needed", te.Value, typeName(te.Type))}
	}
	var fe *FieldError
	if errors.As(err, &fe) {
		fe.File = file
		return fe
	}
	return fmt.Errorf("%w: %s: %w", ErrInvalid, file, err)
}

func typeName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Int, reflect.Int64, reflect.Uint64:
		return "an integer"
	case reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice:
		return "a list"
	case reflect.Struct:
		return "an object"
	}
	return t.String()
}

// syntaxError names the file and, where it can, the line and column of a JSON syntax error.
func syntaxError(file string, b []byte, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line, col := lineCol(b, se.Offset)
		return fmt.Errorf("%w: %s:%d:%d: malformed JSON: %v", ErrInvalid, file, line, col, se)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return fmt.Errorf("%w: %s: JSON ends early (truncated file?)", ErrInvalid, file)
	}
	return fmt.Errorf("%w: %s: %w", ErrInvalid, file, err)
}

func lineCol(b []byte, off int64) (int, int) {
	if off > int64(len(b)) {
		off = int64(len(b))
	}
	line, col := 1, 1
	for _, c := range b[:off] {
		if c == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return line, col
}

// checkFields walks the generic JSON against the struct's json tags and rejects unknown keys,
// naming their path and the allowed ones.
func checkFields(file string, v any, t reflect.Type, path string) error {
	if list, ok := v.([]any); ok && t.Kind() == reflect.Slice {
		for i, e := range list {
			if err := checkFields(file, e, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		return nil
	}
	obj, ok := v.(map[string]any)
	if !ok || t.Kind() != reflect.Struct {
		return nil // type mismatches are reported by the typed decode
	}
	fields := map[string]reflect.Type{}
	var names []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := strings.Split(f.Tag.Get("json"), ",")[0]
		if tag == "" || tag == "-" {
			continue
		}
		fields[tag] = f.Type
		names = append(names, tag)
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		ft, ok := fields[k]
		if !ok {
			return &FieldError{File: file, Path: join(path, k), Problem: "unknown field", Allowed: strings.Join(names, ", ")}
		}
		if err := checkFields(file, obj[k], ft, join(path, k)); err != nil {
			return err
		}
	}
	return nil
}

func join(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

// UnmarshalJSON reads the grid object keeping its key order (ParamGridBuilder's order).
func (g *Grid) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return &FieldError{Path: "pipeline.grid", Problem: "not an object", Allowed: `an object of param name -> list of numbers, e.g. {"pca.k": [15, 20]}`}
	}
	var out Grid
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		name := tok.(string)
		if seen[name] {
			return &FieldError{Path: "pipeline.grid." + name, Problem: "given twice"}
		}
		seen[name] = true
		var raw []json.Number
		if err := dec.Decode(&raw); err != nil {
			return &FieldError{Path: "pipeline.grid." + name, Problem: "not a list of numbers", Allowed: "a list of numbers"}
		}
		p := Param{Name: name}
		for i, n := range raw {
			f, err := n.Float64()
			if err != nil {
				return &FieldError{Path: fmt.Sprintf("pipeline.grid.%s[%d]", name, i), Problem: fmt.Sprintf("%s is not a number", n)}
			}
			p.Values = append(p.Values, f)
		}
		out = append(out, p)
	}
	*g = out
	return nil
}

// MarshalJSON writes the grid as an object in its order.
func (g Grid) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, p := range g {
		if i > 0 {
			buf.WriteByte(',')
		}
		k, _ := json.Marshal(p.Name)
		buf.Write(k)
		buf.WriteByte(':')
		vals := p.Values
		if vals == nil {
			vals = []float64{}
		}
		v, err := json.Marshal(vals)
		if err != nil {
			return nil, err
		}
		buf.Write(v)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// MarshalIndent is the scenario as `scenarios show` prints it, and as Parse accepts it back.
func (s *Scenario) MarshalIndent() ([]byte, error) {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
