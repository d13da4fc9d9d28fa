package scenarios

import (
	"embed"
	"fmt"
	"path"
	"sort"
	"strings"
)

//go:embed builtin/*.json
var builtinFS embed.FS

// Default is the scenario a command uses when none is named: the seed experiment.
const Default = "seed-tvs"

// BuiltinNames lists the embedded scenarios.
func BuiltinNames() []string {
	entries, _ := builtinFS.ReadDir("builtin")
	var names []string
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".json"))
	}
	sort.Strings(names)
	return names
}

// Builtin returns a fresh copy of the named embedded scenario.
func Builtin(name string) (*Scenario, error) {
	b, err := builtinFS.ReadFile(path.Join("builtin", name+".json"))
	if err != nil {
		return nil, fmt.Errorf("%w: no built-in scenario %q (built-in: %s)", ErrInvalid, name, strings.Join(BuiltinNames(), ", "))
	}
	return Parse("built-in "+name, b)
}
