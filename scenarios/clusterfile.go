package scenarios

import (
	"fmt"
	"os"
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
	generic, err := decodeOne(file, b, "a cluster file")
	if err != nil {
		return Cluster{}, err
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
	var c Cluster
	if err := decodeChecked(file, b, generic, &c, "cluster"); err != nil {
		return Cluster{}, err
	}
	bad := func(path, problem, allowed string) error {
		return &FieldError{File: file, Path: path, Problem: problem, Allowed: allowed}
	}
	if err := c.validate(bad); err != nil {
		return Cluster{}, err
	}
	return c, nil
}
