package scenarios

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
)

// LoadCluster reads a cluster from a file: see ParseCluster.
func LoadCluster(path string) (Cluster, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Cluster{}, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return ParseCluster(path, b)
}

// ParseCluster decodes a cluster from JSON: a scenario's "cluster" section on its own (the object
// `scenarios show` prints under "cluster", hosts and their CPU sharing included), or a whole
// scenario, whose cluster is taken. Its fields are checked as a scenario's are (unknown keys,
// ranges, hosts), file naming the source in errors.
func ParseCluster(file string, b []byte) (Cluster, error) {
	var generic any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&generic); err != nil {
		return Cluster{}, syntaxError(file, b, err)
	}
	if dec.More() {
		return Cluster{}, fmt.Errorf("%w: %s: more than one JSON value; a cluster file holds one object", ErrInvalid, file)
	}
	obj, ok := generic.(map[string]any)
	if !ok {
		return Cluster{}, &FieldError{File: file, Path: "cluster", Problem: "not a JSON object", Allowed: `a scenario's "cluster" object, or a scenario`}
	}
	if _, whole := obj["cluster"]; whole {
		s, err := Parse(file, b)
		if err != nil {
			return Cluster{}, err
		}
		return s.Cluster, nil
	}
	if err := checkFields(file, generic, reflect.TypeOf(Cluster{}), "cluster"); err != nil {
		return Cluster{}, err
	}
	var c Cluster
	if err := json.Unmarshal(b, &c); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return Cluster{}, &FieldError{File: file, Path: "cluster." + te.Field, Problem: fmt.Sprintf("a JSON %s where %s is needed", te.Value, typeName(te.Type))}
		}
		return Cluster{}, fmt.Errorf("%w: %s: %w", ErrInvalid, file, err)
	}
	bad := func(path, problem, allowed string) error {
		return &FieldError{File: file, Path: path, Problem: problem, Allowed: allowed}
	}
	if err := c.validate(bad); err != nil {
		return Cluster{}, err
	}
	return c, nil
}
